package cmd

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// An app broken several ways, with a scope and a client doctor did not
// make, and a connector with two mistakes: --fix --yes repairs all of it,
// doctor then reports clean, and the other scope and client are untouched.
func TestDoctorFixRepairsAndKeepsOthers(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	appID := c.seed(appSeed{name: "Contoso",
		scopes:  []steps.Scope{scope(dScope, "Data.Read", "Admin"), scope(dAdmin, "Files.Manage", "User")},
		preauth: map[string][]string{steps.ClientRefresh.AppID: {dScope}, dOtherID: {dAdmin, dScope}},
		noSP:    true})
	file := connectorFile(t, `AuthorizationUri = "`+dCommon+`"`, `Resource = "https://wrong.contoso.com"`)
	orig, _ := os.ReadFile(file)
	before := c.app(appID)

	v, r := c.doctorJSON("--app-id", appID, "--connector", file)
	want := []string{"preauth-missing-excel", "admin-only-scope", "no-service-principal", "connector-scope-missing", "connector-resource-mismatch"}
	if got := v.errors(); !sameSet(got, want) || r.code != 1 {
		t.Fatalf("before: exit %d errors %v, want %v", r.code, got, want)
	}

	r = c.run("doctor", "--app-id", appID, "--connector", file, "--fix", "--yes")
	if r.code != 0 {
		t.Fatalf("fix: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, s := range []string{"PATCH ", "servicePrincipals(appId='" + appID + "')", "Disable the scope Data.Read first", "+", "After the fix:", "Healthy"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("fix output lacks %q:\n%s", s, r.stdout)
		}
	}

	v, r = c.doctorJSON("--app-id", appID, "--connector", file)
	if r.code != 0 || !v.Healthy || len(v.errors()) != 0 {
		t.Fatalf("after: exit %d %+v", r.code, v.Findings)
	}

	after := c.app(appID)
	scopes := func(a map[string]any) map[string]map[string]any {
		out := map[string]map[string]any{}
		for _, s := range a["api"].(map[string]any)["oauth2PermissionScopes"].([]any) {
			m := s.(map[string]any)
			out[m["id"].(string)] = m
		}
		return out
	}
	sb, sa := scopes(before), scopes(after)
	if len(sa) != 2 || !mapsEqual(sb[dAdmin], sa[dAdmin]) {
		t.Errorf("the other scope changed:\n%v\n%v", sb[dAdmin], sa[dAdmin])
	}
	if s := sa[dScope]; s["type"] != "User" || s["isEnabled"] != true {
		t.Errorf("Data.Read not fixed: %v", s)
	}
	pre := map[string][]string{}
	for _, p := range after["api"].(map[string]any)["preAuthorizedApplications"].([]any) {
		m := p.(map[string]any)
		var ids []string
		for _, id := range m["delegatedPermissionIds"].([]any) {
			ids = append(ids, id.(string))
		}
		pre[m["appId"].(string)] = ids
	}
	if !slices.Equal(pre[dOtherID], []string{dAdmin, dScope}) {
		t.Errorf("the other client changed: %v", pre[dOtherID])
	}
	if !slices.Contains(pre[steps.ClientExcel.AppID], dScope) || !slices.Contains(pre[steps.ClientRefresh.AppID], dScope) {
		t.Errorf("Power Query clients not preauthorized: %v", pre)
	}

	got, _ := os.ReadFile(file)
	bak, err := os.ReadFile(file + ".bak")
	if err != nil || string(bak) != string(orig) {
		t.Errorf("no .bak of the original: %v", err)
	}
	for _, s := range []string{`Resource = "api://` + appID + `"`, `Scope = ".default"`, "// The data source kind.", `AuthorizationUri = "` + dCommon + `"`} {
		if !strings.Contains(string(got), s) {
			t.Errorf("connector lacks %q:\n%s", s, got)
		}
	}
}

