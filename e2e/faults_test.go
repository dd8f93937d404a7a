package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// Issue 10, through the built binary: faults converge, the report is what
// the directory holds, and nothing hostile reaches the terminal.

// setupReport is the JSON contract of `setup --output json` (README).
type setupReport struct {
	TenantID           string `json:"tenantId"`
	AppID              string `json:"appId"`
	ObjectID           string `json:"objectId"`
	ServicePrincipalID string `json:"servicePrincipalId"`
	DisplayName        string `json:"displayName"`
	IdentifierURI      string `json:"identifierUri"`
	Scope              struct {
		ID    string `json:"id"`
		Value string `json:"value"`
	} `json:"scope"`
	PreAuthorizedApplications []struct {
		AppID string `json:"appId"`
	} `json:"preAuthorizedApplications"`
	Changes []struct {
		Applied bool `json:"applied"`
	} `json:"changes"`
	Snippet string   `json:"snippet"`
	Unknown []string `json:"unknown"`
	Error   *string  `json:"error"`
}

func decodeReport(t *testing.T, p proc) setupReport {
	t.Helper()
	var r setupReport
	dec := json.NewDecoder(strings.NewReader(p.stdout))
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("stdout is not a JSON object: %v\n%s\nstderr:\n%s", err, p.stdout, p.stderr)
	}
	if dec.More() {
		t.Fatalf("stdout holds more than one JSON value:\n%s", p.stdout)
	}
	return r
}

func emuArgs(emu *emulator.Server, args ...string) []string {
	return append(args, "--authority-host", emu.URL(), "--graph-endpoint", emu.URL())
}

// assertReportMatchesDirectory checks the report against the emulator's
// stored app: what it says exists, exists; what it leaves out, is absent.
func assertReportMatchesDirectory(t *testing.T, emu *emulator.Server, r setupReport) {
	t.Helper()
	apps := emu.Applications()
	if len(apps) != 1 {
		t.Fatalf("%d applications in the directory, want 1", len(apps))
	}
	app := apps[0]
	if r.AppID != app["appId"] {
		t.Errorf("report appId %q, directory %q", r.AppID, app["appId"])
	}
	uris, _ := app["identifierUris"].([]any)
	has := false
	for _, u := range uris {
		has = has || u == r.IdentifierURI
	}
	if r.IdentifierURI != "" && !has {
		t.Errorf("report names the Application ID URI %q, the app has %v", r.IdentifierURI, uris)
	}
	if r.IdentifierURI == "" && len(uris) > 0 && r.Error == nil {
		t.Errorf("report leaves out the URIs %v", uris)
	}
	api, _ := app["api"].(map[string]any)
	pre, _ := api["preAuthorizedApplications"].([]any)
	if len(pre) != len(r.PreAuthorizedApplications) {
		t.Errorf("report lists %d preauthorized clients, the app has %d", len(r.PreAuthorizedApplications), len(pre))
	}
	sps := 0
	for _, sp := range emu.ServicePrincipals() {
		if sp["appId"] == app["appId"] {
			sps++
			if r.ServicePrincipalID != sp["id"] {
				t.Errorf("report SP %q, directory %q", r.ServicePrincipalID, sp["id"])
			}
		}
	}
	if sps == 0 && r.ServicePrincipalID != "" {
		t.Errorf("report names SP %q that does not exist", r.ServicePrincipalID)
	}
	if (r.Snippet != "") != (r.IdentifierURI != "") {
		t.Errorf("snippet %q for identifierUri %q", r.Snippet, r.IdentifierURI)
	}
}

// F3: lag 4 s, the answer to the first write is lost. It exits 0, with one
// app, and a re-run has nothing to do.
func TestBinaryLostCreateDuringLagConverges(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{ReplicationLag: 4 * time.Second})
	emu.DropResponse(func(r *http.Request) bool { return r.Method != http.MethodGet }, 1)
	args := emuArgs(emu, "setup", "--non-interactive", "--display-name", "Lost In Lag", "--output", "json")
	p := runBinary(t, env, args...)
	if p.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", p.code, p.stdout, p.stderr)
	}
	r := decodeReport(t, p)
	if r.Error != nil || r.IdentifierURI == "" || r.Snippet == "" {
		t.Fatalf("report: %+v", r)
	}
	assertReportMatchesDirectory(t, emu, r)
	if _, _, dropped := emu.Injected(); dropped != 1 {
		t.Fatalf("%d answers dropped: the test proves nothing", dropped)
	}
	p = runBinary(t, env, args...)
	if r := decodeReport(t, p); p.code != 0 || len(r.Changes) != 0 {
		t.Fatalf("re-run: exit %d, %d changes\n%s", p.code, len(r.Changes), p.stderr)
	}
}

