package emulator

import "strings"

// Other users of the tenant, as owners of applications: a test plants an
// app registered by someone else (a colleague, or someone squatting on the
// name pqentra would use) and checks that pqentra leaves it alone. They
// never sign in; they only appear in GET /applications/{id}/owners.

// OtherUser is a user of the tenant other than the signed-in one.
type OtherUser struct {
	ID          string // object id (GUID)
	DisplayName string
	UPN         string
}

// SetOwners replaces the owners of the application with that object id:
// the signed-in user when me is true, then others. It reports whether the
// application exists.
func (s *Server) SetOwners(objectID string, me bool, others ...OtherUser) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.findApp("id", strings.ToLower(objectID))
	if o == nil {
		return false
	}
	o.owners = nil
	if me {
		o.owners = append(o.owners, s.userID)
	}
	if s.otherUsers == nil {
		s.otherUsers = map[string]OtherUser{}
	}
	for _, u := range others {
		id := strings.ToLower(u.ID)
		s.otherUsers[id] = u
		o.owners = append(o.owners, id)
	}
	return true
}

// ownerObject is the user object GET …/owners lists for an owner id, or
// nil for an id the emulator does not know.
func (s *Server) ownerObject(id string) map[string]any {
	if id == s.userID {
		return s.user()
	}
	u, ok := s.otherUsers[id]
	if !ok {
		return nil
	}
	return map[string]any{
		"id": id, "displayName": u.DisplayName, "userPrincipalName": u.UPN, "mail": u.UPN,
		"businessPhones": []any{}, "givenName": nil, "surname": nil, "jobTitle": nil,
		"mobilePhone": nil, "officeLocation": nil, "preferredLanguage": nil,
	}
}

// mayChangeApp: with delegated permissions Graph lets the signed-in user
// change or delete an application only when they own it or hold a role
// that may change any app; otherwise 403 Authorization_RequestDenied
// "Insufficient privileges to complete the operation." (docs/graph-rules.md).
func (s *Server) mayChangeApp(o *dirObject) *graphError {
	for _, id := range o.owners {
		if id == s.userID {
			return nil
		}
	}
	if s.userHoldsRole("Cloud Application Administrator", "Application Administrator", "Global Administrator", "Hybrid Identity Administrator") {
		return nil
	}
	return errDenied()
}
