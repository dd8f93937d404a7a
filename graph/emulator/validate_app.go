package emulator

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
)

// Business rules for application objects, as the directory enforces them.

var signInAudiences = map[string]bool{
	"AzureADMyOrg": true, "AzureADMultipleOrgs": true,
	"AzureADandPersonalMicrosoftAccount": true, "PersonalMicrosoftAccount": true,
}

// appChange is one validated write: the stored object before it (nil on
// create), the (annotation-free) body, and the merged result.
type appChange struct {
	before, body, after map[string]any
	selfID              string // object id of the app being written
}

// validateApplication checks the merged result and the rules that depend on
// what was stored before the request.
func (s *Server) validateApplication(c appChange) *graphError {
	a := c.after
	name, _ := a["displayName"].(string)
	if n := len([]rune(name)); n < 1 || n > 256 {
		return invalidValue(applicationType, "displayName")
	}
	if aud, _ := a["signInAudience"].(string); !signInAudiences[aud] {
		return invalidValue(applicationType, "signInAudience")
	}
	if gerr := s.checkUniqueName(c); gerr != nil {
		return gerr
	}
	if gerr := s.checkIdentifierURIs(c); gerr != nil {
		return gerr
	}
	api, _ := a["api"].(map[string]any)
	if v := api["requestedAccessTokenVersion"]; v != nil && v != float64(1) && v != float64(2) {
		return invalidValue(apiApplicationType, "requestedAccessTokenVersion")
	}
	if gerr := uniqueGUIDs(stringsOf(api["knownClientApplications"]), "knownClientApplications"); gerr != nil {
		return gerr
	}
	if gerr := checkScopes(objectsOf(api["oauth2PermissionScopes"])); gerr != nil {
		return gerr
	}
	if gerr := checkAppRoles(objectsOf(a["appRoles"])); gerr != nil {
		return gerr
	}
	if c.before != nil {
		beforeAPI, _ := c.before["api"].(map[string]any)
		if bodyAPI, ok := c.body["api"].(map[string]any); ok {
			if _, touched := bodyAPI["oauth2PermissionScopes"]; touched {
				if gerr := checkEnabledEntitlements(objectsOf(beforeAPI["oauth2PermissionScopes"]), objectsOf(api["oauth2PermissionScopes"])); gerr != nil {
					return gerr
				}
			}
		}
		if _, touched := c.body["appRoles"]; touched {
			if gerr := checkEnabledEntitlements(objectsOf(c.before["appRoles"]), objectsOf(a["appRoles"])); gerr != nil {
				return gerr
			}
		}
	}
	if gerr := checkPreAuthorized(c); gerr != nil {
		return gerr
	}
	return checkRequiredResourceAccess(objectsOf(a["requiredResourceAccess"]))
}

func uniqueGUIDs(ids []string, prop string) *graphError {
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[strings.ToLower(id)] {
			return errBadRequest("The value '%s' appears more than once in property '%s'.", id, prop)
		}
		seen[strings.ToLower(id)] = true
	}
	return nil
}

// keyHolders are the applications whose uniqueName and identifier URIs no
// other application may take: the live ones, and the ones in deleted
// items, which keep theirs for the 30 days they can be restored (Graph
// answers the same 400 as for a live app). s.mu is held.
func (s *Server) keyHolders() []*dirObject {
	s.purgeExpired()
	out := append([]*dirObject{}, s.apps...)
	for _, d := range s.deleted {
		if d.set.set == "applications" { // (not == applications: an initialization cycle)
			out = append(out, d.o)
		}
	}
	return out
}

func (s *Server) checkUniqueName(c appChange) *graphError {
	after, _ := c.after["uniqueName"].(string)
	if c.before != nil {
		if before, _ := c.before["uniqueName"].(string); before != "" && before != after {
			return errBadRequest("Property 'uniqueName' is immutable once set and cannot be changed.")
		}
	}
	if c.after["uniqueName"] == nil {
		return nil
	}
	if n := len([]rune(after)); n < 1 || n > 256 || strings.TrimSpace(after) != after {
		return invalidValue(applicationType, "uniqueName")
	}
	for _, o := range s.keyHolders() {
		if o.obj["id"] == c.selfID {
			continue
		}
		if u, _ := o.obj["uniqueName"].(string); strings.EqualFold(u, after) {
			return errKeyTaken("uniqueName")
		}
	}
	return nil
}

