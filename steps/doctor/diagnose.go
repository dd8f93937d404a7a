package doctor

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/m"
)

// Doctor: diagnose an existing app registration (and a connector's Aad
// record) against the quickstart's troubleshooting section. Diagnose is
// pure, so the wizard and `pqentra doctor` share it and tests need no
// directory; Gather does the reads.

// Severity says how bad a finding is. Only errors make doctor fail: a
// warning is something that works today for most users.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// The errors users see, as the finding's Error field names them.
const (
	ErrNotPreauthorized = "AADSTS650057" // client not preauthorized for an enabled scope
	ErrScopeNotFound    = "AADSTS650053" // asked for a scope the resource does not have
	ErrAdminApproval    = "Need admin approval"
	ErrNoResource       = "AADSTS500011" // resource principal not found in the tenant
	ErrGuestUser        = "AADSTS50020"  // user of another tenant signing in to this one
	ErrResourceOnV2     = "AADSTS901002" // the v2.0 endpoint refuses the resource parameter
)

// Finding ids. They are stable: scripts match on them.
const (
	FindAppNotFound            = "app-not-found"
	FindPreauthMissingExcel    = "preauth-missing-excel"
	FindPreauthMissingRefresh  = "preauth-missing-refresh"
	FindPreauthDisabledScope   = "preauth-disabled-scope"
	FindNoEnabledScope         = "no-enabled-scope"
	FindAdminOnlyScope         = "admin-only-scope"
	FindUserConsentBlocked     = "user-consent-blocked"
	FindUserConsentUnknown     = "user-consent-unknown"
	FindNoServicePrincipal     = "no-service-principal"
	FindNoIdentifierURI        = "no-identifier-uri"
	FindConnectorUnreadable    = "connector-unreadable"
	FindConnectorNoAad         = "connector-no-aad"
	FindConnectorAadNotRecord  = "connector-aad-not-record"
	FindConnectorScopeMissing  = "connector-scope-missing"
	FindConnectorScopeNull     = "connector-scope-null"
	FindConnectorScopeUnknown  = "connector-scope-unknown"
	FindConnectorResource      = "connector-resource-mismatch"
	FindConnectorAuthURI       = "connector-authorization-uri"
	FindAuthURITenantMismatch  = "authorization-uri-tenant-mismatch"
	FindAuthURIGuests          = "authorization-uri-guests"
	FindConnectorUnknownField  = "connector-unknown-field"
	FindNoTestConnection       = "connector-no-test-connection"
	FindOwners                 = "owners"
	FindSignInAudience         = "sign-in-audience"
	FindOtherPreauthorized     = "other-preauthorized-clients"
	FindTokenVersion           = "token-version"
	FindFoundByNameExtras      = "found-by-name-extras"
	powerQueryClientsForHumans = "Power Query for Excel and Power BI Data Refresh"
)

// Finding is one thing doctor found: the error users will see, why, and
// the fix. The JSON shape is part of `pqentra doctor --output json`.
type Finding struct {
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	Error    string   `json:"error"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix"`
	// Kind is the connector's data source kind a connector finding is about.
	Kind string `json:"-"`
}

// ConnectorInput is what was read from the connector file.
type ConnectorInput struct {
	Path string
	Aad  []m.AadFinding
	Err  error // the file did not parse
	// Kinds are the file's data source kind records (nil when not read):
	// doctor checks that an Aad kind has a TestConnection handler.
	Kinds []m.KindInfo
}

// DiagnoseInput is everything Diagnose looks at.
type DiagnoseInput struct {
	Tenant *steps.Tenant
	App    *steps.App // nil: the application was not found
	// AppID is the app id looked for, when the app was looked for by one
	// and is not in this tenant: another organization's app, checked
	// through ServicePrincipal (customer.go).
	AppID            string
	ServicePrincipal *steps.ServicePrincipal
	Owners           []string
	OwnersUnknown    bool  // the owners could not be read
	UsersCanConsent  *bool // nil: the consent setting could not be read
	Connector        *ConnectorInput
	// LoginHost is the Entra sign-in host of the app's cloud, e.g.
	// https://login.microsoftonline.com.
	LoginHost string
	// ClientNames maps client appIds to names looked up in the tenant.
	ClientNames map[string]string
	// Selector says how the app was looked for, for app-not-found.
	Selector string
	// Command is how doctor was started; the Fix lines repeat it.
	Command steps.Command
	// Caution: the app was found by its name and is yours, but carries
	// what pqentra never sets (steps.Provenance.CautionFacts); "" when
	// not.
	Caution string
}

// Healthy reports whether no finding is an error.
func Healthy(fs []Finding) bool {
	return !slices.ContainsFunc(fs, func(f Finding) bool { return f.Severity == SeverityError })
}

