package cmd

import (
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
)

// An app the user neither owns nor administers: whoami says no, setup stops
// before any write naming what to ask for, and a multitenant app's missing
// service principal is warned about.
func TestNotOwnerMayNotChangeTheApp(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	obj, appID, err := c.emu.SeedApplication(map[string]any{"displayName": "Someone Else's API", "signInAudience": "AzureADMultipleOrgs"})
	if err != nil {
		t.Fatal(err)
	}
	if !c.emu.ClearOwners(obj) {
		t.Fatal("no such app")
	}
	r := c.run("whoami", "--app-id", appID)
	if r.code != 0 || !strings.Contains(r.stdout, "You may register applications.") || !strings.Contains(r.stdout, "You may change the application "+appID+": no.") ||
		!strings.Contains(r.stdout, "service principal") {
		t.Fatalf("whoami: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = c.run("setup", "--non-interactive", "--app-id", appID)
	if r.code != 1 || !strings.Contains(r.stderr, "not one of its owners") || !strings.Contains(r.stderr, "Cloud Application Administrator") ||
		!strings.Contains(r.stderr, "warning: This multitenant application has no service principal") {
		t.Fatalf("setup: exit %d\n%s", r.code, r.stderr)
	}
	if _, writes := c.emu.Counts(); writes != 0 {
		t.Fatalf("%d writes", writes)
	}
	// doctor --fix stops before its first write too
	r = c.run("doctor", "--app-id", appID, "--fix", "--yes")
	if r.code != 1 || !strings.Contains(r.stderr, "not one of its owners") {
		t.Fatalf("doctor --fix: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if _, writes := c.emu.Counts(); writes != 0 {
		t.Fatalf("%d writes", writes)
	}
	// an Application Administrator may
	c2 := newCLI(t, emulator.Options{UserRoles: []string{"Application Administrator"}})
	obj, appID, _ = c2.emu.SeedApplication(map[string]any{"displayName": "Someone Else's API"})
	c2.emu.ClearOwners(obj)
	if r := c2.run("whoami", "--app-id", appID, "--output", "json"); r.code != 0 || !strings.Contains(r.stdout, `"Application Administrator"`) {
		t.Fatalf("admin whoami: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if r := c2.run("setup", "--non-interactive", "--app-id", appID); r.code != 0 {
		t.Fatalf("admin setup: exit %d\n%s", r.code, r.stderr)
	}
}

func TestLogoutPerMethod(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	if r := c.run("whoami"); r.code != 0 {
		t.Fatalf("whoami: %d %s", r.code, r.stderr)
	}
	r := c.run("logout")
	if r.code != 0 || !strings.Contains(r.stdout, "Signed out: removed") {
		t.Fatalf("logout: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = c.run("logout")
	if r.code != 0 || !strings.Contains(r.stdout, "Not signed in") {
		t.Fatalf("second logout: %d %s", r.code, r.stdout)
	}
	c.env["PQENTRA_SIGN_IN"] = "azure-cli"
	r = c.run("logout")
	if r.code != 0 || !strings.Contains(r.stdout, "pqentra holds no token") || !strings.Contains(r.stdout, "az logout") {
		t.Fatalf("azure-cli logout: %d %s", r.code, r.stdout)
	}
}
