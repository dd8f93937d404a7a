package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/applications"
	"github.com/microsoftgraph/msgraph-sdk-go/applicationswithappid"
	"github.com/microsoftgraph/msgraph-sdk-go/applicationswithuniquename"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/pqentra/pqentra/steps"
)

const lagApp = "Waiting for Entra to replicate the new application"

// ApplicationByAppID reads GET /applications(appId='…').
func (c *Client) ApplicationByAppID(ctx context.Context, appID string) (*steps.App, error) {
	return c.getApp(ctx, "appId", appID, "read the application "+appID, func() (models.Applicationable, error) {
		return c.gc.ApplicationsWithAppId(&appID).Get(ctx, &applicationswithappid.ApplicationsWithAppIdRequestBuilderGetRequestConfiguration{
			QueryParameters: &applicationswithappid.ApplicationsWithAppIdRequestBuilderGetQueryParameters{Select: appFields}})
	})
}

// ApplicationByUniqueName reads GET /applications(uniqueName='…').
func (c *Client) ApplicationByUniqueName(ctx context.Context, name string) (*steps.App, error) {
	return c.getApp(ctx, "uniqueName", name, "read the application "+name, func() (models.Applicationable, error) {
		return c.gc.ApplicationsWithUniqueName(&name).Get(ctx, &applicationswithuniquename.ApplicationsWithUniqueNameRequestBuilderGetRequestConfiguration{
			QueryParameters: &applicationswithuniquename.ApplicationsWithUniqueNameRequestBuilderGetQueryParameters{Select: appFields}})
	})
}

// getApp turns 404 into "no such app", unless this client just created the
// app, in which case 404 is replication lag and is waited out.
//
// The answer must be the app asked for: an app whose prop is not key is a
// malformed answer, not that app.
func (c *Client) getApp(ctx context.Context, prop, key, what string, get func() (models.Applicationable, error)) (*steps.App, error) {
	var a *steps.App
	why := func(err error) string {
		switch {
		case errors.Is(err, errStaleRead):
			return lagUpdate
		case errors.Is(err, errStaleDelete):
			return lagDelete
		}
		return lagApp
	}
	err := c.waitOutSaying(ctx, why, func() error {
		app, err := get()
		if err = c.explain(err, what); err != nil {
			return err
		}
		if a, err = fromApplication(app, what); err != nil {
			return err
		}
		if got := map[string]string{"appId": a.AppID, "uniqueName": a.UniqueName}[prop]; !strings.EqualFold(got, key) {
			return mismatch(what, prop, key, got)
		}
		if c.deletedHere(a.ObjectID) {
			return errStaleDelete // this client deleted it: not replicated yet
		}
		if c.staleRead(a) {
			return errStaleRead // this client's last change is not there yet
		}
		return nil
	}, func(err error) bool {
		return isNetwork(err) || isNotFound(err) && c.isRecent(key) || errors.Is(err, errStaleRead) || errors.Is(err, errStaleDelete)
	})
	if isNotFound(err) {
		return nil, nil
	}
	if errors.Is(err, errStaleDelete) {
		// Still shown after the wait: Graph answered the DELETE with
		// success, and that answer is the truth (a replica lags).
		return nil, nil
	}
	if err != nil && !errors.Is(err, errStaleRead) {
		return nil, err
	}
	// Still without the change after the wait: what Graph shows is the
	// answer (someone else may have changed the app meanwhile).
	c.noteApp(a)
	return a, nil
}

// ApplicationsByIdentifierURI finds apps that use an Application ID URI.
func (c *Client) ApplicationsByIdentifierURI(ctx context.Context, uri string) ([]steps.App, error) {
	return c.listApps(ctx, listQuery{filter: fmt.Sprintf("identifierUris/any(x:x eq '%s')", odataString(uri))}, "find apps using "+uri)
}

// SearchApplications lists apps with a word of their display name starting
// with query ("legacy" finds "Contoso Legacy API"): Graph's tokenized
// $search, an advanced query (ConsistencyLevel: eventual), merged with
// startswith, which also sees apps created a moment ago that the search
// index may not hold yet. Without a query it lists the first apps.
func (c *Client) SearchApplications(ctx context.Context, query string) ([]steps.App, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return c.listApps(ctx, listQuery{}, "list applications")
	}
	starts, err := c.listApps(ctx, listQuery{filter: fmt.Sprintf("startswith(displayName,'%s')", odataString(query))}, "search applications")
	if err != nil {
		return nil, err
	}
	words, err := c.listApps(ctx, listQuery{search: searchTerm("displayName", query)}, "search applications")
	if err != nil {
		return nil, err
	}
	out := starts
	for _, a := range words {
		if !slices.ContainsFunc(out, func(b steps.App) bool { return b.AppID == a.AppID }) {
			out = append(out, a)
		}
	}
	return out, nil
}

// searchTerm is a $search clause for prop: quoted, with the characters
// that would end the clause (quotes, backslashes) left out.
func searchTerm(prop, term string) string {
	term = strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' {
			return ' '
		}
		return r
	}, term)
	return `"` + prop + ":" + strings.TrimSpace(term) + `"`
}

// listQuery is a list request's $filter or $search.
type listQuery struct{ filter, search string }

