package steps

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

var tenant = &Tenant{ID: "6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13", VerifiedDomains: []string{"contoso.onmicrosoft.com", "contoso.com"}}

func mustDesired(t *testing.T, d Desired) Desired {
	t.Helper()
	if err := d.Normalize(); err != nil {
		t.Fatal(err)
	}
	return d
}

func fixedID(id string) func() string { return func() string { return id } }

const sid = "0f0f0f0f-1111-4222-8333-444444444444"

func kinds(cs []Change) []OpKind {
	var out []OpKind
	for _, c := range cs {
		out = append(out, c.Kind)
	}
	return out
}

func TestDiffFreshIsThreeWrites(t *testing.T) {
	d := mustDesired(t, Desired{DisplayName: "Contoso Connector"})
	p, err := Diff(State{Tenant: tenant}, d, Options{NewID: fixedID(sid)})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := kinds(p.Changes), []OpKind{OpUpsertApp, OpUpsertSP, OpPatchApp}; !reflect.DeepEqual(got, want) {
		t.Fatalf("kinds %v, want %v", got, want)
	}
	create := p.Changes[0]
	if create.URL != "https://graph.microsoft.com/v1.0/applications(uniqueName='"+UniqueName("Contoso Connector")+"')" || create.Headers["Prefer"] != "create-if-missing" {
		t.Errorf("create: %s %v", create.URL, create.Headers)
	}
	var body map[string]any
	json.Unmarshal(create.Body, &body)
	if _, ok := body["identifierUris"]; ok {
		t.Error("the create cannot know api://{appId} yet")
	}
	scopes := body["api"].(map[string]any)["oauth2PermissionScopes"].([]any)
	if len(scopes) != 1 || scopes[0].(map[string]any)["id"] != sid {
		t.Errorf("create scopes: %v", scopes)
	}
	if _, ok := body["api"].(map[string]any)["preAuthorizedApplications"]; ok {
		t.Error("a preauthorization cannot name a scope created in the same request")
	}
	last := p.Changes[2]
	if !strings.Contains(string(last.Body), `"api://{appId}"`) || !strings.Contains(last.URL, "/applications/{id}") {
		t.Errorf("second app write should name placeholders: %s %s", last.URL, last.Body)
	}
	if !strings.Contains(string(last.Body), ClientExcel.AppID) || !strings.Contains(string(last.Body), ClientRefresh.AppID) {
		t.Errorf("preauthorizations missing: %s", last.Body)
	}
	// Placeholders are filled once the app exists.
	last.fill("abc", "oid", "https://g/v1.0")
	if !strings.Contains(string(last.Body), `"api://abc"`) || last.URL != "https://g/v1.0/applications/oid" || strings.Contains(last.Summary, "{appId}") {
		t.Errorf("fill: %s %s %s", last.URL, last.Body, last.Summary)
	}
}

func configured() *App {
	return &App{ObjectID: "oid", AppID: "aaaaaaaa-0000-4000-8000-000000000001", DisplayName: "Contoso Connector",
		SignInAudience: AudienceSingle, IdentifierURIs: []string{"api://aaaaaaaa-0000-4000-8000-000000000001"},
		Scopes: []Scope{{ID: sid, Value: "Data.Read", Type: ConsentUsers, IsEnabled: true,
			AdminConsentDisplayName: "a", AdminConsentDescription: "b", UserConsentDisplayName: "c", UserConsentDescription: "d"}},
		PreAuthorized: []PreAuthorizedApp{{AppID: ClientExcel.AppID, DelegatedPermissionIDs: []string{sid}},
			{AppID: ClientRefresh.AppID, DelegatedPermissionIDs: []string{sid}}}}
}

