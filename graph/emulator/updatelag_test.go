package emulator

import (
	"testing"
	"time"
)

// Entra replicates updates too (Options.UpdateLag): right after a PATCH,
// reads and the checks of the next PATCH see the app as it was. The two
// failures connector tools meet: a preauthorization of a scope added a
// moment ago, and the removal of a scope disabled a moment ago.
func TestUpdateLag(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	s, tok := startSignedIn(t, Options{Now: clock.Now, UpdateLag: 5 * time.Second})
	id, _ := createApp(t, s, tok, map[string]any{"displayName": "Lagging Updates"})
	p := "/v1.0/applications/" + id
	const g1 = "11111111-1111-4111-8111-111111111111"
	api := func(scopes []any, pre []any) map[string]any {
		return map[string]any{"api": map[string]any{"oauth2PermissionScopes": scopes, "preAuthorizedApplications": pre}}
	}
	preauth := []any{map[string]any{"appId": "a672d62c-fc7b-4e81-a576-e60dc46e951d", "delegatedPermissionIds": []any{g1}}}

	expect(t, call(t, s, tok, "PATCH", p, api([]any{scope(g1, "Data.Read", true)}, []any{})), 204, "")
	// Reads still show the app without the scope.
	r := call(t, s, tok, "GET", p, nil)
	if n := len(r.body["api"].(map[string]any)["oauth2PermissionScopes"].([]any)); n != 0 {
		t.Fatalf("a read during the lag sees %d scopes", n)
	}
	r = call(t, s, tok, "PATCH", p, api([]any{scope(g1, "Data.Read", true)}, preauth))
	expect(t, r, 400, "InvalidValue")
	if r.errMessage() != "Property api.preAuthorizedApplications.delegatedPermissionIds has a Permission Id that cannot be found in the AppPermissions sets." {
		t.Fatal(r.errMessage())
	}
	clock.Add(5 * time.Second)
	expect(t, call(t, s, tok, "PATCH", p, api([]any{scope(g1, "Data.Read", true)}, preauth)), 204, "")
	clock.Add(5 * time.Second)

	// Disable, then at once remove: the replica still holds it enabled.
	expect(t, call(t, s, tok, "PATCH", p, api([]any{scope(g1, "Data.Read", false)}, []any{})), 204, "")
	r = call(t, s, tok, "PATCH", p, api([]any{}, []any{}))
	expect(t, r, 400, "CannotDeleteOrUpdateEnabledEntitlement")
	clock.Add(5 * time.Second)
	expect(t, call(t, s, tok, "PATCH", p, api([]any{}, []any{})), 204, "")
	clock.Add(5 * time.Second)
	r = call(t, s, tok, "GET", p, nil)
	if n := len(r.body["api"].(map[string]any)["oauth2PermissionScopes"].([]any)); n != 0 {
		t.Fatalf("%d scopes left", n)
	}

	// Without the knob, updates are visible at once (the default).
	s2, tok2 := startSignedIn(t, Options{})
	id2, _ := createApp(t, s2, tok2, map[string]any{"displayName": "Quick"})
	expect(t, call(t, s2, tok2, "PATCH", "/v1.0/applications/"+id2, api([]any{scope(g1, "Data.Read", true)}, []any{})), 204, "")
	expect(t, call(t, s2, tok2, "PATCH", "/v1.0/applications/"+id2, api([]any{scope(g1, "Data.Read", true)}, preauth)), 204, "")
}

// Deletes and restores replicate too (Options.UpdateLag): right after a
// DELETE the app (and its service principal) still read as live and are
// not in deleted items — a purge or restore of it is 404 — and right after
// a restore the app is not found yet. Writes see the directory as it is.
func TestDeleteAndRestoreReplicate(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	s, tok := startSignedIn(t, Options{Now: clock.Now, UpdateLag: 5 * time.Second})
	id, appID := createApp(t, s, tok, map[string]any{"displayName": "Lagging Delete"})
	expect(t, call(t, s, tok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": appID}), 201, "")
	clock.Add(5 * time.Second)

	expect(t, call(t, s, tok, "DELETE", "/v1.0/applications/"+id, nil), 204, "")
	expect(t, call(t, s, tok, "GET", "/v1.0/applications/"+id, nil), 200, "")
	expect(t, call(t, s, tok, "GET", "/v1.0/servicePrincipals(appId='"+appID+"')", nil), 200, "")
	if r := call(t, s, tok, "GET", "/v1.0/applications?$filter=displayName%20eq%20'Lagging%20Delete'", nil); len(r.body["value"].([]any)) != 1 {
		t.Fatalf("a list during the lag: %v", r.body)
	}
	expect(t, call(t, s, tok, "DELETE", "/v1.0/applications/"+id, nil), 404, "Request_ResourceNotFound")
	if r := call(t, s, tok, "GET", "/v1.0/directory/deletedItems/microsoft.graph.application", nil); len(r.body["value"].([]any)) != 0 {
		t.Fatalf("deleted items during the lag: %v", r.body)
	}
	expect(t, call(t, s, tok, "POST", "/v1.0/directory/deletedItems/"+id+"/restore", nil), 404, "Request_ResourceNotFound")
	expect(t, call(t, s, tok, "DELETE", "/v1.0/directory/deletedItems/"+id, nil), 404, "Request_ResourceNotFound")

	clock.Add(5 * time.Second)
	expect(t, call(t, s, tok, "GET", "/v1.0/applications/"+id, nil), 404, "Request_ResourceNotFound")
	expect(t, call(t, s, tok, "GET", "/v1.0/servicePrincipals(appId='"+appID+"')", nil), 404, "Request_ResourceNotFound")
	expect(t, call(t, s, tok, "POST", "/v1.0/directory/deletedItems/"+id+"/restore", nil), 200, "")
	// Restored, it is not found at once.
	expect(t, call(t, s, tok, "GET", "/v1.0/applications/"+id, nil), 404, "Request_ResourceNotFound")
	clock.Add(5 * time.Second)
	expect(t, call(t, s, tok, "GET", "/v1.0/applications/"+id, nil), 200, "")
}
