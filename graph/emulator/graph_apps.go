package emulator

import (
	"errors"
	"net/http"
	"strings"
	"time"
)

// /applications: what is particular to applications (defaults,
// normalization, validation hooks, owners, seeding). The HTTP handlers are
// the shared ones in collection.go.

var appFilters = filterSupport{
	eq:         map[string]bool{"appId": true, "displayName": true, "uniqueName": true},
	startsWith: map[string]bool{"displayName": true},
	anyEq:      map[string]bool{"identifierUris": true},
}

// canReadApps / canWriteApps: the delegated permissions Graph requires.
func canReadApps(t *accessToken) bool {
	return t.has("Application.ReadWrite.All", "Application.Read.All", "Directory.Read.All", "Directory.ReadWrite.All")
}

func canWriteApps(t *accessToken) bool { return t.has("Application.ReadWrite.All") }

// applications is /applications. Only uniqueName upserts: a new
// application's appId is assigned by the service. DELETE moves the
// application, and its service principal in this tenant, to deleted items
// (graph_deleted.go), as Entra does.
var applications = &collection{
	set:         "applications",
	kind:        "Application",
	typ:         applicationType,
	filters:     appFilters,
	keys:        []string{"appId", "uniqueName"},
	navigations: map[string]func(*Server, *graphRequest, *dirObject, string){"owners": (*Server).listOwners},
	mayDelete:   (*Server).mayChangeApp,
	canRead:     canReadApps,
	canWrite:    canWriteApps,
	objects:     func(s *Server) *[]*dirObject { return &s.apps },
	create:      func(s *Server, body map[string]any) (*dirObject, *graphError) { return s.createApp(body, "") },
	update:      (*Server).updateApp,
	upsert:      (*Server).upsertApp,
}

// findApp finds an application by id, appId or uniqueName, visible or not.
func (s *Server) findApp(prop, val string) *dirObject { return findObject(s.apps, prop, val) }

// upsertApp creates the application addressed by prop = val.
func (s *Server) upsertApp(prop, val string, body map[string]any, lagging bool) (*dirObject, *graphError) {
	if lagging {
		// The object exists but this replica cannot see it (typically the
		// create whose answer was lost, sent again): creating would
		// duplicate it, so the directory refuses, as for any taken key.
		return nil, errKeyTaken(prop)
	}
	if prop != "uniqueName" {
		return nil, errBadRequest("Upsert (Prefer: create-if-missing) of an application is supported only by uniqueName; the appId of a new application is assigned by the service.")
	}
	return s.createApp(body, val)
}

func (s *Server) listOwners(g *graphRequest, o *dirObject, key string) {
	q, gerr := parseQuery(g.r, userType, filterSupport{}, true, "User")
	if gerr != nil {
		g.fail(gerr)
		return
	}
	if o == nil {
		g.fail(errNotFound(key))
		return
	}
	var owners []map[string]any
	for _, id := range o.owners {
		if u := s.ownerObject(id); u != nil {
			owners = append(owners, u)
		}
	}
	start := min(q.skip, len(owners))
	end := min(start+q.top, len(owners))
	page := []any{}
	for _, u := range owners[start:end] {
		p := q.project(u)
		p["@odata.type"] = "#microsoft.graph.user"
		page = append(page, p)
	}
	writeGraphJSON(g.w, g.r, http.StatusOK, map[string]any{
		"@odata.context": s.url + "/v1.0/$metadata#directoryObjects",
		"value":          page,
	})
}

