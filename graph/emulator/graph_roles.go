package emulator

import (
	"net/http"
	"strings"
)

// /me/transitiveMemberOf/microsoft.graph.directoryRole (and memberOf): the
// directory roles the signed-in user holds (Options.UserRoles). Graph lets
// any token with User.Read (or more) list the caller's own memberships.

// directoryRoleTemplates are the built-in roles pqentra cares about, by
// display name, with their fixed template ids.
var directoryRoleTemplates = map[string]string{
	"Global Administrator":            "62e90394-69f5-4237-9190-012177145e10",
	"Application Administrator":       "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
	"Cloud Application Administrator": "158c047a-c907-4556-b7ef-446551a6b5f7",
	"Application Developer":           "cf1c38e5-3621-4004-a7cb-879624dced7c",
	"Directory Readers":               "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
}

var directoryRoleType = &typeDef{name: "microsoft.graph.directoryRole", short: "DirectoryRole", props: map[string]*propDef{
	"id": ro(str()), "displayName": str(), "description": str(), "roleTemplateId": str(), "deletedDateTime": str(),
}}

// readsOwnMemberships: User.Read and every permission above it.
func readsOwnMemberships(t *accessToken) bool {
	return t.has("User.Read", "User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All",
		"Directory.ReadWrite.All", "Directory.AccessAsUser.All", "GroupMember.Read.All", "RoleManagement.Read.Directory")
}

// routeMeNavigation serves /me/memberOf and /me/transitiveMemberOf, alone
// or cast to directory roles (microsoft.graph.directoryRole, or the
// graph.directoryRole alias). The user belongs to no groups or
// administrative units here, so both list the user's roles. A cast on a
// membership is an advanced query (advanced.go): without
// "ConsistencyLevel: eventual" and $count=true, Graph refuses it.
func (s *Server) routeMeNavigation(g *graphRequest) {
	nav := g.segs[1]
	cast := len(g.segs) == 3
	if nav != "transitiveMemberOf" && nav != "memberOf" || len(g.segs) > 3 ||
		cast && g.segs[2] != "microsoft.graph.directoryRole" && g.segs[2] != "graph.directoryRole" {
		g.fail(errSegment(g.segs[len(g.segs)-1]))
		return
	}
	if g.r.Method != http.MethodGet {
		g.fail(errMethod())
		return
	}
	if !readsOwnMemberships(g.tok) {
		g.fail(errDenied())
		return
	}
	q, gerr := parseQuery(g.r, directoryRoleType, filterSupport{}, true, "DirectoryRole")
	if gerr != nil {
		g.fail(gerr)
		return
	}
	if cast {
		if gerr := requireAdvanced(q); gerr != nil {
			g.fail(gerr)
			return
		}
	}
	var roles []map[string]any
	for _, name := range s.opts.UserRoles {
		tmpl := directoryRoleTemplates[name]
		if tmpl == "" {
			tmpl = newGUID()
		}
		roles = append(roles, map[string]any{
			"@odata.type":     "#microsoft.graph.directoryRole",
			"id":              roleObjectID(tmpl),
			"deletedDateTime": nil,
			"displayName":     name,
			"description":     name + " (emulated role)",
			"roleTemplateId":  tmpl,
		})
	}
	s.writeCollection(g.w, g.r, "directoryObjects", q, roles)
}

// roleObjectID derives the activated role's object id from its template,
// so it is stable within a tenant.
func roleObjectID(template string) string {
	return "0" + strings.TrimPrefix(template, template[:1])
}

// userHoldsRole reports whether the user holds one of the named roles.
func (s *Server) userHoldsRole(names ...string) bool {
	for _, r := range s.opts.UserRoles {
		for _, n := range names {
			if strings.EqualFold(r, n) {
				return true
			}
		}
	}
	return false
}

// mayRegisterApps: the tenant lets users register apps, or the user holds
// a role that may.
func (s *Server) mayRegisterApps() bool {
	return !s.opts.UsersCannotRegisterApps ||
		s.userHoldsRole("Application Developer", "Cloud Application Administrator", "Application Administrator", "Global Administrator")
}

// ClearOwners leaves an application without owners, as one registered by
// someone who has since left: the signed-in user is not among them.
func (s *Server) ClearOwners(objectID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.apps {
		if o.obj["id"] == objectID {
			o.owners = nil
			return true
		}
	}
	return false
}