func TestDiffConfiguredIsEmpty(t *testing.T) {
	d := mustDesired(t, Desired{DisplayName: "Contoso Connector"})
	p, err := Diff(State{Tenant: tenant, App: configured(), ServicePrincipal: &ServicePrincipal{ID: "sp"}}, d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Empty() {
		t.Errorf("configured app planned:\n%s", PreviewAll(p.Changes))
	}
	if PreviewAll(p.Changes) != "Nothing to change: the directory already matches.\n" {
		t.Errorf("empty preview: %q", PreviewAll(p.Changes))
	}
}

func TestDiffAdminScopeIsDisabledThenChanged(t *testing.T) {
	app := configured()
	app.Scopes[0].Type = ConsentAdmins
	d := mustDesired(t, Desired{AppID: app.AppID})
	p, err := Diff(State{Tenant: tenant, App: app, ServicePrincipal: &ServicePrincipal{ID: "sp"}}, d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 2 {
		t.Fatalf("want disable then change, got\n%s", PreviewAll(p.Changes))
	}
	first, second := *p.Changes[0].Patch.Scopes, *p.Changes[1].Patch.Scopes
	if first[0].IsEnabled || first[0].Type != ConsentAdmins {
		t.Errorf("first write must only disable: %+v", first[0])
	}
	if !second[0].IsEnabled || second[0].Type != ConsentUsers || second[0].ID != sid {
		t.Errorf("second write must change and enable: %+v", second[0])
	}
	// Every api write carries the other collection unchanged.
	for _, c := range p.Changes {
		if c.Patch.PreAuthorized == nil || len(*c.Patch.PreAuthorized) != 2 {
			t.Errorf("write dropped the preauthorizations: %s", c.Body)
		}
	}
}

func TestDiffKeepsForeignEntries(t *testing.T) {
	app := configured()
	other := Scope{ID: "99999999-0000-4000-8000-000000000009", Value: "Files.Write", Type: ConsentAdmins, IsEnabled: true,
		AdminConsentDisplayName: "x", AdminConsentDescription: "y"}
	app.Scopes = append(app.Scopes, other)
	app.PreAuthorized = []PreAuthorizedApp{{AppID: "0b1c2d3e-4f50-4617-8283-949596979899", DelegatedPermissionIDs: []string{other.ID}}}
	d := mustDesired(t, Desired{AppID: app.AppID, Scope: ScopeSpec{Value: "Data.Write"}})
	p, err := Diff(State{Tenant: tenant, App: app, ServicePrincipal: &ServicePrincipal{}}, d, Options{NewID: fixedID("12121212-0000-4000-8000-000000000012")})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range p.Changes {
		if c.Patch.Scopes != nil && len(*c.Patch.Scopes) != 3 {
			t.Errorf("scopes dropped: %s", c.Body)
		}
		if c.Patch.PreAuthorized != nil {
			pre := *c.Patch.PreAuthorized
			if len(pre) < 1 || pre[0].AppID != "0b1c2d3e-4f50-4617-8283-949596979899" || !reflect.DeepEqual(pre[0].DelegatedPermissionIDs, []string{other.ID}) {
				t.Errorf("foreign preauthorization changed: %s", c.Body)
			}
		}
	}
	// The new scope is added in one write; the preauthorizations in the next.
	if len(p.Changes) != 2 || p.Changes[0].Patch.Scopes == nil || p.Changes[1].Patch.PreAuthorized == nil {
		t.Errorf("plan:\n%s", PreviewAll(p.Changes))
	}
}

func TestDiffOnlyOneStep(t *testing.T) {
	d := mustDesired(t, Desired{DisplayName: "Wizard App"})
	p, err := Diff(State{Tenant: tenant}, d, Options{Only: []string{StepRegister}})
	if err != nil {
		t.Fatal(err)
	}
	if got := kinds(p.Changes); !reflect.DeepEqual(got, []OpKind{OpUpsertApp, OpUpsertSP}) {
		t.Errorf("register step: %v", got)
	}
	if strings.Contains(string(p.Changes[0].Body), "oauth2PermissionScopes") {
		t.Error("the register step must not add the scope")
	}
	// A later step on a new app still creates the app first.
	p, _ = Diff(State{Tenant: tenant}, d, Options{Only: []string{StepScope}})
	if len(p.Changes) != 1 || p.Changes[0].Kind != OpUpsertApp || !strings.Contains(string(p.Changes[0].Body), "displayName") {
		t.Errorf("scope step on a new app:\n%s", PreviewAll(p.Changes))
	}
	p, _ = Diff(State{Tenant: tenant, App: configured(), ServicePrincipal: &ServicePrincipal{}},
		mustDesired(t, Desired{AppID: configured().AppID, Clients: []string{ClientPowerApps.AppID}}), Options{Only: []string{StepPreauthorize}})
	if len(p.Changes) != 1 || len(*p.Changes[0].Patch.PreAuthorized) != 3 {
		t.Errorf("preauthorize step:\n%s", PreviewAll(p.Changes))
	}
}

func TestDiffRejectsUnverifiedURI(t *testing.T) {
	d := mustDesired(t, Desired{DisplayName: "X", IdentifierURI: "https://fabrikam.com/api"})
	if _, err := Diff(State{Tenant: tenant}, d, Options{}); err == nil || !strings.Contains(err.Error(), "verified domains (contoso.onmicrosoft.com, contoso.com)") {
		t.Errorf("err = %v", err)
	}
	d = mustDesired(t, Desired{DisplayName: "X", IdentifierURI: "https://api.contoso.com/connector"})
	if _, err := Diff(State{Tenant: tenant}, d, Options{}); err != nil {
		t.Errorf("subdomain of a verified domain refused: %v", err)
	}
}

func TestUniqueNameIsStable(t *testing.T) {
	a, b := UniqueName("Contoso Connector"), UniqueName("  contoso   CONNECTOR ")
	if a != b || !strings.HasPrefix(a, "pqentra-") || len(a) != len("pqentra-")+20 {
		t.Errorf("%q %q", a, b)
	}
	if UniqueName("Contoso Connector 2") == a {
		t.Error("different names share a key")
	}
}

func TestClean(t *testing.T) {
	cases := map[string]string{
		"plain":                            "plain",
		"a\x1b[31mred\x1b[0m":              "ared",
		"x\x1b]52;c;ZXZpbA==\x07y":         "xy",
		"x\x1b]0;title\x1b\\y":             "xy",
		"tab\there\nnew":                   "tab here new",
		"bidi\u202eevil":                   "bidievil",
		"c1\u009b2Jz":                      "c1z",
		"unicode ✓ Ünïcødé":                "unicode ✓ Ünïcødé",
		"bell\x07 and nul\x00 and del\x7f": "bell and nul and del",
	}
	for in, want := range cases {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
	if got := CleanMultiline("a\nb\r\nc"); got != "a\nb\nc" {
		t.Errorf("CleanMultiline = %q", got)
	}
}

func TestNormalizeDefaults(t *testing.T) {
	d := mustDesired(t, Desired{DisplayName: " Contoso "})
	if d.DisplayName != "Contoso" || d.IdentifierURI != "api://{appId}" || d.Scope.Value != "Data.Read" || d.Scope.Type != ConsentUsers {
		t.Errorf("%+v", d)
	}
	if !reflect.DeepEqual(d.Clients, DefaultClients()) {
		t.Errorf("clients %v", d.Clients)
	}
}

// Issue 16 rule 6: with the app management policy unknown (not readable,
// the usual case), an api:// URI without a unique tenant identifier is not
// refused — the setting may be off, or the app exempt — but the plan warns.
// Known, the policy decides, with its exemptions (a v2-token app).
func TestDiffURIPolicyUnknownWarnsKnownDecides(t *testing.T) {
	d := mustDesired(t, Desired{DisplayName: "X", IdentifierURI: "api://myapi"})
	p, err := Diff(State{Tenant: tenant}, d, Options{})
	if err != nil {
		t.Fatalf("unknown policy refused api://myapi: %v", err)
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], SettingUniqueTenantIdentifier) {
		t.Errorf("warnings %q", p.Warnings)
	}
	for _, ok := range []string{"api://{appId}", "api://" + tenant.ID + "/myapi", "https://api.contoso.com/x"} {
		p, err := Diff(State{Tenant: tenant}, mustDesired(t, Desired{DisplayName: "X", IdentifierURI: ok}), Options{})
		if err != nil || len(p.Warnings) != 0 {
			t.Errorf("%s: err %v, warnings %q", ok, err, p.Warnings)
		}
	}
	if _, err := Diff(State{Tenant: tenant}, mustDesired(t, Desired{DisplayName: "X", IdentifierURI: "api://" + tenant.ID}), Options{}); err == nil {
		t.Errorf("api://{tenantId} alone accepted")
	}

	on := *tenant
	on.URIPolicy = &URIPolicy{UniqueTenantIdentifier: URIRestriction{Enabled: true, ExcludeV2Apps: true}}
	if _, err := Diff(State{Tenant: &on}, d, Options{}); err == nil || !strings.Contains(err.Error(), SettingUniqueTenantIdentifier) {
		t.Errorf("known policy: err = %v", err)
	}
	v2 := int32(2)
	app := configured()
	app.RequestedAccessTokenVersion = &v2
	p, err = Diff(State{Tenant: &on, App: app, ServicePrincipal: &ServicePrincipal{}}, mustDesired(t, Desired{AppID: app.AppID, IdentifierURI: "api://myapi"}), Options{})
	if err != nil || len(p.Warnings) != 0 {
		t.Errorf("a v2-token app is exempt: err %v, warnings %q", err, p.Warnings)
	}
	off := *tenant
	off.URIPolicy = &URIPolicy{}
	if p, err := Diff(State{Tenant: &off}, d, Options{}); err != nil || len(p.Warnings) != 0 {
		t.Errorf("policy off: err %v, warnings %q", err, p.Warnings)
	}
}
