package emulator

import (
	"fmt"
	"net/http"
	"strings"
)

// Consent, as Entra decides it for delegated Graph permissions.
//
// A client may get a token for a permission only when someone consented to
// it for that client: an admin for the whole tenant, or the user for
// themselves. Users may consent only to the low-risk permissions (and only
// while the tenant lets them); everything else needs an admin. Consent is
// given during an interactive sign-in (device code page, /authorize), never
// in a silent request: a refresh-token request for a permission nobody
// consented to is refused with AADSTS65001, as Entra does.

// AzureCLIClientID is the Azure CLI's public client. Microsoft preauthorized
// it for Microsoft Graph in every tenant, so its users need no consent.
const AzureCLIClientID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"

// azureCLIPermissions are the Graph permissions the Azure CLI is
// preauthorized for (what `az account get-access-token --resource
// https://graph.microsoft.com` carries in scp).
var azureCLIPermissions = []string{
	"Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "AuditLog.Read.All",
	"DelegatedPermissionGrant.ReadWrite.All", "Directory.AccessAsUser.All", "Group.ReadWrite.All",
	"User.Read.All", "User.ReadWrite.All",
}

// userConsentable are the Graph permissions a member user may consent to
// alone (when the tenant allows user consent). All others need an admin.
var userConsentable = map[string]bool{"user.read": true, "openid": true, "profile": true, "email": true, "offline_access": true}

// defaultAdminConsent is what an admin of the default emulated tenant has
// consented to for every public client: what pqentra asks for, plus the
// reads its can-I-register check tries. Directory.Read.All and
// RoleManagement.Read.Directory are left out on purpose, so a silent
// request for them is refused like in most real tenants.
var defaultAdminConsent = []string{"Application.ReadWrite.All", "User.Read", "Policy.Read.All"}

// clientNames are display names Entra puts in consent errors.
var clientNames = map[string]string{
	"14d82eec-204b-4c2f-b7e8-296a70dab67e": "Microsoft Graph Command Line Tools",
	AzureCLIClientID:                       "Microsoft Azure CLI",
}

// permissionName is the Graph permission of a scope ("Application.ReadWrite.All"
// for "https://graph.microsoft.com/Application.ReadWrite.All").
func permissionName(scope string) string {
	if i := strings.LastIndex(scope, "/"); i >= 0 {
		return scope[i+1:]
	}
	return scope
}

// consented lists the permissions client holds for Graph: preauthorized,
// admin-consented or user-consented. s.mu is held.
func (s *Server) consented(client string) map[string]bool {
	out := map[string]bool{}
	add := func(ps []string) {
		for _, p := range ps {
			out[strings.ToLower(p)] = true
		}
	}
	switch {
	case client == AzureCLIClientID:
		add(azureCLIPermissions)
	case s.opts.AdminConsentRequired:
		// nobody consented for the tenant
	default:
		add(defaultAdminConsent)
	}
	add(s.grants[client])
	return out
}

// isDefaultScope reports the ".default" scope (all consented permissions).
func isDefaultScope(scope string) bool { return strings.EqualFold(permissionName(scope), ".default") }

// missingConsent returns the requested Graph permissions client does not
// hold. With interactive, the user consents on the spot to those a user may
// consent to (this is the consent prompt); silent requests consent to
// nothing. s.mu is held.
func (s *Server) missingConsent(client string, scopes []string, interactive bool) []string {
	have := s.consented(client)
	var missing []string
	for _, sc := range scopes {
		p := strings.ToLower(permissionName(sc))
		// Only Graph's permissions are modelled; the tenant's own APIs
		// (api://…) take user consent.
		if oidcScopes[p] || isDefaultScope(sc) || have[p] || scopeResource(sc) != graphResourceURL {
			continue
		}
		if interactive && userConsentable[p] && s.userConsentAllowed {
			s.grants[client] = append(s.grants[client], permissionName(sc))
			continue
		}
		missing = append(missing, permissionName(sc))
	}
	return missing
}

// grantedScopes is what a token for the requested scopes carries: the
// requested Graph permissions, or for ".default" every consented one.
// s.mu is held.
func (s *Server) grantedScopes(client string, requested []string) []string {
	var out []string
	for _, sc := range requested {
		switch {
		case oidcScopes[strings.ToLower(sc)]:
		case isDefaultScope(sc) && scopeResource(sc) == graphResourceURL:
			for p := range s.consented(client) {
				if !oidcScopes[p] {
					out = append(out, graphResourceURL+"/"+canonicalPermission(p))
				}
			}
		default:
			out = append(out, sc)
		}
	}
	return out
}

// canonicalPermission restores the usual casing of a lower-cased
// permission name, for the scope field of tokens.
func canonicalPermission(lower string) string {
	for _, list := range [][]string{azureCLIPermissions, defaultAdminConsent, {"Directory.Read.All", "RoleManagement.Read.Directory", "Policy.ReadWrite.Authorization"}} {
		for _, p := range list {
			if strings.EqualFold(p, lower) {
				return p
			}
		}
	}
	return lower
}

// consentError answers AADSTS65001 (invalid_grant, suberror
// consent_required), what Entra sends when a token is asked for permissions
// nobody consented to.
func (s *Server) consentError(w http.ResponseWriter, client string) {
	aadErrorWith(w, http.StatusBadRequest, "invalid_grant", 65001, consentMessage(client), map[string]any{"suberror": "consent_required"})
}

func consentMessage(client string) string {
	name := clientNames[client]
	if name == "" {
		name = "app"
	}
	return fmt.Sprintf("The user or administrator has not consented to use the application with ID '%s' named '%s'. "+
		"Send an interactive authorization request for this user and resource.", client, name)
}

// GrantAdminConsent records an admin's tenant-wide consent to permissions
// for client (as the admin-consent URL does).
func (s *Server) GrantAdminConsent(client string, permissions ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.grants[strings.ToLower(client)] = append(s.grants[strings.ToLower(client)], permissions...)
}
