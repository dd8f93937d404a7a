package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
)

// Issue 9, "doctor contradicts setup": every Fix line that says "run `…`"
// is a command that, run exactly as printed (through a shell, on a
// terminal that answers the confirmation with y), fixes what it is printed
// for; doctor then no longer reports it. And setup's own snippet draws no
// warning.
func TestBinaryDoctorFixLinesWorkAsPrinted(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs many commands against the emulator")
	}
	if _, err := exec.LookPath("script"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("script(1) (util-linux) is required in CI to give the fix commands a terminal")
		}
		t.Skip("script(1) not installed")
	}
	emu, env := startEmulator(t, emulator.Options{})
	hosts := []string{"--authority-host", emu.URL(), "--graph-endpoint", emu.URL()}
	dir := t.TempDir()
	run := func(args ...string) proc { t.Helper(); return runBinary(t, env, append(args, hosts...)...) }

	// setupApp makes a healthy app through pqentra itself.
	setupApp := func(name string, extra ...string) (appID, record string) {
		t.Helper()
		p := run(append([]string{"setup", "--non-interactive", "--display-name", name}, extra...)...)
		if p.code != 0 {
			t.Fatalf("setup: %d %s", p.code, p.stderr)
		}
		m := regexp.MustCompile(`Application \(client\) ID: (\S+)`).FindStringSubmatch(p.stdout)
		i := strings.Index(p.stdout, "Aad = [")
		if m == nil || i < 0 {
			t.Fatalf("setup output: %s", p.stdout)
		}
		return m[1], strings.TrimSpace(p.stdout[i:])
	}
	connector := func(name, authFields string) string {
		path := filepath.Join(dir, name+" Connector.pq")
		src := "section " + name + ";\n\n[DataSource.Kind=\"" + name + "\", Publish=\"" + name + ".Publish\"]\n" +
			"shared " + name + ".Contents = (url as text) => Web.Contents(url);\n\n" + name + " = [\n    Authentication = [\n        " +
			authFields + "\n    ],\n    Label = \"" + name + "\"\n];\n\n" +
			name + ".Publish = [ Beta = true, Category = \"Other\", ButtonText = { \"" + name + "\", \"" + name + "\" } ];\n"
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	seed := func(app map[string]any, sp bool) string {
		t.Helper()
		_, appID, err := emu.SeedApplication(app)
		if err != nil {
			t.Fatal(err)
		}
		if sp {
			if _, err := emu.SeedServicePrincipal(appID, ""); err != nil {
				t.Fatal(err)
			}
		}
		return appID
	}

	legacy := seed(map[string]any{"displayName": "Legacy API", "signInAudience": "AzureADMyOrg",
		"identifierUris": []any{"api://" + emu.TenantID() + "/legacy"},
		"api": map[string]any{"oauth2PermissionScopes": []any{map[string]any{
			"id": "5d8c6c1e-2f4b-4d0a-9a51-6f2e8b7c3a10", "value": "Legacy.Read", "type": "Admin", "isEnabled": true,
			"adminConsentDisplayName": "Read legacy data", "adminConsentDescription": "Read legacy data."}}}}, false)
	bare := seed(map[string]any{"displayName": "Bare API", "signInAudience": "AzureADMultipleOrgs"}, true)
	multi, _ := setupApp("Multi API", "--audience", "multi")
	single, singleRecord := setupApp("Single API")
	// Preauthorized for a scope that was disabled afterwards (Graph takes
	// a preauthorization only for a scope already stored).
	disabled, _ := setupApp("Disabled API", "--audience", "multi")
	disableScopes(t, emu, disabled)
	consent, _ := setupApp("Consent API", "--audience", "multi")
	disablePreauth(t, emu, consent)

	cases := []struct {
		name   string
		args   []string // the doctor command (without hosts)
		want   []string // finding ids the first run must report, each with a command
		before func()
	}{
		{"preauthorized for a disabled scope", []string{"doctor", "--app-id", disabled},
			[]string{"preauth-disabled-scope"}, nil},
		{"tenant blocks user consent, clients not preauthorized", []string{"doctor", "--app-id", consent},
			[]string{"user-consent-blocked", "preauth-missing-excel", "preauth-missing-refresh"}, func() { emu.SetUserConsentAllowed(false) }},
		{"admin-only scope, no clients, no service principal", []string{"doctor", "--display-name", "Legacy API"},
			[]string{"no-service-principal", "preauth-missing-excel", "preauth-missing-refresh", "admin-only-scope"}, nil},
		{"no URI, no scope", []string{"doctor", "--app-id", bare},
			[]string{"no-identifier-uri", "no-enabled-scope", "preauth-missing-excel", "preauth-missing-refresh"}, nil},
		{"connector: v2 endpoint, wrong resource, no scope", []string{"doctor", "--app-id", multi, "--connector", connector("Broken",
			`Aad = [ AuthorizationUri = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize", Resource = "api://elsewhere" ]`)},
			[]string{"connector-authorization-uri", "connector-resource-mismatch", "connector-scope-missing"}, nil},
		{"connector names a scope the app lacks", []string{"doctor", "--connector", connector("Writer",
			`Aad = [ AuthorizationUri = "https://login.microsoftonline.com/common/oauth2/authorize", Resource = "api://`+multi+`", Scope = "Data.Write" ]`)},
			[]string{"connector-scope-unknown"}, nil},
		{"connector without Aad", []string{"doctor", "--app-id", multi, "--connector", connector("Anon", `Anonymous = []`)},
			[]string{"connector-no-aad"}, nil},
		{"multitenant app pinned to one tenant", []string{"doctor", "--app-id", multi, "--connector", connector("Pinned",
			`Aad = [ AuthorizationUri = "https://login.microsoftonline.com/contoso.com/oauth2/authorize", Resource = "api://`+multi+`", Scope = ".default" ]`)},
			[]string{"authorization-uri-tenant-mismatch"}, nil},
		{"setup's own snippet in a single-tenant app's connector", []string{"doctor", "--app-id", single, "--connector", connector("Single", singleRecord)},
			[]string{"authorization-uri-guests"}, nil},
		{"app not found by name", []string{"doctor", "--display-name", "Not Yet Registered"},
			[]string{"app-not-found"}, nil},
		{"connector with Scope = null", []string{"doctor", "--app-id", multi, "--connector", connector("Nulled",
			`Aad = [ AuthorizationUri = "https://login.microsoftonline.com/common/oauth2/authorize", Resource = "api://`+multi+`", Scope = null ]`)},
			[]string{"connector-scope-null"}, nil},
	}
	fixRE := regexp.MustCompile("run `(pqentra [^`]+)`")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.before != nil {
				c.before()
				defer emu.SetUserConsentAllowed(true)
			}
			p := run(append(c.args, "--output", "json")...)
			var before struct {
				Findings []struct{ ID, Severity, Fix string }
			}
			if err := json.Unmarshal([]byte(p.stdout), &before); err != nil {
				t.Fatalf("doctor: %d %v\n%s%s", p.code, err, p.stdout, p.stderr)
			}
			var cmds []string
			for _, id := range c.want {
				i := slices.IndexFunc(before.Findings, func(f struct{ ID, Severity, Fix string }) bool { return f.ID == id })
				if i < 0 {
					t.Fatalf("doctor did not report %s: %s", id, p.stdout)
				}
				m := fixRE.FindStringSubmatch(before.Findings[i].Fix)
				if m == nil {
					t.Fatalf("%s: Fix is no command: %q", id, before.Findings[i].Fix)
				}
				if !slices.Contains(cmds, m[1]) {
					cmds = append(cmds, m[1])
				}
			}
			if c.name == "setup's own snippet in a single-tenant app's connector" {
				for _, f := range before.Findings {
					if f.Severity != "info" {
						t.Errorf("setup's snippet draws %s %s from doctor", f.Severity, f.ID)
					}
				}
			}
			for _, line := range cmds {
				// As printed: the shell parses the quoting; only the program
				// name is this test's build of pqentra.
				shell := exec.Command("script", "-qec", strings.Replace(line, "pqentra", binary, 1), "/dev/null")
				shell.Env = append([]string{"PATH=" + os.Getenv("PATH"), "TERM=dumb", "SHELL=/bin/sh"}, env...)
				shell.Stdin = strings.NewReader("y\n")
				out, err := shell.CombinedOutput()
				if err != nil {
					t.Fatalf("%s\nfailed: %v\n%s", line, err, out)
				}
			}
			p = run(append(c.args, "--output", "json")...)
			var after struct {
				Findings []struct{ ID, Severity, Fix string }
			}
			if err := json.Unmarshal([]byte(p.stdout), &after); err != nil {
				t.Fatalf("doctor after the fix: %d %v\n%s%s", p.code, err, p.stdout, p.stderr)
			}
			for _, id := range c.want {
				for _, f := range after.Findings {
					// user-consent-blocked stays as a warning that says the
					// Power Query clients are not affected; the error is gone.
					if f.ID == id && (f.Severity == "error" || f.Severity == "info" || strings.Contains(f.Fix, "run `")) {
						t.Errorf("%s (%s) still reported after running %q:\n%s", id, f.Severity, cmds, p.stdout)
					}
				}
			}
		})
	}
	// The admin-only scope was changed where it was ("Admins and users"),
	// not joined by a second scope.
	for _, a := range emu.Applications() {
		if a["appId"] != legacy {
			continue
		}
		scopes := a["api"].(map[string]any)["oauth2PermissionScopes"].([]any)
		if len(scopes) != 1 {
			t.Fatalf("legacy app has %d scopes after the fix: %v", len(scopes), scopes)
		}
		if sc := scopes[0].(map[string]any); sc["value"] != "Legacy.Read" || sc["type"] != "User" || sc["isEnabled"] != true {
			t.Errorf("legacy scope after the fix: %v", sc)
		}
	}
}