// newApplicationDefaults is every property a new application reads back
// with, before the create body is applied.
func (s *Server) newApplicationDefaults() map[string]any {
	return map[string]any{
		"id":                                newGUID(),
		"appId":                             newGUID(),
		"createdDateTime":                   s.now().UTC().Format(time.RFC3339),
		"publisherDomain":                   s.defaultDomain(),
		"deletedDateTime":                   nil,
		"addIns":                            []any{},
		"applicationTemplateId":             nil,
		"appRoles":                          []any{},
		"authenticationBehaviors":           nil,
		"certification":                     nil,
		"defaultRedirectUri":                nil,
		"description":                       nil,
		"disabledByMicrosoftStatus":         nil,
		"displayName":                       nil,
		"groupMembershipClaims":             nil,
		"identifierUris":                    []any{},
		"isDeviceOnlyAuthSupported":         nil,
		"isFallbackPublicClient":            nil,
		"keyCredentials":                    []any{},
		"nativeAuthenticationApisEnabled":   nil,
		"notes":                             nil,
		"oauth2RequirePostResponse":         false,
		"optionalClaims":                    nil,
		"passwordCredentials":               []any{},
		"requestSignatureVerification":      nil,
		"requiredResourceAccess":            []any{},
		"samlMetadataUrl":                   nil,
		"serviceManagementReference":        nil,
		"servicePrincipalLockConfiguration": nil,
		"signInAudience":                    "AzureADMyOrg",
		"tags":                              []any{},
		"tokenEncryptionKeyId":              nil,
		"uniqueName":                        nil,
		"verifiedPublisher":                 map[string]any{"displayName": nil, "verifiedPublisherId": nil, "addedDateTime": nil},
		"api":                               defaultAPI(),
		"info":                              map[string]any{"logoUrl": nil, "marketingUrl": nil, "privacyStatementUrl": nil, "supportUrl": nil, "termsOfServiceUrl": nil},
		"parentalControlSettings":           map[string]any{"countriesBlockedForMinors": []any{}, "legalAgeGroupRule": "Allow"},
		"publicClient":                      map[string]any{"redirectUris": []any{}},
		"spa":                               map[string]any{"redirectUris": []any{}},
		"web": map[string]any{
			"homePageUrl": nil, "logoutUrl": nil, "redirectUris": []any{}, "redirectUriSettings": []any{},
			"implicitGrantSettings": map[string]any{"enableAccessTokenIssuance": false, "enableIdTokenIssuance": false},
		},
	}
}

func defaultAPI() map[string]any {
	return map[string]any{
		"acceptMappedClaims": nil, "knownClientApplications": []any{}, "requestedAccessTokenVersion": nil,
		"oauth2PermissionScopes": []any{}, "preAuthorizedApplications": []any{},
	}
}

// normalizeApp fills server defaults inside collections and lowercases
// GUIDs, as the directory stores them.
func normalizeApp(a map[string]any) {
	if api, ok := a["api"].(map[string]any); ok {
		for k, v := range defaultAPI() {
			if _, present := api[k]; !present {
				api[k] = v
			}
		}
		for _, sc := range objectsOf(api["oauth2PermissionScopes"]) {
			normalizeEntitlement(sc, "adminConsentDescription", "adminConsentDisplayName", "userConsentDescription", "userConsentDisplayName", "type", "value")
		}
		for _, p := range objectsOf(api["preAuthorizedApplications"]) {
			lowerString(p, "appId")
			if _, ok := p["delegatedPermissionIds"]; !ok {
				p["delegatedPermissionIds"] = []any{}
			}
			lowerStrings(p["delegatedPermissionIds"])
		}
		lowerStrings(api["knownClientApplications"])
	}
	for _, r := range objectsOf(a["appRoles"]) {
		normalizeEntitlement(r, "description", "displayName", "value")
		if _, ok := r["allowedMemberTypes"]; !ok {
			r["allowedMemberTypes"] = []any{}
		}
	}
}

func normalizeEntitlement(e map[string]any, nullable ...string) {
	lowerString(e, "id")
	if _, ok := e["isEnabled"]; !ok {
		e["isEnabled"] = true // Graph's default for a new permission
	}
	if _, ok := e["origin"]; !ok {
		e["origin"] = "Application"
	}
	for _, k := range nullable {
		if _, ok := e[k]; !ok {
			e[k] = nil
		}
	}
}

func lowerString(m map[string]any, k string) {
	if s, ok := m[k].(string); ok && isGUID(s) {
		m[k] = strings.ToLower(s)
	}
}

