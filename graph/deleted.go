package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/microsoftgraph/msgraph-sdk-go/directory"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/pqentra/pqentra/steps"
)

// Deleting, restoring and purging: what `pqentra undo` and `pqentra restore`
// send. Every call here is safe to send twice — after a lost answer the
// second attempt finds the object already gone (404), which is the outcome
// asked for — so waitOut may retry them.

var _ steps.DeletedItems = (*Client)(nil)

// DeleteServicePrincipal sends DELETE /servicePrincipals/{id}. The service
// principal goes to deleted items. A 404 means it is gone already.
func (c *Client) DeleteServicePrincipal(ctx context.Context, id string) error {
	defer c.deleted(id)
	return c.gone(c.waitOut(ctx, "Retrying after a network error", func() error {
		return translate(c.gc.ServicePrincipals().ByServicePrincipalId(id).Delete(ctx, nil), "delete the service principal "+id, c.hints())
	}, isNetwork))
}

// DeleteApplication sends DELETE /applications/{id}. Entra keeps the app in
// deleted items for 30 days; its service principal goes with it.
func (c *Client) DeleteApplication(ctx context.Context, objectID string) error {
	defer c.deleted(objectID)
	return c.gone(c.waitOut(ctx, "Retrying after a network error", func() error {
		return translate(c.gc.Applications().ByApplicationId(objectID).Delete(ctx, nil), "delete the application "+objectID, c.hints())
	}, isNetwork))
}

// PurgeDeletedItem sends DELETE /directory/deletedItems/{id}: gone for good.
// Right after this client deleted the object, a 404 may only mean Entra has
// not yet replicated it into deleted items: that is waited out, and if it
// persists the error says to run again (a silent "gone" would leave a
// restorable app behind). Otherwise 404 means it was purged already.
func (c *Client) PurgeDeletedItem(ctx context.Context, id string) error {
	recent, lost := c.isRecent("deleted:"+id), false
	err := c.waitOut(ctx, "Waiting for Entra to move the object to deleted items", func() error {
		err := translate(c.gc.Directory().DeletedItems().ByDirectoryObjectId(id).Delete(ctx, nil), "permanently delete "+id, c.hints())
		lost = lost || isNetwork(err)
		return err
	}, func(err error) bool { return isNetwork(err) || recent && !lost && isNotFound(err) })
	if recent && !lost {
		return err
	}
	return c.gone(err) // after a lost answer, 404 means our purge went through
}

// RestoreDeletedItem sends POST /directory/deletedItems/{id}/restore. When
// the answer to a first attempt was lost, the item may already be restored:
// a 404 on the retry is then success (the caller reads the result back).
func (c *Client) RestoreDeletedItem(ctx context.Context, id string) error {
	lost := false
	err := c.waitOut(ctx, "Retrying after a network error", func() error {
		obj, err := c.gc.Directory().DeletedItems().ByDirectoryObjectId(id).Restore().Post(ctx, nil)
		err = translate(err, "restore "+id, c.hints())
		if err == nil {
			c.restored(id, obj)
		}
		if isNetwork(err) {
			lost = true
		}
		return err
	}, isNetwork)
	if lost && isNotFound(err) {
		return nil
	}
	return err
}

// restored notes an object this client brought back: right after the
// restore, Entra may not show it everywhere yet, so a 404 for it (or a
// conflict on its keys) is replication, waited out like a new app's.
func (c *Client) restored(id string, obj models.DirectoryObjectable) {
	c.mu.Lock()
	delete(c.recent, "deleted:"+strings.ToLower(id)) // back: a read showing it is not stale
	c.mu.Unlock()
	c.remember(id)
	if sp, ok := obj.(models.ServicePrincipalable); ok && sp.GetAppId() != nil {
		c.remember("sp:" + *sp.GetAppId()) // a 404 for it is replication
	}
	if app, ok := obj.(models.Applicationable); ok {
		a, err := fromApplication(app, "restore "+id)
		if err != nil {
			return // the read after the restore reports what is there
		}
		c.noteApp(a)
		c.remember(a.AppID, a.ObjectID, a.UniqueName)
	}
}

// deleted notes that this client deleted id: a purge right after may have
// to wait for it to reach deleted items. And what this client created is no
// longer "recent": a 404 for it now means deleted, not replicating, so reads
// must not wait for it to appear.
func (c *Client) deleted(id string) {
	c.mu.Lock()
	for k := range c.recent {
		if !strings.HasPrefix(k, "deleted:") {
			delete(c.recent, k)
		}
	}
	c.mu.Unlock()
	c.remember("deleted:" + id)
}

// gone treats 404 as done: what was to be deleted is not there.
func (c *Client) gone(err error) error {
	if isNotFound(err) {
		return nil
	}
	return err
}

