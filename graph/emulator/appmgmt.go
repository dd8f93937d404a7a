package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The tenant's app management policy for identifier URIs
// (GET /policies/defaultAppManagementPolicy,
// applicationRestrictions.identifierUris). Two settings:
//
//   - uriAdditionWithoutUniqueTenantIdentifier: a new identifier URI must
//     carry a unique tenant identifier — the tenant id, the app id, or a
//     verified domain. Microsoft has switched it on in tenants since
//     mid-2025 (isStateSetByMicrosoft), so it is on by default here.
//   - nonDefaultUriAddition (opt-in): a new identifier URI must be one of
//     the default forms, api://{appId} or api://{tenantId}/{appId}.
//
// Either applies to the URIs a write adds (existing ones stay), to apps
// created after restrictForAppsCreatedAfterDateTime (all apps when unset),
// and not to apps that receive v2 tokens (api.requestedAccessTokenVersion
// 2) or SAML apps, while those exemptions are on (the default). Reading the
// policy needs Policy.Read.All and a directory role (Global Reader at
// least). Sources: docs/graph-rules.md.

// AppManagementPolicy is Options.AppManagementPolicy.
type AppManagementPolicy struct {
	// Disabled turns the whole policy off (isEnabled false).
	Disabled bool
	// UniqueTenantIdentifier is uriAdditionWithoutUniqueTenantIdentifier,
	// NonDefault is nonDefaultUriAddition.
	UniqueTenantIdentifier, NonDefault URIRestriction
}

// URIRestriction is one identifierUriRestriction.
type URIRestriction struct {
	Enabled bool
	// AppsCreatedAfter is restrictForAppsCreatedAfterDateTime: only apps
	// created after it are restricted (zero: all apps).
	AppsCreatedAfter time.Time
	// IncludeV2Apps and IncludeSaml turn off the exemptions
	// (excludeAppsReceivingV2Tokens, excludeSaml are true by default).
	IncludeV2Apps, IncludeSaml bool
	// SetByMicrosoft is isStateSetByMicrosoft.
	SetByMicrosoft bool
}

// DefaultAppManagementPolicy is a tenant as Microsoft leaves it since
// mid-2025: new URIs need a unique tenant identifier; the default-forms-only
// setting is off.
func DefaultAppManagementPolicy() *AppManagementPolicy {
	return &AppManagementPolicy{UniqueTenantIdentifier: URIRestriction{Enabled: true, SetByMicrosoft: true}}
}

// NoAppManagementPolicy is a tenant where neither setting is on.
func NoAppManagementPolicy() *AppManagementPolicy { return &AppManagementPolicy{} }

// readsAppManagementPolicy: the directory roles that may read the policy
// (Global Reader is the least privileged one).
var readsAppManagementPolicy = []string{"Global Reader", "Global Administrator", "Security Reader", "Security Administrator",
	"Application Administrator", "Cloud Application Administrator"}

// routeAppManagementPolicy answers GET /policies/defaultAppManagementPolicy.
func (s *Server) routeAppManagementPolicy(g *graphRequest) {
	if g.r.Method != http.MethodGet {
		g.fail(errMethod())
		return
	}
	if !g.tok.has("Policy.Read.All", "Policy.Read.ApplicationConfiguration", "Policy.ReadWrite.ApplicationConfiguration") ||
		!s.userHoldsRole(readsAppManagementPolicy...) {
		g.fail(errDenied())
		return
	}
	p := s.opts.AppManagementPolicy
	restriction := func(r URIRestriction) map[string]any {
		state := "disabled"
		if r.Enabled {
			state = "enabled"
		}
		var after any
		if !r.AppsCreatedAfter.IsZero() {
			after = r.AppsCreatedAfter.UTC().Format(time.RFC3339)
		}
		return map[string]any{"state": state, "restrictForAppsCreatedAfterDateTime": after,
			"excludeAppsReceivingV2Tokens": !r.IncludeV2Apps, "excludeSaml": !r.IncludeSaml,
			"isStateSetByMicrosoft": r.SetByMicrosoft, "excludeActors": nil}
	}
	writeGraphJSON(g.w, g.r, http.StatusOK, map[string]any{
		"@odata.context": s.url + "/v1.0/$metadata#policies/defaultAppManagementPolicy/$entity",
		"id":             "00000000-0000-0000-0000-000000000000",
		"displayName":    "Default app management tenant policy",
		"description":    "Default tenant policy that enforces app management restrictions on applications and service principals. To apply policy to targeted resources, create a new policy under appManagementPolicies collection.",
		"isEnabled":      !p.Disabled,
		"applicationRestrictions": map[string]any{
			"passwordCredentials": []any{}, "keyCredentials": []any{},
			"identifierUris": map[string]any{
				"nonDefaultUriAddition":                    restriction(p.NonDefault),
				"uriAdditionWithoutUniqueTenantIdentifier": restriction(p.UniqueTenantIdentifier),
			},
		},
		"servicePrincipalRestrictions": map[string]any{"passwordCredentials": []any{}, "keyCredentials": []any{}},
	})
}

