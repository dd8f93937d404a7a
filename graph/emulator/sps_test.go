package emulator

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestFirstPartyServicePrincipals(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	for _, fp := range firstPartyApps {
		r := call(t, s, tok, "GET", "/v1.0/servicePrincipals?$filter="+url.QueryEscape("appId eq '"+fp[0]+"'"), nil)
		expect(t, r, 200, "")
		v := r.body["value"].([]any)
		if len(v) != 1 || v[0].(map[string]any)["displayName"] != fp[1] || v[0].(map[string]any)["appOwnerOrganizationId"] != microsoftTenantID {
			t.Fatalf("%s: %s", fp[0], r.raw)
		}
	}
	r := call(t, s, tok, "GET", "/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=id,displayName", nil)
	if r.status != 200 || r.body["displayName"] != "Microsoft Graph" || len(r.body) != 3 {
		t.Fatalf("%s", r.raw)
	}
	r = call(t, s, tok, "GET", "/v1.0/servicePrincipals?$filter="+url.QueryEscape("startswith(displayName,'power')"), nil)
	if len(r.body["value"].([]any)) != 2 {
		t.Fatalf("%s", r.raw)
	}
	expect(t, call(t, s, tok, "GET", "/v1.0/servicePrincipals?$filter="+url.QueryEscape("appOwnerOrganizationId eq 'x'"), nil), 400, "Request_UnsupportedQuery")
	// a first-party SP cannot be created twice
	expect(t, call(t, s, tok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": "a672d62c-fc7b-4e81-a576-e60dc46e951d"}), 409, "Request_MultipleObjectsWithSameKeyValue")
	// reading needs an application read permission
	userRead := signIn(t, s, "User.Read")
	expect(t, call(t, s, userRead, "GET", "/v1.0/servicePrincipals", nil), 403, "Authorization_RequestDenied")
}

func TestServicePrincipalCreate(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	_, appID := createApp(t, s, tok, map[string]any{"displayName": "Contoso API"})
	missing := "11111111-2222-4333-8444-555555555555"
	r := call(t, s, tok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": missing})
	expect(t, r, 400, "Request_BadRequest")
	if r.errMessage() != "The appId '"+missing+"' of the service principal does not reference a valid application object." {
		t.Fatal(r.errMessage())
	}
	expect(t, call(t, s, tok, "POST", "/v1.0/servicePrincipals", map[string]any{}), 400, "Request_BadRequest")
	expect(t, call(t, s, tok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": appID, "bogus": 1}), 400, "Request_BadRequest")
	expect(t, call(t, s, tok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": appID, "appDisplayName": "x"}), 400, "Request_BadRequest")
	r = call(t, s, tok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": appID, "tags": []string{"WindowsAzureActiveDirectoryIntegratedApp"}})
	expect(t, r, 201, "")
	if r.body["appId"] != appID || r.body["displayName"] != "Contoso API" || r.body["appOwnerOrganizationId"] != s.TenantID() ||
		r.body["servicePrincipalType"] != "Application" || len(r.body["tags"].([]any)) != 1 || r.body["@odata.context"] != s.URL()+"/v1.0/$metadata#servicePrincipals/$entity" {
		t.Fatalf("%s", r.raw)
	}
	id := r.body["id"].(string)
	r = call(t, s, tok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": appID})
	expect(t, r, 409, "Request_MultipleObjectsWithSameKeyValue")
	if want := "because the service principal name " + appID + " is already in use."; !strings.HasSuffix(r.errMessage(), want) {
		t.Fatalf("conflict message %q, want Graph's %q", r.errMessage(), want)
	}
	expect(t, call(t, s, tok, "GET", "/v1.0/servicePrincipals/"+id, nil), 200, "")
	expect(t, call(t, s, tok, "PATCH", "/v1.0/servicePrincipals/"+id, map[string]any{"appRoleAssignmentRequired": true}), 204, "")
	expect(t, call(t, s, tok, "PATCH", "/v1.0/servicePrincipals/"+id, map[string]any{"appId": missing}), 400, "Request_BadRequest")
	// the SP mirrors the application's scopes and identifier URIs
	call(t, s, tok, "PATCH", "/v1.0/applications(appId='"+appID+"')", map[string]any{"identifierUris": []string{"api://" + appID}, "api": map[string]any{"oauth2PermissionScopes": []any{scope("00000000-0000-4000-8000-000000000001", "Data.Read", true)}}})
	sp := call(t, s, tok, "GET", "/v1.0/servicePrincipals(appId='"+appID+"')", nil).body
	if len(sp["oauth2PermissionScopes"].([]any)) != 1 || len(sp["servicePrincipalNames"].([]any)) != 2 || sp["appRoleAssignmentRequired"] != true {
		t.Fatal(sp)
	}
	expect(t, call(t, s, tok, "DELETE", "/v1.0/servicePrincipals(appId='"+appID+"')", nil), 204, "")
	expect(t, call(t, s, tok, "GET", "/v1.0/servicePrincipals/"+id, nil), 404, "Request_ResourceNotFound")
}

func TestServicePrincipalUpsert(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	_, appID := createApp(t, s, tok, map[string]any{"displayName": "Contoso API"})
	p := "/v1.0/servicePrincipals(appId='" + appID + "')"
	expect(t, call(t, s, tok, "PATCH", p, map[string]any{"accountEnabled": true}), 404, "Request_ResourceNotFound")
	r := call(t, s, tok, "PATCH", p, map[string]any{"accountEnabled": true}, "Prefer", "create-if-missing")
	expect(t, r, 201, "")
	if r.body["appId"] != appID {
		t.Fatalf("%s", r.raw)
	}
	r = call(t, s, tok, "PATCH", p, map[string]any{"accountEnabled": true}, "Prefer", "create-if-missing")
	if r.status != 204 {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	missing := "11111111-2222-4333-8444-555555555555"
	expect(t, call(t, s, tok, "PATCH", "/v1.0/servicePrincipals(appId='"+missing+"')", map[string]any{}, "Prefer", "create-if-missing"), 400, "Request_BadRequest")
	if n := len(s.ServicePrincipals()); n != len(firstPartyApps)+1 {
		t.Fatalf("%d SPs", n)
	}
}

func TestReplicationLag(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)}
	s, tok := startSignedIn(t, Options{Now: clock.Now, ReplicationLag: 5 * time.Second, AccessTokenLifetime: 24 * time.Hour})
	r := call(t, s, tok, "PATCH", "/v1.0/applications(uniqueName='lagged')", map[string]any{"displayName": "L"}, "Prefer", "create-if-missing")
	expect(t, r, 201, "")
	id, appID := r.body["id"].(string), r.body["appId"].(string)
	for _, p := range []string{"/v1.0/applications/" + id, "/v1.0/applications(appId='" + appID + "')", "/v1.0/applications(uniqueName='lagged')", "/v1.0/applications/" + id + "/owners"} {
		expect(t, call(t, s, tok, "GET", p, nil), 404, "Request_ResourceNotFound")
	}
	if v := call(t, s, tok, "GET", "/v1.0/applications?$filter="+url.QueryEscape("uniqueName eq 'lagged'"), nil).body["value"].([]any); len(v) != 0 {
		t.Fatal("listed during lag")
	}
	expect(t, call(t, s, tok, "PATCH", "/v1.0/applications/"+id, map[string]any{"notes": "x"}), 404, "Request_ResourceNotFound")
	expect(t, call(t, s, tok, "DELETE", "/v1.0/applications/"+id, nil), 404, "Request_ResourceNotFound")
	// the retried upsert must not create a duplicate
	// (Graph answers this conflict with 400 Request_BadRequest and names
	// the key only in the message.)
	r = call(t, s, tok, "PATCH", "/v1.0/applications(uniqueName='lagged')", map[string]any{"displayName": "L"}, "Prefer", "create-if-missing")
	expect(t, r, 400, "Request_BadRequest")
	if !strings.Contains(string(r.raw), "Another object with the same value for property uniqueName already exists.") {
		t.Fatalf("conflict message: %s", r.raw)
	}
	// An SP for the app that has not replicated: Graph refuses it with a
	// 403 or with a 400, depending on the replica; the emulator alternates.
	r = call(t, s, tok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": appID})
	expect(t, r, 403, "Authorization_RequestDenied")
	if !strings.Contains(r.errMessage(), "the backing application of the service principal being created must in the local tenant") {
		t.Fatal(r.errMessage())
	}
	expect(t, call(t, s, tok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": appID}), 400, "Request_BadRequest")
	if len(s.Applications()) != 1 {
		t.Fatal("duplicate")
	}
	clock.Add(5 * time.Second)
	expect(t, call(t, s, tok, "GET", "/v1.0/applications/"+id, nil), 200, "")
	expect(t, call(t, s, tok, "PATCH", "/v1.0/applications(uniqueName='lagged')", map[string]any{"displayName": "L"}, "Prefer", "create-if-missing"), 204, "")

	// service principals lag too
	r = call(t, s, tok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": appID})
	expect(t, r, 201, "")
	spID := r.body["id"].(string)
	expect(t, call(t, s, tok, "GET", "/v1.0/servicePrincipals/"+spID, nil), 404, "Request_ResourceNotFound")
	expect(t, call(t, s, tok, "PATCH", "/v1.0/servicePrincipals(appId='"+appID+"')", map[string]any{}, "Prefer", "create-if-missing"), 409, "Request_MultipleObjectsWithSameKeyValue")
	clock.Add(5 * time.Second)
	expect(t, call(t, s, tok, "GET", "/v1.0/servicePrincipals(appId='"+appID+"')", nil), 200, "")
}

func TestSeed(t *testing.T) {
	s, tok := startSignedIn(t, Options{ReplicationLag: time.Hour})
	const fixedApp = "22222222-3333-4444-8555-666666666666"
	id, appID, err := s.SeedApplication(map[string]any{"displayName": "Seeded", "appId": fixedApp, "identifierUris": []string{"api://" + fixedApp},
		"api": map[string]any{"oauth2PermissionScopes": []any{scope("00000000-0000-4000-8000-000000000001", "Data.Read", true)}}})
	if err != nil || appID != fixedApp {
		t.Fatal(err, appID)
	}
	// not subject to lag
	expect(t, call(t, s, tok, "GET", "/v1.0/applications/"+id, nil), 200, "")
	if _, _, err := s.SeedApplication(map[string]any{"displayName": "x", "bogus": true}); err == nil {
		t.Fatal("seed not validated")
	}
	if _, _, err := s.SeedApplication(map[string]any{"displayName": "x", "identifierUris": []string{"https://fabrikam.com"}}); err == nil {
		t.Fatal("seed not validated against the URI policy")
	}
	spID, err := s.SeedServicePrincipal(fixedApp, "")
	if err != nil {
		t.Fatal(err)
	}
	sp := call(t, s, tok, "GET", "/v1.0/servicePrincipals/"+spID, nil)
	if sp.status != 200 || sp.body["displayName"] != "Seeded" || len(sp.body["oauth2PermissionScopes"].([]any)) != 1 {
		t.Fatalf("%s", sp.raw)
	}
	if _, err := s.SeedServicePrincipal(fixedApp, "again"); err == nil {
		t.Fatal("duplicate SP seeded")
	}
	if _, err := s.SeedServicePrincipal("33333333-3333-4444-8555-666666666666", "Other tenant app"); err != nil {
		t.Fatal(err)
	}
}

// TestCollectionRouting pins the path edges of the shared collection
// router: which keys and navigations each set accepts and which segment
// an error names.
func TestCollectionRouting(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	id, appID := createApp(t, s, tok, map[string]any{"displayName": "Routing", "uniqueName": "routing"})
	spID := call(t, s, tok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": appID}).body["id"].(string)
	for _, c := range []struct{ method, path, seg string }{
		{"GET", "/v1.0/applications/" + id + "/members", "members"},
		{"GET", "/v1.0/applications/" + id + "/owners/x", "x"},
		{"GET", "/v1.0/applications(appId='" + appID + "')/owners/x", "x"},
		{"GET", "/v1.0/applications(displayName='Routing')", "applications(displayName='Routing')"},
		{"GET", "/v1.0/servicePrincipals/" + spID + "/owners", "owners"},
		{"GET", "/v1.0/servicePrincipals(appId='" + appID + "')/owners", "owners"},
		{"GET", "/v1.0/servicePrincipals(uniqueName='routing')", "servicePrincipals(uniqueName='routing')"},
	} {
		r := call(t, s, tok, c.method, c.path, nil)
		expect(t, r, 400, "BadRequest")
		if want := "Resource not found for the segment '" + c.seg + "'."; r.errMessage() != want {
			t.Fatalf("%s: %q, want %q", c.path, r.errMessage(), want)
		}
	}
	expect(t, call(t, s, tok, "POST", "/v1.0/applications/"+id+"/owners", map[string]any{}), 405, "Request_BadRequest")
	expect(t, call(t, s, tok, "GET", "/v1.0/applications(uniqueName='routing')/owners", nil), 200, "")
	expect(t, call(t, s, tok, "PUT", "/v1.0/servicePrincipals/"+spID, map[string]any{}), 405, "Request_BadRequest")
	expect(t, call(t, s, tok, "PATCH", "/v1.0/servicePrincipals/11111111-2222-4333-8444-555555555555", map[string]any{}, "Prefer", "create-if-missing"), 404, "Request_ResourceNotFound")
}
