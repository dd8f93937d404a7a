package emulator

import (
	"strings"
	"testing"
)

func TestShapeValidation(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	cases := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"unknown property", map[string]any{"displayName": "x", "foo": 1}, 400, "Request_BadRequest"},
		{"unknown nested property", map[string]any{"displayName": "x", "api": map[string]any{"scopes": []any{}}}, 400, "Request_BadRequest"},
		{"navigation property", map[string]any{"displayName": "x", "owners": []any{}}, 400, "Request_BadRequest"},
		{"read-only id", map[string]any{"displayName": "x", "id": "00000000-0000-4000-8000-000000000001"}, 400, "Request_BadRequest"},
		{"read-only appId", map[string]any{"displayName": "x", "appId": "00000000-0000-4000-8000-000000000001"}, 400, "Request_BadRequest"},
		{"read-only publisherDomain", map[string]any{"displayName": "x", "publisherDomain": "contoso.com"}, 400, "Request_BadRequest"},
		{"read-only createdDateTime", map[string]any{"displayName": "x", "createdDateTime": "2024-01-01T00:00:00Z"}, 400, "Request_BadRequest"},
		{"wrong type", map[string]any{"displayName": 5}, 400, "Request_BadRequest"},
		{"collection expected", map[string]any{"displayName": "x", "identifierUris": "api://x"}, 400, "Request_BadRequest"},
		{"null collection", map[string]any{"displayName": "x", "identifierUris": nil}, 400, "Request_BadRequest"},
		{"bad guid", map[string]any{"displayName": "x", "api": map[string]any{"knownClientApplications": []any{"nope"}}}, 400, "Request_BadRequest"},
		{"missing displayName", map[string]any{"notes": "x"}, 400, "Request_BadRequest"},
		{"empty displayName", map[string]any{"displayName": ""}, 400, "Request_BadRequest"},
		{"long displayName", map[string]any{"displayName": strings.Repeat("x", 257)}, 400, "Request_BadRequest"},
		{"bad signInAudience", map[string]any{"displayName": "x", "signInAudience": "Everyone"}, 400, "Request_BadRequest"},
		{"not an object", []any{1}, 400, "BadRequest"},
		{"invalid JSON", "{not json", 400, "BadRequest"},
		{"empty body", "", 400, "BadRequest"},
	}
	for _, c := range cases {
		r := call(t, s, tok, "POST", "/v1.0/applications", c.body)
		if r.status != c.status || r.errCode() != c.code {
			t.Errorf("%s: %d %s", c.name, r.status, r.raw)
		}
	}
	r := call(t, s, tok, "POST", "/v1.0/applications", map[string]any{"displayName": "x", "foo": 1})
	if r.errMessage() != "The property 'foo' does not exist on type 'microsoft.graph.application'. Make sure to only use property names that are defined by the type or mark the type as open type." {
		t.Fatal(r.errMessage())
	}
	expect(t, call(t, s, tok, "POST", "/v1.0/applications", map[string]any{"displayName": strings.Repeat("x", 256), "signInAudience": "AzureADMultipleOrgs"}), 201, "")
	// non-JSON content type
	r = call(t, s, tok, "POST", "/v1.0/applications", map[string]any{"displayName": "x"}, "Content-Type", "text/plain")
	if r.status != 415 {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	if n := len(s.Applications()); n != 1 {
		t.Fatalf("%d apps stored", n)
	}
}

func TestUniqueName(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	id, _ := createApp(t, s, tok, map[string]any{"displayName": "A", "uniqueName": "one"})
	r := call(t, s, tok, "POST", "/v1.0/applications", map[string]any{"displayName": "B", "uniqueName": "ONE"})
	expect(t, r, 400, "Request_BadRequest")
	if r.errMessage() != "Another object with the same value for property uniqueName already exists." {
		t.Fatal(r.errMessage())
	}
	expect(t, call(t, s, tok, "PATCH", "/v1.0/applications/"+id, map[string]any{"uniqueName": "two"}), 400, "Request_BadRequest")
	expect(t, call(t, s, tok, "PATCH", "/v1.0/applications/"+id, map[string]any{"uniqueName": "one"}), 204, "")
	id2, _ := createApp(t, s, tok, map[string]any{"displayName": "C"})
	expect(t, call(t, s, tok, "PATCH", "/v1.0/applications/"+id2, map[string]any{"uniqueName": "one"}), 400, "Request_BadRequest")
	expect(t, call(t, s, tok, "PATCH", "/v1.0/applications/"+id2, map[string]any{"uniqueName": "three"}), 204, "")
}

