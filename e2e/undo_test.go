package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

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

func TestBinaryUndoRestoreExport(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{})
	at := []string{"--authority-host", emu.URL(), "--graph-endpoint", emu.URL()}
	run := func(args ...string) proc { return runBinary(t, env, append(args, at...)...) }
	appsBefore, spsBefore := len(emu.Applications()), len(emu.ServicePrincipals())

	if p := run("setup", "--non-interactive", "--display-name", "Contoso Connector"); p.code != 0 {
		t.Fatalf("setup: exit %d\n%s", p.code, p.stderr)
	}
	app := appNamed(emu, "Contoso Connector")
	appID, oid := app["appId"].(string), app["id"].(string)
	configured := emu.Applications()

	// No terminal and no --yes: refused with exit 2, nothing sent.
	w := graphWrites(emu)
	p := run("undo", "--display-name", "Contoso Connector")
	if p.code != 2 || !strings.Contains(p.stderr, "add --yes") || graphWrites(emu) != w {
		t.Fatalf("undo without --yes: exit %d, %d writes\n%s", p.code, graphWrites(emu)-w, p.stderr)
	}
	// --dry-run shows every request and sends none.
	p = run("undo", "--display-name", "Contoso Connector", "--dry-run")
	if p.code != 0 || graphWrites(emu) != w || !strings.Contains(p.stdout, "DELETE "+emu.URL()+"/v1.0/applications/"+oid) ||
		!strings.Contains(p.stdout, "Dry run: 2 request(s) would be sent") {
		t.Fatalf("dry run: exit %d, %d writes\n%s\n%s", p.code, graphWrites(emu)-w, p.stdout, p.stderr)
	}

	// Undo: the tenant is as before but for the deleted items.
	p = run("undo", "--display-name", "Contoso Connector", "--yes", "--output", "json")
	if p.code != 0 {
		t.Fatalf("undo: exit %d\n%s", p.code, p.stderr)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal([]byte(p.stdout), &got); err != nil {
		t.Fatalf("undo JSON: %v\n%s", err, p.stdout)
	}
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if !reflect.DeepEqual(keys, []string{"appId", "deleted", "removed", "requests"}) {
		t.Errorf("undo JSON keys %v, want exactly appId, deleted, removed, requests", keys)
	}
	var res struct {
		AppID    string   `json:"appId"`
		Deleted  bool     `json:"deleted"`
		Removed  []string `json:"removed"`
		Requests []struct {
			Method  string `json:"method"`
			URL     string `json:"url"`
			Applied bool   `json:"applied"`
		} `json:"requests"`
	}
	_ = json.Unmarshal([]byte(p.stdout), &res)
	if res.AppID != appID || !res.Deleted || len(res.Removed) != 2 || len(res.Requests) != 2 ||
		res.Requests[0].Method != "DELETE" || !strings.Contains(res.Requests[0].URL, "/servicePrincipals/") ||
		!strings.HasSuffix(res.Requests[1].URL, "/applications/"+oid) || !res.Requests[1].Applied {
		t.Errorf("undo JSON: %s", p.stdout)
	}
	if len(emu.Applications()) != appsBefore || len(emu.ServicePrincipals()) != spsBefore {
		t.Errorf("after undo: %d apps and %d SPs, before setup %d and %d", len(emu.Applications()), len(emu.ServicePrincipals()), appsBefore, spsBefore)
	}
	if d := emu.DeletedItems(); len(d) != 2 {
		t.Errorf("deleted items: %v", d)
	}
	if !strings.Contains(p.stderr, "DELETE ") {
		t.Errorf("the requests were not shown before they were sent (stderr with --output json):\n%s", p.stderr)
	}

	// Again: nothing to undo, no writes, and the way back is printed.
	w = graphWrites(emu)
	p = run("undo", "--display-name", "Contoso Connector", "--yes")
	// The way back carries the run's global flags (issue 21): pqentra, the
	// flags, then restore.
	if p.code != 0 || graphWrites(emu) != w || !strings.Contains(p.stdout, "Nothing to undo") ||
		!regexp.MustCompile(`pqentra( --?\S+( \S+)?)* restore --app-id `+appID).MatchString(p.stdout) {
		t.Errorf("re-run: exit %d, %d writes\n%s", p.code, graphWrites(emu)-w, p.stdout)
	}

	// Restore: configured again, exactly as setup left it.
	p = run("restore", "--app-id", appID)
	if p.code != 0 || !strings.Contains(p.stdout, "Restored") {
		t.Fatalf("restore: exit %d\n%s\n%s", p.code, p.stdout, p.stderr)
	}
	after := emu.Applications()
	for _, a := range append(configured, after...) {
		delete(a, "deletedDateTime")
	}
	if !reflect.DeepEqual(after, configured) {
		t.Errorf("restored app differs from the configured one:\n%v\n%v", after, configured)
	}
	if p := run("setup", "--non-interactive", "--app-id", appID, "--output", "json"); p.code != 0 || !strings.Contains(p.stdout, `"changes": []`) {
		t.Errorf("setup after restore changed something: %s", p.stdout)
	}

	// Export: Terraform that HashiCorp's parser reads, with the real ids.
	dir := t.TempDir()
	tf := filepath.Join(dir, "main.tf")
	if p := run("export", "--app-id", appID, "--format", "terraform", "--out", tf); p.code != 0 {
		t.Fatalf("export terraform: exit %d\n%s", p.code, p.stderr)
	}
	checkExportedHCL(t, emu, appID, tf)
	if p := run("export", "--app-id", appID, "--format", "terraform", "--out", tf); p.code == 0 {
		t.Error("export replaced an existing file without --force")
	}
	p = run("export", "--display-name", "Contoso Connector", "--format", "bicep")
	if p.code != 0 || !strings.Contains(p.stdout, "uniqueName: '"+app["uniqueName"].(string)+"'") ||
		!strings.Contains(p.stdout, "resource servicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0'") {
		t.Errorf("export bicep: exit %d\n%s\n%s", p.code, p.stdout, p.stderr)
	}
	p = run("export", "--app-id", appID, "--format", "az")
	if p.code != 0 || !strings.HasPrefix(p.stdout, "#!/usr/bin/env bash") {
		t.Fatalf("export az: exit %d\n%s", p.code, p.stderr)
	}
	if out, err := exec.Command("bash", "-n", "-c", p.stdout).CombinedOutput(); err != nil {
		t.Errorf("bash -n: %v %s", err, out)
	}
	if strings.Contains(p.stdout, "eyJ") || strings.Contains(strings.ToLower(p.stdout), "bearer") {
		t.Error("the export holds something that looks like a token")
	}

	// Purge: gone for good; restore says it cannot.
	p = run("undo", "--app-id", appID, "--purge", "--yes")
	if p.code != 0 || len(emu.DeletedItems()) != 0 || appNamed(emu, "Contoso Connector") != nil {
		t.Fatalf("purge: exit %d, deleted items %v\n%s", p.code, emu.DeletedItems(), p.stderr)
	}
	if p := run("restore", "--app-id", appID); p.code != 1 || !strings.Contains(p.stderr, "cannot come back") {
		t.Errorf("restore after purge: exit %d\n%s", p.code, p.stderr)
	}
}