// DeletedApplication finds an application in deleted items by "appId" or
// "uniqueName"; nil when there is none.
func (c *Client) DeletedApplication(ctx context.Context, prop, value string) (*steps.DeletedApp, error) {
	if prop != "appId" && prop != "uniqueName" {
		return nil, fmt.Errorf("internal error: deleted applications are found by appId or uniqueName, not %s", prop)
	}
	filter := fmt.Sprintf("%s eq '%s'", prop, odataString(value))
	var res models.ApplicationCollectionResponseable
	err := c.waitOut(ctx, "Retrying after a network error", func() error {
		var err error
		res, err = c.gc.Directory().DeletedItems().GraphApplication().Get(ctx, &directory.DeletedItemsGraphApplicationRequestBuilderGetRequestConfiguration{
			QueryParameters: &directory.DeletedItemsGraphApplicationRequestBuilderGetQueryParameters{
				Filter: &filter, Select: append(append([]string{}, appFields...), "deletedDateTime")}})
		return translate(err, "look for "+value+" in deleted items", c.hints())
	}, isNetwork)
	if err != nil {
		return nil, err
	}
	what := "look for " + value + " in deleted items"
	if res == nil {
		return nil, badData(what, "the answer", "is empty")
	}
	for i, a := range res.GetValue() {
		app, err := fromApplication(a, what)
		if err != nil {
			return nil, err
		}
		if got := map[string]string{"appId": app.AppID, "uniqueName": app.UniqueName}[prop]; !strings.EqualFold(got, value) {
			return nil, mismatch(what, fmt.Sprintf("value[%d].%s", i, prop), value, got)
		}
		d := &steps.DeletedApp{App: *app}
		if t := a.GetDeletedDateTime(); t != nil {
			d.DeletedAt = *t
		}
		return d, nil
	}
	return nil, nil
}

// DeletedServicePrincipal finds the service principal of appID in deleted
// items; nil when there is none.
func (c *Client) DeletedServicePrincipal(ctx context.Context, appID string) (*steps.ServicePrincipal, error) {
	filter := fmt.Sprintf("appId eq '%s'", odataString(appID))
	var res models.ServicePrincipalCollectionResponseable
	err := c.waitOut(ctx, "Retrying after a network error", func() error {
		var err error
		res, err = c.gc.Directory().DeletedItems().GraphServicePrincipal().Get(ctx, &directory.DeletedItemsGraphServicePrincipalRequestBuilderGetRequestConfiguration{
			QueryParameters: &directory.DeletedItemsGraphServicePrincipalRequestBuilderGetQueryParameters{
				Filter: &filter, Select: []string{"id", "appId", "displayName"}}})
		return translate(err, "look for the service principal of "+appID+" in deleted items", c.hints())
	}, isNetwork)
	if err != nil {
		return nil, err
	}
	if res == nil {
		return nil, badData("look for the service principal of "+appID+" in deleted items", "the answer", "is empty")
	}
	for _, s := range res.GetValue() {
		if s != nil && strings.EqualFold(deref(s.GetAppId()), appID) {
			return fromServicePrincipal(s, appID, "look for the service principal of "+appID+" in deleted items")
		}
	}
	return nil, nil
}

// DeletedApplications lists the applications in deleted items (every page;
// a few fields): what holds the user's object quota (steps/quota.go).
func (c *Client) DeletedApplications(ctx context.Context) ([]steps.DeletedApp, error) {
	const what = "list the applications in deleted items"
	var out []steps.DeletedApp
	next := ""
	for page := 0; page < 50; page++ {
		var res models.ApplicationCollectionResponseable
		err := c.waitOut(ctx, "Retrying after a network error", func() error {
			var err error
			if next != "" {
				res, err = directory.NewDeletedItemsGraphApplicationRequestBuilder(next, c.gc.GetAdapter()).Get(ctx, nil)
			} else {
				res, err = c.gc.Directory().DeletedItems().GraphApplication().Get(ctx, &directory.DeletedItemsGraphApplicationRequestBuilderGetRequestConfiguration{
					QueryParameters: &directory.DeletedItemsGraphApplicationRequestBuilderGetQueryParameters{
						Top: ptr(int32(999)), Select: []string{"id", "appId", "displayName", "uniqueName", "deletedDateTime"}}})
			}
			return translate(err, what, c.hints())
		}, isNetwork)
		if err != nil {
			return nil, err
		}
		if res == nil {
			return nil, badData(what, "the answer", "is empty")
		}
		for _, a := range res.GetValue() {
			d := steps.DeletedApp{App: steps.App{ObjectID: strings.ToLower(deref(a.GetId())), AppID: strings.ToLower(deref(a.GetAppId())),
				DisplayName: deref(a.GetDisplayName()), UniqueName: deref(a.GetUniqueName())}}
			if t := a.GetDeletedDateTime(); t != nil {
				d.DeletedAt = *t
			}
			out = append(out, d)
		}
		if res.GetOdataNextLink() == nil || *res.GetOdataNextLink() == "" {
			return out, nil
		}
		next = *res.GetOdataNextLink()
	}
	return out, nil
}