func (c *Client) listApps(ctx context.Context, lq listQuery, what string) ([]steps.App, error) {
	q := &applications.ApplicationsRequestBuilderGetQueryParameters{Select: appFields, Top: ptr(int32(50))}
	cfg := &applications.ApplicationsRequestBuilderGetRequestConfiguration{QueryParameters: q}
	if lq.filter != "" {
		q.Filter = &lq.filter
	}
	if lq.search != "" {
		q.Search = &lq.search
		cfg.Headers = abs.NewRequestHeaders()
		cfg.Headers.Add("ConsistencyLevel", "eventual")
	}
	var res models.ApplicationCollectionResponseable
	err := c.waitOut(ctx, "Retrying after a network error", func() error {
		var err error
		res, err = c.gc.Applications().Get(ctx, cfg)
		return c.explain(err, what)
	}, isNetwork)
	if err != nil {
		return nil, err
	}
	if res == nil {
		return nil, badData(what, "the answer", "is empty")
	}
	var out []steps.App
	for i, a := range res.GetValue() {
		app, err := fromApplication(a, what)
		if err != nil {
			if e, ok := steps.AsError(err); ok {
				e.Message = strings.Replace(e.Message, "malformed: ", fmt.Sprintf("malformed: value[%d].", i), 1)
			}
			return nil, err
		}
		if c.deletedHere(app.ObjectID) {
			continue // deleted by this client; a replica still lists it
		}
		out = append(out, *app)
	}
	return out, nil
}

// UpsertApplication sends PATCH /applications(uniqueName='…') with Prefer:
// create-if-missing. Because the key is the unique name, sending it again —
// after a lost answer, or while Entra is still replicating — can only update
// the one app, never make a second.
func (c *Client) UpsertApplication(ctx context.Context, uniqueName string, patch steps.AppPatch) (*steps.App, bool, error) {
	body, err := toApplication(patch)
	if err != nil {
		return nil, false, err
	}
	h := abs.NewRequestHeaders()
	h.Add("Prefer", "create-if-missing")
	var created models.Applicationable
	err = c.waitOut(ctx, lagApp, func() error {
		var err error
		created, err = c.gc.ApplicationsWithUniqueName(&uniqueName).Patch(ctx, body,
			&applicationswithuniquename.ApplicationsWithUniqueNameRequestBuilderPatchRequestConfiguration{Headers: h})
		err = c.explain(err, "register the application")
		if isNetwork(err) {
			// The app may exist now although we never heard so.
			c.remember(uniqueName)
		}
		return err
	}, isNetwork)
	if e, ok := steps.AsError(err); ok && (isKeyConflict(e, "uniqueName") || e.Code == "CannotDeleteOrUpdateEnabledEntitlement") {
		// The app exists although we did not see it: our own create whose
		// answer was lost, or an earlier, interrupted run, and Entra is
		// still replicating it. Graph changed nothing this time. Read it by
		// its key (waiting out the lag): if it holds what we sent, that
		// was our write and we carry on; otherwise plan again from the app
		// as it really is.
		c.remember(uniqueName)
		app, rerr := c.ApplicationByUniqueName(ctx, uniqueName)
		if rerr != nil {
			return nil, false, rerr
		}
		if app != nil && steps.PatchHolds(app, patch) {
			c.remember(app.AppID, app.ObjectID)
			c.noteWrite(app.ObjectID, patch)
			return app, true, nil
		}
		e.Err = steps.ErrReplan
		return nil, false, e
	}
	if err != nil {
		return nil, false, err
	}
	if created != nil { // 201: the body is the new app
		app, err := fromApplication(created, "register the application")
		if err != nil {
			return nil, false, err
		}
		if !strings.EqualFold(app.UniqueName, uniqueName) {
			return nil, false, mismatch("register the application", "uniqueName", uniqueName, app.UniqueName)
		}
		c.noteApp(app)
		c.remember(uniqueName, app.AppID, app.ObjectID)
		c.noteWrite(app.ObjectID, patch)
		return app, true, nil
	}
	// 204: it existed (or our first, lost, attempt created it); read it.
	c.remember(uniqueName)
	c.noteScopes(patch)
	app, err := c.ApplicationByUniqueName(ctx, uniqueName)
	if err == nil && app == nil {
		err = &steps.Error{Message: "the application was saved but cannot be read back yet", Retryable: true,
			Hint: "Entra is still replicating it; run the same command again in a minute."}
	}
	if err != nil {
		return nil, false, err
	}
	c.remember(app.AppID, app.ObjectID)
	c.noteWrite(app.ObjectID, patch)
	return app, false, nil
}

// PatchApplication sends PATCH /applications/{id}. Every PATCH pqentra
// sends carries whole collections, so sending it twice is harmless; that
// makes retrying after a lost answer safe.
func (c *Client) PatchApplication(ctx context.Context, objectID string, patch steps.AppPatch) error {
	body, err := toApplication(patch)
	if err != nil {
		return err
	}
	why := func(err error) string {
		if isNotFound(err) {
			return lagApp
		}
		if isNetwork(err) {
			return "Retrying after a network error"
		}
		return lagUpdate
	}
	err = c.waitOutSaying(ctx, why, func() error {
		_, err := c.gc.Applications().ByApplicationId(objectID).Patch(ctx, body, nil)
		return c.explainFor(err, "update the application", c.hintsFor(objectID))
	}, func(err error) bool {
		return isNetwork(err) || isNotFound(err) && c.isRecent(objectID) || c.updateReplicating(err, patch)
	})
	if err == nil {
		c.noteWrite(objectID, patch)
	}
	return err
}

// odataString escapes a string literal for $filter.
func odataString(s string) string { return strings.ReplaceAll(s, "'", "''") }
