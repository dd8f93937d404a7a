package steps

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// Step names, in quickstart order. They label changes in previews, in the
// JSON output and in the wizard's progress line.
const (
	StepSignIn        = "sign-in"
	StepRegister      = "register"
	StepIdentifierURI = "identifier-uri"
	StepScope         = "scope"
	StepPreauthorize  = "preauthorize"
	StepSnippet       = "snippet"
)

// AllSteps are the steps that write to the directory, in order.
var AllSteps = []string{StepRegister, StepIdentifierURI, StepScope, StepPreauthorize}

// DefaultScopeValue is the quickstart's example scope.
const DefaultScopeValue = "Data.Read"

// Desired is what the user wants the directory to hold once pqentra is done.
type Desired struct {
	// AppID selects an existing application. When empty, the application
	// is found or created by UniqueName (derived from DisplayName), so a
	// re-run with the same inputs can never create a second app.
	AppID       string
	DisplayName string
	// SignInAudience is AudienceSingle or AudienceMulti; empty keeps what an
	// existing app has (and means AudienceSingle for a new one).
	SignInAudience string
	// IdentifierURI is the Application ID URI; empty means api://{appId}.
	IdentifierURI string
	Scope         ScopeSpec
	// Clients are the appIds to preauthorize for the scope.
	Clients []string
}

// ScopeSpec describes the one delegated scope the connector uses.
type ScopeSpec struct {
	Value string // default Data.Read
	Type  string // ConsentUsers (default) or ConsentAdmins
	// Texts, when set, are written to the scope; when nil, a new scope gets
	// DefaultScopeTexts and an existing one keeps its texts.
	Texts *ScopeTexts
}

// ScopeTexts are the consent prompts Entra shows for a scope.
type ScopeTexts struct {
	AdminConsentDisplayName string
	AdminConsentDescription string
	UserConsentDisplayName  string
	UserConsentDescription  string
}

// DefaultScopeTexts fills the four consent texts for a scope on an app.
func DefaultScopeTexts(value, appName string) ScopeTexts {
	if appName == "" {
		appName = "the service"
	}
	verb := "Access"
	if strings.Contains(strings.ToLower(value), "read") && !strings.Contains(strings.ToLower(value), "write") {
		verb = "Read"
	}
	return ScopeTexts{
		AdminConsentDisplayName: fmt.Sprintf("%s %s data (%s)", verb, appName, value),
		AdminConsentDescription: fmt.Sprintf("Allows Power Query connectors to %s data in %s on behalf of the signed-in user.", strings.ToLower(verb), appName),
		UserConsentDisplayName:  fmt.Sprintf("%s your %s data", verb, appName),
		UserConsentDescription:  fmt.Sprintf("Allows Power Query to %s your data in %s on your behalf.", strings.ToLower(verb), appName),
	}
}

// Normalize fills defaults and checks every field, so that nothing is sent
// when an input is wrong. The returned error (an *InputError) says what to
// change.
func (d *Desired) Normalize() error {
	d.Defaults()
	return d.Validate()
}

// Defaults trims the inputs, fills what was left out (api://{appId},
// Data.Read, "Admins and users", the two Power Query clients) and writes
// names in Graph's form (single → AzureADMyOrg). It never fails: a value it
// does not know is left for Validate to explain.
func (d *Desired) Defaults() {
	d.AppID = strings.ToLower(strings.TrimSpace(d.AppID))
	d.DisplayName = strings.TrimSpace(d.DisplayName)
	if a, ok := audienceName(d.SignInAudience); ok {
		d.SignInAudience = a
	}
	d.IdentifierURI = strings.TrimSpace(d.IdentifierURI)
	if d.IdentifierURI == "" {
		d.IdentifierURI = DefaultIdentifierURI
	}
	d.Scope.Value = strings.TrimSpace(d.Scope.Value)
	if d.Scope.Value == "" {
		d.Scope.Value = DefaultScopeValue
	}
	if t, ok := consentType(d.Scope.Type); ok {
		d.Scope.Type = t
	}
	if d.Clients == nil {
		d.Clients = DefaultClients()
	}
	var clients []string
	for _, c := range d.Clients {
		clients = appendUniqueGUID(clients, strings.TrimSpace(c))
	}
	if clients == nil {
		clients = []string{}
	}
	d.Clients = clients
}

// Validate checks every field as Defaults left it, without changing
// anything, so nothing is sent when an input is wrong.
func (d *Desired) Validate() error {
	if d.AppID != "" {
		if err := ValidateGUID(FieldAppID, d.AppID); err != nil {
			return err
		}
		if d.DisplayName != "" {
			if err := ValidateDisplayName(d.DisplayName); err != nil {
				return err
			}
		}
	} else if err := ValidateDisplayName(d.DisplayName); err != nil {
		return err
	}
	if _, err := ValidateAudience(d.SignInAudience); err != nil {
		return err
	}
	if err := ValidateIdentifierURISyntax(d.IdentifierURI); err != nil {
		return err
	}
	if d.AppID == "" && IsMultitenant(d.SignInAudience) {
		// A new multitenant app: the forms that can never fit it are
		// refused before sign-in (the domains are checked at plan time).
		if err := multitenantURIOffline(d.IdentifierURI); err != nil {
			return inputErr(FieldIdentifierURI, err)
		}
	}
	if err := ValidateScopeValue(d.Scope.Value); err != nil {
		return err
	}
	if _, err := ValidateConsent(d.Scope.Type); err != nil {
		return err
	}
	if t := d.Scope.Texts; t != nil {
		for _, f := range []struct{ name, v string }{
			{"admin consent display name", t.AdminConsentDisplayName},
			{"admin consent description", t.AdminConsentDescription},
		} {
			if strings.TrimSpace(f.v) == "" {
				return inputErr(FieldScopeTexts, fmt.Errorf("the scope's %s is empty; Entra requires it (it is what an admin reads when consenting)", f.name))
			}
		}
		for _, f := range []struct{ name, v string }{
			{"the scope's admin consent display name", t.AdminConsentDisplayName},
			{"the scope's admin consent description", t.AdminConsentDescription},
			{"the scope's user consent display name", t.UserConsentDisplayName},
			{"the scope's user consent description", t.UserConsentDescription},
		} {
			if err := checkVisible(f.name, f.v); err != nil {
				return inputErr(FieldScopeTexts, err)
			}
		}
	}
	for _, c := range d.Clients {
		if err := ValidateGUID(FieldClientAppID, c); err != nil {
			return err
		}
	}
	return nil
}

// UniqueName is the Graph alternate key pqentra gives an app it creates.
// It is derived from the display name alone, so the same inputs always
// address the same application: a create that is retried, resumed after a
// crash, or run again upserts the one app instead of making a second.
func UniqueName(displayName string) string {
	n := strings.ToLower(strings.Join(strings.Fields(displayName), " "))
	sum := sha256.Sum256([]byte(n))
	return "pqentra-" + hex.EncodeToString(sum[:])[:20]
}

// ResolveURI puts the app id into an identifier URI template.
func ResolveURI(uri, appID string) string {
	if appID == "" {
		return uri
	}
	return strings.ReplaceAll(uri, "{appId}", appID)
}
