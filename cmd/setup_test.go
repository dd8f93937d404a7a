package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/graph/emulator/emulatortest"
)

type setupJSON struct {
	TenantID           string `json:"tenantId"`
	AppID              string `json:"appId"`
	ObjectID           string `json:"objectId"`
	ServicePrincipalID string `json:"servicePrincipalId"`
	DisplayName        string `json:"displayName"`
	SignInAudience     string `json:"signInAudience"`
	IdentifierURI      string `json:"identifierUri"`
	Scope              struct {
		ID        string `json:"id"`
		Value     string `json:"value"`
		Type      string `json:"type"`
		IsEnabled bool   `json:"isEnabled"`
	} `json:"scope"`
	PreAuthorizedApplications []struct {
		AppID                  string   `json:"appId"`
		DisplayName            string   `json:"displayName"`
		DelegatedPermissionIDs []string `json:"delegatedPermissionIds"`
	} `json:"preAuthorizedApplications"`
	Changes []struct {
		Step    string          `json:"step"`
		Method  string          `json:"method"`
		URL     string          `json:"url"`
		Body    json.RawMessage `json:"body"`
		Applied bool            `json:"applied"`
	} `json:"changes"`
	Snippet string `json:"snippet"`
	Error   string `json:"error"`
}

func decodeSetup(t *testing.T, r runResult) setupJSON {
	t.Helper()
	var v setupJSON
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.DisallowUnknownFields()
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s\nstderr:\n%s", err, r.stdout, r.stderr)
	}
	return v
}