func TestIdentifierURIPolicy(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	id, appID := createApp(t, s, tok, map[string]any{"displayName": "A"})
	tenant := s.TenantID()
	allowed := []string{
		"api://" + appID,
		"api://" + strings.ToUpper(appID),
		"api://" + appID + "/access",
		"api://" + tenant + "/myapi",
		"api://productapi/" + appID,
		"api://contoso.com/api",
		"api://sub.contoso.com",
		"https://contoso.com",
		"https://contoso.com/api",
		"https://contoso.onmicrosoft.com/pq",
		"https://api.contoso.com/v1",
	}
	for _, u := range allowed {
		if r := call(t, s, tok, "PATCH", "/v1.0/applications/"+id, map[string]any{"identifierUris": []string{u}}); r.status != 204 {
			t.Errorf("%s: %d %s", u, r.status, r.raw)
		}
	}
	// A single-tenant app may use any api:// URI, but the app management
	// policy Microsoft switched on in tenants (appmgmt_test.go) refuses a
	// new one without the tenant id, the app id or a verified domain.
	for _, u := range []string{"api://myapi", "api://11111111-2222-4333-8444-555555555555"} {
		r := call(t, s, tok, "PATCH", "/v1.0/applications/"+id, map[string]any{"identifierUris": []string{u}})
		expect(t, r, 400, "InvalidUniqueTenantIdentifierAsPerAppPolicy")
		if !strings.Contains(r.errMessage(), "https://aka.ms/identifier-uri-addition-error") {
			t.Error(r.errMessage())
		}
	}
	denied := []string{
		"api://" + tenant,
		"api://" + appID + "/",
		"https://fabrikam.com/api",
		"https://notcontoso.com",
		"http://contoso.com/api",
		"urn:contoso:api",
		"https://contoso.com:8443/api",
	}
	for _, u := range denied {
		r := call(t, s, tok, "PATCH", "/v1.0/applications/"+id, map[string]any{"identifierUris": []string{u}})
		if r.status != 400 || r.errCode() != "HostNameNotOnVerifiedDomain" || r.errMessage() != "Values of identifierUris property must use a verified domain of the organization or its subdomain: '"+u+"'" {
			t.Errorf("%s: %d %s", u, r.status, r.raw)
		}
	}
	for _, u := range []string{"", "not a uri", "https://*.contoso.com", "https://contoso.com/" + strings.Repeat("a", 250), "/relative"} {
		r := call(t, s, tok, "PATCH", "/v1.0/applications/"+id, map[string]any{"identifierUris": []string{u}})
		if r.status != 400 {
			t.Errorf("%q: %d %s", u, r.status, r.raw)
		}
	}
	// unique within the app and across the tenant
	expect(t, call(t, s, tok, "PATCH", "/v1.0/applications/"+id, map[string]any{"identifierUris": []string{"https://contoso.com/x", "https://CONTOSO.com/x"}}), 400, "Request_BadRequest")
	expect(t, call(t, s, tok, "PATCH", "/v1.0/applications/"+id, map[string]any{"identifierUris": []string{"https://contoso.com/x"}}), 204, "")
	r := call(t, s, tok, "POST", "/v1.0/applications", map[string]any{"displayName": "B", "identifierUris": []string{"https://contoso.com/x"}})
	expect(t, r, 400, "Request_BadRequest")
	if r.errMessage() != "Another object with the same value for property identifierUris already exists." {
		t.Fatal(r.errMessage())
	}
	// on create, api://{appId} cannot be used: the appId is not known yet
	// (another app's id is no unique identifier of this one)
	expect(t, call(t, s, tok, "POST", "/v1.0/applications", map[string]any{"displayName": "C", "identifierUris": []string{"api://" + appID}}), 400, "InvalidUniqueTenantIdentifierAsPerAppPolicy")
}

