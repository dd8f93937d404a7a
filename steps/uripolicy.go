package steps

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Identifier URI protection: the tenant's app management policy
// (GET /policies/defaultAppManagementPolicy,
// applicationRestrictions.identifierUris). Since mid-2025 Microsoft has
// switched on uriAdditionWithoutUniqueTenantIdentifier in tenants: a new
// Application ID URI must carry the tenant id, the app id or a verified
// domain. nonDefaultUriAddition (opt-in) allows only api://{appId} and
// api://{tenantId}/{appId}. Apps that receive v2 tokens are exempt unless
// the tenant says otherwise. Reading the policy needs Policy.Read.All and
// a directory role, so for most connector authors it cannot be read: then
// Tenant.URIPolicy stays nil, and Graph's refusal is explained instead.

// URIPolicy is the part of the app management policy pqentra checks.
type URIPolicy struct {
	UniqueTenantIdentifier URIRestriction // uriAdditionWithoutUniqueTenantIdentifier
	NonDefault             URIRestriction // nonDefaultUriAddition
}

// URIRestriction is one identifierUriRestriction as read.
type URIRestriction struct {
	Enabled bool
	// AppsCreatedAfter: only apps created after it are restricted (zero:
	// all apps).
	AppsCreatedAfter time.Time
	// ExcludeV2Apps: apps that receive v2 tokens are exempt.
	ExcludeV2Apps bool
	// SetByMicrosoft: Microsoft switched it on (isStateSetByMicrosoft).
	SetByMicrosoft bool
}

// Setting names the two settings as Graph and the admin center's policy
// JSON spell them.
const (
	SettingUniqueTenantIdentifier = "uriAdditionWithoutUniqueTenantIdentifier"
	SettingNonDefault             = "nonDefaultUriAddition"
)

// readURIPolicy reads the policy into t, silently: nil when it cannot be
// read (a refusal is not an error for the run: the policy stays unknown).
func readURIPolicy(ctx context.Context, dir Directory, t *Tenant) {
	if t == nil {
		return
	}
	if p, err := dir.IdentifierURIPolicy(ctx); err == nil {
		t.URIPolicy = p
	}
}

// appliesTo reports whether r restricts URIs added to app (nil: a new app,
// created now). An existing app's creation date is not read, so with a
// date the check is left to Graph.
func (r URIRestriction) appliesTo(app *App) bool {
	if !r.Enabled {
		return false
	}
	if app != nil && !r.AppsCreatedAfter.IsZero() {
		return false
	}
	v2 := app != nil && app.RequestedAccessTokenVersion != nil && *app.RequestedAccessTokenVersion == 2
	return !(r.ExcludeV2Apps && v2)
}

// CheckAppManagementPolicy checks an Application ID URI that a write would
// add to app (nil: a new app; appID may be the {appId} placeholder)
// against the tenant's policy, when it was read. The error names the
// setting and the forms it allows.
func CheckAppManagementPolicy(uri string, app *App, appID string, t *Tenant) error {
	if t == nil || t.URIPolicy == nil {
		return nil
	}
	p := t.URIPolicy
	if p.NonDefault.appliesTo(app) && !defaultURIForm(uri, appID, t.ID) {
		return inputErr(FieldIdentifierURI, fmt.Errorf("your tenant's app management policy allows a new Application ID URI only in the default forms "+
			"api://{appId} or api://{tenantId}/{appId} (the setting %s is on), so %q would be refused. Use the default "+
			"api://{appId} instead, or ask an administrator for an exemption (apps that receive v2 tokens are exempt)", SettingNonDefault, uri))
	}
	if p.UniqueTenantIdentifier.appliesTo(app) && !hasUniqueTenantIdentifier(uri, appID, t) {
		who := "is on"
		if p.UniqueTenantIdentifier.SetByMicrosoft {
			who = "is on (Microsoft switched it on in your tenant)"
		}
		return inputErr(FieldIdentifierURI, fmt.Errorf("your tenant's app management policy allows a new Application ID URI only with a unique "+
			"tenant identifier — the app id, the tenant id or a verified domain — (the setting %s %s), so %q would be refused. "+
			"Use api://{appId} (the default), api://{tenantId}/<name>, or a URI on a verified domain%s", SettingUniqueTenantIdentifier, who, uri, verifiedList(t)))
	}
	return nil
}

