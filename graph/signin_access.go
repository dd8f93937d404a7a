package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"sort"
	"strings"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"github.com/pqentra/pqentra/steps"
)

// The reads of the can-I-register check. The sign-in asks for
// Application.ReadWrite.All only; the authorization policy needs
// Policy.Read.All and the user's roles User.Read. Those are asked for
// silently, from the cached refresh token: they come only where someone
// already consented, and a refusal makes that answer "unknown", never a
// prompt.

// ReadAccess signs in (if needed) and reads who the user is and what the
// tenant lets them do (steps.CheckAccess adds the app the run names, read
// by the app finder). Only a failure to read the user is an error.
func (c *Client) ReadAccess(ctx context.Context) (steps.AccessFacts, error) {
	var f steps.AccessFacts
	if err := c.EnsureSignedIn(ctx); err != nil {
		return f, err
	}
	me, err := c.Me(ctx)
	if err != nil {
		return f, err
	}
	f.User = me
	if t, err := c.Organization(ctx); err == nil {
		f.Tenant = t
	}
	if allowed, err := c.allowedToCreateApps(ctx); err == nil {
		f.AllowedToCreateApps = &allowed
	} else {
		f.Unknowns = append(f.Unknowns, "the tenant setting needs Policy.Read.All, which this sign-in does not have")
	}
	if roles, err := c.DirectoryRoles(ctx); err == nil {
		f.Roles, f.RolesKnown = roles, true
	} else {
		f.Unknowns = append(f.Unknowns, "your roles could not be read")
	}
	return f, nil
}

// allowedToCreateApps reads the tenant's "Users can register applications".
func (c *Client) allowedToCreateApps(ctx context.Context) (bool, error) {
	tok, err := c.extraToken(ctx, "Policy.Read.All")
	if err != nil {
		return false, err
	}
	pol, err := c.authorizationPolicy(ctx, tok)
	if err != nil {
		return false, err
	}
	p := pol.GetDefaultUserRolePermissions()
	if p == nil || p.GetAllowedToCreateApps() == nil {
		return false, errors.New("the policy has no allowedToCreateApps")
	}
	return *p.GetAllowedToCreateApps(), nil
}

// DirectoryRoles lists the signed-in user's directory roles by display
// name (GET /me/transitiveMemberOf/microsoft.graph.directoryRole).
func (c *Client) DirectoryRoles(ctx context.Context) ([]string, error) {
	var lastErr error
	for _, perm := range []string{"User.Read", "Directory.Read.All"} {
		tok, err := c.extraToken(ctx, perm)
		if err != nil {
			lastErr = err
			continue
		}
		// A cast on a membership is an advanced query: without
		// ConsistencyLevel: eventual and $count=true Graph refuses it
		// (400 Request_UnsupportedQuery) and the roles stay unknown.
		h := abs.NewRequestHeaders()
		h.Add("Authorization", "Bearer "+tok)
		h.Add("ConsistencyLevel", "eventual")
		var res models.DirectoryRoleCollectionResponseable
		err = c.waitOut(ctx, "Retrying after a network error", func() error {
			var err error
			res, err = c.gc.Me().TransitiveMemberOf().GraphDirectoryRole().Get(ctx,
				&users.ItemTransitiveMemberOfGraphDirectoryRoleRequestBuilderGetRequestConfiguration{Headers: h,
					QueryParameters: &users.ItemTransitiveMemberOfGraphDirectoryRoleRequestBuilderGetQueryParameters{
						Count: ptr(true), Select: []string{"displayName", "roleTemplateId"}}})
			return translate(err, "read your directory roles", c.hints())
		}, isNetwork)
		if err != nil {
			lastErr = err
			continue
		}
		if res == nil {
			return nil, badData("read your directory roles", "the answer", "is empty")
		}
		roles := []string{}
		for _, r := range res.GetValue() {
			if r == nil {
				return nil, badData("read your directory roles", "value[]", "holds null")
			}
			roles = append(roles, steps.Clean(deref(r.GetDisplayName())))
		}
		sort.Strings(roles)
		return roles, nil
	}
	return nil, lastErr
}

// extraToken is a token for one more Graph permission, silently. With the
// Azure CLI it is az's own token, which carries what az was preauthorized
// for; Graph decides.
func (c *Client) extraToken(ctx context.Context, perm string) (string, error) {
	if c.signIn.az != nil {
		return c.signIn.Token(ctx)
	}
	return c.signIn.silentToken(ctx, c.cfg.Endpoints.Cloud.GraphRoot+"/"+perm)
}

// GraphScopes are the Graph permissions of the sign-in's token: the scp
// claim when the token is a JWT (Entra's are), else what MSAL was told.
func (c *Client) GraphScopes(ctx context.Context) ([]string, error) {
	tok, err := c.signIn.Token(ctx)
	if err != nil {
		return nil, err
	}
	if scp, ok := jwtScopes(tok); ok {
		return scp, nil
	}
	c.signIn.mu.Lock()
	granted := append([]string(nil), c.signIn.granted...)
	c.signIn.mu.Unlock()
	out := []string{}
	for _, g := range granted {
		if p := permissionOf(g); p != "" && !oidc[strings.ToLower(p)] {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out, nil
}

var oidc = map[string]bool{"openid": true, "profile": true, "offline_access": true, "email": true}

func permissionOf(scope string) string {
	if i := strings.LastIndex(scope, "/"); i >= 0 {
		return scope[i+1:]
	}
	return scope
}

// jwtScopes reads the scp claim of a JWT access token without verifying it
// (only Graph verifies; this is for display).
func jwtScopes(tok string) ([]string, bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, false
	}
	var claims struct {
		Scp *string `json:"scp"`
	}
	if json.Unmarshal(raw, &claims) != nil || claims.Scp == nil {
		return nil, false
	}
	out := strings.Fields(*claims.Scp)
	sort.Strings(out)
	return out, true
}
