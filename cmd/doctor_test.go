package cmd

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/doctor"
)

func TestDoctorHealthyApp(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	appID := c.seed(appSeed{name: "Contoso", preauth: pq(dScope)})
	v, r := c.doctorJSON("--app-id", appID)
	if r.code != 0 || !v.Healthy || v.AppID != appID || len(v.errors()) != 0 {
		t.Fatalf("exit %d %+v\n%s", r.code, v, r.stderr)
	}
	for _, id := range []string{"owners", "sign-in-audience", "token-version"} {
		if f := v.find(id); f == nil || f.Severity != doctor.SeverityInfo {
			t.Errorf("no info %s: %+v", id, v.Findings)
		}
	}
	if f := v.find("owners"); f == nil || !strings.Contains(f.Message, "adele@contoso.com") {
		t.Errorf("owners not read: %+v", f)
	}
	// The JSON keys are exactly the documented ones.
	var raw map[string]any
	r = c.run("doctor", "--app-id", appID, "-o", "json")
	if err := jsonUnmarshal(r.stdout, &raw); err != nil {
		t.Fatal(err)
	}
	if keys := sortedMapKeys(raw); !reflect.DeepEqual(keys, []string{"appId", "findings", "healthy"}) {
		t.Errorf("top-level keys %v", keys)
	}
	f0 := raw["findings"].([]any)[0].(map[string]any)
	if keys := sortedMapKeys(f0); !reflect.DeepEqual(keys, []string{"error", "fix", "id", "message", "severity"}) {
		t.Errorf("finding keys %v", keys)
	}
	r = c.run("doctor", "--app-id", appID)
	if r.code != 0 || !strings.Contains(r.stdout, "Healthy") || !strings.Contains(r.stdout, "Info") {
		t.Errorf("text: exit %d\n%s", r.code, r.stdout)
	}
}

// Each broken state from the issue, built in the emulator and diagnosed
// through the real clients.
func TestDoctorBrokenApps(t *testing.T) {
	cases := []struct {
		name    string
		seed    appSeed
		consent bool
		id      string
		sev     doctor.Severity
		code    string
	}{
		{"excel not preauthorized", appSeed{preauth: map[string][]string{steps.ClientRefresh.AppID: {dScope}}}, true, "preauth-missing-excel", "error", "AADSTS650057"},
		{"refresh not preauthorized", appSeed{preauth: map[string][]string{steps.ClientExcel.AppID: {dScope}}}, true, "preauth-missing-refresh", "error", "AADSTS650057"},
		{"preauthorized for a disabled scope", appSeed{
			scopes:  []steps.Scope{scope(dScope, "Data.Read", "User"), scope(dAdmin, "Data.Write", "User")},
			preauth: pq(dScope), disable: []string{dScope}}, true, "preauth-disabled-scope", "error", "AADSTS650057"},
		{"no enabled scope", appSeed{preauth: pq(dScope), disable: []string{dScope}}, true, "no-enabled-scope", "error", "AADSTS650053"},
		{"admin-only scope", appSeed{scopes: []steps.Scope{scope(dScope, "Data.Read", "Admin")}, preauth: pq(dScope)}, true, "admin-only-scope", "error", "Need admin approval"},
		{"consent blocked", appSeed{}, false, "user-consent-blocked", "error", "Need admin approval"},
		{"consent blocked but preauthorized", appSeed{preauth: pq(dScope)}, false, "user-consent-blocked", "warning", "Need admin approval"},
		{"no service principal", appSeed{preauth: pq(dScope), noSP: true}, true, "no-service-principal", "error", "AADSTS500011"},
		{"no identifier uri", appSeed{preauth: pq(dScope), noURI: true}, true, "no-identifier-uri", "error", "AADSTS500011"},
		{"other clients named", appSeed{preauth: map[string][]string{steps.ClientExcel.AppID: {dScope}, steps.ClientRefresh.AppID: {dScope},
			steps.ClientPowerApps.AppID: {dScope}}}, true, "other-preauthorized-clients", "info", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t, emulator.Options{})
			c.emu.SetUserConsentAllowed(tc.consent)
			tc.seed.name = "Contoso"
			appID := c.seed(tc.seed)
			_, writes := c.emu.Counts()
			v, r := c.doctorJSON("--app-id", appID)
			f := v.find(tc.id)
			if f == nil {
				t.Fatalf("no %s in %+v\n%s", tc.id, v.Findings, r.stderr)
			}
			if string(f.Severity) != string(tc.sev) || f.Error != tc.code || f.Message == "" {
				t.Errorf("got %+v", *f)
			}
			wantCode := 0
			if tc.sev == doctor.SeverityError {
				wantCode = 1
			}
			if r.code != wantCode || v.Healthy != (wantCode == 0) {
				t.Errorf("exit %d healthy %v, want exit %d", r.code, v.Healthy, wantCode)
			}
			if _, w := c.emu.Counts(); w != writes {
				t.Errorf("doctor without --fix wrote %d time(s)", w-writes)
			}
			if tc.id == "other-preauthorized-clients" && !strings.Contains(f.Message, "Power Apps") {
				t.Errorf("client name not looked up: %s", f.Message)
			}
		})
	}
}

