package emulator

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestDeleteApplicationCascadesToDeletedItems(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	s, tok := startSignedIn(t, Options{Now: clock.Now})
	id, appID := createApp(t, s, tok, map[string]any{"displayName": "Contoso API", "uniqueName": "contoso-api"})
	r := call(t, s, tok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": appID})
	expect(t, r, 201, "")
	spID := r.body["id"].(string)

	expect(t, call(t, s, tok, "DELETE", "/v1.0/applications/"+id, nil), 204, "")
	// Both are gone from the live sets …
	expect(t, call(t, s, tok, "GET", "/v1.0/applications/"+id, nil), 404, "Request_ResourceNotFound")
	expect(t, call(t, s, tok, "GET", "/v1.0/servicePrincipals(appId='"+appID+"')", nil), 404, "Request_ResourceNotFound")
	expect(t, call(t, s, tok, "DELETE", "/v1.0/applications/"+id, nil), 404, "Request_ResourceNotFound")
	// … and in deleted items, typed, with their deletion time.
	r = call(t, s, tok, "GET", "/v1.0/directory/deletedItems/microsoft.graph.application?$filter="+url.QueryEscape("appId eq '"+appID+"'"), nil)
	expect(t, r, 200, "")
	v := r.body["value"].([]any)
	if len(v) != 1 || v[0].(map[string]any)["id"] != id || v[0].(map[string]any)["deletedDateTime"] != "2026-03-01T10:00:00Z" {
		t.Fatalf("%s", r.raw)
	}
	r = call(t, s, tok, "GET", "/v1.0/directory/deletedItems/graph.servicePrincipal", nil) // the alias msgraph-sdk-go sends
	if v := r.body["value"].([]any); len(v) != 1 || v[0].(map[string]any)["id"] != spID {
		t.Fatalf("%s", r.raw)
	}
	r = call(t, s, tok, "GET", "/v1.0/directory/deletedItems/"+id, nil)
	if r.status != 200 || r.body["@odata.type"] != "#microsoft.graph.application" || r.body["uniqueName"] != "contoso-api" {
		t.Fatalf("%s", r.raw)
	}
	// No cast: refused, as by Graph. Unknown ids: Graph's 404 body.
	expect(t, call(t, s, tok, "GET", "/v1.0/directory/deletedItems", nil), 400, "Request_BadRequest")
	missing := "11111111-2222-4333-8444-555555555555"
	r = call(t, s, tok, "GET", "/v1.0/directory/deletedItems/"+missing, nil)
	expect(t, r, 404, "Request_ResourceNotFound")
	if r.errMessage() != "Resource '"+missing+"' does not exist or one of its queried reference-property objects are not present." {
		t.Fatal(r.errMessage())
	}
	expect(t, call(t, s, tok, "POST", "/v1.0/directory/deletedItems/"+missing+"/restore", nil), 404, "Request_ResourceNotFound")
	expect(t, call(t, s, tok, "GET", "/v1.0/directory/deletedItems/not-a-guid", nil), 400, "Request_BadRequest")
	expect(t, call(t, s, tok, "GET", "/v1.0/directory/other", nil), 400, "BadRequest")
	// Deleted groups and users exist in Graph; the emulator has none.
	r = call(t, s, tok, "GET", "/v1.0/directory/deletedItems/microsoft.graph.group", nil)
	if r.status != 200 || len(r.body["value"].([]any)) != 0 {
		t.Fatalf("%s", r.raw)
	}
	// Restoring the SP before its app: it has no application to belong to.
	expect(t, call(t, s, tok, "POST", "/v1.0/directory/deletedItems/"+spID+"/restore", nil), 400, "Request_BadRequest")
	// Restoring needs write permission.
	s.GrantAdminConsent(testClient, "Application.Read.All")
	readOnly := signIn(t, s, "https://graph.microsoft.com/Application.Read.All")
	expect(t, call(t, s, readOnly, "POST", "/v1.0/directory/deletedItems/"+id+"/restore", nil), 403, "Authorization_RequestDenied")
	expect(t, call(t, s, readOnly, "DELETE", "/v1.0/directory/deletedItems/"+id, nil), 403, "Authorization_RequestDenied")
	expect(t, call(t, s, readOnly, "GET", "/v1.0/directory/deletedItems/"+id, nil), 200, "")

	// Restore the app: back with all its properties; the SP stays deleted.
	r = call(t, s, tok, "POST", "/v1.0/directory/deletedItems/"+id+"/restore", nil)
	if r.status != 200 || r.body["@odata.type"] != "#microsoft.graph.application" || r.body["deletedDateTime"] != nil {
		t.Fatalf("%s", r.raw)
	}
	expect(t, call(t, s, tok, "GET", "/v1.0/applications(uniqueName='contoso-api')", nil), 200, "")
	expect(t, call(t, s, tok, "GET", "/v1.0/servicePrincipals(appId='"+appID+"')", nil), 404, "Request_ResourceNotFound")
	expect(t, call(t, s, tok, "POST", "/v1.0/directory/deletedItems/"+spID+"/restore", nil), 200, "")
	expect(t, call(t, s, tok, "GET", "/v1.0/servicePrincipals(appId='"+appID+"')", nil), 200, "")
	if n := len(s.DeletedItems()); n != 0 {
		t.Fatalf("%d deleted items left", n)
	}
}

func TestDeletedItemsPermanentDeleteAndConflicts(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	s, tok := startSignedIn(t, Options{Now: clock.Now})
	id, _ := createApp(t, s, tok, map[string]any{"displayName": "Contoso API", "uniqueName": "contoso-api",
		"identifierUris": []any{"https://contoso.com/api"}})
	expect(t, call(t, s, tok, "DELETE", "/v1.0/applications/"+id, nil), 204, "")
	// In deleted items the app keeps its unique name and identifier URIs:
	// no new app (nor an upsert) may take them.
	for _, body := range []map[string]any{
		{"displayName": "Contoso API 2", "uniqueName": "CONTOSO-API"},
		{"displayName": "Contoso API 3", "identifierUris": []any{"https://contoso.com/api"}},
	} {
		r := call(t, s, tok, "POST", "/v1.0/applications", body)
		expect(t, r, 400, "Request_BadRequest")
		if !strings.HasPrefix(r.errMessage(), "Another object with the same value for property ") {
			t.Fatal(r.errMessage())
		}
	}
	expect(t, call(t, s, tok, "PATCH", "/v1.0/applications(uniqueName='contoso-api')", map[string]any{"displayName": "Again"},
		"Prefer", "create-if-missing"), 400, "Request_BadRequest")
	// Permanent delete frees them.
	expect(t, call(t, s, tok, "DELETE", "/v1.0/directory/deletedItems/"+id, nil), 204, "")
	id2, _ := createApp(t, s, tok, map[string]any{"displayName": "Contoso API 2", "uniqueName": "contoso-api",
		"identifierUris": []any{"https://contoso.com/api"}})
	expect(t, call(t, s, tok, "DELETE", "/v1.0/directory/deletedItems/"+id, nil), 404, "Request_ResourceNotFound")
	// A live object is not a deleted item.
	expect(t, call(t, s, tok, "DELETE", "/v1.0/directory/deletedItems/"+id2, nil), 404, "Request_ResourceNotFound")
	// After 30 days a deleted item is gone for good.
	expect(t, call(t, s, tok, "DELETE", "/v1.0/applications/"+id2, nil), 204, "")
	clock.Add(31 * 24 * time.Hour)
	tok = signIn(t, s, scopeRW) // the old token expired meanwhile
	expect(t, call(t, s, tok, "GET", "/v1.0/directory/deletedItems/"+id2, nil), 404, "Request_ResourceNotFound")
	// and its keys are free again
	createApp(t, s, tok, map[string]any{"displayName": "Contoso API 4", "uniqueName": "contoso-api"})
}

func TestDeleteServicePrincipalAlone(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	_, appID := createApp(t, s, tok, map[string]any{"displayName": "Contoso API"})
	r := call(t, s, tok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": appID})
	spID := r.body["id"].(string)
	expect(t, call(t, s, tok, "DELETE", "/v1.0/servicePrincipals(appId='"+appID+"')", nil), 204, "")
	expect(t, call(t, s, tok, "GET", "/v1.0/applications(appId='"+appID+"')", nil), 200, "")
	r = call(t, s, tok, "GET", "/v1.0/directory/deletedItems/"+spID, nil)
	if r.status != 200 || r.body["@odata.type"] != "#microsoft.graph.servicePrincipal" {
		t.Fatalf("%s", r.raw)
	}
	// A new SP for the app, then the old one cannot be restored beside it.
	expect(t, call(t, s, tok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": appID}), 201, "")
	expect(t, call(t, s, tok, "POST", "/v1.0/directory/deletedItems/"+spID+"/restore", nil), 409, "Request_MultipleObjectsWithSameKeyValue")
}

// Deleted items outlive the process with the demo's state file, so an undo
// in one run can be restored in the next.
func TestDeletedItemsArePersisted(t *testing.T) {
	state := t.TempDir() + "/demo.json"
	s, tok := startSignedIn(t, Options{StateFile: state})
	id, _ := createApp(t, s, tok, map[string]any{"displayName": "Kept Across Runs", "uniqueName": "kept-across-runs"})
	expect(t, call(t, s, tok, "DELETE", "/v1.0/applications/"+id, nil), 204, "")
	s.Close()
	s2, tok2 := startSignedIn(t, Options{StateFile: state})
	if d := s2.DeletedItems(); len(d) != 1 || d[0]["id"] != id || d[0]["@odata.type"] != "#microsoft.graph.application" {
		t.Fatalf("deleted items after a restart: %v", d)
	}
	expect(t, call(t, s2, tok2, "POST", "/v1.0/directory/deletedItems/"+id+"/restore", nil), 200, "")
	expect(t, call(t, s2, tok2, "GET", "/v1.0/applications(uniqueName='kept-across-runs')", nil), 200, "")
}
