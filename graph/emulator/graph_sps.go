package emulator

import (
	"errors"
	"net/http"
	"strings"
)

// /servicePrincipals: what is particular to service principals (defaults,
// first-party seeding, mirroring the application, create and upsert by
// appId). The HTTP handlers are the shared ones in collection.go. A service
// principal needs an application with its appId in the
// tenant (first-party Microsoft ones are seeded at Start).

var spFilters = filterSupport{
	eq:         map[string]bool{"appId": true, "displayName": true},
	startsWith: map[string]bool{"displayName": true},
	anyEq:      map[string]bool{"servicePrincipalNames": true},
}

// servicePrincipals is /servicePrincipals. Graph guards it with the same
// Application.* permissions as /applications.
var servicePrincipals = &collection{
	set:      "servicePrincipals",
	kind:     "ServicePrincipal",
	typ:      servicePrincipalType,
	filters:  spFilters,
	keys:     []string{"appId"},
	canRead:  canReadApps,
	canWrite: canWriteApps,
	objects:  func(s *Server) *[]*dirObject { return &s.sps },
	create:   (*Server).createSP,
	update:   (*Server).updateSP,
	upsert:   (*Server).upsertSP,
	// Off-boarding another tenant's app takes an admin (foreign.go).
	mayDelete: (*Server).checkSPDelete,
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
	mirrorApp(o, app)
}

// mirrorApp copies what a service principal mirrors from its application
// (in this tenant, or another tenant's multitenant app).
func mirrorApp(o *dirObject, app map[string]any) {
	appID, _ := app["appId"].(string)
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

func (s *Server) findSP(prop, val string) *dirObject { return findObject(s.sps, prop, val) }

// updateSP applies a PATCH body; appId is the SP's identity and only its
// own value may be sent back.
func (s *Server) updateSP(o *dirObject, body map[string]any) *graphError {
	if v, ok := body["appId"]; ok && !strings.EqualFold(asString(v), asString(o.obj["appId"])) {
		return errBadRequest("Property 'appId' is read-only and cannot be set.")
	}
	mergePatch(servicePrincipalType, o.obj, body)
	return nil
}

// upsertSP creates the service principal addressed by prop = val: only
// appId names an SP that does not exist yet.
func (s *Server) upsertSP(prop, val string, body map[string]any, lagging bool) (*dirObject, *graphError) {
	if prop != "appId" {
		return nil, errNotFound(val)
	}
	if lagging {
		return nil, errSPNameTaken(val)
	}
	if v, ok := body["appId"]; ok && !strings.EqualFold(asString(v), val) {
		return nil, errBadRequest("The value of property 'appId' in the request body does not match the key in the request URL.")
	}
	body["appId"] = val
	return s.createSP(body)
}

func asString(v any) string { s, _ := v.(string); return s }

// createSP creates the service principal of the application body["appId"].
func (s *Server) createSP(body map[string]any) (*dirObject, *graphError) {
	appID, _ := body["appId"].(string)
	if appID == "" {
		return nil, errBadRequest("Property 'appId' is required.")
	}
	if !isGUID(appID) {
		return nil, invalidValue(servicePrincipalType, "appId")
	}
	if s.opts.UsersCannotCreateServicePrincipals {
		return nil, errDenied()
	}
	if s.findSP("appId", appID) != nil {
		return nil, errSPNameTaken(appID)
	}
	app := s.findApp("appId", appID)
	owner := s.opts.TenantID
	var appObj map[string]any
	switch {
	case app != nil && s.visible(app):
		appObj = app.obj
	case app == nil:
		// Another tenant's application: only a multitenant one, and only
		// for an admin (foreign.go).
		fa, gerr := s.foreignAppForSP(appID)
		if gerr != nil {
			return nil, gerr
		}
		appObj, owner = fa.obj, fa.homeTenant
	default: // the app was created a moment ago and has not replicated
		return nil, s.spBeforeAppReplicated(appID)
	}
	name, _ := appObj["displayName"].(string)
	sp := s.newServicePrincipal(strings.ToLower(appID), name, owner)
	delete(body, "appId")
	mergePatch(servicePrincipalType, sp, body)
	if gerr := s.checkQuota(); gerr != nil {
		return nil, gerr
	}
	o := &dirObject{obj: sp, visibleAt: s.now().Add(s.opts.ReplicationLag), owners: []string{s.userID}, createdBy: s.userID}
	s.sps = append(s.sps, o)
	mirrorApp(o, appObj)
	return o, nil
}

// errNoBackingApp is Graph's answer to a service principal for an appId
// this tenant cannot see an application for (none, not replicated yet, or
// another tenant's single-tenant app).
func errNoBackingApp(appID string) *graphError {
	msg := "The appId '" + appID + "' of the service principal does not reference a valid application object."
	e := errBadRequest("%s", msg)
	e.details = []map[string]any{{"code": "NoBackingApplicationObject", "message": msg, "target": "appId"}}
	return e
}

// ServicePrincipals returns deep copies of all stored service principals.
func (s *Server) ServicePrincipals() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return copyObjects(s.sps)
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

// spBeforeAppReplicated answers a service principal created right after
// its application, before the application has replicated. Graph refuses it
// in two ways, depending on the replica: 403 Authorization_RequestDenied
// "When using this permission, the backing application of the service
// principal being created must in the local tenant" (azure-cli and
// Terraform retry it), or 400 NoBackingApplicationObject. The emulator
// alternates them per app, the 403 first, so a client meets both.
func (s *Server) spBeforeAppReplicated(appID string) *graphError {
	key := strings.ToLower(appID)
	s.spLagRefusals[key]++
	if s.spLagRefusals[key]%2 == 1 {
		return newGraphError(http.StatusForbidden, "Authorization_RequestDenied",
			"When using this permission, the backing application of the service principal being created must in the local tenant")
	}
	return errNoBackingApp(appID)
}