// checkIdentifierURIs enforces URI syntax, uniqueness (in the app and in
// the tenant) and the default app ID URI policy: the URI must carry a
// unique tenant identifier — the appId, the tenant id or a verified domain.
func (s *Server) checkIdentifierURIs(c appChange) *graphError {
	uris := stringsOf(c.after["identifierUris"])
	appID, _ := c.after["appId"].(string)
	multi := multitenantAudience(asString(c.after["signInAudience"]))
	seen := map[string]bool{}
	for _, u := range uris {
		if u == "" || len(u) > 255 || strings.Contains(u, "*") {
			return invalidValue(applicationType, "identifierUris")
		}
		pu, err := url.Parse(u)
		if err != nil || !pu.IsAbs() || (pu.Host == "" && pu.Opaque == "") || strings.ContainsAny(u, " \t\r\n") {
			return invalidValue(applicationType, "identifierUris")
		}
		if !s.identifierURIAllowed(pu, appID, multi) {
			return newGraphError(http.StatusBadRequest, "HostNameNotOnVerifiedDomain",
				"Values of identifierUris property must use a verified domain of the organization or its subdomain: '%s'", u)
		}
		if gerr := s.checkAppManagementPolicy(c, pu, u); gerr != nil {
			return gerr
		}
		key := strings.ToLower(u)
		if seen[key] {
			return errKeyTaken("identifierUris")
		}
		seen[key] = true
	}
	for _, o := range s.keyHolders() {
		if o.obj["id"] == c.selfID {
			continue
		}
		for _, other := range stringsOf(o.obj["identifierUris"]) {
			if seen[strings.ToLower(other)] {
				return errKeyTaken("identifierUris")
			}
		}
	}
	return nil
}

// identifierURIAllowed: the forms Entra accepts. A multitenant app's URI
// must be unique in every tenant, so only api://{appId} or a host on one of
// the publisher's verified domains will do (api://{tenantId}/x and
// api://x/{appId} are refused, also when an app is switched to
// multitenant while it has them).
func (s *Server) identifierURIAllowed(u *url.URL, appID string, multitenant bool) bool {
	host := strings.ToLower(u.Host)
	path := u.EscapedPath()
	switch strings.ToLower(u.Scheme) {
	case "api":
		// A path, when present, must name something ("/x", not "/").
		if path == "/" || strings.HasSuffix(path, "//") {
			return false
		}
		if multitenant {
			return (appID != "" && strings.EqualFold(host, appID) && path == "") || s.onVerifiedDomain(host)
		}
		// A single-tenant app may use any api:// URI; the app management
		// policy (appmgmt.go), on in most tenants, then asks for a unique
		// tenant identifier in a new one.
		if host == s.opts.TenantID {
			return path != "" // api://{tenantId} alone names no app
		}
		return true
	case "https":
		return u.Port() == "" && s.onVerifiedDomain(host)
	}
	return false
}

// multitenantAudience: audiences that let other tenants' users sign in.
func multitenantAudience(aud string) bool {
	return aud == "AzureADMultipleOrgs" || aud == "AzureADandPersonalMicrosoftAccount"
}

// onVerifiedDomain: host is a verified domain of the tenant or a subdomain.
func (s *Server) onVerifiedDomain(host string) bool {
	for _, d := range s.opts.VerifiedDomains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// entitlementValueOK: a scope/role value is 1–120 characters from Entra's allowed set, not starting
// with '.'; no spaces.
func entitlementValueOK(v string) bool {
	if v == "" || len(v) > 120 || v[0] == '.' {
		return false
	}
	for _, r := range v {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune(":!#$%&'()*+,-./;=?@[]^_{}~", r):
		default:
			return false
		}
	}
	return true
}

func checkScopes(scopes []map[string]any) *graphError {
	ids, values := map[string]bool{}, map[string]bool{}
	for _, sc := range scopes {
		id, _ := sc["id"].(string)
		if id == "" {
			return errBadRequest("Property 'id' is required for each permission in 'oauth2PermissionScopes'.")
		}
		if ids[strings.ToLower(id)] {
			return errBadRequest("The id '%s' of a permission in 'oauth2PermissionScopes' is used more than once. Permission ids must be unique.", id)
		}
		ids[strings.ToLower(id)] = true
		v, _ := sc["value"].(string)
		if !entitlementValueOK(v) {
			return invalidValue(permissionScopeType, "value")
		}
		if values[strings.ToLower(v)] {
			return errBadRequest("The value '%s' of a permission in 'oauth2PermissionScopes' is used more than once. Permission values must be unique.", v)
		}
		values[strings.ToLower(v)] = true
		if t, _ := sc["type"].(string); t != "User" && t != "Admin" {
			return invalidValue(permissionScopeType, "type")
		}
		for _, p := range []string{"adminConsentDisplayName", "adminConsentDescription"} {
			if s, _ := sc[p].(string); strings.TrimSpace(s) == "" {
				return errBadRequest("Property '%s' is required for the permission '%s'.", p, v)
			}
		}
	}
	return nil
}

func checkAppRoles(roles []map[string]any) *graphError {
	ids, values := map[string]bool{}, map[string]bool{}
	for _, r := range roles {
		id, _ := r["id"].(string)
		if id == "" || ids[strings.ToLower(id)] {
			return invalidValue(appRoleType, "id")
		}
		ids[strings.ToLower(id)] = true
		if v, ok := r["value"].(string); ok && v != "" {
			if !entitlementValueOK(v) || values[strings.ToLower(v)] {
				return invalidValue(appRoleType, "value")
			}
			values[strings.ToLower(v)] = true
		}
		types := stringsOf(r["allowedMemberTypes"])
		if len(types) == 0 {
			return invalidValue(appRoleType, "allowedMemberTypes")
		}
		for _, t := range types {
			if t != "User" && t != "Application" {
				return invalidValue(appRoleType, "allowedMemberTypes")
			}
		}
		for _, p := range []string{"displayName", "description"} {
			if s, _ := r[p].(string); strings.TrimSpace(s) == "" {
				return invalidValue(appRoleType, p)
			}
		}
	}
	return nil
}

