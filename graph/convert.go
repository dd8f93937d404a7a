package graph

import (
	"fmt"
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

// fromApplication converts Graph's application into the engine's App,
// checking what the shape check (shape.go) cannot: the ids are GUIDs, and
// nothing is missing. what names the request for the error. Strings from
// the server are kept as they are here; they are cleaned where they are
// shown.
func fromApplication(a models.Applicationable, what string) (*steps.App, error) {
	if a == nil {
		return nil, badData(what, "the application", "is missing")
	}
	out := &steps.App{
		ObjectID:       strings.ToLower(deref(a.GetId())),
		AppID:          strings.ToLower(deref(a.GetAppId())),
		DisplayName:    deref(a.GetDisplayName()),
		SignInAudience: deref(a.GetSignInAudience()),
		UniqueName:     deref(a.GetUniqueName()),
		IdentifierURIs: append([]string{}, a.GetIdentifierUris()...),
	}
	if err := firstBad(what, guidField("id", out.ObjectID), guidField("appId", out.AppID)); err != nil {
		return nil, err
	}
	for i, u := range out.IdentifierURIs {
		if u == "" {
			return nil, badData(what, fmt.Sprintf("identifierUris[%d]", i), "is empty")
		}
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
	for i, c := range a.GetPasswordCredentials() {
		if c == nil {
			return nil, badData(what, fmt.Sprintf("passwordCredentials[%d]", i), "is null")
		}
		out.Credentials = append(out.Credentials, credentialWords("client secret", c.GetDisplayName(), c.GetKeyId()))
	}
	for i, c := range a.GetKeyCredentials() {
		if c == nil {
			return nil, badData(what, fmt.Sprintf("keyCredentials[%d]", i), "is null")
		}
		out.Credentials = append(out.Credentials, credentialWords("certificate", c.GetDisplayName(), c.GetKeyId()))
	}
	api := a.GetApi()
	if api == nil {
		return out, nil
	}
	out.RequestedAccessTokenVersion = api.GetRequestedAccessTokenVersion()
	for i, s := range api.GetOauth2PermissionScopes() {
		field := fmt.Sprintf("api.oauth2PermissionScopes[%d]", i)
		if s == nil {
			return nil, badData(what, field, "is null")
		}
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
		if sc.ID == "" || sc.ID == (uuid.UUID{}).String() {
			return nil, badData(what, field+".id", "is missing or not a GUID")
		}
		if sc.Value == "" {
			return nil, badData(what, field+".value", "is missing")
		}
		if e := s.GetIsEnabled(); e != nil {
			sc.IsEnabled = *e
		}
		out.Scopes = append(out.Scopes, sc)
	}
	for i, p := range api.GetPreAuthorizedApplications() {
		field := fmt.Sprintf("api.preAuthorizedApplications[%d]", i)
		if p == nil {
			return nil, badData(what, field, "is null")
		}
		x := steps.PreAuthorizedApp{AppID: strings.ToLower(deref(p.GetAppId())), DelegatedPermissionIDs: []string{}}
		if err := firstBad(what, guidField(field+".appId", x.AppID)); err != nil {
			return nil, err
		}
		for j, id := range p.GetDelegatedPermissionIds() {
			if err := firstBad(what, guidField(fmt.Sprintf("%s.delegatedPermissionIds[%d]", field, j), id)); err != nil {
				return nil, err
			}
			x.DelegatedPermissionIDs = append(x.DelegatedPermissionIDs, strings.ToLower(id))
		}
		out.PreAuthorized = append(out.PreAuthorized, x)
	}
	return out, nil
}

// badData is an answer that does not hold what Graph sends; nothing is
// planned from it.
func badData(what, field, problem string) error {
	return &steps.Error{Err: &DataError{Field: field, Problem: problem},
		Message: steps.Clean(fmt.Sprintf("could not %s: Graph's answer is malformed: %s %s", what, field, problem)), Hint: guardHint}
}

// guardField is a field that must hold a GUID: its name, or "" when it does.
type fieldCheck struct{ field, problem string }

func guidField(field, v string) fieldCheck {
	if steps.IsGUID(v) {
		return fieldCheck{}
	}
	if v == "" {
		return fieldCheck{field, "is missing"}
	}
	return fieldCheck{field, fmt.Sprintf("is %q, not a GUID", v)}
}

func firstBad(what string, checks ...fieldCheck) error {
	for _, c := range checks {
		if c.field != "" {
			return badData(what, c.field, c.problem)
		}
	}
	return nil
}

// mismatch is an answer about another object than the one asked for.
func mismatch(what, field, want, got string) error {
	return badData(what, field, fmt.Sprintf("is %q, but %q was asked for: Graph answered about another object", got, want))
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

// fromServicePrincipal converts and checks a service principal; appID,
// when set, is the app it must belong to.
func fromServicePrincipal(s models.ServicePrincipalable, appID, what string) (*steps.ServicePrincipal, error) {
	if s == nil {
		return nil, badData(what, "the service principal", "is missing")
	}
	sp := &steps.ServicePrincipal{ID: strings.ToLower(deref(s.GetId())), AppID: strings.ToLower(deref(s.GetAppId())),
		DisplayName: deref(s.GetDisplayName()), AppDisplayName: deref(s.GetAppDisplayName())}
	if err := firstBad(what, guidField("id", sp.ID), guidField("appId", sp.AppID)); err != nil {
		return nil, err
	}
	if appID != "" && !strings.EqualFold(sp.AppID, appID) {
		return nil, mismatch(what, "appId", appID, sp.AppID)
	}
	// The publisher's tenant id is shown and compared: only a GUID is one.
	if u := s.GetAppOwnerOrganizationId(); u != nil {
		if owner := strings.ToLower(u.String()); steps.IsGUID(owner) {
			sp.AppOwnerOrganizationID = owner
		}
	}
	if e := s.GetAccountEnabled(); e != nil && !*e {
		sp.Disabled = true
	}
	return sp, nil
}

func ptr[T any](v T) *T { return &v }
