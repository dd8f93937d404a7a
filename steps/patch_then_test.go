package steps

import "testing"

// Two PATCHes sent in turn store what the second sends over what the first
// did; Graph replaces collections wholesale, so an empty list in the second
// wins over the first's entries.
func TestAppPatchThen(t *testing.T) {
	name, aud, key := "A", "AzureADMyOrg", "pqentra-x"
	uris := []string{"api://x"}
	scopes := []Scope{{ID: "1", Value: "Data.Read"}}
	first := AppPatch{DisplayName: &name, IdentifierURIs: &uris, Scopes: &scopes}
	none := []Scope{}
	second := AppPatch{SignInAudience: &aud, UniqueName: &key, Scopes: &none}
	got := first.Then(second)
	if got.DisplayName != &name || got.IdentifierURIs != &uris || got.SignInAudience != &aud || got.UniqueName != &key {
		t.Errorf("fields the second patch does not send must stay, and the ones it sends must win: %+v", got)
	}
	if got.Scopes == nil || len(*got.Scopes) != 0 {
		t.Errorf("the second patch's empty scope list must replace the first's: %+v", got.Scopes)
	}
	if got.PreAuthorized != nil {
		t.Errorf("a field neither patch sends must stay unsent")
	}
	if first.Scopes != &scopes {
		t.Errorf("Then changed its receiver")
	}
}
