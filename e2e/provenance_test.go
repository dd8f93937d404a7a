package e2e

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/graph/emulator/emulatortest"
	"github.com/pqentra/pqentra/steps"
)

// Provenance through the built binary (issue 17): an app registered by
// someone else under the name pqentra would use is never configured or
// deleted by name, even by an Application Administrator; a renamed pqentra
// app is still found by its new name (issue 16 rule 9).

var mallory = emulator.OtherUser{ID: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", DisplayName: "Mallory", UPN: "mallory@contoso.com"}

// plantSquatter registers, as Mallory, the app pqentra would create for
// name: its uniqueName, her redirect URI and secret, her as sole owner.
func plantSquatter(t *testing.T, emu *emulator.Server, name string) (objectID, appID string) {
	t.Helper()
	objectID, appID, err := emu.SeedApplication(map[string]any{
		"displayName": name, "uniqueName": steps.UniqueName(name), "signInAudience": "AzureADMyOrg",
		"web": map[string]any{"redirectUris": []any{"https://mallory.example/callback"}},
		"passwordCredentials": []any{map[string]any{"displayName": "mallory-secret",
			"keyId": "0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a", "hint": "abc"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !emu.SetOwners(objectID, false, mallory) {
		t.Fatal("SetOwners")
	}
	return objectID, appID
}

func TestBinaryNeverAdoptsASquattedName(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{UserRoles: []string{"Application Administrator"}})
	_, appID := plantSquatter(t, emu, "Contoso Connector")
	before := emu.Applications()
	emu.ResetLog()
	run := func(args ...string) proc {
		t.Helper()
		return runBinary(t, env, append(args, emulatortest.Flags(emu)...)...)
	}
	refused := func(what string, p proc, stream string) {
		t.Helper()
		for _, want := range []string{appID, "Mallory (mallory@contoso.com)", "not provably yours", "--app-id " + appID} {
			if !strings.Contains(stream, want) {
				t.Errorf("%s: the refusal lacks %q:\n%s", what, want, stream)
			}
		}
		if p.code != 1 {
			t.Errorf("%s: exit %d, want 1\n%s", what, p.code, p.stderr)
		}
	}

	p := run("setup", "--non-interactive", "--display-name", "Contoso Connector")
	refused("setup", p, p.stderr)
	p = run("setup", "--non-interactive", "--display-name", "contoso   CONNECTOR", "--output", "json")
	var obj map[string]any
	if err := json.Unmarshal([]byte(p.stdout), &obj); err != nil {
		t.Fatalf("setup --output json: not one JSON object: %v\n%s", err, p.stdout)
	}
	errText, _ := obj["error"].(string)
	refused("setup --output json", p, errText)
	p = run("setup", "--non-interactive", "--display-name", "Contoso Connector", "--dry-run")
	refused("setup --dry-run", p, p.stderr)
	p = run("undo", "--display-name", "shared   NAME", "--yes") // not found: nothing to undo
	if p.code != 0 {
		t.Errorf("undo of an unknown name: exit %d\n%s", p.code, p.stderr)
	}
	p = run("undo", "--display-name", "contoso   CONNECTOR", "--purge", "--yes")
	refused("undo --purge", p, p.stderr)
	p = run("doctor", "--display-name", "Contoso Connector", "--fix", "--yes")
	refused("doctor --fix", p, p.stderr)
	p = run("export", "--display-name", "Contoso Connector", "--format", "az")
	refused("export", p, p.stderr)

	// Named by id on purpose: without a terminal to ask on, only --adopt
	// goes on; undo never deletes it (not provably the user's).
	p = run("setup", "--non-interactive", "--app-id", appID)
	if p.code != 1 || !strings.Contains(p.stderr, "--adopt") || !strings.Contains(p.stderr, "Mallory") {
		t.Errorf("setup --app-id without a terminal: exit %d\n%s", p.code, p.stderr)
	}
	p = run("undo", "--app-id", appID, "--purge", "--yes")
	if p.code != 1 || !strings.Contains(p.stderr, "not provably yours") {
		t.Errorf("undo --app-id --purge: exit %d\n%s", p.code, p.stderr)
	}
	if w := graphWrites(emu); w != 0 {
		emulatortest.DumpLog(t, emu)
		t.Fatalf("%d writes reached the directory", w)
	}
	if after := emu.Applications(); !reflect.DeepEqual(before, after) || len(emu.DeletedItems()) != 0 {
		t.Fatalf("Mallory's app changed:\nbefore %v\nafter  %v", before, after)
	}

	// --adopt: configured on purpose, with a warning naming whose it is.
	p = run("setup", "--non-interactive", "--app-id", appID, "--adopt")
	if p.code != 0 || !strings.Contains(p.stderr, "warning: The application") || !strings.Contains(p.stderr, "Mallory") {
		t.Errorf("setup --app-id --adopt: exit %d\n%s", p.code, p.stderr)
	}
}

func TestBinaryFindsARenamedApp(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{})
	run := func(args ...string) proc {
		t.Helper()
		return runBinary(t, env, append(args, emulatortest.Flags(emu)...)...)
	}
	if p := run("setup", "--non-interactive", "--display-name", "Contoso Connector"); p.code != 0 {
		t.Fatalf("setup: exit %d\n%s", p.code, p.stderr)
	}
	app := appNamed(emu, "Contoso Connector")
	appID := app["appId"].(string)
	// Renamed with pqentra (as the wizard's Register step does).
	if p := run("setup", "--non-interactive", "--app-id", appID, "--display-name", "Contoso Sales"); p.code != 0 {
		t.Fatalf("rename: exit %d\n%s", p.code, p.stderr)
	}
	// By its new name: the same app, nothing to change, no second app.
	p := run("setup", "--non-interactive", "--display-name", "Contoso Sales", "--output", "json")
	if p.code != 0 || !strings.Contains(p.stdout, `"changes": []`) || !strings.Contains(p.stdout, appID) {
		t.Errorf("setup by the new name: exit %d\n%s\n%s", p.code, p.stdout, p.stderr)
	}
	if n := len(emu.Applications()); n != 1 {
		t.Fatalf("%d applications after the rename, want 1", n)
	}
	// Renamed in the admin center: seeded as if.
	oid, renamedID, err := emu.SeedApplication(map[string]any{"displayName": "Fabrikam Reports", "uniqueName": steps.UniqueName("Fabrikam Connector")})
	if err != nil {
		t.Fatal(err)
	}
	_ = oid
	p = run("doctor", "--display-name", "Fabrikam Reports", "--output", "json")
	if !strings.Contains(p.stdout, renamedID) {
		t.Errorf("doctor by the new name: exit %d\n%s\n%s", p.code, p.stdout, p.stderr)
	}
	// undo finds it by its new name too, and deletes it (pqentra's, the user's).
	p = run("undo", "--display-name", "Contoso Sales", "--yes", "--output", "json")
	if p.code != 0 || !strings.Contains(p.stdout, `"deleted": true`) || appNamed(emu, "Contoso Sales") != nil {
		t.Errorf("undo by the new name: exit %d\n%s\n%s", p.code, p.stdout, p.stderr)
	}
	// A renamed app owned by someone else is not found by its name.
	if !emu.SetOwners(oid, false, mallory) {
		t.Fatal("SetOwners")
	}
	emu.ResetLog()
	p = run("setup", "--non-interactive", "--display-name", "Fabrikam Reports")
	if p.code != 1 || !strings.Contains(p.stderr, "not provably yours") || graphWrites(emu) != 0 {
		t.Errorf("renamed, not yours: exit %d, %d writes\n%s", p.code, graphWrites(emu), p.stderr)
	}
}
