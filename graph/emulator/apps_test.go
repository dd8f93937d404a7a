package emulator

import (
	"net/url"
	"strings"
	"testing"
)

func TestCreateApplicationDefaults(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	r := call(t, s, tok, "POST", "/v1.0/applications", map[string]any{"@odata.type": "#microsoft.graph.application", "displayName": "Contoso API"})
	expect(t, r, 201, "")
	b := r.body
	api := b["api"].(map[string]any)
	if !isGUID(b["id"].(string)) || !isGUID(b["appId"].(string)) || b["id"] == b["appId"] || strings.ToLower(b["id"].(string)) != b["id"] ||
		b["publisherDomain"] != "contoso.onmicrosoft.com" || b["signInAudience"] != "AzureADMyOrg" || b["createdDateTime"] == nil ||
		len(b["identifierUris"].([]any)) != 0 || api["requestedAccessTokenVersion"] != nil || len(api["oauth2PermissionScopes"].([]any)) != 0 ||
		len(api["preAuthorizedApplications"].([]any)) != 0 || len(api["knownClientApplications"].([]any)) != 0 ||
		b["@odata.context"] != s.URL()+"/v1.0/$metadata#applications/$entity" || r.header.Get("Location") == "" {
		t.Fatalf("%s", r.raw)
	}
	if _, ok := b["@odata.type"]; ok {
		t.Fatal("annotation stored")
	}
	id := b["id"].(string)
	own := call(t, s, tok, "GET", "/v1.0/applications/"+id+"/owners", nil)
	expect(t, own, 200, "")
	owners := own.body["value"].([]any)
	if len(owners) != 1 || owners[0].(map[string]any)["id"] != userObjectID || owners[0].(map[string]any)["@odata.type"] != "#microsoft.graph.user" {
		t.Fatalf("%s", own.raw)
	}
	if apps := s.Applications(); len(apps) != 1 || apps[0]["id"] != id {
		t.Fatal(apps)
	}
	// Applications() hands out copies
	s.Applications()[0]["displayName"] = "changed"
	if s.Applications()[0]["displayName"] != "Contoso API" {
		t.Fatal("not a deep copy")
	}
}

func TestAddressingAndNotFound(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	id, appID := createApp(t, s, tok, map[string]any{"displayName": "A", "uniqueName": "pq/a b"})
	for _, p := range []string{
		"/v1.0/applications/" + id,
		"/v1.0/applications/" + strings.ToUpper(id),
		"/v1.0/applications(appId='" + appID + "')",
		"/v1.0/applications(appId='" + strings.ToUpper(appID) + "')",
		"/v1.0/applications(uniqueName='pq%2Fa%20b')",
		"/v1.0/applications%28uniqueName=%27pq%2Fa%20b%27%29",
	} {
		r := call(t, s, tok, "GET", p, nil)
		if r.status != 200 || r.body["id"] != id {
			t.Fatalf("%s: %d %s", p, r.status, r.raw)
		}
	}
	missing := "11111111-2222-4333-8444-555555555555"
	for _, p := range []string{"/v1.0/applications/" + missing, "/v1.0/applications(appId='" + missing + "')", "/v1.0/applications/" + missing + "/owners"} {
		r := call(t, s, tok, "GET", p, nil)
		expect(t, r, 404, "Request_ResourceNotFound")
		if r.errMessage() != "Resource '"+missing+"' does not exist or one of its queried reference-property objects are not present." {
			t.Fatal(r.errMessage())
		}
	}
	expect(t, call(t, s, tok, "GET", "/v1.0/applications(uniqueName='nope')", nil), 404, "Request_ResourceNotFound")
	expect(t, call(t, s, tok, "GET", "/v1.0/applications/not-a-guid", nil), 400, "Request_BadRequest")
	r := call(t, s, tok, "GET", "/v1.0/applicationz", nil)
	expect(t, r, 400, "BadRequest")
	if r.errMessage() != "Resource not found for the segment 'applicationz'." {
		t.Fatal(r.errMessage())
	}
	expect(t, call(t, s, tok, "GET", "/v1.0/applications/"+id+"/extensionProperties", nil), 400, "BadRequest")
	expect(t, call(t, s, tok, "GET", "/v1.0/applications(displayName='A')", nil), 400, "BadRequest")
	expect(t, call(t, s, tok, "PUT", "/v1.0/applications/"+id, map[string]any{}), 405, "Request_BadRequest")
	expect(t, call(t, s, tok, "DELETE", "/v1.0/applications", nil), 405, "Request_BadRequest")
	expect(t, call(t, s, tok, "POST", "/v1.0/me", map[string]any{}), 405, "Request_BadRequest")
}