// In the demo the Fix line keeps --demo and names the demo's legacy app by
// an app id that is the same in every demo run, so the printed command
// finds the app it was printed for and fixes it.
func TestBinaryDemoDoctorFixLine(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("the demo waits for its pretend sign-in")
	}
	if _, err := exec.LookPath("script"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("script(1) (util-linux) is required in CI to give the fix commands a terminal")
		}
		t.Skip("script(1) not installed")
	}
	env := []string{"XDG_CACHE_HOME=" + t.TempDir(), "XDG_STATE_HOME=" + t.TempDir(), "HOME=" + t.TempDir()}
	p := runBinary(t, env, "--demo", "doctor", "--display-name", "Contoso Legacy API")
	m := regexp.MustCompile("run `(pqentra [^`]+)`").FindStringSubmatch(p.stdout)
	if p.code != 1 || m == nil {
		t.Fatalf("demo doctor: exit %d\n%s%s", p.code, p.stdout, p.stderr)
	}
	if !strings.HasPrefix(m[1], "pqentra --demo doctor --app-id ") || !strings.HasSuffix(m[1], " --fix") {
		t.Fatalf("fix line %q", m[1])
	}
	shell := exec.Command("script", "-qec", strings.Replace(m[1], "pqentra", binary, 1), "/dev/null")
	shell.Env = append([]string{"PATH=" + os.Getenv("PATH"), "TERM=dumb", "SHELL=/bin/sh"}, env...)
	shell.Stdin = strings.NewReader("y\n")
	out, err := shell.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Healthy") {
		t.Fatalf("%s: %v\n%s", m[1], err, out)
	}
}