// checkExportedHCL parses the file and compares it with the emulator's app.
func checkExportedHCL(t *testing.T, emu *emulator.Server, appID, path string) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("%s: %s", path, diags.Error())
	}
	var app, sp map[string]any
	for _, a := range emu.Applications() {
		if a["appId"] == appID {
			app = a
		}
	}
	for _, s := range emu.ServicePrincipals() {
		if s["appId"] == appID {
			sp = s
		}
	}
	literal := func(b *hclsyntax.Block, name string) string {
		a, ok := b.Body.Attributes[name]
		if !ok {
			return ""
		}
		v, d := a.Expr.Value(nil)
		if d.HasErrors() {
			return "<not a literal>"
		}
		return v.AsString()
	}
	found := map[string]bool{}
	imports := map[string]bool{}
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		switch {
		case b.Type == "import":
			imports[literal(b, "id")] = true
		case b.Type == "resource" && b.Labels[0] == "azuread_application_registration":
			found["app"] = literal(b, "display_name") == app["displayName"] && literal(b, "sign_in_audience") == app["signInAudience"]
		case b.Type == "resource" && b.Labels[0] == "azuread_application_identifier_uri":
			found["uri"] = literal(b, "identifier_uri") == "api://"+appID
		case b.Type == "resource" && b.Labels[0] == "azuread_application_permission_scope":
			s := app["api"].(map[string]any)["oauth2PermissionScopes"].([]any)[0].(map[string]any)
			found["scope"] = literal(b, "scope_id") == s["id"] && literal(b, "value") == s["value"] && literal(b, "type") == s["type"] &&
				literal(b, "admin_consent_display_name") == s["adminConsentDisplayName"] && literal(b, "user_consent_description") == s["userConsentDescription"]
		case b.Type == "resource" && b.Labels[0] == "azuread_application_pre_authorized":
			found["pre:"+literal(b, "authorized_client_id")] = true
		}
	}
	for _, k := range []string{"app", "uri", "scope", "pre:a672d62c-fc7b-4e81-a576-e60dc46e951d", "pre:b52893c8-bc2e-47fc-918b-77022b299bbc"} {
		if !found[k] {
			t.Errorf("%s: %s missing or not matching the directory\n%s", path, k, src)
		}
	}
	for _, id := range []string{"/applications/" + app["id"].(string), "/servicePrincipals/" + sp["id"].(string),
		app["id"].(string) + "/preAuthorizedApplication/a672d62c-fc7b-4e81-a576-e60dc46e951d"} {
		if !imports[id] {
			t.Errorf("no import block with id %s", id)
		}
	}
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

