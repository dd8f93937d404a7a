package graph

import (
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/pqentra/pqentra/steps"
)

// appFields are the properties pqentra reads ($select), so a large app
// costs no more than it must.
// The redirect URIs and credentials are read for provenance only (what
// pqentra never sets; steps/provenance.go).
var appFields = []string{"id", "appId", "displayName", "signInAudience", "uniqueName", "identifierUris", "api",
	"web", "spa", "publicClient", "passwordCredentials", "keyCredentials"}

// fromApplication converts Graph's application into the engine's App.
// Strings from the server are kept as they are here; they are cleaned where
// they are shown.
func fromApplication(a models.Applicationable) *steps.App {
	if a == nil {
		return nil
	}
	out := &steps.App{
		ObjectID:       strings.ToLower(deref(a.GetId())),
		AppID:          strings.ToLower(deref(a.GetAppId())),
		DisplayName:    deref(a.GetDisplayName()),
		SignInAudience: deref(a.GetSignInAudience()),
		UniqueName:     deref(a.GetUniqueName()),
		IdentifierURIs: append([]string{}, a.GetIdentifierUris()...),
	}
	if w := a.GetWeb(); w != nil {
		out.RedirectURIs = append(out.RedirectURIs, w.GetRedirectUris()...)
	}
	if w := a.GetSpa(); w != nil {
		out.RedirectURIs = append(out.RedirectURIs, w.GetRedirectUris()...)
	}
	if w := a.GetPublicClient(); w != nil {
		out.RedirectURIs = append(out.RedirectURIs, w.GetRedirectUris()...)
	}
	for _, c := range a.GetPasswordCredentials() {
		if c != nil {
			out.Credentials = append(out.Credentials, credentialWords("client secret", c.GetDisplayName(), c.GetKeyId()))
		}
	}
	for _, c := range a.GetKeyCredentials() {
		if c != nil {
			out.Credentials = append(out.Credentials, credentialWords("certificate", c.GetDisplayName(), c.GetKeyId()))
		}
	}
	if api := a.GetApi(); api != nil {
		out.RequestedAccessTokenVersion = api.GetRequestedAccessTokenVersion()
		for _, s := range api.GetOauth2PermissionScopes() {
			sc := steps.Scope{
				Value:                   deref(s.GetValue()),
				Type:                    deref(s.GetTypeEscaped()),
				AdminConsentDisplayName: deref(s.GetAdminConsentDisplayName()),
				AdminConsentDescription: deref(s.GetAdminConsentDescription()),
				UserConsentDisplayName:  deref(s.GetUserConsentDisplayName()),
				UserConsentDescription:  deref(s.GetUserConsentDescription()),
			}
			if id := s.GetId(); id != nil {
				sc.ID = id.String()
			}
			if e := s.GetIsEnabled(); e != nil {
				sc.IsEnabled = *e
			}
			out.Scopes = append(out.Scopes, sc)
		}
		for _, p := range api.GetPreAuthorizedApplications() {
			ids := []string{}
			for _, id := range p.GetDelegatedPermissionIds() {
				ids = append(ids, strings.ToLower(id))
			}
			out.PreAuthorized = append(out.PreAuthorized, steps.PreAuthorizedApp{
				AppID: strings.ToLower(deref(p.GetAppId())), DelegatedPermissionIDs: ids})
		}
	}
	return out
}

// toApplication builds the PATCH body. Only fields set in the patch are
// set on the model, so only they are sent (msgraph-sdk-go serializes what
// was set); collections are sent whole.
func toApplication(p steps.AppPatch) (models.Applicationable, error) {
	a := models.NewApplication()
	if p.DisplayName != nil {
		a.SetDisplayName(ptr(*p.DisplayName))
	}
	if p.SignInAudience != nil {
		a.SetSignInAudience(ptr(*p.SignInAudience))
	}
	if p.UniqueName != nil {
		a.SetUniqueName(ptr(*p.UniqueName))
	}
	if p.IdentifierURIs != nil {
		a.SetIdentifierUris(append([]string{}, *p.IdentifierURIs...))
	}
	if p.Scopes != nil || p.PreAuthorized != nil {
		api := models.NewApiApplication()
		if p.Scopes != nil {
			scopes := []models.PermissionScopeable{}
			for _, s := range *p.Scopes {
				id, err := uuid.Parse(s.ID)
				if err != nil {
					return nil, err
				}
				ps := models.NewPermissionScope()
				ps.SetId(&id)
				ps.SetValue(ptr(s.Value))
				ps.SetTypeEscaped(ptr(s.Type))
				ps.SetIsEnabled(ptr(s.IsEnabled))
				if s.AdminConsentDisplayName != "" {
					ps.SetAdminConsentDisplayName(ptr(s.AdminConsentDisplayName))
				}
				if s.AdminConsentDescription != "" {
					ps.SetAdminConsentDescription(ptr(s.AdminConsentDescription))
				}
				if s.UserConsentDisplayName != "" {
					ps.SetUserConsentDisplayName(ptr(s.UserConsentDisplayName))
				}
				if s.UserConsentDescription != "" {
					ps.SetUserConsentDescription(ptr(s.UserConsentDescription))
				}
				scopes = append(scopes, ps)
			}
			api.SetOauth2PermissionScopes(scopes)
		}
		if p.PreAuthorized != nil {
			pre := []models.PreAuthorizedApplicationable{}
			for _, x := range *p.PreAuthorized {
				pa := models.NewPreAuthorizedApplication()
				pa.SetAppId(ptr(x.AppID))
				pa.SetDelegatedPermissionIds(append([]string{}, x.DelegatedPermissionIDs...))
				pre = append(pre, pa)
			}
			api.SetPreAuthorizedApplications(pre)
		}
		a.SetApi(api)
	}
	return a, nil
}

// credentialWords names a credential for people: kind, name, key id.
func credentialWords(kind string, name *string, keyID *uuid.UUID) string {
	s := kind
	if n := deref(name); n != "" {
		s += " " + strconv.Quote(n)
	}
	if keyID != nil {
		s += " (key id " + keyID.String() + ")"
	}
	return s
}

func fromServicePrincipal(s models.ServicePrincipalable) *steps.ServicePrincipal {
	if s == nil {
		return nil
	}
	sp := &steps.ServicePrincipal{ID: strings.ToLower(deref(s.GetId())), AppID: strings.ToLower(deref(s.GetAppId())),
		DisplayName: deref(s.GetDisplayName()), AppDisplayName: deref(s.GetAppDisplayName())}
	// The publisher's tenant id is shown and compared: only a GUID is one.
	if u := s.GetAppOwnerOrganizationId(); u != nil {
		if owner := strings.ToLower(u.String()); steps.IsGUID(owner) {
			sp.AppOwnerOrganizationID = owner
		}
	}
	if e := s.GetAccountEnabled(); e != nil && !*e {
		sp.Disabled = true
	}
	return sp
}

func ptr[T any](v T) *T { return &v }
