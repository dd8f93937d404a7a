package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
)

// undo, restore and export through the built binary against the emulator,
// checked on the emulator's directory state.

func graphWrites(emu *emulator.Server) int {
	_, w := emu.Counts()
	return w
}

func appNamed(emu *emulator.Server, name string) map[string]any {
	for _, a := range emu.Applications() {
		if a["displayName"] == name {
			return a
		}
	}
	return nil
}

func TestBinaryUndoKeepsAnExistingApp(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{})
	at := []string{"--authority-host", emu.URL(), "--graph-endpoint", emu.URL()}
	run := func(args ...string) proc { return runBinary(t, env, append(args, at...)...) }
	other, otherClient := "99999999-8888-4777-8666-555555555555", "0b1c2d3e-4f50-4617-8283-949596979899"
	_, appID, err := emu.SeedApplication(map[string]any{"displayName": "Busy API",
		"web": map[string]any{"redirectUris": []any{"https://busy.contoso.com/signin"}},
		"api": map[string]any{
			"oauth2PermissionScopes": []any{map[string]any{"id": other, "value": "Files.Write", "type": "Admin", "isEnabled": true,
				"adminConsentDisplayName": "Write files", "adminConsentDescription": "Allows writing files."}}}})
	if err != nil {
		t.Fatal(err)
	}
	// Someone's own client, preauthorized for the app's own scope.
	if p := run("setup", "--non-interactive", "--app-id", appID, "--scope", "Files.Write", "--scope-consent", "admins",
		"--preauthorize", "", "--preauthorize-client", otherClient); p.code != 0 {
		t.Fatalf("setup of the other client: exit %d\n%s", p.code, p.stderr)
	}
	if p := run("setup", "--non-interactive", "--app-id", appID); p.code != 0 {
		t.Fatalf("setup: exit %d\n%s", p.code, p.stderr)
	}
	// --purge never applies to an app pqentra did not register.
	if p := run("undo", "--app-id", appID, "--purge", "--yes"); p.code != 2 || !strings.Contains(p.stderr, "never deletes it") {
		t.Errorf("purge on a foreign app: exit %d\n%s", p.code, p.stderr)
	}
	p := run("undo", "--app-id", appID, "--scope", "Data.Read", "--identifier-uri", "api://{appId}", "--yes")
	if p.code != 0 {
		t.Fatalf("undo: exit %d\n%s\n%s", p.code, p.stdout, p.stderr)
	}
	a := appNamed(emu, "Busy API")
	api := a["api"].(map[string]any)
	scopes, _ := json.Marshal(api["oauth2PermissionScopes"])
	pre, _ := json.Marshal(api["preAuthorizedApplications"])
	if len(api["oauth2PermissionScopes"].([]any)) != 1 || !strings.Contains(string(scopes), other) {
		t.Errorf("scopes left: %s", scopes)
	}
	if string(pre) != `[{"appId":"`+otherClient+`","delegatedPermissionIds":["`+other+`"]}]` {
		t.Errorf("preauthorizations left: %s", pre)
	}
	if len(a["identifierUris"].([]any)) != 0 || len(a["web"].(map[string]any)["redirectUris"].([]any)) != 1 {
		t.Errorf("identifier URIs %v, redirect URIs %v", a["identifierUris"], a["web"])
	}
	if len(emu.DeletedItems()) != 0 {
		t.Error("undo deleted something of an app pqentra did not register")
	}
	if !strings.Contains(p.stdout, "Disable the scope Data.Read first") || !strings.Contains(p.stdout, "Removed from \"Busy API\"") {
		t.Errorf("output:\n%s", p.stdout)
	}
	w := graphWrites(emu)
	if p := run("undo", "--app-id", appID, "--scope", "Data.Read", "--identifier-uri", "api://{appId}"); p.code != 0 || graphWrites(emu) != w || !strings.Contains(p.stdout, "Nothing to undo") {
		t.Errorf("re-run: exit %d, %d writes\n%s", p.code, graphWrites(emu)-w, p.stdout)
	}
}