func TestFiltersSelectTop(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	_, a1 := createApp(t, s, tok, map[string]any{"displayName": "Contoso API", "uniqueName": "u1"})
	createApp(t, s, tok, map[string]any{"displayName": "Contoso Web"})
	createApp(t, s, tok, map[string]any{"displayName": "O'Brien"})
	call(t, s, tok, "PATCH", "/v1.0/applications(appId='"+a1+"')", map[string]any{"identifierUris": []string{"api://" + a1}})

	count := func(filter string) int {
		t.Helper()
		r := call(t, s, tok, "GET", "/v1.0/applications?$filter="+url.QueryEscape(filter), nil)
		expect(t, r, 200, "")
		return len(r.body["value"].([]any))
	}
	for filter, want := range map[string]int{
		"appId eq '" + a1 + "'":                         1,
		"displayName eq 'contoso api'":                  1,
		"displayName eq 'O''Brien'":                     1,
		"startswith(displayName,'Contoso')":             2,
		"startswith(displayName, 'contoso w')":          1,
		"identifierUris/any(x:x eq 'api://" + a1 + "')": 1,
		"identifierUris/any(c: c eq 'api://nothing')":   0,
		"uniqueName eq 'U1'":                            1,
	} {
		if got := count(filter); got != want {
			t.Errorf("%s: %d, want %d", filter, got, want)
		}
	}
	for _, bad := range []string{
		"displayName ne 'x'", "endswith(displayName,'x')", "identifierUris/any(x:y eq 'a')", "appId eq 'a' and displayName eq 'b'",
		"notes eq 'x'", "displayName eq x",
	} {
		r := call(t, s, tok, "GET", "/v1.0/applications?$filter="+url.QueryEscape(bad), nil)
		expect(t, r, 400, "Request_UnsupportedQuery")
	}
	r := call(t, s, tok, "GET", "/v1.0/applications?$select=id,appId&$filter="+url.QueryEscape("appId eq '"+a1+"'"), nil)
	expect(t, r, 200, "")
	v := r.body["value"].([]any)[0].(map[string]any)
	if len(v) != 2 || v["appId"] != a1 || r.body["@odata.context"] != s.URL()+"/v1.0/$metadata#applications(id,appId)" {
		t.Fatalf("%s", r.raw)
	}
	r = call(t, s, tok, "GET", "/v1.0/applications(appId='"+a1+"')?$select=identifierUris", nil)
	if len(r.body) != 2 || r.body["identifierUris"] == nil {
		t.Fatalf("%s", r.raw)
	}
	expect(t, call(t, s, tok, "GET", "/v1.0/applications?$select=id,bogus", nil), 400, "BadRequest")
	expect(t, call(t, s, tok, "GET", "/v1.0/applications?$top=0", nil), 400, "Request_BadRequest")
	expect(t, call(t, s, tok, "GET", "/v1.0/applications?$top=1000", nil), 400, "Request_BadRequest")
	expect(t, call(t, s, tok, "GET", "/v1.0/applications?$orderby=displayName", nil), 400, "Request_UnsupportedQuery")
	expect(t, call(t, s, tok, "GET", "/v1.0/applications/"+"11111111-2222-4333-8444-555555555555"+"?$filter=x", nil), 400, "BadRequest")

	// paging
	r = call(t, s, tok, "GET", "/v1.0/applications?$top=2", nil)
	next, _ := r.body["@odata.nextLink"].(string)
	if len(r.body["value"].([]any)) != 2 || next == "" {
		t.Fatalf("%s", r.raw)
	}
	r = call(t, s, tok, "GET", strings.TrimPrefix(next, s.URL()), nil)
	if len(r.body["value"].([]any)) != 1 || r.body["@odata.nextLink"] != nil {
		t.Fatalf("%s", r.raw)
	}
}

