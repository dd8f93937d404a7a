package emulator

import "testing"

// A user without an admin role may create a limited number of objects
// (250 in Entra; 3 here), soft-deleted ones included; purging frees them;
// an Application Administrator is not limited.
func TestUserObjectQuota(t *testing.T) {
	s, tok := startSignedIn(t, Options{UserObjectQuota: 3, UserRoles: []string{"Application Developer"}})
	id1, appID := createApp(t, s, tok, map[string]any{"displayName": "One"})
	expect(t, call(t, s, tok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": appID}), 201, "")
	id3, _ := createApp(t, s, tok, map[string]any{"displayName": "Three"})
	r := call(t, s, tok, "POST", "/v1.0/applications", map[string]any{"displayName": "Four"})
	expect(t, r, 400, "Directory_QuotaExceeded")
	if r.errMessage() != "The directory object quota limit for the Principal has been exceeded. Please ask your administrator to increase the quota limit or delete objects to reduce the used quota." {
		t.Fatal(r.errMessage())
	}
	// Deleting does not help: deleted items still count (the app and its SP).
	expect(t, call(t, s, tok, "DELETE", "/v1.0/applications/"+id1, nil), 204, "")
	expect(t, call(t, s, tok, "PATCH", "/v1.0/applications(uniqueName='four')", map[string]any{"displayName": "Four"}, "Prefer", "create-if-missing"), 400, "Directory_QuotaExceeded")
	// Purging does.
	expect(t, call(t, s, tok, "DELETE", "/v1.0/directory/deletedItems/"+id1, nil), 204, "")
	createApp(t, s, tok, map[string]any{"displayName": "Four"})
	_ = id3

	admin, atok := startSignedIn(t, Options{UserObjectQuota: 1, UserRoles: []string{"Application Administrator"}})
	createApp(t, admin, atok, map[string]any{"displayName": "A"})
	createApp(t, admin, atok, map[string]any{"displayName": "B"})
}