// Every broken app state is fixed by --fix --yes, after which doctor
// exits 0.
func TestDoctorFixEachBrokenApp(t *testing.T) {
	cases := map[string]struct {
		seed    appSeed
		consent bool
	}{
		"excel missing":     {appSeed{preauth: map[string][]string{steps.ClientRefresh.AppID: {dScope}}}, true},
		"disabled scope":    {appSeed{scopes: []steps.Scope{scope(dScope, "Data.Read", "User"), scope(dAdmin, "Data.Write", "User")}, preauth: pq(dScope), disable: []string{dScope}}, true},
		"no enabled scope":  {appSeed{preauth: pq(dScope), disable: []string{dScope}}, true},
		"no scope at all":   {appSeed{scopes: []steps.Scope{}}, true},
		"admin only":        {appSeed{scopes: []steps.Scope{scope(dScope, "Data.Read", "Admin")}, preauth: pq(dScope)}, true},
		"consent blocked":   {appSeed{}, false},
		"no sp and no uri":  {appSeed{preauth: pq(dScope), noSP: true, noURI: true}, true},
		"single-tenant app": {appSeed{audience: steps.AudienceSingle}, true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := newCLI(t, emulator.Options{})
			c.emu.SetUserConsentAllowed(tc.consent)
			tc.seed.name = "Contoso"
			appID := c.seed(tc.seed)
			if v, r := c.doctorJSON("--app-id", appID); r.code != 1 {
				t.Fatalf("before: exit %d %+v", r.code, v)
			}
			v, r := c.doctorJSON("--app-id", appID, "--fix", "--yes")
			if r.code != 0 || !v.Healthy {
				t.Fatalf("fix: exit %d %+v\n%s", r.code, v.Findings, r.stderr)
			}
			if !strings.Contains(r.stderr, "PATCH ") {
				t.Errorf("previews belong on stderr with --output json:\n%s", r.stderr)
			}
			if v, r := c.doctorJSON("--app-id", appID); r.code != 0 || len(v.errors()) != 0 {
				t.Fatalf("after: exit %d %v", r.code, v.errors())
			}
		})
	}
}

func TestDoctorFixNeedsConfirmation(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	appID := c.seed(appSeed{name: "Contoso"})
	file := connectorFile(t, `AuthorizationUri = "`+dCommon+`"`, `Resource = "api://`+appID+`"`)
	orig, _ := os.ReadFile(file)
	_, writes := c.emu.Counts()
	r := c.run("doctor", "--app-id", appID, "--connector", file, "--fix")
	if r.code != 2 || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if _, w := c.emu.Counts(); w != writes {
		t.Errorf("wrote %d time(s) without confirmation", w-writes)
	}
	if got, _ := os.ReadFile(file); string(got) != string(orig) {
		t.Error("connector changed without confirmation")
	}
	if _, err := os.Stat(file + ".bak"); err == nil {
		t.Error("a .bak was written")
	}
}

func TestDoctorFixAsksOnATerminal(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	appID := c.seed(appSeed{name: "Contoso"})
	_, writes := c.emu.Counts()
	r := c.runTTY("n\n", "doctor", "--app-id", appID, "--fix")
	if r.code != 1 || !strings.Contains(r.stderr, "[y/N]") || !strings.Contains(r.stderr, "Nothing written") {
		t.Fatalf("declined: exit %d\n%s", r.code, r.stderr)
	}
	if _, w := c.emu.Counts(); w != writes {
		t.Errorf("wrote %d time(s) after the user said no", w-writes)
	}
	if r := c.runTTY("y\n", "doctor", "--app-id", appID, "--fix"); r.code != 0 {
		t.Fatalf("accepted: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

func TestDoctorFixHealthyWritesNothing(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	appID := c.seed(appSeed{name: "Contoso", preauth: pq(dScope)})
	_, writes := c.emu.Counts()
	r := c.run("doctor", "--app-id", appID, "--fix", "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "Nothing to fix") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	if _, w := c.emu.Counts(); w != writes {
		t.Errorf("wrote %d time(s)", w-writes)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func mapsEqual(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
