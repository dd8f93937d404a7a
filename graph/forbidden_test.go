package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

func fakeJWT(t *testing.T, claims map[string]any) string {
	t.Helper()
	b, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + enc(b) + ".c2lnbmF0dXJl"
}

func forbidden() error {
	return &steps.Error{Status: 403, Code: "Authorization_RequestDenied", Message: "could not register the application: Insufficient privileges to complete the operation.",
		Hint: hintFor(403, "Authorization_RequestDenied", "", followUp{})}
}

// Issue 10 F9: "your token lacks Application.ReadWrite.All" is told apart
// from "your account lacks the role".
func TestForbiddenTellsTokenFromRole(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	c := env.client

	c.noteToken(fakeJWT(t, map[string]any{"scp": "User.Read Application.Read.All", "aud": "https://graph.microsoft.com"}))
	e, _ := steps.AsError(c.explain(forbidden(), "register the application"))
	if !strings.Contains(e.Hint, "token does not carry Application.ReadWrite.All") || !strings.Contains(e.Hint, "User.Read, Application.Read.All") ||
		strings.Contains(e.Hint, "Cloud Application Administrator") {
		t.Errorf("token without the scope: %q", e.Hint)
	}

	c.noteToken(fakeJWT(t, map[string]any{"scp": "Application.ReadWrite.All"}))
	e, _ = steps.AsError(c.explain(forbidden(), "register the application"))
	if strings.Contains(e.Hint, "token does not carry") || !strings.Contains(e.Hint, "Cloud Application Administrator") {
		t.Errorf("token with the scope: %q", e.Hint)
	}

	// An opaque token proves nothing either way: the role hint stays.
	c.noteToken("opaque-token")
	e, _ = steps.AsError(c.explain(forbidden(), "register the application"))
	if strings.Contains(e.Hint, "token does not carry") {
		t.Errorf("opaque token: %q", e.Hint)
	}

	// Graph's own words for a token without any delegated permission.
	noScp := &steps.Error{Status: 401, Code: "InvalidAuthenticationToken", Message: "Either scp or roles claim need to be present in the token."}
	e, _ = steps.AsError(c.explain(noScp, "read the application"))
	if !strings.Contains(e.Hint, "token does not carry") {
		t.Errorf("no scp claim: %q", e.Hint)
	}
}

// Issue 10 F9: a 403 on the service principal comes after the app was
// registered; the hint says so, and names the multitenant rule only for a
// multitenant app.
func TestServicePrincipalForbiddenHint(t *testing.T) {
	for _, multi := range []bool{false, true} {
		env := newTestEnv(t, emulator.Options{UsersCannotCreateServicePrincipals: true})
		d := steps.Desired{DisplayName: "No SP Connector"}
		if multi {
			d.SignInAudience = steps.AudienceMulti
		}
		if err := d.Normalize(); err != nil {
			t.Fatal(err)
		}
		_, err := steps.Converge(context.Background(), env.client, d, steps.Options{GraphBase: env.client.GraphBase()}, false)
		e, ok := steps.AsError(err)
		if !ok || e.Status != 403 {
			t.Fatalf("want a 403, got %v", err)
		}
		if strings.Contains(e.Hint, "register") && !strings.Contains(e.Hint, "is registered") {
			t.Errorf("multi=%v: the hint talks about registering apps: %q", multi, e.Hint)
		}
		if !strings.Contains(e.Hint, "service principal") {
			t.Errorf("multi=%v: %q", multi, e.Hint)
		}
		if got := strings.Contains(e.Hint, "multitenant"); got != multi {
			t.Errorf("multi=%v: multitenant sentence present=%v: %q", multi, got, e.Hint)
		}
		if n := len(env.emu.Applications()); n != 1 {
			t.Errorf("%d apps", n)
		}
	}
}