func lowerStrings(v any) {
	list, _ := v.([]any)
	for i, e := range list {
		if s, ok := e.(string); ok && isGUID(s) {
			list[i] = strings.ToLower(s)
		}
	}
}

// createApp validates and stores a new application; uniqueName is the
// upsert key (or ""). The creator becomes its owner.
func (s *Server) createApp(body map[string]any, uniqueName string) (*dirObject, *graphError) {
	if !s.mayRegisterApps() {
		return nil, errDenied()
	}
	a := s.newApplicationDefaults()
	if uniqueName != "" {
		if v, ok := body["uniqueName"]; ok && v != uniqueName {
			return nil, errBadRequest("The value of property 'uniqueName' in the request body does not match the key in the request URL.")
		}
		a["uniqueName"] = uniqueName
	}
	mergePatch(applicationType, a, body)
	normalizeApp(a)
	if gerr := s.validateApplication(appChange{body: body, after: a, selfID: a["id"].(string)}); gerr != nil {
		return nil, gerr
	}
	if gerr := s.checkQuota(); gerr != nil {
		return nil, gerr
	}
	o := &dirObject{obj: a, visibleAt: s.now().Add(s.opts.ReplicationLag), owners: []string{s.userID}, createdBy: s.userID}
	s.apps = append(s.apps, o)
	return o, nil
}

// updateApp applies a PATCH body to a stored application. Entra replicates
// updates as it does creates: with Options.UpdateLag, the write is checked
// against the application as the replica still holds it (seen) — so a
// scope added a moment ago is not there yet for a preauthorization
// (InvalidValue), and a scope disabled a moment ago is still enabled for
// the write that removes it (CannotDeleteOrUpdateEnabledEntitlement) — and
// reads show the old application until the lag has passed.
func (s *Server) updateApp(o *dirObject, body map[string]any) *graphError {
	if gerr := s.mayChangeApp(o); gerr != nil {
		return gerr
	}
	after := deepCopy(o.obj)
	mergePatch(applicationType, after, body)
	normalizeApp(after)
	if gerr := s.validateApplication(appChange{before: s.seen(o), body: body, after: after, selfID: o.obj["id"].(string)}); gerr != nil {
		return gerr
	}
	if s.opts.UpdateLag > 0 {
		o.stale, o.staleUntil = o.obj, s.now().Add(s.opts.UpdateLag)
	}
	o.obj = after
	s.syncServicePrincipal(after)
	return nil
}

// Applications returns deep copies of all stored applications (including
// ones still hidden by replication lag).
func (s *Server) Applications() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return copyObjects(s.apps)
}

// SeedApplication stores an application as if created earlier: validated
// like a create (id and appId may be given), not subject to lag.
func (s *Server) SeedApplication(app map[string]any) (objectID, appID string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	body, err := toObject(app)
	if err != nil {
		return "", "", err
	}
	id, _ := body["id"].(string)
	aid, _ := body["appId"].(string)
	delete(body, "id")
	delete(body, "appId")
	if (id != "" && !isGUID(id)) || (aid != "" && !isGUID(aid)) {
		return "", "", errors.New("emulator: seed id/appId must be GUIDs")
	}
	if gerr := checkShape(applicationType, body); gerr != nil {
		return "", "", gerr
	}
	body = stripAnnotations(body).(map[string]any)
	a := s.newApplicationDefaults()
	if id != "" {
		a["id"] = strings.ToLower(id)
	}
	if aid != "" {
		a["appId"] = strings.ToLower(aid)
	}
	if s.findApp("id", a["id"].(string)) != nil || s.findApp("appId", a["appId"].(string)) != nil {
		return "", "", errors.New("emulator: an application with that id or appId already exists")
	}
	mergePatch(applicationType, a, body)
	normalizeApp(a)
	if gerr := s.validateApplication(appChange{body: body, after: a, selfID: a["id"].(string)}); gerr != nil {
		return "", "", gerr
	}
	s.apps = append(s.apps, &dirObject{obj: a, owners: []string{s.userID}})
	s.publishAppsLocked()
	return a["id"].(string), a["appId"].(string), nil
}
