package emulator

import (
	"errors"
	"net/http"
	"strings"
)

// /servicePrincipals: list, get, create (POST, or upsert by appId), update,
// delete. A service principal needs an application with its appId in the
// tenant (first-party Microsoft ones are seeded at Start).

var spFilters = filterSupport{
	eq:         map[string]bool{"appId": true, "displayName": true},
	startsWith: map[string]bool{"displayName": true},
	anyEq:      map[string]bool{"servicePrincipalNames": true},
}

func canReadSPs(t *accessToken) bool {
	return t.has("Application.ReadWrite.All", "Application.Read.All", "Directory.Read.All", "Directory.ReadWrite.All")
}

// firstPartyApps are Microsoft applications every tenant has an SP for.
var firstPartyApps = [][2]string{
	{"a672d62c-fc7b-4e81-a576-e60dc46e951d", "Microsoft Power Query for Excel"},
	{"b52893c8-bc2e-47fc-918b-77022b299bbc", "Power BI Data Refresh"},
	{"7ab7862c-4c57-491e-8a45-d52a7e023983", "Power Apps and Power Automate"},
	{"14d82eec-204b-4c2f-b7e8-296a70dab67e", "Microsoft Graph Command Line Tools"},
	{graphAppID, "Microsoft Graph"},
}

func (s *Server) seedFirstPartyServicePrincipals() {
	for _, fp := range firstPartyApps {
		sp := s.newServicePrincipal(fp[0], fp[1], microsoftTenantID)
		sp["servicePrincipalType"] = "Application"
		sp["signInAudience"] = "AzureADMultipleOrgs"
		s.sps = append(s.sps, &dirObject{obj: sp})
	}
}

func (s *Server) newServicePrincipal(appID, displayName, owner string) map[string]any {
	return map[string]any{
		"id":                                     newGUID(),
		"deletedDateTime":                        nil,
		"accountEnabled":                         true,
		"addIns":                                 []any{},
		"alternativeNames":                       []any{},
		"appDescription":                         nil,
		"appDisplayName":                         displayName,
		"appId":                                  appID,
		"applicationTemplateId":                  nil,
		"appOwnerOrganizationId":                 owner,
		"appRoleAssignmentRequired":              false,
		"appRoles":                               []any{},
		"description":                            nil,
		"disabledByMicrosoftStatus":              nil,
		"displayName":                            displayName,
		"homepage":                               nil,
		"info":                                   map[string]any{"logoUrl": nil, "marketingUrl": nil, "privacyStatementUrl": nil, "supportUrl": nil, "termsOfServiceUrl": nil},
		"keyCredentials":                         []any{},
		"loginUrl":                               nil,
		"logoutUrl":                              nil,
		"notes":                                  nil,
		"notificationEmailAddresses":             []any{},
		"oauth2PermissionScopes":                 []any{},
		"passwordCredentials":                    []any{},
		"preferredSingleSignOnMode":              nil,
		"preferredTokenSigningKeyThumbprint":     nil,
		"replyUrls":                              []any{},
		"resourceSpecificApplicationPermissions": []any{},
		"samlSingleSignOnSettings":               nil,
		"servicePrincipalNames":                  []any{appID},
		"servicePrincipalType":                   "Application",
		"signInAudience":                         "AzureADMyOrg",
		"tags":                                   []any{},
		"tokenEncryptionKeyId":                   nil,
		"verifiedPublisher":                      map[string]any{"displayName": nil, "verifiedPublisherId": nil, "addedDateTime": nil},
	}
}

// syncServicePrincipal copies what an SP mirrors from its application.
func (s *Server) syncServicePrincipal(app map[string]any) {
	appID, _ := app["appId"].(string)
	o := s.findSP("appId", appID)
	if o == nil {
		return
	}
	o.obj["appDisplayName"] = app["displayName"]
	o.obj["signInAudience"] = app["signInAudience"]
	names := []any{appID}
	for _, u := range stringsOf(app["identifierUris"]) {
		names = append(names, u)
	}
	o.obj["servicePrincipalNames"] = names
	api, _ := app["api"].(map[string]any)
	o.obj["oauth2PermissionScopes"] = deepCopyValue(orEmpty(api["oauth2PermissionScopes"]))
	o.obj["appRoles"] = deepCopyValue(orEmpty(app["appRoles"]))
}

func orEmpty(v any) any {
	if v == nil {
		return []any{}
	}
	return v
}

func (s *Server) findSP(prop, val string) *dirObject {
	for _, o := range s.sps {
		if v, _ := o.obj[prop].(string); v != "" && strings.EqualFold(v, val) {
			return o
		}
	}
	return nil
}

func (s *Server) routeServicePrincipals(g *graphRequest) {
	switch len(g.segs) {
	case 1:
		switch g.r.Method {
		case http.MethodGet:
			s.listServicePrincipals(g)
		case http.MethodPost:
			s.postServicePrincipal(g)
		default:
			g.fail(errMethod())
		}
	case 2:
		id := g.segs[1]
		if !isGUID(id) {
			g.fail(errBadRequest("Invalid object identifier '%s'.", id))
			return
		}
		s.servicePrincipalEntity(g, "id", strings.ToLower(id))
	default:
		g.fail(errSegment(g.segs[2]))
	}
}

func (s *Server) routeServicePrincipalKey(g *graphRequest, prop, val string) {
	if prop != "appId" {
		g.fail(errSegment(g.segs[0]))
		return
	}
	if len(g.segs) > 1 {
		g.fail(errSegment(g.segs[1]))
		return
	}
	s.servicePrincipalEntity(g, prop, val)
}