func TestScopeValidation(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	id, _ := createApp(t, s, tok, map[string]any{"displayName": "A"})
	const g1, g2 = "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"
	mod := func(f func(map[string]any)) map[string]any {
		sc := scope(g1, "Data.Read", true)
		f(sc)
		return sc
	}
	bad := map[string][]any{
		"missing id":         {mod(func(m map[string]any) { delete(m, "id") })},
		"id not a guid":      {mod(func(m map[string]any) { m["id"] = "x" })},
		"duplicate id":       {scope(g1, "A", true), scope(g1, "B", true)},
		"missing value":      {mod(func(m map[string]any) { delete(m, "value") })},
		"space in value":     {mod(func(m map[string]any) { m["value"] = "Data Read" })},
		"leading dot":        {mod(func(m map[string]any) { m["value"] = ".default" })},
		"value too long":     {mod(func(m map[string]any) { m["value"] = strings.Repeat("a", 121) })},
		"bad char":           {mod(func(m map[string]any) { m["value"] = "Data<Read" })},
		"duplicate value":    {scope(g1, "Data.Read", true), scope(g2, "data.read", true)},
		"bad type":           {mod(func(m map[string]any) { m["type"] = "Everyone" })},
		"missing type":       {mod(func(m map[string]any) { delete(m, "type") })},
		"no admin name":      {mod(func(m map[string]any) { delete(m, "adminConsentDisplayName") })},
		"no admin desc":      {mod(func(m map[string]any) { m["adminConsentDescription"] = "" })},
		"isEnabled string":   {mod(func(m map[string]any) { m["isEnabled"] = "true" })},
		"unknown scope prop": {mod(func(m map[string]any) { m["enabled"] = true })},
	}
	for name, scopes := range bad {
		r := call(t, s, tok, "PATCH", "/v1.0/applications/"+id, map[string]any{"api": map[string]any{"oauth2PermissionScopes": scopes}})
		if r.status != 400 {
			t.Errorf("%s: %d %s", name, r.status, r.raw)
		}
	}
	ok := mod(func(m map[string]any) {
		m["value"] = strings.Repeat("a", 120)
		m["type"] = "Admin"
		delete(m, "isEnabled")
	})
	expect(t, call(t, s, tok, "PATCH", "/v1.0/applications/"+id, map[string]any{"api": map[string]any{"oauth2PermissionScopes": []any{ok}}}), 204, "")
	stored := s.Applications()[0]["api"].(map[string]any)["oauth2PermissionScopes"].([]any)[0].(map[string]any)
	if stored["isEnabled"] != true || stored["origin"] != "Application" {
		t.Fatal(stored)
	}
}

func TestEnabledScopeRule(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	const g1, g2 = "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"
	id, _ := createApp(t, s, tok, map[string]any{"displayName": "A", "api": map[string]any{"oauth2PermissionScopes": []any{scope(g1, "Data.Read", true)}}})
	p := "/v1.0/applications/" + id
	patch := func(scopes ...any) resp {
		return call(t, s, tok, "PATCH", p, map[string]any{"api": map[string]any{"oauth2PermissionScopes": append([]any{}, scopes...)}})
	}
	// removing or changing an enabled scope fails
	r := patch()
	expect(t, r, 400, "CannotDeleteOrUpdateEnabledEntitlement")
	if r.errMessage() != "Permission (scope or role) cannot be deleted or updated unless disabled first." {
		t.Fatal(r.errMessage())
	}
	expect(t, patch(scope(g2, "Other", true)), 400, "CannotDeleteOrUpdateEnabledEntitlement")
	changed := scope(g1, "Data.Read", true)
	changed["adminConsentDescription"] = "new words"
	expect(t, patch(changed), 400, "CannotDeleteOrUpdateEnabledEntitlement")
	disabledAndChanged := scope(g1, "Data.Read", false)
	disabledAndChanged["type"] = "Admin"
	expect(t, patch(disabledAndChanged), 400, "CannotDeleteOrUpdateEnabledEntitlement")
	// unchanged (plus a new one) is fine; upper-case id is the same id
	same := scope(strings.ToUpper(g1), "Data.Read", true)
	expect(t, patch(same, scope(g2, "Data.Write", true)), 204, "")
	// disabling, with nothing else changed, is fine
	expect(t, patch(scope(g1, "Data.Read", false), scope(g2, "Data.Write", true)), 204, "")
	// a disabled scope may then be changed and removed
	d := scope(g1, "Data.ReadAll", false)
	d["type"] = "Admin"
	expect(t, patch(d, scope(g2, "Data.Write", true)), 204, "")
	expect(t, patch(scope(g2, "Data.Write", true)), 204, "")
	// the rule does not fire when the PATCH leaves scopes alone
	expect(t, call(t, s, tok, "PATCH", p, map[string]any{"api": map[string]any{"requestedAccessTokenVersion": 2}}), 204, "")
	// same rule for app roles
	role := map[string]any{"id": g1, "value": "Admin", "displayName": "Admins", "description": "Admins", "allowedMemberTypes": []string{"User"}, "isEnabled": true}
	expect(t, call(t, s, tok, "PATCH", p, map[string]any{"appRoles": []any{role}}), 204, "")
	expect(t, call(t, s, tok, "PATCH", p, map[string]any{"appRoles": []any{}}), 400, "CannotDeleteOrUpdateEnabledEntitlement")
	expect(t, call(t, s, tok, "PATCH", p, map[string]any{"appRoles": []any{map[string]any{"id": g1, "allowedMemberTypes": []string{"Robot"}, "displayName": "x", "description": "x"}}}), 400, "Request_BadRequest")
}