// F4: the server's certificate stops being trusted after the first write.
// The run stops at once with the TLS hint; once the certificate is trusted
// a re-run converges.
func TestBinaryTLSFailureIsPermanent(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{ReplicationLag: 3 * time.Second})
	newPEM := make(chan []byte, 1)
	patches := 0
	// The matcher sees every Graph request (under the emulator's lock):
	// the second write — the first after the app was created — switches the
	// certificate and loses its connection.
	emu.DropResponse(func(r *http.Request) bool {
		if r.Method == http.MethodPatch {
			if patches++; patches == 2 {
				pem, err := emu.SwitchCertificate()
				if err != nil {
					t.Error(err)
				}
				newPEM <- pem
			}
		}
		return false
	}, 1)
	start := time.Now()
	p := runBinary(t, env, emuArgs(emu, "setup", "--non-interactive", "--display-name", "TLS Connector", "--output", "json")...)
	took := time.Since(start)
	if p.code != 1 || !strings.Contains(p.stderr, "not trusted") || !strings.Contains(p.stderr, "SSL_CERT_FILE") {
		t.Fatalf("exit %d\n%s", p.code, p.stderr)
	}
	if n := strings.Count(p.stderr, "Waiting for Entra"); n > 1 || took > 10*time.Second {
		t.Errorf("a TLS failure was waited out: %d waits, %s\n%s", n, took, p.stderr)
	}
	r := decodeReport(t, p)
	if r.Error == nil || r.Snippet != "" || len(r.Unknown) == 0 {
		t.Errorf("report after a TLS failure: %+v", r)
	}
	// The user trusts the new certificate and runs again.
	ca := filepath.Join(t.TempDir(), "new-ca.pem")
	if err := os.WriteFile(ca, <-newPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	env = append(env, "SSL_CERT_FILE="+ca)
	p = runBinary(t, env, emuArgs(emu, "setup", "--non-interactive", "--display-name", "TLS Connector", "--output", "json")...)
	if p.code != 0 {
		t.Fatalf("re-run: exit %d\n%s", p.code, p.stderr)
	}
	assertReportMatchesDirectory(t, emu, decodeReport(t, p))
}

// F4: Graph stalls. The user hears it is waiting, the run ends with a hint
// (not "context deadline exceeded"), and a re-run converges.
func TestBinaryStalledGraph(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{})
	emu.DelayNext(emulator.MatchWrite("", "/applications"), time.Hour, 1)
	env = append(env, "PQENTRA_REQUEST_TIMEOUT=2s")
	args := emuArgs(emu, "setup", "--non-interactive", "--display-name", "Stalled Connector")
	start := time.Now()
	p := runBinary(t, env, args...)
	if p.code != 1 || time.Since(start) > 15*time.Second {
		t.Fatalf("exit %d after %s\n%s", p.code, time.Since(start), p.stderr)
	}
	for _, want := range []string{"Graph has not answered for 1 s; still waiting", "did not answer within 2 s", "PQENTRA_REQUEST_TIMEOUT"} {
		if !strings.Contains(p.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, p.stderr)
		}
	}
	if strings.Contains(p.stderr+p.stdout, "context deadline exceeded") {
		t.Errorf("raw Go error shown:\n%s", p.stderr)
	}
	if strings.Contains(p.stdout, "Paste this") {
		t.Errorf("a snippet for an app that does not exist:\n%s", p.stdout)
	}
	p = runBinary(t, env, append(args, "--output", "json")...)
	if p.code != 0 {
		t.Fatalf("re-run: exit %d\n%s", p.code, p.stderr)
	}
	assertReportMatchesDirectory(t, emu, decodeReport(t, p))
}

