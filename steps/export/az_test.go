package export

import (
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/steps"
)

// needTool finds a tool the test needs; missing, it skips — or fails under
// CI=true, where .ci/run installs it.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed (CI installs it in .ci/run)", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return p
}

// fakeAz is an `az` that records each call's arguments and answers the two
// reads the script makes: the appId, and "no service principal yet".
const fakeAz = `#!/usr/bin/env bash
{ printf '%s\x1f' "$@"; printf '\x1e'; } >> "$AZ_LOG"
if [ "$1" = rest ] && [ "$3" = GET ]; then echo "$FAKE_APP_ID"; fi
if [ "$1" = ad ] && [ "$2" = sp ] && [ "$3" = show ]; then exit 3; fi
exit 0
`

// runAz runs the script with the fake az first on PATH, HOME in a temp
// directory, and returns the recorded calls.
func runAz(t *testing.T, script string) [][]string {
	t.Helper()
	bash := needTool(t, "bash")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "az"), []byte(fakeAz), 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "export.sh")
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(dir, "calls")
	cmd := exec.Command(bash, path)
	cmd.Env = []string{"PATH=" + dir + ":/usr/bin:/bin", "HOME=" + t.TempDir(), "AZ_LOG=" + log, "FAKE_APP_ID=" + appID}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("script failed: %v\n%s\n%s", err, out, script)
	}
	raw, _ := os.ReadFile(log)
	var calls [][]string
	for _, rec := range strings.Split(strings.TrimSuffix(string(raw), "\x1e"), "\x1e") {
		calls = append(calls, strings.Split(strings.TrimSuffix(rec, "\x1f"), "\x1f"))
	}
	return calls
}

func argAfter(call []string, flag string) string {
	for i, a := range call {
		if a == flag && i+1 < len(call) {
			return call[i+1]
		}
	}
	return ""
}

// checkAz runs the script against the fake az and checks what it would
// send, call by call and value by value, against in.
func checkAz(t *testing.T, in Input, script string) {
	t.Helper()
	calls := runAz(t, script)
	if len(calls) != 5 {
		t.Fatalf("%d az calls, want PATCH, GET, PATCH, sp show, sp create: %q", len(calls), calls)
	}
	wantURL := "https://graph.microsoft.com/v1.0/applications(uniqueName='" + in.App.UniqueName + "')"
	if in.App.UniqueName == "" {
		wantURL = "https://graph.microsoft.com/v1.0/applications(uniqueName='" + SuggestUniqueName(in.App) + "')"
	}
	first := calls[0]
	if first[0] != "rest" || argAfter(first, "--method") != "PATCH" || argAfter(first, "--uri") != urlFor(in) {
		t.Errorf("call 1: %q (want the upsert of %s)", first, wantURL)
	}
	if !strings.Contains(strings.Join(first, " "), "Prefer=create-if-missing") {
		t.Errorf("call 1 lacks Prefer: create-if-missing: %q", first)
	}
	var body1 struct {
		DisplayName    string `json:"displayName"`
		SignInAudience string `json:"signInAudience"`
		UniqueName     string `json:"uniqueName"`
		API            struct {
			Scopes  []steps.Scope `json:"oauth2PermissionScopes"`
			Version *int32        `json:"requestedAccessTokenVersion"`
		} `json:"api"`
	}
	if err := json.Unmarshal([]byte(argAfter(first, "--body")), &body1); err != nil {
		t.Fatalf("call 1 body: %v: %s", err, argAfter(first, "--body"))
	}
	if body1.DisplayName != in.App.DisplayName || body1.SignInAudience != in.App.SignInAudience || !reflect.DeepEqual(body1.API.Scopes, in.App.Scopes) {
		t.Errorf("call 1 body %+v, want the app's name, audience and scopes", body1)
	}
	if calls[1][0] != "rest" || argAfter(calls[1], "--method") != "GET" {
		t.Errorf("call 2: %q", calls[1])
	}
	third := calls[2]
	var body2 struct {
		URIs []string `json:"identifierUris"`
		API  struct {
			Pre []steps.PreAuthorizedApp `json:"preAuthorizedApplications"`
		} `json:"api"`
	}
	if err := json.Unmarshal([]byte(argAfter(third, "--body")), &body2); err != nil {
		t.Fatalf("call 3 body: %v: %s", err, argAfter(third, "--body"))
	}
	if argAfter(third, "--method") != "PATCH" || !reflect.DeepEqual(body2.URIs, in.App.IdentifierURIs) || !reflect.DeepEqual(body2.API.Pre, in.App.PreAuthorized) {
		t.Errorf("call 3: %q\nbody %+v", third, body2)
	}
	if strings.Join(calls[3][:3], " ") != "ad sp show" || strings.Join(calls[4][:3], " ") != "ad sp create" || argAfter(calls[4], "--id") != appID {
		t.Errorf("calls 4-5: %q %q", calls[3], calls[4])
	}
}

func urlFor(in Input) string {
	u := in.App.UniqueName
	if u == "" {
		u = SuggestUniqueName(in.App)
	}
	return "https://graph.microsoft.com/v1.0/applications(uniqueName='" + pathEscapeForTest(u) + "')"
}

func pathEscapeForTest(s string) string {
	return url.PathEscape(strings.ReplaceAll(s, "'", "''"))
}

func lint(t *testing.T, script string) {
	t.Helper()
	bash := needTool(t, "bash")
	if out, err := exec.Command(bash, "-n", "-c", script).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s\n%s", err, out, script)
	}
	sc := needTool(t, "shellcheck")
	cmd := exec.Command(sc, "--shell=bash", "-")
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("shellcheck: %v\n%s\n%s", err, out, script)
	}
}

func TestAzScript(t *testing.T) {
	in := sample()
	script, err := Az(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"#!/usr/bin/env bash\n# Generated by pqentra 1.2.3 on 2026-11-29", "set -euo pipefail", "# Tenant: Contoso (demo)"} {
		if !strings.Contains(script, want) {
			t.Errorf("missing %q", want)
		}
	}
	lint(t, script)
	checkAz(t, in, script)
}

func TestAzScriptWithoutUniqueNameOrSP(t *testing.T) {
	in := sample()
	in.App.UniqueName = ""
	in.App.RequestedAccessTokenVersion = nil
	in.Cloud, in.GraphRoot = "usgov", "https://graph.microsoft.us"
	script, _ := Az(in)
	lint(t, script)
	if !strings.Contains(script, `'https://graph.microsoft.us/v1.0/applications(uniqueName='\''contoso-connector-2dbceeb9'\'')'`) ||
		!strings.Contains(script, `"uniqueName":"contoso-connector-2dbceeb9"`) ||
		!strings.Contains(script, "az cloud set --name AzureUSGovernment") {
		t.Errorf("US Government script:\n%s", script)
	}
}

func TestAzScriptHostileValuesStayInert(t *testing.T) {
	marker := "/tmp/pqentra-pwned"
	_ = os.Remove(marker)
	for _, h := range hostile {
		in := hostileSample(h)
		script, err := Az(in)
		if err != nil {
			t.Fatal(err)
		}
		lint(t, script)
		checkAz(t, in, script)
		if _, err := os.Stat(marker); err == nil {
			t.Fatalf("the script ran a command hidden in %q", h)
		}
	}
}