// checkEnabledEntitlements: an enabled stored scope/role may not be removed
// or changed, except to disable it with nothing else changing.
func checkEnabledEntitlements(before, after []map[string]any) *graphError {
	byID := map[string]map[string]any{}
	for _, e := range after {
		id, _ := e["id"].(string)
		byID[strings.ToLower(id)] = e
	}
	for _, old := range before {
		if enabled, _ := old["isEnabled"].(bool); !enabled {
			continue
		}
		id, _ := old["id"].(string)
		nw, ok := byID[strings.ToLower(id)]
		if !ok {
			return errEnabledEntitlement()
		}
		a, b := comparable(old), comparable(nw)
		if reflect.DeepEqual(a, b) {
			continue
		}
		b["isEnabled"] = true // the one allowed change: enabled -> disabled
		if nwEnabled, _ := nw["isEnabled"].(bool); !nwEnabled && reflect.DeepEqual(a, b) {
			continue
		}
		return errEnabledEntitlement()
	}
	return nil
}

func errEnabledEntitlement() *graphError {
	return newGraphError(http.StatusBadRequest, "CannotDeleteOrUpdateEnabledEntitlement",
		"Permission (scope or role) cannot be deleted or updated unless disabled first.")
}

// comparable is an entitlement without server-managed fields, ids lowercased.
func comparable(e map[string]any) map[string]any {
	c := deepCopy(e)
	delete(c, "origin")
	if id, ok := c["id"].(string); ok {
		c["id"] = strings.ToLower(id)
	}
	return c
}

// checkPreAuthorized: appIds are GUIDs, unique; every delegated permission
// id names a scope that was stored on the app before this request (a scope
// added by the same request does not count) and that still exists.
func checkPreAuthorized(c appChange) *graphError {
	api, _ := c.after["api"].(map[string]any)
	pre := objectsOf(api["preAuthorizedApplications"])
	afterScopes := scopeIDs(api)
	var beforeScopes map[string]bool
	if c.before != nil {
		beforeAPI, _ := c.before["api"].(map[string]any)
		beforeScopes = scopeIDs(beforeAPI)
	}
	bodyAPI, _ := c.body["api"].(map[string]any)
	_, preTouched := bodyAPI["preAuthorizedApplications"]
	seen := map[string]bool{}
	for _, p := range pre {
		appID, _ := p["appId"].(string)
		if !isGUID(appID) {
			return invalidValue(preAuthorizedApplicationType, "appId")
		}
		if seen[strings.ToLower(appID)] {
			return errBadRequest("The application '%s' appears more than once in 'preAuthorizedApplications'.", appID)
		}
		seen[strings.ToLower(appID)] = true
		ids := stringsOf(p["delegatedPermissionIds"])
		if len(ids) == 0 {
			return invalidValue(preAuthorizedApplicationType, "delegatedPermissionIds")
		}
		for _, id := range ids {
			if !isGUID(id) {
				return invalidValue(preAuthorizedApplicationType, "delegatedPermissionIds")
			}
			known := afterScopes[strings.ToLower(id)]
			if preTouched {
				known = known && beforeScopes[strings.ToLower(id)]
			}
			if !known {
				return errUnknownPermissionID()
			}
		}
	}
	return nil
}

// errUnknownPermissionID is Graph's answer to a preauthorization naming a
// scope id the app does not hold (yet): the message names no id.
func errUnknownPermissionID() *graphError {
	return newGraphError(http.StatusBadRequest, "InvalidValue",
		"Property api.preAuthorizedApplications.delegatedPermissionIds has a Permission Id that cannot be found in the AppPermissions sets.")
}

func scopeIDs(api map[string]any) map[string]bool {
	out := map[string]bool{}
	for _, sc := range objectsOf(api["oauth2PermissionScopes"]) {
		if id, ok := sc["id"].(string); ok {
			out[strings.ToLower(id)] = true
		}
	}
	return out
}

func checkRequiredResourceAccess(rra []map[string]any) *graphError {
	for _, r := range rra {
		if id, _ := r["resourceAppId"].(string); !isGUID(id) {
			return invalidValue(requiredResourceAccessType, "resourceAppId")
		}
		for _, ra := range objectsOf(r["resourceAccess"]) {
			if t, _ := ra["type"].(string); t != "Scope" && t != "Role" {
				return invalidValue(resourceAccessType, "type")
			}
			if ra["id"] == nil {
				return invalidValue(resourceAccessType, "id")
			}
		}
	}
	return nil
}
