package emulator

import "net/http"

// The per-user object quota. A user who holds no admin role may create at
// most 250 directory objects (Application Developers included), and the
// ones in deleted items count until they are purged (30 days). The next
// create is refused with 400 Directory_QuotaExceeded. Sources:
// docs/graph-rules.md.

// quotaExemptRoles may create more objects.
var quotaExemptRoles = []string{"Global Administrator", "Application Administrator", "Cloud Application Administrator"}

const defaultUserObjectQuota = 250

// checkQuota refuses one more object from a user at the quota; s.mu is
// held.
func (s *Server) checkQuota() *graphError {
	if s.userHoldsRole(quotaExemptRoles...) {
		return nil
	}
	limit := s.opts.UserObjectQuota
	if limit <= 0 {
		limit = defaultUserObjectQuota
	}
	if s.objectsCreatedBy(s.userID) < limit {
		return nil
	}
	return newGraphError(http.StatusBadRequest, "Directory_QuotaExceeded",
		"The directory object quota limit for the Principal has been exceeded. Please ask your administrator to increase the quota limit or delete objects to reduce the used quota.")
}

// objectsCreatedBy counts the objects user created, live or in deleted
// items; s.mu is held.
func (s *Server) objectsCreatedBy(user string) int {
	s.purgeExpired()
	n := 0
	count := func(o *dirObject) {
		if o.createdBy == user {
			n++
		}
	}
	for _, o := range s.apps {
		count(o)
	}
	for _, o := range s.sps {
		count(o)
	}
	for _, d := range s.deleted {
		count(d.o)
	}
	return n
}
