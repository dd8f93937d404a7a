package tui

import (
	"context"
	"errors"

	"github.com/pqentra/pqentra/steps"
)

// AccessReader is the can-I-register reads (graph.Client has them): who
// the user is, the tenant setting, the roles, ownership of --app-id.
type AccessReader interface {
	ReadAccess(ctx context.Context, appID string) (steps.AccessFacts, error)
}

// access is what the check found, for both front ends.
type access struct {
	read     bool
	facts    steps.AccessFacts
	decision steps.Access
}

func (f *flow) readAccess(ctx context.Context) {
	r, ok := f.opts.Client.(AccessReader)
	if !ok {
		return
	}
	facts, err := r.ReadAccess(ctx, f.desired.AppID)
	if err != nil {
		return // unknown; the steps meet Graph's own answer
	}
	f.access = access{read: true, facts: facts, decision: steps.DecideAccess(facts)}
}

// registerRefusal is why this user may not register a new application,
// or "" when they may (or it is unknown).
func (f *flow) registerRefusal() string {
	if !f.access.read || f.access.decision.Register != steps.No {
		return ""
	}
	who := "Your account"
	if u := f.access.facts.User; u != nil && u.UserPrincipalName != "" {
		who = steps.Clean(u.UserPrincipalName)
	}
	return steps.RegisterRefusal(who)
}

// accessNotes are the one-line unknowns and warnings of the check.
func (f *flow) accessNotes() []string {
	if !f.access.read {
		return nil
	}
	return f.access.decision.Warnings(f.access.facts)
}

// consentLink is the admin-consent URL a sign-in error carries, if any
// (graph.SignInError, found by its method so tui needs no graph import).
func consentLink(err error) string {
	var c interface{ AdminConsentLink() string }
	if err != nil && errors.As(err, &c) {
		return c.AdminConsentLink()
	}
	return ""
}
