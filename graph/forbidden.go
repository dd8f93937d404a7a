package graph

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// A 403 from Graph has two causes that need different fixes, and Graph's
// message ("Insufficient privileges to complete the operation.") is the
// same for both: the token lacks the delegated permission (fix: sign in
// through a client granted Application.ReadWrite.All), or the account
// lacks a role or the tenant setting (fix: an administrator). The token's
// scp claim tells them apart.

const writePermission = "Application.ReadWrite.All"

// tokenScopes reads the delegated permissions (scp) of a Graph access
// token. Graph's tokens are JWTs; ok is false when the token is opaque or
// unreadable, and nothing is then concluded from it. The token is never
// kept, printed or logged: only its scopes are.
func tokenScopes(token string) (scopes []string, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, false
	}
	var claims struct {
		Scp   *string  `json:"scp"`
		Roles []string `json:"roles"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return nil, false
	}
	if claims.Scp == nil {
		return []string{}, true // an app-only token, or none: no delegated permission
	}
	return strings.Fields(*claims.Scp), true
}

// lacksWrite reports whether known token scopes miss
// Application.ReadWrite.All (Directory.ReadWrite.All and
// Directory.AccessAsUser.All also allow application writes).
func lacksWrite(scopes []string) bool {
	for _, s := range scopes {
		switch strings.ToLower(s) {
		case "application.readwrite.all", "directory.readwrite.all", "directory.accessasuser.all":
			return false
		}
	}
	return true
}

// noteToken remembers the scopes of the token being sent.
func (c *Client) noteToken(token string) {
	scopes, ok := tokenScopes(token)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.scopes, c.scopesKnown = scopes, ok
}

// explain is translate, with a 403 told apart by what the token carries:
// a token without the permission gets the token fix, not the role fix.
func (c *Client) explain(err error, what string) error {
	return c.explainFor(err, what, c.hints())
}

// explainFor is explain, with the hints' follow-up commands about the app
// f names.
func (c *Client) explainFor(err error, what string, f followUp) error {
	err = translate(err, what, f)
	e, ok := steps.AsError(err)
	if !ok || !(e.Status == 403 || e.Status == 401 && strings.Contains(strings.ToLower(e.Message), "scp")) {
		return err
	}
	c.mu.Lock()
	scopes, known := c.scopes, c.scopesKnown
	c.mu.Unlock()
	bodySays := strings.Contains(strings.ToLower(e.Message), "scp or roles claim")
	if (known && lacksWrite(scopes)) || bodySays {
		has := "no delegated permissions"
		if len(scopes) > 0 {
			has = strings.Join(scopes, ", ")
		}
		e.Hint = tokenLacksHint(has, f)
	}
	return e
}

func tokenLacksHint(has string, f followUp) string {
	return "Your sign-in token does not carry " + writePermission + " (it has: " + steps.Clean(has) + "), so Graph refuses " +
		"whatever roles your account holds. Sign in through a client that is granted it: the default client asks for it " +
		"(" + f.signInAgain() + "); with --client-id, add the delegated Microsoft Graph permission " +
		writePermission + " to that app and have an administrator grant consent."
}

// spForbiddenHint explains a 403 on creating a service principal: the
// application itself was registered (or already existed), so this is not
// about registering apps.
func spForbiddenHint(appID string, multitenant bool) string {
	h := "The application is registered, but your account may not create its service principal (the app's entry under " +
		"Enterprise applications) in this tenant. Ask an administrator to create it (Entra admin center > Enterprise " +
		"applications > New application, or `az ad sp create --id " + steps.AppIDOrPlaceholder(appID) + "`) or to give you the Cloud Application " +
		"Administrator role, then run the same command again: it picks up where it stopped."
	if multitenant {
		h += " For a multitenant app this needs the Application Administrator or Cloud Application Administrator role."
	}
	return h
}
