package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/applications"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/policies"

	"github.com/pqentra/pqentra/steps"
)

// The extra reads `pqentra doctor` makes. They only read, so they are safe
// to retry after a lost answer.

var _ steps.Inspector = (*Client)(nil)

// Owners reads GET /applications/{id}/owners and returns the owners as
// people read them: "Name (upn)" for users, the display name otherwise.
func (c *Client) Owners(ctx context.Context, objectID string) ([]string, error) {
	owners, err := c.ApplicationOwners(ctx, objectID)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, o := range owners {
		out = append(out, o.Name)
	}
	return out, nil
}

// ApplicationOwners reads GET /applications/{id}/owners: each owner's
// object id (provenance compares it with the signed-in user's) and name.
func (c *Client) ApplicationOwners(ctx context.Context, objectID string) ([]steps.Owner, error) {
	var res models.DirectoryObjectCollectionResponseable
	err := c.waitOut(ctx, "Retrying after a network error", func() error {
		var err error
		res, err = c.gc.Applications().ByApplicationId(objectID).Owners().Get(ctx,
			&applications.ItemOwnersRequestBuilderGetRequestConfiguration{
				QueryParameters: &applications.ItemOwnersRequestBuilderGetQueryParameters{Top: ptr(int32(100))}})
		return translate(err, "read the owners of the application", c.hints())
	}, func(err error) bool { return isNetwork(err) || isNotFound(err) && c.isRecent(objectID) })
	if err != nil {
		return nil, err
	}
	const what = "read the owners of the application"
	if res == nil {
		return nil, badData(what, "the answer", "is empty")
	}
	out := []steps.Owner{}
	for i, o := range res.GetValue() {
		if o == nil {
			return nil, badData(what, fmt.Sprintf("value[%d]", i), "is null")
		}
		ow := steps.Owner{ID: strings.ToLower(deref(o.GetId())), Name: ownerName(o)}
		if err := firstBad(what, guidField(fmt.Sprintf("value[%d].id", i), ow.ID)); err != nil {
			return nil, err
		}
		out = append(out, ow)
	}
	return out, nil
}

func ownerName(o models.DirectoryObjectable) string {
	switch v := o.(type) {
	case models.Userable:
		name, upn := deref(v.GetDisplayName()), deref(v.GetUserPrincipalName())
		switch {
		case name != "" && upn != "":
			return name + " (" + upn + ")"
		case upn != "":
			return upn
		case name != "":
			return name
		}
	case models.ServicePrincipalable:
		if n := deref(v.GetDisplayName()); n != "" {
			return n + " (service principal)"
		}
	}
	return deref(o.GetId())
}

// PolicyReadScope is the permission Graph wants for the authorization
// policy. pqentra signs in for Application.ReadWrite.All only, so this one
// is tried silently (from the cached refresh token) and never prompts.
func (e Endpoints) PolicyReadScope() string { return e.Cloud.GraphRoot + "/Policy.Read.All" }

// UsersCanConsent reads GET /policies/authorizationPolicy and reports
// whether ordinary users may consent to apps themselves: they may when
// defaultUserRolePermissions.permissionGrantPoliciesAssigned holds a
// ManagePermissionGrantsForSelf.* policy. Reading the policy needs
// Policy.Read.All; when the sign-in's token is refused, a token for that
// permission is asked for silently, and when that fails too the error says
// the setting could not be read (doctor then reports it as unknown).
func (c *Client) UsersCanConsent(ctx context.Context) (bool, error) {
	pol, err := c.authorizationPolicy(ctx, "")
	if e, ok := steps.AsError(err); ok && e.Status == 403 {
		tok, terr := c.signIn.silentToken(ctx, c.cfg.Endpoints.PolicyReadScope())
		if terr != nil {
			return false, &steps.Error{Status: 403, Code: e.Code, Err: terr,
				Message: "could not read the tenant's user consent setting: it needs Policy.Read.All, which this sign-in does not have",
				Hint:    "An admin can check it in the Entra admin center > Enterprise applications > Consent and permissions > User consent settings."}
		}
		pol, err = c.authorizationPolicy(ctx, tok)
	}
	if err != nil {
		return false, err
	}
	if p := pol.GetDefaultUserRolePermissions(); p != nil {
		for _, g := range p.GetPermissionGrantPoliciesAssigned() {
			if strings.HasPrefix(strings.ToLower(g), "managepermissiongrantsforself.") {
				return true, nil
			}
		}
	}
	return false, nil
}

// authorizationPolicy reads the policy, with an explicit bearer token when
// tok is set (kiota keeps an Authorization header the caller sets).
func (c *Client) authorizationPolicy(ctx context.Context, tok string) (models.AuthorizationPolicyable, error) {
	cfg := &policies.AuthorizationPolicyRequestBuilderGetRequestConfiguration{}
	if tok != "" {
		h := abs.NewRequestHeaders()
		h.Add("Authorization", "Bearer "+tok)
		cfg.Headers = h
	}
	var pol models.AuthorizationPolicyable
	err := c.waitOut(ctx, "Retrying after a network error", func() error {
		var err error
		pol, err = c.gc.Policies().AuthorizationPolicy().Get(ctx, cfg)
		return translate(err, "read the tenant's authorization policy", c.hints())
	}, isNetwork)
	if err == nil && pol == nil {
		err = &steps.Error{Message: "Graph returned no authorization policy"}
	}
	return pol, err
}

// silentToken gets a token for another scope from the cache (refreshing
// it with the cached refresh token), never by prompting.
func (s *SignIn) silentToken(ctx context.Context, scope string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.az != nil {
		return "", errors.New("the Azure CLI sign-in gives one token; pqentra cannot ask it for more permissions")
	}
	accounts, err := s.app.Accounts(ctx)
	if err != nil {
		return "", err
	}
	lastErr := errors.New("no cached sign-in")
	for _, a := range s.pick(accounts) {
		res, err := s.app.AcquireTokenSilent(ctx, []string{scope}, public.WithSilentAccount(a))
		if err == nil {
			return res.AccessToken, nil
		}
		lastErr = err
	}
	return "", lastErr
}

// ApplicationsByDisplayName lists apps whose display name is name (Graph
// compares case-insensitively).
func (c *Client) ApplicationsByDisplayName(ctx context.Context, name string) ([]steps.App, error) {
	return c.listApps(ctx, listQuery{filter: "displayName eq '" + odataString(name) + "'"}, "find applications named "+name)
}