// Diagnose checks the app and connector against the quickstart. Findings
// come errors first, then warnings, then info, each group in check order.
func Diagnose(in DiagnoseInput) []Finding {
	var out []Finding
	if in.Foreign() {
		out = append(out, diagnoseCustomer(in)...)
	} else if in.App == nil {
		what := in.Selector
		if what == "" {
			what = "the application"
		}
		out = append(out, Finding{ID: FindAppNotFound, Severity: SeverityError, Error: ErrNoResource,
			Message: fmt.Sprintf("No application matches %s in this tenant: Entra cannot find the resource the connector names.", steps.Clean(what)),
			Fix:     appNotFoundFix(in)})
	} else {
		out = append(out, diagnoseApp(in)...)
	}
	out = append(out, diagnoseConnector(in)...)
	if in.App != nil && in.Caution != "" {
		out = append(out, Finding{ID: FindFoundByNameExtras, Severity: SeverityWarning, Message: steps.Clean(in.Caution), Fix: steps.CautionCheck})
	}
	if in.App != nil {
		out = append(out, diagnoseInfo(in)...)
	}
	slices.SortStableFunc(out, func(a, b Finding) int { return severityRank(a.Severity) - severityRank(b.Severity) })
	return out
}

// appNotFoundFix: registering the app is the fix when it was looked for by
// name; an id or URI that matches nothing is more likely a typo or the
// wrong tenant.
func appNotFoundFix(in DiagnoseInput) string {
	check := "Check the id or URI and that you signed in to the right tenant (--tenant)"
	if sel := in.Command.Selector; len(sel) == 2 && sel[0] == "--display-name" {
		return check + ", or register it: run `" + in.Command.Line("setup", "--non-interactive", "--display-name", sel[1]) + "`."
	}
	return check + ", or register the app: run `" + in.Command.Line("setup") + "`."
}

func severityRank(s Severity) int {
	switch s {
	case SeverityError:
		return 0
	case SeverityWarning:
		return 1
	}
	return 2
}

// powerQueryClients are the clients every connector needs preauthorized.
var powerQueryClients = []struct {
	c  steps.Client
	id string
}{{steps.ClientExcel, FindPreauthMissingExcel}, {steps.ClientRefresh, FindPreauthMissingRefresh}}

func diagnoseApp(in DiagnoseInput) []Finding {
	app := in.App
	var out []Finding
	if in.ServicePrincipal == nil {
		out = append(out, Finding{ID: FindNoServicePrincipal, Severity: SeverityError, Error: ErrNoResource,
			Message: "The application has no service principal (enterprise application) in this tenant, so Entra cannot issue tokens for it.",
			Fix:     "Create the service principal: " + in.fixHint() + ", or `az ad sp create --id " + app.AppID + "`."})
	}
	if len(app.IdentifierURIs) == 0 {
		out = append(out, Finding{ID: FindNoIdentifierURI, Severity: SeverityError, Error: ErrNoResource,
			Message: "The application has no Application ID URI, so the connector's Resource cannot name it.",
			Fix:     "Set the Application ID URI (the default is api://" + app.AppID + "): " + in.fixHint() + "."})
	}
	enabled := enabledScopes(app)
	if len(enabled) == 0 {
		msg := "The application exposes no scope"
		if len(app.Scopes) > 0 {
			msg = fmt.Sprintf("None of the application's scopes is enabled (%s)", scopeList(app.Scopes))
		}
		out = append(out, Finding{ID: FindNoEnabledScope, Severity: SeverityError, Error: ErrScopeNotFound,
			Message: msg + ": Power Query has nothing to ask for.",
			Fix:     "Add (or enable) a scope such as Data.Read that admins and users can consent to: " + in.fixHint() + "."})
	}
	var stale []string
	for _, pc := range powerQueryClients {
		p := app.PreAuthorizedFor(pc.c.AppID)
		if p == nil {
			out = append(out, Finding{ID: pc.id, Severity: SeverityError, Error: ErrNotPreauthorized,
				Message: fmt.Sprintf("%s (%s) is not preauthorized, so sign-in fails there (%s).", pc.c.Name, pc.c.AppID, pc.c.Where),
				Fix:     "Preauthorize it for an enabled scope (Expose an API > Add a client application): " + in.fixHint() + "."})
			continue
		}
		if !slices.ContainsFunc(p.DelegatedPermissionIDs, func(id string) bool { s := app.ScopeByID(id); return s != nil && s.IsEnabled }) {
			stale = append(stale, fmt.Sprintf("%s for %s", pc.c.Name, describeScopeIDs(app, p.DelegatedPermissionIDs)))
		}
	}
	if len(stale) > 0 {
		out = append(out, Finding{ID: FindPreauthDisabledScope, Severity: SeverityError, Error: ErrNotPreauthorized,
			Message: "Preauthorized only for scopes that are disabled or gone: " + strings.Join(stale, "; ") + ".",
			Fix:     "Enable the scope (or preauthorize the clients for an enabled one): " + in.fixHint() + "."})
	}
	if admin := adminScopes(in); len(admin) > 0 {
		out = append(out, Finding{ID: FindAdminOnlyScope, Severity: SeverityError, Error: ErrAdminApproval,
			Message: fmt.Sprintf("The connector asks for %s, which only admins can consent to.", strings.Join(admin, ", ")),
			Fix: fmt.Sprintf("Change %s to \"Admins and users\" and preauthorize the Power Query clients for it: %s. "+
				"Entra only changes a disabled scope, so the fix disables it in one request and saves it changed and enabled in the next.",
				steps.Plural(len(admin), "the scope", "the scopes"), in.fixHint())})
	}
	switch {
	case in.UsersCanConsent == nil:
		out = append(out, Finding{ID: FindUserConsentUnknown, Severity: SeverityInfo,
			Message: "Could not read whether users in this tenant may consent to apps (it needs Policy.Read.All).",
			Fix:     "Preauthorizing the Power Query clients makes the setting irrelevant for them."})
	case !*in.UsersCanConsent:
		f := Finding{ID: FindUserConsentBlocked, Severity: SeverityError, Error: ErrAdminApproval,
			Message: "The tenant does not let users consent to apps, and the Power Query clients are not all preauthorized for an enabled scope.",
			Fix:     "Preauthorize " + powerQueryClientsForHumans + " (then no consent is asked): " + in.fixHint() + "; or have an admin grant consent."}
		if allPreauthorized(app) {
			f.Severity = SeverityWarning
			f.Message = "The tenant does not let users consent to apps. The Power Query clients are preauthorized, so they are not affected; other clients are."
			f.Fix = "Nothing to do for Power Query."
		}
		out = append(out, f)
	}
	return out
}

