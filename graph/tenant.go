package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/pqentra/pqentra/steps"
)

// Me reads the signed-in user.
func (c *Client) Me(ctx context.Context) (*steps.User, error) {
	const what = "read the signed-in user (GET /me)"
	u, err := c.gc.Me().Get(ctx, nil)
	if err != nil {
		return nil, translate(err, what, c.hints())
	}
	if u == nil {
		return nil, badData(what, "the user", "is missing")
	}
	// An empty /me is no user: provenance and the access check compare
	// this id with owners', so it must be one.
	me := &steps.User{ID: strings.ToLower(deref(u.GetId())), DisplayName: deref(u.GetDisplayName()), UserPrincipalName: deref(u.GetUserPrincipalName())}
	if err := firstBad(what, guidField("id", me.ID)); err != nil {
		return nil, err
	}
	return me, nil
}

// Organization reads the tenant: its id, name and verified domains (which
// decide what Application ID URIs are allowed).
func (c *Client) Organization(ctx context.Context) (*steps.Tenant, error) {
	res, err := c.gc.Organization().Get(ctx, nil)
	if err != nil {
		return nil, translate(err, "read the organization", c.hints())
	}
	var orgs []models.Organizationable
	if res != nil {
		orgs = res.GetValue()
	}
	if len(orgs) == 0 || orgs[0] == nil {
		return nil, &steps.Error{Message: "Graph returned no organization for the signed-in user",
			Hint: "Sign in with a work or school account of the tenant you want to configure (--tenant)."}
	}
	o := orgs[0]
	t := &steps.Tenant{ID: strings.ToLower(deref(o.GetId())), DisplayName: deref(o.GetDisplayName())}
	if err := firstBad("read the organization", guidField("value[0].id", t.ID)); err != nil {
		return nil, err
	}
	for i, d := range o.GetVerifiedDomains() {
		if d == nil {
			return nil, badData("read the organization", fmt.Sprintf("value[0].verifiedDomains[%d]", i), "is null")
		}
		name := deref(d.GetName())
		t.VerifiedDomains = append(t.VerifiedDomains, name)
		if d.GetIsDefault() != nil && *d.GetIsDefault() {
			t.DefaultDomain = name
		}
	}
	return t, nil
}
