package emulator

import "net/http"

// Another tenant's application, seen from this tenant (tenants.go). A
// service principal of it may be created only when the application is
// multitenant, and only by an admin: Graph lets Global, Application and
// Cloud Application Administrators create the service principal of an
// application registered in another tenant; anyone else is refused with
// 403 (what the Azure CLI's users report as "When using this permission,
// the backing application of the service principal being created must in
// the local tenant"). A single-tenant app of another tenant is invisible
// here, like an appId nobody registered: NoBackingApplicationObject.

// foreignAdminRoles may create (and delete) another tenant's app's service
// principal.
var foreignAdminRoles = []string{"Global Administrator", "Application Administrator", "Cloud Application Administrator"}

func errForeignDenied() *graphError {
	return newGraphError(http.StatusForbidden, "Authorization_RequestDenied",
		"When using this permission, the backing application of the service principal being created must in the local tenant")
}

// foreignAppForSP is the application a new service principal for appID
// (no application of this tenant) is made from, or Graph's refusal.
func (s *Server) foreignAppForSP(appID string) (*sharedApp, *graphError) {
	fa := s.foreignApp(appID)
	if fa == nil || !multitenantAudience(asString(fa.obj["signInAudience"])) {
		return nil, errNoBackingApp(appID)
	}
	if !s.userHoldsRole(foreignAdminRoles...) {
		return nil, errForeignDenied()
	}
	return fa, nil
}

// checkSPDelete: removing the service principal of another tenant's app
// (off-boarding it) takes the same roles as creating it.
func (s *Server) checkSPDelete(o *dirObject) *graphError {
	if owner := asString(o.obj["appOwnerOrganizationId"]); owner == s.opts.TenantID || owner == microsoftTenantID {
		return nil
	}
	if s.userHoldsRole(foreignAdminRoles...) {
		return nil
	}
	return errDenied()
}