// Connector files with each Aad mistake, against a healthy app.
func TestDoctorConnectorMistakes(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	appID := c.seed(appSeed{name: "Contoso", preauth: pq(dScope)})
	auth := `AuthorizationUri = "` + dCommon + `"`
	res := `Resource = "api://` + appID + `"`
	cases := []struct {
		name   string
		fields []string
		id     string
		code   string
	}{
		{"no Scope", []string{auth, res}, "connector-scope-missing", "AADSTS650053"},
		{"Scope = null", []string{auth, res, `Scope = null`}, "connector-scope-null", "AADSTS650053"},
		{"wrong Resource", []string{auth, `Resource = "api://00001111-aaaa-2222-bbbb-3333cccc4444"`, `Scope = ".default"`}, "connector-resource-mismatch", "AADSTS500011"},
		{"tenant-specific on multitenant", []string{`AuthorizationUri = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/authorize"`, res, `Scope = ".default"`}, "authorization-uri-tenant-mismatch", "AADSTS50020"},
		{"non-Entra AuthorizationUri", []string{`AuthorizationUri = "https://auth.contoso.com/oauth2/authorize"`, res, `Scope = ".default"`}, "connector-authorization-uri", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			file := connectorFile(t, tc.fields...)
			before, _ := os.ReadFile(file)
			v, r := c.doctorJSON("--app-id", appID, "--connector", file)
			if r.code != 1 || v.Healthy {
				t.Errorf("exit %d healthy %v", r.code, v.Healthy)
			}
			if got := v.errors(); !slices.Equal(got, []string{tc.id}) {
				t.Fatalf("errors %v, want [%s]\n%s", got, tc.id, r.stderr)
			}
			if f := v.find(tc.id); f.Error != tc.code || !strings.Contains(f.Fix, "--fix") {
				t.Errorf("got %+v", *f)
			}
			if after, _ := os.ReadFile(file); string(after) != string(before) {
				t.Error("doctor without --fix changed the connector")
			}
			// --fix patches the file (keeping a .bak) and the app is left
			// alone: it was healthy.
			_, writes := c.emu.Counts()
			if v, r := c.doctorJSON("--app-id", appID, "--connector", file, "--fix", "--yes"); r.code != 0 || !v.Healthy {
				t.Fatalf("fix: exit %d %+v\n%s", r.code, v.Findings, r.stderr)
			}
			if _, w := c.emu.Counts(); w != writes {
				t.Errorf("a connector-only fix wrote to Graph %d time(s)", w-writes)
			}
			if bak, _ := os.ReadFile(file + ".bak"); string(bak) != string(before) {
				t.Error("no .bak of the original")
			}
			if v, r := c.doctorJSON("--connector", file); r.code != 0 || v.AppID != appID {
				t.Errorf("after: exit %d %v", r.code, v.errors())
			}
		})
	}
	// With only --connector, the app is found by the Resource.
	file := connectorFile(t, auth, res, `Scope = ".default"`)
	v, r := c.doctorJSON("--connector", file)
	if r.code != 0 || v.AppID != appID {
		t.Fatalf("by Resource: exit %d %+v\n%s", r.code, v, r.stderr)
	}
}

func TestDoctorSelectors(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	appID := c.seed(appSeed{name: "Fabrikam Data", preauth: pq(dScope)})
	for _, args := range [][]string{
		{"--identifier-uri", "api://" + appID},
		{"--display-name", "fabrikam data"},
	} {
		if v, r := c.doctorJSON(args...); r.code != 0 || v.AppID != appID {
			t.Errorf("%v: exit %d %+v\n%s", args, r.code, v, r.stderr)
		}
	}
	v, r := c.doctorJSON("--app-id", "00001111-aaaa-2222-bbbb-3333cccc4444")
	if r.code != 1 || v.AppID != "" || v.find("app-not-found") == nil || v.find("app-not-found").Error != "AADSTS500011" {
		t.Errorf("missing app: exit %d %+v", r.code, v)
	}
}

func TestDoctorBadFlagsExit2WithoutRequests(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	for _, args := range [][]string{
		{"doctor"},
		{"doctor", "--app-id", "00001111-aaaa-2222-bbbb-3333cccc4444", "--display-name", "x"},
		{"doctor", "--app-id", "not-a-guid"},
		{"doctor", "--app-id", "00001111-aaaa-2222-bbbb-3333cccc4444", "--yes"},
		{"doctor", "--app-id", "00001111-aaaa-2222-bbbb-3333cccc4444", "--output", "yaml"},
		{"doctor", "--connector", "/nonexistent/Contoso.pq"},
		{"doctor", "extra-arg"},
	} {
		if r := c.run(args...); r.code != 2 || r.stdout != "" {
			t.Errorf("%v: exit %d stdout %q stderr %s", args, r.code, r.stdout, r.stderr)
		}
	}
	if reads, writes := c.emu.Counts(); reads+writes != 0 {
		t.Errorf("bad flags reached Graph: %d reads, %d writes", reads, writes)
	}
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

func sortedMapKeys(m map[string]any) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
