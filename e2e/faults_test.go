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
// the directory holds, and nothing hostile reaches the terminal. Most fault
// scenarios are scripts (testdata/script/setup-*.txtar); these two need Go:
// a certificate switched in the middle of a run, and names with hidden
// characters checked rune by rune.

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