func TestSetupJSONThenRerun(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	r := c.run("setup", "--non-interactive", "--display-name", "Contoso Connector", "--output", "json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	v := decodeSetup(t, r)
	if v.TenantID != c.emu.TenantID() || v.AppID == "" || v.ObjectID == "" || v.ServicePrincipalID == "" {
		t.Errorf("ids missing: %+v", v)
	}
	if v.IdentifierURI != "api://"+v.AppID || v.SignInAudience != "AzureADMyOrg" || v.DisplayName != "Contoso Connector" {
		t.Errorf("state: %+v", v)
	}
	if v.Scope.Value != "Data.Read" || v.Scope.Type != "User" || !v.Scope.IsEnabled || v.Scope.ID == "" {
		t.Errorf("scope: %+v", v.Scope)
	}
	if len(v.PreAuthorizedApplications) != 2 {
		t.Fatalf("preauthorized: %+v", v.PreAuthorizedApplications)
	}
	for _, p := range v.PreAuthorizedApplications {
		if len(p.DelegatedPermissionIDs) != 1 || p.DelegatedPermissionIDs[0] != v.Scope.ID || p.DisplayName == "" {
			t.Errorf("preauthorization %+v not for scope %s", p, v.Scope.ID)
		}
	}
	if len(v.Changes) != 3 {
		t.Errorf("%d changes, want 3", len(v.Changes))
	}
	wantSnippet := "Aad = [\n" +
		"    AuthorizationUri = \"https://login.microsoftonline.com/common/oauth2/authorize\",\n" +
		"    Resource = \"api://" + v.AppID + "\",\n" +
		"    Scope = \".default\"\n" +
		"]"
	if v.Snippet != wantSnippet {
		t.Errorf("snippet:\n%s\nwant\n%s", v.Snippet, wantSnippet)
	}
	for _, ch := range v.Changes {
		if !ch.Applied || ch.Method != "PATCH" || !strings.HasPrefix(ch.URL, c.emu.URL()+"/v1.0/") || len(ch.Body) == 0 {
			t.Errorf("change %+v", ch)
		}
	}
	if !strings.Contains(r.stderr, "enter the code") {
		t.Errorf("the device code prompt should be on stderr:\n%s", r.stderr)
	}

	// Second run: same state, nothing to change, no new sign-in.
	r2 := c.run("setup", "--non-interactive", "--display-name", "Contoso Connector", "--output", "json")
	if r2.code != 0 {
		t.Fatalf("rerun exit %d\n%s", r2.code, r2.stderr)
	}
	v2 := decodeSetup(t, r2)
	if len(v2.Changes) != 0 || v2.AppID != v.AppID || v2.Scope.ID != v.Scope.ID || v2.Snippet != wantSnippet {
		t.Errorf("rerun changed things: %+v", v2)
	}
	if strings.Contains(r2.stderr, "enter the code") || c.emu.DeviceCodesIssued() != 1 {
		t.Errorf("rerun asked to sign in again:\n%s", r2.stderr)
	}
	cache := filepath.Join(c.env["XDG_CACHE_HOME"], "pqentra", "msal_token_cache.json")
	if fi, err := os.Stat(cache); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("token cache %s: %v %v", cache, fi, err)
	}
	if n := len(c.emu.Applications()); n != 1 {
		t.Errorf("%d applications, want 1", n)
	}

	// logout removes it; the next run signs in again.
	if r := c.run("logout"); r.code != 0 || !strings.Contains(r.stdout, "Signed out") {
		t.Errorf("logout: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(cache); !os.IsNotExist(err) {
		t.Errorf("cache still there after logout: %v", err)
	}
}

func TestSetupTextShowsSnippet(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	r := c.run("setup", "--non-interactive", "--display-name", "Fabrikam Sales")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"Application (client) ID:", "Directory (tenant) ID:   " + c.emu.TenantID(),
		"Aad = [", `Scope = ".default"`, `AuthorizationUri = "https://login.microsoftonline.com/common/oauth2/authorize",`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestSetupDryRunWritesNothing(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	r := c.run("setup", "--non-interactive", "--display-name", "Dry", "--dry-run", "--output", "json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	v := decodeSetup(t, r)
	if len(v.Changes) != 3 || v.Changes[0].Applied {
		t.Errorf("dry run changes: %+v", v.Changes)
	}
	if v.Snippet != "" {
		t.Errorf("a dry run has no app to make a snippet for, yet: %q", v.Snippet)
	}
	if _, w := c.emu.Counts(); w != 0 || len(c.emu.Applications()) != 0 {
		t.Errorf("dry run wrote %d times", w)
	}
}

func TestBadInputExit2BeforeAnyRequest(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"setup", "--non-interactive"}, "--display-name"},
		{[]string{"setup", "--non-interactive", "--display-name", "   "}, "--display-name \"Your Service\""},
		{[]string{"setup", "--non-interactive", "--display-name", strings.Repeat("x", 300)}, "at most 256"},
		{[]string{"setup", "--non-interactive", "--app-id", "not-a-guid"}, "is not a GUID"},
		{[]string{"setup", "--non-interactive", "--display-name", "X", "--scope", ".default"}, "starts with a dot"},
		{[]string{"setup", "--non-interactive", "--display-name", "X", "--scope", "Data Read"}, "white space"},
		{[]string{"setup", "--non-interactive", "--display-name", "X", "--identifier-uri", "ftp://x"}, "ftp: scheme"},
		{[]string{"setup", "--non-interactive", "--display-name", "X", "--identifier-uri", "api://x?y=1"}, "query or fragment"},
		{[]string{"setup", "--non-interactive", "--display-name", "X", "--preauthorize", "excel,word"}, `unknown client "word"`},
		{[]string{"setup", "--non-interactive", "--display-name", "X", "--preauthorize-client", "123"}, "is not a GUID"},
		{[]string{"setup", "--non-interactive", "--display-name", "X", "--audience", "everyone"}, `--audience "everyone": use single or multi`},
		{[]string{"setup", "--non-interactive", "--display-name", "X", "--scope-consent", "nobody"}, `--scope-consent "nobody": use users or admins`},
		{[]string{"setup", "--non-interactive", "--display-name", "X", "--output", "yaml"}, `--output "yaml": use text or json`},
		{[]string{"setup", "--bogus"}, "unknown flag"},
		{[]string{"setup", "--non-interactive", "--display-name", "X", "--cloud", "mars"}, `--cloud "mars": use public, usgov or china`},
		{[]string{"setup", "--non-interactive", "--display-name", "X", "--tenant", "not a tenant"}, "--tenant"},
		{[]string{"setup", "--non-interactive", "--display-name", "X", "--client-id", "abc"}, "is not a GUID"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			c := newCLI(t, emulator.Options{})
			r := c.run(tc.args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, r.stderr)
			}
			if n := len(c.emu.Log()); n != 0 {
				t.Errorf("%d requests sent for bad input", n)
			}
		})
	}
}