func (s *Server) servicePrincipalEntity(g *graphRequest, prop, val string) {
	o := s.findSP(prop, val)
	lagging := o != nil && !s.visible(o)
	if lagging {
		o = nil
	}
	switch g.r.Method {
	case http.MethodGet:
		if !canReadSPs(g.tok) {
			g.fail(errDenied())
			return
		}
		q, gerr := parseQuery(g.r, servicePrincipalType, spFilters, false, "ServicePrincipal")
		if gerr != nil {
			g.fail(gerr)
			return
		}
		if o == nil {
			g.fail(errNotFound(val))
			return
		}
		s.writeEntity(g.w, g.r, http.StatusOK, "servicePrincipals", q, o.obj)
	case http.MethodPatch:
		if !canWriteApps(g.tok) {
			g.fail(errDenied())
			return
		}
		body, gerr := g.writeBody(servicePrincipalType)
		if gerr != nil {
			g.fail(gerr)
			return
		}
		if o != nil {
			if v, ok := body["appId"]; ok && !strings.EqualFold(asString(v), asString(o.obj["appId"])) {
				g.fail(errBadRequest("Property 'appId' is read-only and cannot be set."))
				return
			}
			mergePatch(servicePrincipalType, o.obj, body)
			writeGraphJSON(g.w, g.r, http.StatusNoContent, nil)
			return
		}
		if !g.wantsCreate() || prop != "appId" {
			g.fail(errNotFound(val))
			return
		}
		if lagging {
			g.fail(errConflict("servicePrincipalNames"))
			return
		}
		if v, ok := body["appId"]; ok && !strings.EqualFold(asString(v), val) {
			g.fail(errBadRequest("The value of property 'appId' in the request body does not match the key in the request URL."))
			return
		}
		body["appId"] = val
		created, gerr := s.createSP(body)
		if gerr != nil {
			g.fail(gerr)
			return
		}
		s.writeCreated(g, "servicePrincipals", created, "ServicePrincipal")
	case http.MethodDelete:
		if !canWriteApps(g.tok) {
			g.fail(errDenied())
			return
		}
		if o == nil {
			g.fail(errNotFound(val))
			return
		}
		for i, sp := range s.sps {
			if sp == o {
				s.sps = append(s.sps[:i], s.sps[i+1:]...)
				break
			}
		}
		writeGraphJSON(g.w, g.r, http.StatusNoContent, nil)
	default:
		g.fail(errMethod())
	}
}

func asString(v any) string { s, _ := v.(string); return s }

func (s *Server) listServicePrincipals(g *graphRequest) {
	if !canReadSPs(g.tok) {
		g.fail(errDenied())
		return
	}
	q, gerr := parseQuery(g.r, servicePrincipalType, spFilters, true, "ServicePrincipal")
	if gerr != nil {
		g.fail(gerr)
		return
	}
	var out []map[string]any
	for _, o := range s.sps {
		if s.visible(o) && (q.filter == nil || q.filter(o.obj)) {
			out = append(out, o.obj)
		}
	}
	s.writeCollection(g.w, g.r, "servicePrincipals", q, out)
}

func (s *Server) postServicePrincipal(g *graphRequest) {
	if !canWriteApps(g.tok) {
		g.fail(errDenied())
		return
	}
	body, gerr := g.writeBody(servicePrincipalType)
	if gerr != nil {
		g.fail(gerr)
		return
	}
	created, gerr := s.createSP(body)
	if gerr != nil {
		g.fail(gerr)
		return
	}
	s.writeCreated(g, "servicePrincipals", created, "ServicePrincipal")
}

// createSP creates the service principal of the application body["appId"].
func (s *Server) createSP(body map[string]any) (*dirObject, *graphError) {
	appID, _ := body["appId"].(string)
	if appID == "" {
		return nil, errBadRequest("Property 'appId' is required.")
	}
	if !isGUID(appID) {
		return nil, invalidValue(servicePrincipalType, "appId")
	}
	if s.findSP("appId", appID) != nil {
		return nil, errConflict("servicePrincipalNames")
	}
	app := s.findApp("appId", appID)
	if app == nil || !s.visible(app) {
		return nil, errBadRequest("The appId '%s' of the service principal does not reference a valid application object.", appID)
	}
	name, _ := app.obj["displayName"].(string)
	sp := s.newServicePrincipal(strings.ToLower(appID), name, s.opts.TenantID)
	delete(body, "appId")
	mergePatch(servicePrincipalType, sp, body)
	o := &dirObject{obj: sp, visibleAt: s.now().Add(s.opts.ReplicationLag), owners: []string{userObjectID}}
	s.sps = append(s.sps, o)
	s.syncServicePrincipal(app.obj)
	return o, nil
}

// ServicePrincipals returns deep copies of all stored service principals.
func (s *Server) ServicePrincipals() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]map[string]any, len(s.sps))
	for i, o := range s.sps {
		out[i] = deepCopy(o.obj)
	}
	return out
}

// SeedServicePrincipal stores a service principal for appID (for example a
// multi-tenant application from another tenant); no lag applies.
func (s *Server) SeedServicePrincipal(appID, displayName string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !isGUID(appID) {
		return "", errors.New("emulator: appID must be a GUID")
	}
	if s.findSP("appId", appID) != nil {
		return "", errors.New("emulator: a service principal for that appId already exists")
	}
	owner := microsoftTenantID
	if app := s.findApp("appId", appID); app != nil {
		owner = s.opts.TenantID
		if displayName == "" {
			displayName, _ = app.obj["displayName"].(string)
		}
	}
	sp := s.newServicePrincipal(strings.ToLower(appID), displayName, owner)
	s.sps = append(s.sps, &dirObject{obj: sp})
	if app := s.findApp("appId", appID); app != nil {
		s.syncServicePrincipal(app.obj)
	}
	return sp["id"].(string), nil
}
