// Package steps holds the quickstart "Configuring Microsoft Entra for a custom
// connector" as plain Go: the desired state, a plan (the diff between desired
// and what the directory has), apply, and the preview text of every call.
//
// Nothing here talks HTTP or draws on a terminal. The directory is reached
// through the Directory interface, which graph/ implements with
// msgraph-sdk-go; keeping that import out of this package keeps it quick to
// build and easy to test.
package steps

import "slices"

// Sign-in audiences used by the quickstart.
const (
	AudienceSingle = "AzureADMyOrg"        // Accounts in this organizational directory only
	AudienceMulti  = "AzureADMultipleOrgs" // Accounts in any organizational directory
)

// Scope consent types, as Graph spells them.
const (
	ConsentUsers  = "User"  // "Admins and users"
	ConsentAdmins = "Admin" // "Admins only"
)

// Scope is one entry of api.oauth2PermissionScopes.
type Scope struct {
	ID                      string `json:"id"`
	Value                   string `json:"value"`
	Type                    string `json:"type"`
	IsEnabled               bool   `json:"isEnabled"`
	AdminConsentDisplayName string `json:"adminConsentDisplayName,omitempty"`
	AdminConsentDescription string `json:"adminConsentDescription,omitempty"`
	UserConsentDisplayName  string `json:"userConsentDisplayName,omitempty"`
	UserConsentDescription  string `json:"userConsentDescription,omitempty"`
}

// PreAuthorizedApp is one entry of api.preAuthorizedApplications.
type PreAuthorizedApp struct {
	AppID                  string   `json:"appId"`
	DelegatedPermissionIDs []string `json:"delegatedPermissionIds"`
}

// App is the part of a Graph application object pqentra reads and writes.
type App struct {
	ObjectID       string
	AppID          string
	DisplayName    string
	SignInAudience string
	UniqueName     string
	IdentifierURIs []string
	Scopes         []Scope
	PreAuthorized  []PreAuthorizedApp
	// RequestedAccessTokenVersion is api.requestedAccessTokenVersion (nil when unset).
	RequestedAccessTokenVersion *int32
	// Owners are display names or UPNs of the app's owners, when read.
	Owners []string
	// RedirectURIs are the app's web, SPA and public-client redirect URIs,
	// and Credentials its client secrets and certificates, in words
	// ("client secret \"ci\" (hint abc)"). pqentra never sets either; an
	// app that has them was shaped by someone, which provenance weighs.
	RedirectURIs []string
	Credentials  []string
}

// Owner is one owner of an application, as Graph's owners list names it.
type Owner struct {
	ID   string // object id (lower case)
	Name string // "Name (upn)" for a user, the display name otherwise
}

// ScopeByID returns the scope with that id, or nil.
func (a *App) ScopeByID(id string) *Scope {
	if a == nil {
		return nil
	}
	for i := range a.Scopes {
		if equalFoldGUID(a.Scopes[i].ID, id) {
			return &a.Scopes[i]
		}
	}
	return nil
}

// ScopeByValue returns the scope with that value (Graph compares scope values
// case-insensitively), or nil.
func (a *App) ScopeByValue(value string) *Scope {
	if a == nil {
		return nil
	}
	for i := range a.Scopes {
		if equalFold(a.Scopes[i].Value, value) {
			return &a.Scopes[i]
		}
	}
	return nil
}

// PreAuthorizedFor returns the preauthorization entry for a client, or nil.
func (a *App) PreAuthorizedFor(clientAppID string) *PreAuthorizedApp {
	if a == nil {
		return nil
	}
	for i := range a.PreAuthorized {
		if equalFoldGUID(a.PreAuthorized[i].AppID, clientAppID) {
			return &a.PreAuthorized[i]
		}
	}
	return nil
}

// ServicePrincipal is the tenant-local instance of an application.
type ServicePrincipal struct {
	ID          string
	AppID       string
	DisplayName string
	// AppDisplayName and AppOwnerOrganizationID name the application and
	// the tenant it is registered in (its publisher), as Graph tells them
	// (empty when not read).
	AppDisplayName         string
	AppOwnerOrganizationID string
	// Disabled is true when Graph says accountEnabled is false: nobody can
	// sign in to the app in this tenant.
	Disabled bool
}

// User is the signed-in user.
type User struct {
	ID                string
	DisplayName       string
	UserPrincipalName string
}

// Tenant is the signed-in user's organization.
type Tenant struct {
	ID              string
	DisplayName     string
	VerifiedDomains []string
	DefaultDomain   string
	// URIPolicy is the app management policy's identifier URI settings,
	// nil when they could not be read (uripolicy.go).
	URIPolicy *URIPolicy
}

// ConnectorScope is the app's own scope for a connector, or nil when it
// has none: the scope the Power Query clients are preauthorized for, else
// an enabled one open to users, else an enabled admin-only one (which the
// quickstart wants "Admins and users": doctor's fix and the wizard's Scope
// step offer that change in place), else any. Each kind prefers an enabled
// "Admins and users" scope, then any enabled one, then any.
func (a *App) ConnectorScope() *Scope {
	if a == nil {
		return nil
	}
	var pre, users, enabled []Scope
	for _, c := range []Client{ClientExcel, ClientRefresh} {
		if p := a.PreAuthorizedFor(c.AppID); p != nil {
			for _, id := range p.DelegatedPermissionIDs {
				if s := a.ScopeByID(id); s != nil {
					pre = append(pre, *s)
				}
			}
		}
	}
	for _, s := range a.Scopes {
		if s.Type == ConsentUsers && s.IsEnabled {
			users = append(users, s)
		}
		if s.IsEnabled {
			enabled = append(enabled, s)
		}
	}
	for _, ss := range [][]Scope{pre, users, enabled, a.Scopes} {
		if s := bestScope(ss); s != nil {
			return a.ScopeByID(s.ID)
		}
	}
	return nil
}

// bestScope prefers an enabled User scope, then any enabled one, then any.
func bestScope(ss []Scope) *Scope {
	for _, ok := range []func(Scope) bool{
		func(s Scope) bool { return s.IsEnabled && s.Type == ConsentUsers },
		func(s Scope) bool { return s.IsEnabled },
		func(Scope) bool { return true },
	} {
		if i := slices.IndexFunc(ss, ok); i >= 0 {
			return &ss[i]
		}
	}
	return nil
}