// When the can-I-register check cannot read the tenant setting (nobody
// consented to Policy.Read.All or User.Read), it says so and goes on; the
// 403 from Graph then still ends in the fix.
func TestForbiddenIsExit1WithFix(t *testing.T) {
	c := newCLI(t, emulator.Options{UsersCannotRegisterApps: true, AdminConsentRequired: true})
	c.emu.GrantAdminConsent("14d82eec-204b-4c2f-b7e8-296a70dab67e", "Application.ReadWrite.All")
	r := c.run("setup", "--non-interactive", "--display-name", "Nope")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1", r.code)
	}
	if !strings.Contains(r.stderr, "Could not tell whether you may register applications") {
		t.Errorf("the unknown is not said:\n%s", r.stderr)
	}
	for _, want := range []string{"403", "Application Developer", "Cloud Application Administrator", "Users can register applications"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

// When the check can read it, a user who may not register is stopped before
// any write.
func TestMayNotRegisterStopsBeforeWriting(t *testing.T) {
	c := newCLI(t, emulator.Options{UsersCannotRegisterApps: true})
	r := c.run("setup", "--non-interactive", "--display-name", "Nope")
	if r.code != 1 || !strings.Contains(r.stderr, "Nothing was changed") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if _, writes := c.emu.Counts(); writes != 0 {
		t.Fatalf("%d writes", writes)
	}
	// a dry run shows the plan with the warning
	r = c.run("setup", "--non-interactive", "--display-name", "Nope", "--dry-run")
	if r.code != 0 || !strings.Contains(r.stderr, "warning: adele@contoso.com may not register") {
		t.Fatalf("dry run: exit %d\n%s", r.code, r.stderr)
	}
}

func TestServerStringsAreCleaned(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	c.emu.FailNext(emulator.MatchWrite("PATCH", "/applications"), 400, "Request_BadRequest", "bad \x1b]52;c;ZXZpbA==\x07thing\x1b[2J here", 1)
	r := c.run("setup", "--non-interactive", "--display-name", "Evil")
	if r.code != 1 {
		t.Fatalf("exit %d", r.code)
	}
	if strings.ContainsRune(r.stderr, 0x1b) || strings.ContainsRune(r.stderr, 0x07) {
		t.Errorf("control sequences reached the terminal: %q", r.stderr)
	}
	if !strings.Contains(r.stderr, "bad thing here") {
		t.Errorf("message lost: %q", r.stderr)
	}
}

func TestVersionAndHelp(t *testing.T) {
	c := &cli{t: t, env: map[string]string{}}
	if r := c.run("--version"); r.code != 0 || !strings.HasPrefix(r.stdout, "pqentra version ") {
		t.Errorf("--version: %d %q", r.code, r.stdout)
	}
	r := c.run("--help")
	if r.code != 0 || !strings.Contains(r.stdout, "setup") || !strings.Contains(r.stdout, "--demo") {
		t.Errorf("--help: %d %q", r.code, r.stdout)
	}
	// Global flags work after the subcommand too.
	if r := c.run("setup", "--help", "--no-color"); r.code != 0 || !strings.Contains(r.stdout, "--non-interactive") {
		t.Errorf("setup --help: %d %q %q", r.code, r.stdout, r.stderr)
	}
}

func TestDemoSetupJSON(t *testing.T) {
	demoApproveAfter = 10 * 1e6 // 10 ms: the demo's pretend user is quick in tests
	c := &cli{t: t, env: map[string]string{"XDG_CACHE_HOME": t.TempDir(), "XDG_STATE_HOME": t.TempDir()}}
	r := c.run("--demo", "setup", "--non-interactive", "--display-name", "Contoso Connector", "--output", "json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	v := decodeSetup(t, r)
	if v.AppID == "" || v.IdentifierURI != "api://"+v.AppID || len(v.PreAuthorizedApplications) != 2 {
		t.Errorf("demo result: %+v", v)
	}
	// The demo leaves no token cache behind.
	if entries, _ := os.ReadDir(c.env["XDG_CACHE_HOME"]); len(entries) != 0 {
		t.Errorf("demo wrote to the cache folder: %v", entries)
	}
}

func TestSetupJSONHasNoSnippetAfterAFailure(t *testing.T) {
	c := newCLI(t, emulator.Options{UsersCannotRegisterApps: true})
	r := c.run("setup", "--non-interactive", "--display-name", "Nope", "--output", "json")
	if r.code != 1 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if _, ok := v["snippet"]; ok || v["error"] == nil {
		t.Errorf("failed setup JSON: %s", r.stdout)
	}
}

// A re-run by name updates the app the first run made: the check reads
// that app's owners, so its owner is not warned that pqentra "could not
// tell" whether they may change it (issue 21: a false warning on every
// demo re-run).
func TestRerunByNameNoFalseAccessWarning(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	for i := range 2 {
		r := c.run("setup", "--non-interactive", "--display-name", "Contoso Connector")
		if r.code != 0 {
			t.Fatalf("run %d: exit %d\n%s", i+1, r.code, r.stderr)
		}
		if strings.Contains(r.stderr, "Could not tell") {
			t.Errorf("run %d warns falsely:\n%s", i+1, r.stderr)
		}
	}
}

// A re-run by name reads the app and its owners once for the access check
// (the app finder's read, which its provenance decision already made) and
// once more for the plan: the check does not read the same app again by
// its app id, nor its owners a second time.
func TestRerunByNameReadsTheAppOncePerPhase(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	if r := c.run("setup", "--non-interactive", "--display-name", "Contoso Connector"); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	c.emu.ResetLog()
	if r := c.run("setup", "--non-interactive", "--display-name", "Contoso Connector"); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, l := range c.emu.Log() {
		if l.Method != "GET" {
			t.Errorf("a re-run that changes nothing sent %s %s", l.Method, l.Path)
		}
	}
	owners, byAppID, me := countAppReads(c.emu)
	if owners != 2 || byAppID != 0 || me != 2 {
		t.Errorf("owners read %d times (want 2), the app by app id %d (want 0), /me %d (want 2)", owners, byAppID, me)
		emulatortest.DumpLog(t, c.emu)
	}
}

// setup --app-id asks about an app that is not provably the user's from
// what the access check read: the app and its owners are not read again
// for that question.
func TestSetupByAppIDReadsTheAppOncePerPhase(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	r := c.run("setup", "--non-interactive", "--display-name", "Contoso Connector", "--output", "json")
	var first setupJSON
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &first) != nil {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	c.emu.ResetLog()
	if r := c.run("setup", "--non-interactive", "--app-id", first.AppID); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	owners, byAppID, me := countAppReads(c.emu)
	if owners != 1 || byAppID != 2 || me != 2 {
		t.Errorf("owners read %d times (want 1), the app by app id %d (want 2), /me %d (want 2)", owners, byAppID, me)
		emulatortest.DumpLog(t, c.emu)
	}
}

// countAppReads counts, in the emulator's log, the reads a re-run should
// make once per phase: the app's owners, the app by app id, and /me.
func countAppReads(emu *emulator.Server) (owners, byAppID, me int) {
	for _, l := range emu.Log() {
		switch {
		case strings.HasSuffix(l.Path, "/owners"):
			owners++
		case strings.HasPrefix(l.Path, "/v1.0/applications(appId="):
			byAppID++
		case l.Path == "/v1.0/me":
			me++
		}
	}
	return owners, byAppID, me
}
