package emulator

import "testing"

// With delegated permissions a user may change or delete only the apps
// they own, unless they hold a role that may change any app; everyone may
// still read them.
func TestOnlyOwnersOrAppAdminsChangeAnApp(t *testing.T) {
	for _, c := range []struct {
		roles []string
		may   bool
	}{
		{nil, false},
		{[]string{"Application Developer"}, false},
		{[]string{"Application Administrator"}, true},
		{[]string{"Cloud Application Administrator"}, true},
	} {
		s, tok := startSignedIn(t, Options{UserRoles: c.roles})
		id, _, err := s.SeedApplication(map[string]any{"displayName": "Theirs"})
		if err != nil {
			t.Fatal(err)
		}
		s.SetOwners(id, false, OtherUser{ID: "7c6b5a49-3827-4615-8a4b-3c2d1e0f9a8b", DisplayName: "Mallory", UPN: "mallory@contoso.com"})
		expect(t, call(t, s, tok, "GET", "/v1.0/applications/"+id, nil), 200, "")
		owners := call(t, s, tok, "GET", "/v1.0/applications/"+id+"/owners", nil)
		if v, _ := owners.body["value"].([]any); len(v) != 1 || v[0].(map[string]any)["userPrincipalName"] != "mallory@contoso.com" {
			t.Fatalf("owners %s", owners.raw)
		}
		patch := call(t, s, tok, "PATCH", "/v1.0/applications/"+id, map[string]any{"notes": "mine now"})
		del := call(t, s, tok, "DELETE", "/v1.0/applications/"+id, nil)
		if c.may {
			expect(t, patch, 204, "")
			expect(t, del, 204, "")
			continue
		}
		expect(t, patch, 403, "Authorization_RequestDenied")
		expect(t, del, 403, "Authorization_RequestDenied")
		if s.Applications()[0]["notes"] != nil {
			t.Errorf("roles %v: the refused PATCH changed the app", c.roles)
		}
		// As an owner the same user may.
		s.SetOwners(id, true)
		expect(t, call(t, s, tok, "PATCH", "/v1.0/applications/"+id, map[string]any{"notes": "mine"}), 204, "")
	}
}