// checkAppManagementPolicy refuses the identifier URIs a write adds that
// the policy does not allow for this app; s.mu is held.
func (s *Server) checkAppManagementPolicy(c appChange, pu *url.URL, u string) *graphError {
	p := s.opts.AppManagementPolicy
	if p.Disabled || c.before != nil && containsFold(stringsOf(c.before["identifierUris"]), u) {
		return nil // no policy, or not a new URI
	}
	appID := asString(c.after["appId"])
	if s.restricts(p.NonDefault, c) && !s.defaultURIForm(pu, appID) {
		return newGraphError(http.StatusBadRequest, "InvalidIdentifierUriAsPerAppPolicy",
			"The newly added URI %s must comply with the format 'api://{appId}' or 'api://{tenantId}/{appId}' as per the default app management policy of your organization. If the requestedAccessTokenVersion is set to 2, this restriction may not apply. See https://aka.ms/identifier-uri-addition-error for more information on this error.", u)
	}
	if s.restricts(p.UniqueTenantIdentifier, c) && !s.hasUniqueTenantIdentifier(pu, appID) {
		return newGraphError(http.StatusBadRequest, "InvalidUniqueTenantIdentifierAsPerAppPolicy",
			"Failed to add identifier URI %s. All newly added URIs must contain a tenant verified domain, tenant ID, or app ID, as per the default tenant policy of your organization. See https://aka.ms/identifier-uri-addition-error for more information on this error.", u)
	}
	return nil
}

// restricts: r applies to the app of c — enabled, the app created after
// its date, and not exempt.
func (s *Server) restricts(r URIRestriction, c appChange) bool {
	if !r.Enabled {
		return false
	}
	if !r.AppsCreatedAfter.IsZero() {
		if created, err := time.Parse(time.RFC3339, asString(c.after["createdDateTime"])); err == nil && !created.After(r.AppsCreatedAfter) {
			return false
		}
	}
	api, _ := c.after["api"].(map[string]any)
	if !r.IncludeV2Apps && api["requestedAccessTokenVersion"] == float64(2) {
		return false
	}
	if !r.IncludeSaml {
		if sp := s.findSP("appId", asString(c.after["appId"])); sp != nil && strings.EqualFold(asString(sp.obj["preferredSingleSignOnMode"]), "saml") {
			return false
		}
	}
	return true
}

// defaultURIForm: api://{appId} or api://{tenantId}/{appId}.
func (s *Server) defaultURIForm(u *url.URL, appID string) bool {
	if !strings.EqualFold(u.Scheme, "api") || appID == "" {
		return false
	}
	path := strings.Trim(u.EscapedPath(), "/")
	return strings.EqualFold(u.Host, appID) && path == "" ||
		strings.EqualFold(u.Host, s.opts.TenantID) && strings.EqualFold(path, appID)
}

// hasUniqueTenantIdentifier: the host or a path segment is the tenant id
// or the app id, or the host is on a verified domain.
func (s *Server) hasUniqueTenantIdentifier(u *url.URL, appID string) bool {
	ids := []string{s.opts.TenantID}
	if appID != "" {
		ids = append(ids, appID)
	}
	parts := append([]string{u.Host}, strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")...)
	for _, p := range parts {
		for _, id := range ids {
			if strings.EqualFold(p, id) {
				return true
			}
		}
	}
	return s.onVerifiedDomain(strings.ToLower(u.Hostname()))
}
