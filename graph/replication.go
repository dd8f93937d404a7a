package graph

import (
	"errors"
	"strings"
	"time"

	"github.com/pqentra/pqentra/steps"
)

// Entra replicates updates, not only creates: for a few seconds after a
// PATCH, the replica that answers the next request may not have it yet.
// Two writes of a setup meet that: a preauthorization of the scope the
// previous PATCH added is refused (400 InvalidValue "…delegatedPermissionIds
// has a Permission Id that cannot be found…"), and the change or removal
// of a scope the previous PATCH disabled is refused (400
// CannotDeleteOrUpdateEnabledEntitlement). When the scope is one this
// client just wrote, that is replication, and the write is sent again
// within the lag budget, as Terraform's azuread provider and Microsoft's
// samples do. Reads may also show the app as it was: a read of an app this
// client just changed is repeated until it shows the change.

const lagUpdate = "Waiting for Entra to replicate the application's last change"

// staleReadBudget bounds how long a read waits to show this client's own
// last change: replication takes seconds, and a change someone else made
// meanwhile must not keep the user waiting for the whole lag budget.
const staleReadBudget = 30 * time.Second

// written is what this client last wrote to an application, merged over
// its writes, and when.
type written struct {
	patch steps.AppPatch
	at    time.Time
}

// noteWrite remembers a successful write to the app objectID: the scopes
// it stored (a preauthorization may name them next), the scopes it
// disabled (the next write may change or remove them), and the patch
// itself (reads should show it).
func (c *Client) noteWrite(objectID string, p steps.AppPatch) {
	c.noteScopes(p)
	if objectID == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	key := strings.ToLower(objectID)
	w := c.writes[key]
	w.patch = w.patch.Then(p)
	w.at = c.cfg.Clock.Now()
	c.writes[key] = w
}

// noteScopes remembers the scopes p stores and the ones it disables.
func (c *Client) noteScopes(p steps.AppPatch) {
	if p.Scopes != nil {
		for _, s := range *p.Scopes {
			c.remember("scope:" + s.ID)
			if !s.IsEnabled {
				c.remember("disabled:" + s.ID)
			}
		}
	}
}

// updateReplicating reports a refusal of patch that is this client's own
// previous write not replicated yet.
func (c *Client) updateReplicating(err error, patch steps.AppPatch) bool {
	e, ok := steps.AsError(err)
	if !ok {
		return false
	}
	switch {
	case isUnknownPermissionID(e):
		if patch.PreAuthorized == nil {
			return false
		}
		for _, p := range *patch.PreAuthorized {
			for _, id := range p.DelegatedPermissionIDs {
				if c.isRecent("scope:" + id) {
					return true
				}
			}
		}
	case e.Code == "CannotDeleteOrUpdateEnabledEntitlement":
		// The patch changes or removes a scope this client disabled a
		// moment ago; the answering replica still holds it enabled.
		return patch.Scopes != nil && c.anyRecent("disabled:")
	}
	return false
}

// anyRecent reports a recent key (see remember) starting with prefix.
func (c *Client) anyRecent(prefix string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.cfg.Clock.Now()
	for k, t := range c.recent {
		if strings.HasPrefix(k, prefix) && now.Sub(t) < 2*c.cfg.LagTimeout {
			return true
		}
	}
	return false
}

// isUnknownPermissionID reports Graph's refusal of a preauthorization that
// names a scope id the app does not hold (as the answering replica sees it).
func isUnknownPermissionID(e *steps.Error) bool {
	low := strings.ToLower(e.Message)
	return e.Status == 400 && strings.Contains(low, "delegatedpermissionids") &&
		(e.Code == "InvalidValue" || strings.Contains(low, "cannot be found"))
}

// errStaleRead marks a read that does not show this client's last write
// yet (an internal signal for waitOut, never returned).
var errStaleRead = errors.New("the application read does not show the last change yet")

// staleRead reports whether app misses what this client wrote to it a
// moment ago.
func (c *Client) staleRead(app *steps.App) bool {
	if app == nil {
		return false
	}
	c.mu.Lock()
	w, ok := c.writes[strings.ToLower(app.ObjectID)]
	c.mu.Unlock()
	if !ok || c.cfg.Clock.Now().Sub(w.at) > staleReadBudget {
		return false
	}
	return !steps.PatchHolds(app, w.patch)
}

// Deletes replicate too: right after this client deleted an application or
// a service principal, a replica may still show it, live. Microsoft's
// guidance is to trust the write's answer; a read that still shows the
// object is stale and repeated (for at most staleReadBudget), and lists
// leave it out.
const lagDelete = "Waiting for Entra to replicate the delete"

// deletedHere reports an object this client deleted a moment ago.
func (c *Client) deletedHere(objectID string) bool {
	return objectID != "" && c.recentWithin("deleted:"+objectID, staleReadBudget)
}

// errStaleDelete marks a read that still shows an object this client
// deleted (an internal signal for waitOut, never returned).
var errStaleDelete = errors.New("the read still shows an object deleted a moment ago")