// graphAs is another tool (or the portal) changing the app outside
// pqentra: plain Graph requests with a token of its own (the Azure CLI's
// client, signed in by device code), so that e2e does not link the graph
// package and msgraph-sdk-go — this test binary is built on every go test
// run, -short included.
func graphAs(t *testing.T, emu *emulator.Server) func(method, path string, body any) map[string]any {
	t.Helper()
	c := emu.Client()
	form := func(path string, v url.Values) map[string]any {
		res, err := c.PostForm(emu.URL()+"/organizations/oauth2/v2.0/"+path, v)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(res.Body).Decode(&out)
		return out
	}
	scope := "https://graph.microsoft.com/Application.ReadWrite.All"
	dc := form("devicecode", url.Values{"client_id": {pqentraClient}, "scope": {scope}})
	if err := emu.Approve(fmt.Sprint(dc["user_code"])); err != nil {
		t.Fatal(err)
	}
	tok := form("token", url.Values{"grant_type": {"device_code"}, "client_id": {pqentraClient}, "device_code": {fmt.Sprint(dc["device_code"])}})
	bearer, _ := tok["access_token"].(string)
	if bearer == "" {
		t.Fatalf("no token: %v", tok)
	}
	return func(method, path string, body any) map[string]any {
		t.Helper()
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, emu.URL()+"/v1.0"+path, rd)
		req.Header.Set("Authorization", "Bearer "+bearer)
		req.Header.Set("Content-Type", "application/json")
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(res.Body).Decode(&out)
		if res.StatusCode >= 300 {
			t.Fatalf("%s %s: %s %v", method, path, res.Status, out)
		}
		return out
	}
}

// pqentraClient is the public client pqentra signs in with by default
// (Microsoft Graph Command Line Tools), consented in the emulator's tenant.
const pqentraClient = "14d82eec-204b-4c2f-b7e8-296a70dab67e"

// appAPI reads the app's object id and api section, by appId.
func appAPI(t *testing.T, graph func(string, string, any) map[string]any, appID string) (string, map[string]any) {
	t.Helper()
	list := graph("GET", "/applications?$filter="+url.QueryEscape("appId eq '"+appID+"'"), nil)
	apps, _ := list["value"].([]any)
	if len(apps) != 1 {
		t.Fatalf("%d apps with appId %s", len(apps), appID)
	}
	app := apps[0].(map[string]any)
	api, _ := app["api"].(map[string]any)
	return app["id"].(string), api
}

// disableScopes disables every scope of the app, keeping the clients
// preauthorized for them.
func disableScopes(t *testing.T, emu *emulator.Server, appID string) {
	t.Helper()
	graph := graphAs(t, emu)
	id, api := appAPI(t, graph, appID)
	scopes, _ := api["oauth2PermissionScopes"].([]any)
	for _, s := range scopes {
		s.(map[string]any)["isEnabled"] = false
	}
	graph("PATCH", "/applications/"+id, map[string]any{"api": map[string]any{"oauth2PermissionScopes": scopes}})
}

// disablePreauth removes every preauthorized client.
func disablePreauth(t *testing.T, emu *emulator.Server, appID string) {
	t.Helper()
	graph := graphAs(t, emu)
	id, _ := appAPI(t, graph, appID)
	graph("PATCH", "/applications/"+id, map[string]any{"api": map[string]any{"preAuthorizedApplications": []any{}}})
}