// URIPolicyWarning is said before the writes when the policy could not be
// read (the usual case) and a new Application ID URI of a single-tenant
// app lacks a unique tenant identifier: the setting Microsoft switched on
// in most tenants would refuse it, but it may be off here, or the app may
// receive v2 tokens (exempt), so pqentra does not refuse it itself.
// app is nil for a new app; "" means nothing to say.
func URIPolicyWarning(uri string, app *App, appID string, t *Tenant) string {
	if t == nil || t.URIPolicy != nil || uri == "" {
		return ""
	}
	if app != nil && (IsMultitenant(app.SignInAudience) || ContainsURI(app.IdentifierURIs, uri)) {
		return "" // checked apart, or not a new URI
	}
	if hasUniqueTenantIdentifier(uri, appID, t) {
		return ""
	}
	if app != nil && app.RequestedAccessTokenVersion != nil && *app.RequestedAccessTokenVersion == 2 {
		return "" // exempt unless the tenant says otherwise
	}
	return fmt.Sprintf("pqentra could not read your tenant's app management policy (that needs Policy.Read.All and a directory role), "+
		"so it cannot tell whether Entra will accept %q. If the setting %s is on — Microsoft has switched it on in tenants since 2025 — "+
		"Entra refuses a new Application ID URI without the app id, the tenant id or a verified domain in it "+
		"(apps that receive v2 tokens are exempt). If it is refused, use the default api://{appId}, api://{tenantId}/<name>, "+
		"or a URI on a verified domain%s", uri, SettingUniqueTenantIdentifier, verifiedList(t))
}

// AllowedURIForms says, for the wizard and messages, which new URIs the
// policy allows, or "" when it is unknown or off.
func AllowedURIForms(t *Tenant) string {
	if t == nil || t.URIPolicy == nil {
		return ""
	}
	switch {
	case t.URIPolicy.NonDefault.Enabled:
		return "Your tenant allows only api://{appId} or api://{tenantId}/{appId} (" + SettingNonDefault + ")."
	case t.URIPolicy.UniqueTenantIdentifier.Enabled:
		return "Your tenant allows a new URI only with the app id, the tenant id or a verified domain in it (" + SettingUniqueTenantIdentifier + ")."
	}
	return ""
}

func verifiedList(t *Tenant) string {
	if t == nil || len(t.VerifiedDomains) == 0 {
		return ""
	}
	return " (" + strings.Join(t.VerifiedDomains, ", ") + ")"
}

// defaultURIForm: api://{appId} or api://{tenantId}/{appId}.
func defaultURIForm(uri, appID, tenantID string) bool {
	if strings.EqualFold(uri, DefaultIdentifierURI) || appID != "" && strings.EqualFold(uri, "api://"+appID) {
		return true
	}
	for _, id := range []string{appID, PlaceholderAppID} {
		if id != "" && strings.EqualFold(uri, "api://"+tenantID+"/"+id) {
			return true
		}
	}
	return strings.EqualFold(uri, "api://"+tenantID+"/{appId}")
}

// hasUniqueTenantIdentifier: the host or a path segment is the tenant id
// or the app id (or its placeholder), or the host is on a verified domain.
func hasUniqueTenantIdentifier(uri, appID string, t *Tenant) bool {
	if strings.HasPrefix(uri, DefaultIdentifierURI) {
		return true
	}
	u, err := url.Parse(uri)
	if err != nil {
		return false
	}
	ids := []string{t.ID, PlaceholderAppID}
	if appID != "" {
		ids = append(ids, appID)
	}
	for _, part := range append([]string{u.Host}, strings.Split(strings.Trim(u.Path, "/"), "/")...) {
		for _, id := range ids {
			if id != "" && strings.EqualFold(part, id) {
				return true
			}
		}
	}
	return onVerifiedDomain(strings.ToLower(u.Hostname()), t)
}

// ContainsURI reports whether uris holds uri (case-insensitively, as
// Entra compares them).
func ContainsURI(uris []string, uri string) bool { return containsFold(uris, uri) }