func TestBinaryUndoFaultsConverge(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{})
	at := []string{"--authority-host", emu.URL(), "--graph-endpoint", emu.URL()}
	run := func(args ...string) proc { return runBinary(t, env, append(args, at...)...) }
	if p := run("setup", "--non-interactive", "--display-name", "Flaky Connector"); p.code != 0 {
		t.Fatalf("setup: exit %d\n%s", p.code, p.stderr)
	}
	appID := appNamed(emu, "Flaky Connector")["appId"].(string)
	// The SP delete's answer is lost; the app delete fails on Graph's side.
	emu.DropResponse(emulator.MatchWrite("DELETE", "/servicePrincipals/"), 1)
	emu.FailNext(emulator.MatchWrite("DELETE", "/applications/"), 503, "ServiceUnavailable", "Service unavailable.", 4)
	p := run("undo", "--display-name", "Flaky Connector", "--yes")
	if p.code != 1 || !strings.Contains(p.stderr, "run the same command again") {
		t.Fatalf("faulted undo: exit %d\n%s\n%s", p.code, p.stdout, p.stderr)
	}
	p = run("undo", "--display-name", "Flaky Connector", "--yes", "--output", "json")
	if p.code != 0 || strings.Contains(p.stdout, "/servicePrincipals/") || appNamed(emu, "Flaky Connector") != nil {
		t.Fatalf("re-run: exit %d\n%s\n%s", p.code, p.stdout, p.stderr)
	}
	for _, d := range emu.DeletedItems() {
		if d["appId"] != appID {
			t.Errorf("unexpected deleted item %v", d)
		}
	}
	if len(emu.DeletedItems()) != 2 {
		t.Errorf("deleted items: %v", emu.DeletedItems())
	}
}

func TestBinaryUndoAndExportInDemo(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("the demo waits for its pretend sign-in")
	}
	env := []string{"XDG_CACHE_HOME=" + t.TempDir(), "XDG_STATE_HOME=" + t.TempDir(), "HOME=" + t.TempDir()}
	p := runBinary(t, env, "--demo", "export", "--display-name", "Contoso Legacy API", "--format", "terraform")
	if p.code != 0 {
		t.Fatalf("demo export: exit %d\n%s", p.code, p.stderr)
	}
	if _, diags := hclsyntax.ParseConfig([]byte(p.stdout), "demo.tf", hcl.InitialPos); diags.HasErrors() {
		t.Errorf("demo export does not parse: %s", diags.Error())
	}
	// The legacy app is not pqentra's, so --display-name (pqentra's apps)
	// finds nothing to undo, and says how to name another app.
	p = runBinary(t, env, "--demo", "undo", "--display-name", "Contoso Legacy API", "--yes")
	if p.code != 0 || !strings.Contains(p.stdout, "Nothing to undo") || !strings.Contains(p.stdout, "use --app-id") {
		t.Errorf("demo undo: exit %d\n%s\n%s", p.code, p.stdout, p.stderr)
	}
	// The demo tenant is kept between runs: setup, undo, restore.
	p = runBinary(t, env, "--demo", "setup", "--non-interactive", "--display-name", "Demo Undo", "--output", "json")
	var rep struct {
		AppID string `json:"appId"`
	}
	if err := json.Unmarshal([]byte(p.stdout), &rep); p.code != 0 || err != nil || rep.AppID == "" {
		t.Fatalf("demo setup: exit %d\n%s\n%s", p.code, p.stdout, p.stderr)
	}
	p = runBinary(t, env, "--demo", "undo", "--display-name", "Demo Undo", "--yes", "--output", "json")
	if p.code != 0 || !strings.Contains(p.stdout, `"deleted": true`) {
		t.Fatalf("demo undo: exit %d\n%s\n%s", p.code, p.stdout, p.stderr)
	}
	p = runBinary(t, env, "--demo", "restore", "--app-id", rep.AppID)
	if p.code != 0 || !strings.Contains(p.stdout, "Restored") {
		t.Errorf("demo restore: exit %d\n%s\n%s", p.code, p.stdout, p.stderr)
	}
}