func TestPatchUpsertDelete(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	r := call(t, s, tok, "PATCH", "/v1.0/applications(uniqueName='pq-contoso')", map[string]any{"displayName": "PQ"})
	expect(t, r, 404, "Request_ResourceNotFound")
	r = call(t, s, tok, "PATCH", "/v1.0/applications(uniqueName='pq-contoso')", map[string]any{"displayName": "PQ"}, "Prefer", "create-if-missing")
	expect(t, r, 201, "")
	if r.body["uniqueName"] != "pq-contoso" || r.body["displayName"] != "PQ" || r.body["appId"] == nil {
		t.Fatalf("%s", r.raw)
	}
	id := r.body["id"].(string)
	r = call(t, s, tok, "PATCH", "/v1.0/applications(uniqueName='pq-contoso')", map[string]any{"displayName": "PQ 2"}, "Prefer", "create-if-missing")
	if r.status != 204 || len(r.raw) != 0 {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	if len(s.Applications()) != 1 || s.Applications()[0]["displayName"] != "PQ 2" {
		t.Fatal(s.Applications())
	}
	// upsert by appId cannot create (the service assigns appIds)
	r = call(t, s, tok, "PATCH", "/v1.0/applications(appId='11111111-2222-4333-8444-555555555555')", map[string]any{"displayName": "x"}, "Prefer", "create-if-missing")
	expect(t, r, 400, "Request_BadRequest")
	// body uniqueName must match the key
	r = call(t, s, tok, "PATCH", "/v1.0/applications(uniqueName='other')", map[string]any{"displayName": "x", "uniqueName": "different"}, "Prefer", "create-if-missing")
	expect(t, r, 400, "Request_BadRequest")
	expect(t, call(t, s, tok, "PATCH", "/v1.0/applications/"+id, map[string]any{"notes": "n"}), 204, "")
	expect(t, call(t, s, tok, "DELETE", "/v1.0/applications/"+id, nil), 204, "")
	expect(t, call(t, s, tok, "DELETE", "/v1.0/applications/"+id, nil), 404, "Request_ResourceNotFound")
	expect(t, call(t, s, tok, "GET", "/v1.0/applications/"+id, nil), 404, "Request_ResourceNotFound")
}

func TestUsersCannotRegisterApps(t *testing.T) {
	s, tok := startSignedIn(t, Options{UsersCannotRegisterApps: true})
	expect(t, call(t, s, tok, "POST", "/v1.0/applications", map[string]any{"displayName": "x"}), 403, "Authorization_RequestDenied")
	expect(t, call(t, s, tok, "PATCH", "/v1.0/applications(uniqueName='x')", map[string]any{"displayName": "x"}, "Prefer", "create-if-missing"), 403, "Authorization_RequestDenied")
	// existing apps can still be updated by their owner
	id, _, err := s.SeedApplication(map[string]any{"displayName": "seeded"})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, call(t, s, tok, "PATCH", "/v1.0/applications/"+id, map[string]any{"notes": "ok"}), 204, "")
}

func TestMergeVersusReplace(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	id, appID := createApp(t, s, tok, map[string]any{
		"displayName":    "A",
		"identifierUris": []string{},
		"api":            map[string]any{"oauth2PermissionScopes": []any{scope("00000000-0000-4000-8000-000000000001", "Data.Read", true)}},
	})
	p := "/v1.0/applications/" + id
	expect(t, call(t, s, tok, "PATCH", p, map[string]any{"identifierUris": []string{"api://" + appID, "api://" + appID + "/two"}}), 204, "")
	// api merges: scopes survive a PATCH that only sets other api properties
	expect(t, call(t, s, tok, "PATCH", p, map[string]any{"api": map[string]any{"requestedAccessTokenVersion": 2, "knownClientApplications": []string{"A672D62C-FC7B-4E81-A576-E60DC46E951D"}, "acceptMappedClaims": true}}), 204, "")
	a := call(t, s, tok, "GET", p, nil).body
	api := a["api"].(map[string]any)
	if len(api["oauth2PermissionScopes"].([]any)) != 1 || api["requestedAccessTokenVersion"] != float64(2) || api["acceptMappedClaims"] != true ||
		api["knownClientApplications"].([]any)[0] != "a672d62c-fc7b-4e81-a576-e60dc46e951d" {
		t.Fatalf("%v", api)
	}
	// collections replace wholesale
	expect(t, call(t, s, tok, "PATCH", p, map[string]any{"identifierUris": []string{"api://" + appID + "/three"}}), 204, "")
	if uris := call(t, s, tok, "GET", p, nil).body["identifierUris"].([]any); len(uris) != 1 || uris[0] != "api://"+appID+"/three" {
		t.Fatal(uris)
	}
	expect(t, call(t, s, tok, "PATCH", p, map[string]any{"api": map[string]any{"requestedAccessTokenVersion": 3}}), 400, "Request_BadRequest")
	expect(t, call(t, s, tok, "PATCH", p, map[string]any{"api": map[string]any{"requestedAccessTokenVersion": nil}}), 204, "")
	expect(t, call(t, s, tok, "PATCH", p, map[string]any{"web": map[string]any{"implicitGrantSettings": map[string]any{"enableIdTokenIssuance": true}}}), 204, "")
	web := call(t, s, tok, "GET", p, nil).body["web"].(map[string]any)
	if ig := web["implicitGrantSettings"].(map[string]any); ig["enableIdTokenIssuance"] != true || ig["enableAccessTokenIssuance"] != false || web["redirectUris"] == nil {
		t.Fatal(web)
	}
}
