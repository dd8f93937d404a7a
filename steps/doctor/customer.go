package doctor

import (
	"fmt"

	"github.com/pqentra/pqentra/steps"
)

// Doctor in a customer's tenant: an organization that uses a published
// connector holds no application of it, only (once onboarded) the service
// principal of the publisher's multitenant app. Looked for by its app id
// (--app-id, or a connector whose Resource is api://{appId}), such an app
// is checked through that service principal: present (else users meet
// AADSTS500011/AADSTS650052), enabled, and whose app it is
// (appOwnerOrganizationId).

// Finding ids of a customer's tenant. An app id that names nothing here
// keeps the finding id app-not-found (scripts match on it): from this
// tenant, another organization's app that was never onboarded and an id
// that names no app at all look the same, so its words say both.
const (
	FindOnboarded  = "onboarded"
	FindSPDisabled = "service-principal-disabled"
)

// ErrAppDisabled is what users of a tenant whose service principal of the
// app is disabled see.
const ErrAppDisabled = "AADSTS7000112"

// Foreign reports whether in is about another organization's app: looked
// for by app id, with no application of that id in this tenant and no
// service principal of this tenant's own app.
func (in DiagnoseInput) Foreign() bool {
	if in.App != nil || in.AppID == "" {
		return false
	}
	sp := in.ServicePrincipal
	return sp == nil || in.Tenant == nil || !equalFoldGUID(sp.AppOwnerOrganizationID, in.Tenant.ID)
}

// diagnoseCustomer checks another organization's app from this tenant.
func diagnoseCustomer(in DiagnoseInput) []Finding {
	sp := in.ServicePrincipal
	consent := steps.AdminConsentURL(in.LoginHost, tenantID(in), in.AppID)
	if sp == nil {
		return []Finding{{ID: FindAppNotFound, Severity: SeverityError, Error: ErrNoResource,
			Message: fmt.Sprintf("Neither an application nor a service principal with app id %s is in this tenant. If it is another "+
				"organization's app (a connector your organization uses), it is not onboarded here: its users meet "+
				"AADSTS500011 or AADSTS650052 in Power Query.", in.AppID),
			Fix: fmt.Sprintf("An admin of this tenant (%s) onboards it: run `%s` (doctor --fix runs it too), or open the admin-consent page %s. "+
				"If it should be an app of this tenant, check the id and that you signed in to the right tenant (--tenant).",
				steps.OnboardRolesText(), in.Command.Line("onboard", "--app-id", in.AppID), consent)}}
	}
	name := sp.AppDisplayName
	if name == "" {
		name = sp.DisplayName
	}
	var out []Finding
	if sp.Disabled {
		out = append(out, Finding{ID: FindSPDisabled, Severity: SeverityError, Error: ErrAppDisabled,
			Message: fmt.Sprintf("The service principal of %q (app %s) is disabled in this tenant, so nobody here can sign in to it.", steps.Clean(name), in.AppID),
			Fix:     "An admin enables it: Entra admin center > Enterprise applications > " + steps.Clean(name) + " > Properties > Enabled for users to sign in = Yes."})
	}
	owner := sp.AppOwnerOrganizationID
	if owner == "" {
		owner = "(unknown)"
	}
	out = append(out, Finding{ID: FindOnboarded, Severity: SeverityInfo,
		Message: fmt.Sprintf("Onboarded: %q (app %s), published by tenant %s, has its service principal %s here; the publisher's "+
			"tenant holds the app itself (scopes, preauthorized clients), so only the publisher can check those.", steps.Clean(name), in.AppID, owner, sp.ID)})
	return out
}

func tenantID(in DiagnoseInput) string {
	if in.Tenant == nil {
		return ""
	}
	return in.Tenant.ID
}
