package graph

import (
	"context"
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// Me reads the signed-in user.
func (c *Client) Me(ctx context.Context) (*steps.User, error) {
	u, err := c.gc.Me().Get(ctx, nil)
	if err != nil {
		return nil, translate(err, "read the signed-in user")
	}
	return &steps.User{ID: deref(u.GetId()), DisplayName: deref(u.GetDisplayName()), UserPrincipalName: deref(u.GetUserPrincipalName())}, nil
}

// Organization reads the tenant: its id, name and verified domains (which
// decide what Application ID URIs are allowed).
func (c *Client) Organization(ctx context.Context) (*steps.Tenant, error) {
	res, err := c.gc.Organization().Get(ctx, nil)
	if err != nil {
		return nil, translate(err, "read the organization")
	}
	orgs := res.GetValue()
	if len(orgs) == 0 {
		return nil, &steps.Error{Message: "Graph returned no organization for the signed-in user",
			Hint: "Sign in with a work or school account of the tenant you want to configure (--tenant)."}
	}
	o := orgs[0]
	t := &steps.Tenant{ID: strings.ToLower(deref(o.GetId())), DisplayName: deref(o.GetDisplayName())}
	for _, d := range o.GetVerifiedDomains() {
		name := deref(d.GetName())
		t.VerifiedDomains = append(t.VerifiedDomains, name)
		if d.GetIsDefault() != nil && *d.GetIsDefault() {
			t.DefaultDomain = name
		}
	}
	return t, nil
}