// F5 and F9: a 403 on service principal creation. The report shows the app
// as it is (no URI, nothing preauthorized, no SP), prints no snippet, and
// the hint is about the service principal, for a single-tenant app.
func TestBinaryForbiddenServicePrincipalReportsWhatExists(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{UsersCannotCreateServicePrincipals: true})
	p := runBinary(t, env, emuArgs(emu, "setup", "--non-interactive", "--display-name", "No SP Connector")...)
	if p.code != 1 {
		t.Fatalf("exit %d\n%s", p.code, p.stderr)
	}
	if strings.Contains(p.stdout, "Paste this") || strings.Contains(p.stdout, "Resource =") {
		t.Errorf("snippet printed for an app without its URI:\n%s", p.stdout)
	}
	for _, want := range []string{"Preauthorized:           (none)", "Application ID URI:      (none)", "Service principal:       (none)"} {
		if !strings.Contains(p.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, p.stdout)
		}
	}
	if strings.Contains(p.stderr, "register applications") || strings.Contains(p.stderr, "multitenant") {
		t.Errorf("wrong hint for a single-tenant app's SP:\n%s", p.stderr)
	}
	p = runBinary(t, env, emuArgs(emu, "setup", "--non-interactive", "--display-name", "No SP Connector", "--output", "json")...)
	r := decodeReport(t, p)
	if p.code != 1 || r.Error == nil || r.IdentifierURI != "" || len(r.PreAuthorizedApplications) != 0 || r.Snippet != "" {
		t.Errorf("json: exit %d %+v", p.code, r)
	}
	assertReportMatchesDirectory(t, emu, r)
}

// F5: a 400 on the Application ID URI after the app and SP were made. The
// report says what exists; a re-run converges and then prints the snippet.
func TestBinaryRejectedURIReportsWhatExistsThenConverges(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{})
	emu.FailNext(emulator.MatchWrite("PATCH", "/applications/"), 400, "Request_BadRequest",
		"Values of identifierUris property must use a verified domain of the organization or its subdomain.", 1)
	args := emuArgs(emu, "setup", "--non-interactive", "--display-name", "URI Connector", "--output", "json")
	p := runBinary(t, env, args...)
	r := decodeReport(t, p)
	if p.code != 1 || r.Error == nil || r.IdentifierURI != "" || len(r.PreAuthorizedApplications) != 0 || r.Snippet != "" || r.ServicePrincipalID == "" {
		t.Fatalf("exit %d %+v\n%s", p.code, r, p.stderr)
	}
	assertReportMatchesDirectory(t, emu, r)
	p = runBinary(t, env, args...)
	r = decodeReport(t, p)
	if p.code != 0 || r.Error != nil || r.Snippet == "" || len(r.PreAuthorizedApplications) != 2 {
		t.Fatalf("re-run: exit %d %+v\n%s", p.code, r, p.stderr)
	}
	assertReportMatchesDirectory(t, emu, r)
}

// F5: under --output json a failure before planning still prints one JSON
// object with "error".
func TestBinaryJSONErrorBeforePlanning(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{})
	for name, args := range map[string][]string{
		"unknown tenant": emuArgs(emu, "--tenant", "nosuchtenant.example", "setup", "--non-interactive", "--display-name", "X", "--output", "json"),
		"bad tenant":     emuArgs(emu, "--tenant", "not a tenant", "setup", "--non-interactive", "--display-name", "X", "--output", "json"),
		"bad scope":      emuArgs(emu, "setup", "--non-interactive", "--display-name", "X", "--scope", "", "--output", "json"),
	} {
		p := runBinary(t, env, args...)
		if p.code == 0 {
			t.Errorf("%s: exit 0", name)
			continue
		}
		r := decodeReport(t, p)
		if r.Error == nil || *r.Error == "" {
			t.Errorf("%s: no error in %s", name, p.stdout)
		}
	}
}

