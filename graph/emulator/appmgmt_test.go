package emulator

import (
	"strings"
	"testing"
	"time"
)

// The identifier URI settings of the app management policy, as Graph
// documents them: which URIs each refuses, with which code and message;
// only added URIs; the exemptions; the creation date; who may read it.
func TestAppManagementPolicy(t *testing.T) {
	newApp := func(t *testing.T, s *Server, tok string, body map[string]any) (string, string) {
		id, appID := createApp(t, s, tok, body)
		return "/v1.0/applications/" + id, appID
	}
	uris := func(u ...string) map[string]any { return map[string]any{"identifierUris": u} }

	t.Run("unique tenant identifier (Microsoft's default)", func(t *testing.T) {
		s, tok := startSignedIn(t, Options{})
		p, appID := newApp(t, s, tok, map[string]any{"displayName": "A"})
		tenant := s.TenantID()
		for _, ok := range []string{"api://" + appID, "api://" + tenant + "/api", "api://api/" + appID, "api://contoso.com/api", "https://api.contoso.com"} {
			expect(t, call(t, s, tok, "PATCH", p, uris(ok)), 204, "")
		}
		r := call(t, s, tok, "PATCH", p, uris("api://myapi"))
		expect(t, r, 400, "InvalidUniqueTenantIdentifierAsPerAppPolicy")
		if r.errMessage() != "Failed to add identifier URI api://myapi. All newly added URIs must contain a tenant verified domain, tenant ID, or app ID, as per the default tenant policy of your organization. See https://aka.ms/identifier-uri-addition-error for more information on this error." {
			t.Fatal(r.errMessage())
		}
		// v2-token apps are exempt
		p2, _ := newApp(t, s, tok, map[string]any{"displayName": "V2", "api": map[string]any{"requestedAccessTokenVersion": 2}})
		expect(t, call(t, s, tok, "PATCH", p2, uris("api://myapi2")), 204, "")
		// a URI the app holds already is not added: it stays
		expect(t, call(t, s, tok, "PATCH", p2, map[string]any{"api": map[string]any{"requestedAccessTokenVersion": 1}}), 204, "")
		expect(t, call(t, s, tok, "PATCH", p2, uris("api://myapi2", "api://"+tenant+"/more")), 204, "")
	})

	t.Run("default forms only", func(t *testing.T) {
		s, tok := startSignedIn(t, Options{AppManagementPolicy: &AppManagementPolicy{NonDefault: URIRestriction{Enabled: true}}})
		p, appID := newApp(t, s, tok, map[string]any{"displayName": "A"})
		expect(t, call(t, s, tok, "PATCH", p, uris("api://"+appID)), 204, "")
		expect(t, call(t, s, tok, "PATCH", p, uris("api://"+appID, "api://"+s.TenantID()+"/"+appID)), 204, "")
		r := call(t, s, tok, "PATCH", p, uris("https://api.contoso.com"))
		expect(t, r, 400, "InvalidIdentifierUriAsPerAppPolicy")
		if !strings.HasPrefix(r.errMessage(), "The newly added URI https://api.contoso.com must comply with the format 'api://{appId}' or 'api://{tenantId}/{appId}'") {
			t.Fatal(r.errMessage())
		}
	})

	t.Run("off, and only for apps created after its date", func(t *testing.T) {
		s, tok := startSignedIn(t, Options{AppManagementPolicy: NoAppManagementPolicy()})
		p, _ := newApp(t, s, tok, map[string]any{"displayName": "A"})
		expect(t, call(t, s, tok, "PATCH", p, uris("api://myapi")), 204, "")

		clock := &fakeClock{t: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)}
		s, tok = startSignedIn(t, Options{Now: clock.Now, AppManagementPolicy: &AppManagementPolicy{
			UniqueTenantIdentifier: URIRestriction{Enabled: true, AppsCreatedAfter: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}}})
		old, _ := newApp(t, s, tok, map[string]any{"displayName": "Old"})
		clock.Add(60 * 24 * time.Hour)
		tok = signIn(t, s, scopeRW)
		young, _ := newApp(t, s, tok, map[string]any{"displayName": "Young"})
		expect(t, call(t, s, tok, "PATCH", old, uris("api://oldapi")), 204, "")
		expect(t, call(t, s, tok, "PATCH", young, uris("api://youngapi")), 400, "InvalidUniqueTenantIdentifierAsPerAppPolicy")
	})

	t.Run("reading it needs Policy.Read.All and a role", func(t *testing.T) {
		const path = "/v1.0/policies/defaultAppManagementPolicy"
		s, _ := startSignedIn(t, Options{})
		pol := signIn(t, s, "https://graph.microsoft.com/Policy.Read.All")
		expect(t, call(t, s, pol, "GET", path, nil), 403, "Authorization_RequestDenied")
		s, tok := startSignedIn(t, Options{UserRoles: []string{"Global Reader"}})
		expect(t, call(t, s, tok, "GET", path, nil), 403, "Authorization_RequestDenied") // no Policy.Read.All
		pol = signIn(t, s, "https://graph.microsoft.com/Policy.Read.All")
		r := call(t, s, pol, "GET", path, nil)
		expect(t, r, 200, "")
		ids := r.body["applicationRestrictions"].(map[string]any)["identifierUris"].(map[string]any)
		u := ids["uriAdditionWithoutUniqueTenantIdentifier"].(map[string]any)
		if u["state"] != "enabled" || u["isStateSetByMicrosoft"] != true || u["excludeAppsReceivingV2Tokens"] != true ||
			ids["nonDefaultUriAddition"].(map[string]any)["state"] != "disabled" {
			t.Fatalf("%s", r.raw)
		}
	})
}
