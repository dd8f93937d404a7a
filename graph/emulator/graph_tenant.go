package emulator

import (
	"net/http"
)

// /me, /organization and /policies/authorizationPolicy: read-only views of
// the emulated user and tenant.

func (s *Server) user() map[string]any {
	return map[string]any{
		"id":                s.userID,
		"displayName":       s.opts.UserName,
		"userPrincipalName": s.opts.UserUPN,
		"mail":              s.opts.UserUPN,
		"businessPhones":    []any{},
		"givenName":         nil,
		"surname":           nil,
		"jobTitle":          nil,
		"mobilePhone":       nil,
		"officeLocation":    nil,
		"preferredLanguage": nil,
	}
}

func (s *Server) routeMe(g *graphRequest) {
	if len(g.segs) > 1 {
		s.routeMeNavigation(g)
		return
	}
	if g.r.Method != http.MethodGet {
		g.fail(errMethod())
		return
	}
	q, gerr := parseQuery(g.r, userType, filterSupport{}, false, "User")
	if gerr != nil {
		g.fail(gerr)
		return
	}
	out := q.project(s.user())
	out["@odata.context"] = s.url + "/v1.0/$metadata#users/$entity"
	writeGraphJSON(g.w, g.r, http.StatusOK, out)
}

func (s *Server) organization() map[string]any {
	var domains []any
	for i, d := range s.opts.VerifiedDomains {
		caps := "None"
		if i == 0 {
			caps = "Email, OfficeCommunicationsOnline"
		}
		domains = append(domains, map[string]any{
			"capabilities": caps,
			"isDefault":    i == 0,
			"isInitial":    i == 0,
			"name":         d,
			"type":         "Managed",
		})
	}
	return map[string]any{
		"id":                s.opts.TenantID,
		"displayName":       s.opts.TenantName,
		"verifiedDomains":   domains,
		"tenantType":        "AAD",
		"countryLetterCode": "US",
		"createdDateTime":   "2020-01-01T00:00:00Z",
	}
}

func (s *Server) routeOrganization(g *graphRequest) {
	if g.r.Method != http.MethodGet {
		g.fail(errMethod())
		return
	}
	if len(g.segs) > 2 {
		g.fail(errSegment(g.segs[2]))
		return
	}
	q, gerr := parseQuery(g.r, organizationType, filterSupport{}, len(g.segs) == 1, "Organization")
	if gerr != nil {
		g.fail(gerr)
		return
	}
	org := s.organization()
	if len(g.segs) == 2 {
		if g.segs[1] != s.opts.TenantID {
			g.fail(errNotFound(g.segs[1]))
			return
		}
		s.writeEntity(g.w, g.r, http.StatusOK, "organization", q, org)
		return
	}
	s.writeCollection(g.w, g.r, "organization", q, []map[string]any{org})
}

// routePolicies serves GET /policies/authorizationPolicy. Reading it needs
// Policy.Read.All (or Policy.ReadWrite.Authorization), as in real Graph.
func (s *Server) routePolicies(g *graphRequest) {
	if len(g.segs) < 2 {
		g.fail(errSegment("policies"))
		return
	}
	if g.segs[1] == "defaultAppManagementPolicy" && len(g.segs) == 2 {
		s.routeAppManagementPolicy(g)
		return
	}
	if g.segs[1] != "authorizationPolicy" || len(g.segs) > 2 {
		g.fail(errSegment(g.segs[len(g.segs)-1]))
		return
	}
	if g.r.Method != http.MethodGet {
		g.fail(errMethod())
		return
	}
	if !g.tok.has("Policy.Read.All", "Policy.ReadWrite.Authorization") {
		g.fail(errDenied())
		return
	}
	grants := []any{}
	if s.userConsentAllowed {
		grants = append(grants, "ManagePermissionGrantsForSelf.microsoft-user-default-legacy")
	}
	writeGraphJSON(g.w, g.r, http.StatusOK, map[string]any{
		"@odata.context":                         s.url + "/v1.0/$metadata#policies/authorizationPolicy/$entity",
		"id":                                     "authorizationPolicy",
		"displayName":                            "Authorization Policy",
		"description":                            "Used to manage authorization related settings across the company.",
		"allowInvitesFrom":                       "everyone",
		"allowedToSignUpEmailBasedSubscriptions": true,
		"allowedToUseSSPR":                       true,
		"allowEmailVerifiedUsersToJoinOrganization": false,
		"blockMsolPowerShell":                       false,
		"guestUserRoleId":                           "10dae51f-b6af-4016-8d66-8c2a99b929b3",
		"defaultUserRolePermissions": map[string]any{
			"allowedToCreateApps":                      !s.opts.UsersCannotRegisterApps,
			"allowedToCreateSecurityGroups":            true,
			"allowedToCreateTenants":                   true,
			"allowedToReadBitlockerKeysForOwnedDevice": true,
			"allowedToReadOtherUsers":                  true,
			"permissionGrantPoliciesAssigned":          grants,
		},
	})
}