// F7: a display name from Graph with C1 controls and a bidi override. The
// dry run and the JSON carry them only as \uXXXX escapes; the consent
// texts get the cleaned name.
func TestBinaryHostileNamesAreInert(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{})
	evil := "Evil\u009b31m\u202eName\u2028x\ufeff"
	_, appID, err := emu.SeedApplication(map[string]any{"displayName": evil})
	if err != nil {
		t.Fatal(err)
	}
	for _, extra := range [][]string{{"--dry-run"}, {"--dry-run", "--output", "json"}, {"--output", "json"}} {
		p := runBinary(t, env, emuArgs(emu, append([]string{"setup", "--non-interactive", "--app-id", appID}, extra...)...)...)
		if p.code != 0 {
			t.Fatalf("%v: exit %d\n%s", extra, p.code, p.stderr)
		}
		for i := 0; i < len(p.stdout); {
			r, size := utf8.DecodeRuneInString(p.stdout[i:])
			if steps.IsHidden(r) && r != '\n' && r != '\t' {
				t.Errorf("%v: raw %U in stdout:\n%q", extra, r, p.stdout)
				break
			}
			i += size
		}
		if strings.Contains(strings.Join(extra, " "), "json") {
			var v map[string]any
			if err := json.Unmarshal([]byte(p.stdout), &v); err != nil {
				t.Fatalf("%v: %v", extra, err)
			}
			if !strings.Contains(p.stdout, `\u202e`) && !strings.Contains(p.stdout, `\u009b`) && v["displayName"] != evil {
				// the dry run reports the app's name: it must survive, escaped
				t.Errorf("%v: the name did not survive as escapes:\n%s", extra, p.stdout)
			}
		}
	}
	// The new scope's consent texts carry the cleaned name.
	api := emu.Applications()[0]["api"].(map[string]any)
	for _, sc := range api["oauth2PermissionScopes"].([]any) {
		for _, k := range []string{"adminConsentDisplayName", "adminConsentDescription", "userConsentDisplayName", "userConsentDescription"} {
			if s := sc.(map[string]any)[k].(string); steps.HasHidden(s) || !strings.Contains(s, "EvilName") {
				t.Errorf("%s = %q", k, s)
			}
		}
	}
}

// F8: a cache path that is a folder fails before any device code is shown,
// naming the path and the fix.
func TestBinaryCacheFolderFailsBeforeSignIn(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{})
	cacheHome := t.TempDir()
	path := filepath.Join(cacheHome, "pqentra", "msal_token_cache.json")
	if err := os.MkdirAll(path, 0o700); err != nil {
		t.Fatal(err)
	}
	env = append(env, "XDG_CACHE_HOME="+cacheHome)
	p := runBinary(t, env, emuArgs(emu, "setup", "--non-interactive", "--display-name", "X")...)
	if p.code != 1 || !strings.Contains(p.stderr, path) || !strings.Contains(p.stderr, "is a folder") {
		t.Fatalf("exit %d\n%s", p.code, p.stderr)
	}
	if strings.Contains(p.stderr, "enter the code") || emu.DeviceCodesIssued() != 0 {
		t.Errorf("a device code was shown before the cache error:\n%s", p.stderr)
	}
}

// F8: an existing cache others can read is tightened on use; a cache folder
// that cannot be written warns once and the run still works.
func TestBinaryCacheModes(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{})
	cacheHome := t.TempDir()
	dir := filepath.Join(cacheHome, "pqentra")
	path := filepath.Join(dir, "msal_token_cache.json")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(dir, 0o777)
	_ = os.Chmod(path, 0o666)
	p := runBinary(t, append(env, "XDG_CACHE_HOME="+cacheHome), emuArgs(emu, "setup", "--non-interactive", "--display-name", "Modes")...)
	if p.code != 0 {
		t.Fatalf("exit %d\n%s", p.code, p.stderr)
	}
	for f, want := range map[string]os.FileMode{dir: 0o700, path: 0o600} {
		if fi, err := os.Stat(f); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: %v %v, want %o", f, fi.Mode().Perm(), err, want)
		}
	}

	notAFolder := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notAFolder, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	p = runBinary(t, append(env, "XDG_CACHE_HOME="+notAFolder), emuArgs(emu, "setup", "--non-interactive", "--display-name", "Modes")...)
	if p.code != 0 || strings.Count(p.stderr, "cannot save the sign-in") != 1 {
		t.Fatalf("exit %d, want one warning:\n%s", p.code, p.stderr)
	}
}