// allPreauthorized: Excel and Refresh each hold an enabled scope.
func allPreauthorized(app *steps.App) bool {
	for _, pc := range powerQueryClients {
		p := app.PreAuthorizedFor(pc.c.AppID)
		if p == nil || !slices.ContainsFunc(p.DelegatedPermissionIDs, func(id string) bool { s := app.ScopeByID(id); return s != nil && s.IsEnabled }) {
			return false
		}
	}
	return true
}

func enabledScopes(app *steps.App) []steps.Scope {
	var out []steps.Scope
	for _, s := range app.Scopes {
		if s.IsEnabled {
			out = append(out, s)
		}
	}
	return out
}

func scopeList(ss []steps.Scope) string {
	var names []string
	for _, s := range ss {
		names = append(names, steps.Clean(s.Value))
	}
	return strings.Join(names, ", ")
}

func describeScopeIDs(app *steps.App, ids []string) string {
	var parts []string
	for _, id := range ids {
		if s := app.ScopeByID(id); s != nil {
			parts = append(parts, steps.Clean(s.Value)+" (disabled)")
		} else {
			parts = append(parts, id+" (no such scope)")
		}
	}
	if len(parts) == 0 {
		return "no scope"
	}
	return strings.Join(parts, ", ")
}

// requestedScopes are the scopes Power Query will ask for: those the
// connector names, or, with .default (or no connector to read), the
// enabled scopes the Power Query clients are preauthorized for.
func requestedScopes(in DiagnoseInput) []steps.Scope {
	app := in.App
	var out []steps.Scope
	add := func(s *steps.Scope) {
		if s != nil && !slices.ContainsFunc(out, func(x steps.Scope) bool { return equalFoldGUID(x.ID, s.ID) }) {
			out = append(out, *s)
		}
	}
	named, usesDefault := connectorScopeValues(in)
	for _, v := range named {
		add(app.ScopeByValue(v))
	}
	if usesDefault {
		for _, pc := range powerQueryClients {
			if p := app.PreAuthorizedFor(pc.c.AppID); p != nil {
				for _, id := range p.DelegatedPermissionIDs {
					if s := app.ScopeByID(id); s != nil && s.IsEnabled {
						add(s)
					}
				}
			}
		}
	}
	return out
}

// adminScopes lists the requested enabled scopes only admins can consent
// to. With nothing preauthorized yet, it is the admin scopes when no
// enabled scope is open to users (the fix then picks a User scope).
func adminScopes(in DiagnoseInput) []string {
	req := requestedScopes(in)
	if len(req) == 0 {
		en := enabledScopes(in.App)
		if slices.ContainsFunc(en, func(s steps.Scope) bool { return s.Type != steps.ConsentAdmins }) {
			return nil
		}
		req = en
	}
	var out []string
	for _, s := range req {
		if s.IsEnabled && s.Type == steps.ConsentAdmins {
			out = append(out, steps.Clean(s.Value))
		}
	}
	return out
}
