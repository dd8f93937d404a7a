package steps

import "slices"

// PatchHolds reports whether app already holds everything p would write.
// After a write whose answer was lost, it tells "our write got through"
// (carry on) from "someone else's object is there" (read again and plan).
func PatchHolds(app *App, p AppPatch) bool {
	if app == nil {
		return false
	}
	if p.DisplayName != nil && *p.DisplayName != app.DisplayName {
		return false
	}
	if p.SignInAudience != nil && *p.SignInAudience != app.SignInAudience {
		return false
	}
	if p.IdentifierURIs != nil && !sameFold(*p.IdentifierURIs, app.IdentifierURIs) {
		return false
	}
	if p.Scopes != nil {
		if len(*p.Scopes) != len(app.Scopes) {
			return false
		}
		for _, s := range *p.Scopes {
			got := app.ScopeByID(s.ID)
			if got == nil || *got != withID(s, got.ID) {
				return false
			}
		}
	}
	if p.PreAuthorized != nil {
		if len(*p.PreAuthorized) != len(app.PreAuthorized) {
			return false
		}
		for _, x := range *p.PreAuthorized {
			got := app.PreAuthorizedFor(x.AppID)
			if got == nil || !sameFold(x.DelegatedPermissionIDs, got.DelegatedPermissionIDs) {
				return false
			}
		}
	}
	return true
}

// withID is s with the id spelled as the directory stores it.
func withID(s Scope, id string) Scope { s.ID = id; return s }

// sameFold compares two lists as sets, case-insensitively.
func sameFold(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !containsFold(b, x) {
			return false
		}
	}
	return slices.IndexFunc(b, func(y string) bool { return !containsFold(a, y) }) < 0
}