func TestPreAuthorizedApplications(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	const g1, g2 = "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"
	const excel, pbi = "a672d62c-fc7b-4e81-a576-e60dc46e951d", "b52893c8-bc2e-47fc-918b-77022b299bbc"
	pre := func(app string, ids ...string) map[string]any {
		return map[string]any{"appId": app, "delegatedPermissionIds": ids}
	}
	// scope and preauthorization in one create: the scope is not stored yet
	r := call(t, s, tok, "POST", "/v1.0/applications", map[string]any{"displayName": "A", "api": map[string]any{
		"oauth2PermissionScopes":    []any{scope(g1, "Data.Read", true)},
		"preAuthorizedApplications": []any{pre(excel, g1)},
	}})
	expect(t, r, 400, "InvalidValue")
	id, _ := createApp(t, s, tok, map[string]any{"displayName": "A"})
	p := "/v1.0/applications/" + id
	// same in one PATCH
	r = call(t, s, tok, "PATCH", p, map[string]any{"api": map[string]any{
		"oauth2PermissionScopes":    []any{scope(g1, "Data.Read", true)},
		"preAuthorizedApplications": []any{pre(excel, g1)},
	}})
	expect(t, r, 400, "InvalidValue")
	// Graph's words (microsoftgraph/microsoft-graph-docs#12675): no id named.
	if r.errMessage() != "Property api.preAuthorizedApplications.delegatedPermissionIds has a Permission Id that cannot be found in the AppPermissions sets." {
		t.Fatal(r.errMessage())
	}
	if scopes := s.Applications()[0]["api"].(map[string]any)["oauth2PermissionScopes"].([]any); len(scopes) != 0 {
		t.Fatal("failed PATCH was partly applied")
	}
	expect(t, call(t, s, tok, "PATCH", p, map[string]any{"api": map[string]any{"oauth2PermissionScopes": []any{scope(g1, "Data.Read", true)}}}), 204, "")
	bad := map[string][]any{
		"unknown scope id": {pre(excel, g2)},
		"appId not guid":   {pre("excel", g1)},
		"duplicate appId":  {pre(excel, g1), pre(strings.ToUpper(excel), g1)},
		"no permissions":   {pre(excel)},
		"id not guid":      {pre(excel, "x")},
	}
	for name, list := range bad {
		if r := call(t, s, tok, "PATCH", p, map[string]any{"api": map[string]any{"preAuthorizedApplications": list}}); r.status != 400 {
			t.Errorf("%s: %d %s", name, r.status, r.raw)
		}
	}
	expect(t, call(t, s, tok, "PATCH", p, map[string]any{"api": map[string]any{"preAuthorizedApplications": []any{pre(excel, strings.ToUpper(g1)), pre(pbi, g1)}}}), 204, "")
	got := s.Applications()[0]["api"].(map[string]any)["preAuthorizedApplications"].([]any)
	if len(got) != 2 || got[0].(map[string]any)["delegatedPermissionIds"].([]any)[0] != g1 {
		t.Fatal(got)
	}
	// a scope that is still referenced cannot disappear
	expect(t, call(t, s, tok, "PATCH", p, map[string]any{"api": map[string]any{"oauth2PermissionScopes": []any{scope(g1, "Data.Read", false)}}}), 204, "")
	expect(t, call(t, s, tok, "PATCH", p, map[string]any{"api": map[string]any{"oauth2PermissionScopes": []any{}}}), 400, "InvalidValue")
	// removing both in one request is fine
	expect(t, call(t, s, tok, "PATCH", p, map[string]any{"api": map[string]any{"oauth2PermissionScopes": []any{}, "preAuthorizedApplications": []any{}}}), 204, "")
}
