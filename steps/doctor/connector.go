package doctor

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/m"
)

// diagnoseConnector checks each Aad record of the connector file.
func diagnoseConnector(in DiagnoseInput) []Finding {
	c := in.Connector
	if c == nil {
		return nil
	}
	name := steps.Clean(c.Path)
	if name == "" {
		name = "the connector"
	}
	if c.Err != nil {
		return []Finding{{ID: FindConnectorUnreadable, Severity: SeverityError,
			Message: fmt.Sprintf("%s cannot be read as M: %s.", name, steps.Clean(c.Err.Error())),
			Fix:     "Fix the syntax error (the Power Query SDK shows it too), then run doctor again."}}
	}
	if len(c.Aad) == 0 {
		return []Finding{{ID: FindConnectorNoAad, Severity: SeverityError,
			Message: fmt.Sprintf("%s has no Aad authentication kind, so Power Query never offers Microsoft Entra sign-in.", name),
			Fix:     "Add Aad = [ AuthorizationUri = …, Resource = …, Scope = \".default\" ] to the kind's Authentication record: " + in.fixConnectorHint() + "."}}
	}
	var out []Finding
	for _, f := range c.Aad {
		out = append(out, diagnoseAad(in, f)...)
	}
	for _, k := range c.Kinds {
		if !k.TestConnection && hasAad(c.Aad, k.Name) {
			out = append(out, noTestConnection(k.Name))
		}
	}
	return out
}

func hasAad(fs []m.AadFinding, kind string) bool {
	for _, f := range fs {
		if f.Kind == kind {
			return true
		}
	}
	return false
}

// noTestConnection: what certification asks about sign-in, and what
// scheduled refresh through the on-premises data gateway needs: "To support
// scheduled refresh through the on-premises data gateway, your connector
// must implement a TestConnection handler", set in the data source kind
// record (https://learn.microsoft.com/power-query/handling-gateway-support).
// It is information, not a fault: sign-in works without it (setup's own
// snippet draws nothing but notes from doctor), and many connectors never
// go through a gateway.
func noTestConnection(kind string) Finding {
	k := steps.Clean(kind)
	return Finding{ID: FindNoTestConnection, Severity: SeverityInfo, Kind: kind,
		Message: fmt.Sprintf("The data source kind %s has no TestConnection handler: scheduled refresh through the on-premises data gateway needs one, and connector certification asks for it. Sign-in in Power BI Desktop works without it.", k),
		Fix:     fmt.Sprintf("Add TestConnection = (dataSourcePath) => { \"%s.Contents\", dataSourcePath } to the %s record, naming your shared data source function and its arguments (https://learn.microsoft.com/power-query/handling-gateway-support); try it with PQTest.exe test-connection or the SDK's Run TestConnection function task.", k, k)}
}

func diagnoseAad(in DiagnoseInput, f m.AadFinding) []Finding {
	kind := steps.Clean(f.Kind)
	add := func(out []Finding, x Finding) []Finding { x.Kind = f.Kind; return append(out, x) }
	var out []Finding
	if !f.IsRecord {
		return add(out, Finding{ID: FindConnectorAadNotRecord, Severity: SeverityError,
			Message: fmt.Sprintf("The Aad entry of %s is not a record literal, so doctor cannot check it.", kind),
			Fix:     "Write it as Aad = [ AuthorizationUri = …, Resource = …, Scope = \".default\" ]."})
	}
	scopeFix := "Add Scope = \".default\" to the Aad record of " + kind + " (or name scopes, e.g. \"Data.Read\"): " + in.fixConnectorHint() + "."
	switch sc := f.Scope; {
	case !sc.Present || sc.Kind == m.ValueText && strings.TrimSpace(sc.Text) == "":
		out = add(out, Finding{ID: FindConnectorScopeMissing, Severity: SeverityError, Error: ErrScopeNotFound,
			Message: fmt.Sprintf("The Aad record of %s has no Scope, so Power Query asks for user_impersonation, which the app does not define.", kind),
			Fix:     scopeFix})
	case sc.Kind == m.ValueNull:
		out = add(out, Finding{ID: FindConnectorScopeNull, Severity: SeverityError, Error: ErrScopeNotFound,
			Message: fmt.Sprintf("The Aad record of %s has Scope = null, so Power Query asks for user_impersonation, which the app does not define.", kind),
			Fix:     scopeFix})
	case sc.Kind == m.ValueText && in.App != nil:
		var unknown []string
		for _, v := range scopeValues(sc.Text, f.Resource.Text) {
			if s := in.App.ScopeByValue(v); v != m.DefaultScope && (s == nil || !s.IsEnabled) {
				unknown = append(unknown, steps.Clean(v))
			}
		}
		if len(unknown) > 0 {
			out = add(out, Finding{ID: FindConnectorScopeUnknown, Severity: SeverityError, Error: ErrScopeNotFound,
				Message: fmt.Sprintf("The Aad record of %s asks for %s, which the app does not expose as an enabled scope.", kind, strings.Join(unknown, ", ")),
				Fix:     "Add (or enable) the scope on the app: " + in.fixHint() + "; or use Scope = \".default\"."})
		}
	}
	switch r := f.Resource; {
	case !r.Present || r.Kind == m.ValueNull:
		out = add(out, Finding{ID: FindConnectorResource, Severity: SeverityError, Error: ErrNoResource,
			Message: fmt.Sprintf("The Aad record of %s has no Resource: Power Query does not know which app to ask a token for.", kind),
			Fix:     "Set Resource to the app's Application ID URI: " + in.fixConnectorHint() + "."})
	case r.Kind == m.ValueText && in.App != nil && !resourceMatches(in.App, r.Text):
		uris := "none"
		if len(in.App.IdentifierURIs) > 0 {
			uris = steps.Clean(strings.Join(in.App.IdentifierURIs, ", "))
		}
		out = add(out, Finding{ID: FindConnectorResource, Severity: SeverityError, Error: ErrNoResource,
			Message: fmt.Sprintf("The Aad record of %s has Resource = %q, which is not an Application ID URI of the app (it has: %s).", kind, steps.Clean(r.Text), uris),
			Fix:     "Set Resource to the app's Application ID URI: " + in.fixConnectorHint() + "."})
	}
	for _, x := range checkAuthURI(in, f.AuthorizationURI, kind) {
		out = add(out, x)
	}
	for _, o := range f.Others {
		out = add(out, Finding{ID: FindConnectorUnknownField, Severity: SeverityWarning,
			Message: fmt.Sprintf("The Aad record of %s has a field %s, which Power Query does not use for Aad.", kind, steps.Clean(o)),
			Fix:     "Remove it (a typo of Scope? DefaultClientApplication is obsolete)."})
	}
	return out
}

// checkAuthURI: a text AuthorizationUri must be the v1 authorize endpoint
// of the app's cloud, for a tenant that fits the app's audience. A
// function (the documented dynamic lookup) or another expression is the
// author's own logic and is not judged.
func checkAuthURI(in DiagnoseInput, v m.AadValue, kind string) []Finding {
	want := wantAuthURI(in, v)
	fix := fmt.Sprintf("Use AuthorizationUri = %q: %s.", want, in.fixConnectorHint())
	bad := func(code, msg string) []Finding {
		return []Finding{{ID: FindConnectorAuthURI, Severity: SeverityError, Error: code, Message: msg, Fix: fix}}
	}
	switch {
	case !v.Present || v.Kind == m.ValueNull:
		return bad("", fmt.Sprintf("The Aad record of %s has no AuthorizationUri; Power Query needs it to open the sign-in page.", kind))
	case v.Kind != m.ValueText:
		return nil
	}
	host := loginHostOr(in.LoginHost)
	u, err := url.Parse(strings.TrimSpace(v.Text))
	if err != nil || u.Scheme != "https" || !strings.EqualFold("https://"+u.Host, host) {
		return bad("", fmt.Sprintf("The AuthorizationUri of %s (%q) is not a Microsoft Entra sign-in endpoint of this cloud (%s/…/oauth2/authorize).", kind, steps.Clean(v.Text), host))
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) == 4 && parts[1] == "oauth2" && parts[2] == "v2.0" && parts[3] == "authorize" {
		return bad(ErrResourceOnV2, fmt.Sprintf("The AuthorizationUri of %s is the v2.0 endpoint, which refuses the resource parameter Power Query sends.", kind))
	}
	if len(parts) != 3 || parts[1] != "oauth2" || parts[2] != "authorize" {
		return bad("", fmt.Sprintf("The AuthorizationUri of %s (%q) is not an Entra authorize endpoint (%s/{tenant}/oauth2/authorize).", kind, steps.Clean(v.Text), host))
	}
	tenant := strings.ToLower(parts[0])
	if tenant == "consumers" {
		return bad("", fmt.Sprintf("The AuthorizationUri of %s signs in personal Microsoft accounts only; Power Query's Aad needs work or school accounts.", kind))
	}
	app := in.App
	generic := tenant == "common" || tenant == "organizations"
	mismatch := func(sev Severity, code, msg string) []Finding {
		return []Finding{{ID: FindAuthURITenantMismatch, Severity: sev, Error: code, Message: msg, Fix: fix}}
	}
	if app == nil {
		// Another organization's (multitenant) app, from a customer's
		// tenant: a pinned tenant is the publisher's, not this one.
		if in.Foreign() && !generic && in.Tenant != nil && !isTenant(in.Tenant, tenant) {
			return mismatch(SeverityError, ErrGuestUser, fmt.Sprintf("The AuthorizationUri of %s signs everyone in to the tenant %s, "+
				"but this organization's users belong to %s: they fail (the app is multitenant; its connector must use /common/ or /organizations/).",
				kind, steps.Clean(parts[0]), in.Tenant.ID))
		}
		return nil
	}
	switch {
	case isMultiTenant(app) && !generic:
		return mismatch(SeverityError, ErrGuestUser, fmt.Sprintf("The app is multitenant, but the AuthorizationUri of %s signs everyone in to the tenant %s: users of other organizations fail.", kind, steps.Clean(parts[0])))
	case !isMultiTenant(app) && generic:
		// What setup and snippet emit, and what the quickstart tells most
		// connectors to hardcode: members of the app's tenant sign in fine.
		// Only guests are affected, so it is worth knowing, not a fault.
		return []Finding{{ID: FindAuthURIGuests, Severity: SeverityInfo, Kind: kind,
			Message: fmt.Sprintf("The AuthorizationUri of %s uses /%s/, as the quickstart does: members of your tenant sign in fine. The app is single-tenant, so guests (B2B) cannot: they sign in at their home tenant, where the app does not exist.", kind, tenant),
			Fix:     "Only if guests use the connector, sign everyone in to your tenant: run `" + in.snippetTenantFix(kind) + "` (it shows the diff and keeps a .bak)."}}
	case !isMultiTenant(app) && in.Tenant != nil && !isTenant(in.Tenant, tenant):
		return mismatch(SeverityError, ErrNoResource, fmt.Sprintf("The AuthorizationUri of %s names the tenant %s, but the app lives in %s.", kind, steps.Clean(parts[0]), in.Tenant.ID))
	}
	return nil
}

func isMultiTenant(app *steps.App) bool {
	return app.SignInAudience != "" && app.SignInAudience != steps.AudienceSingle
}

func isTenant(t *steps.Tenant, s string) bool {
	if equalFoldGUID(t.ID, s) {
		return true
	}
	return containsFold(t.VerifiedDomains, s)
}

func loginHostOr(h string) string {
	if h == "" {
		return m.DefaultLoginHost
	}
	return strings.TrimRight(h, "/")
}

// wantAuthURI is the AuthorizationUri doctor writes when the connector's
// is wrong: the quickstart's /common/ v1 endpoint of the app's cloud, the
// same one setup and snippet emit. A connector that pins a tenant for a
// single-tenant app keeps a pin, to the app's own tenant.
func wantAuthURI(in DiagnoseInput, cur m.AadValue) string {
	t := "common"
	if in.App != nil && !isMultiTenant(in.App) && in.Tenant != nil && in.Tenant.ID != "" && cur.Kind == m.ValueText {
		if u, err := url.Parse(strings.TrimSpace(cur.Text)); err == nil {
			seg, _, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")
			switch strings.ToLower(seg) {
			case "", "common", "organizations", "consumers":
			default:
				t = in.Tenant.ID
			}
		}
	}
	return loginHostOr(in.LoginHost) + "/" + t + "/oauth2/authorize"
}

// snippetTenantFix is the snippet command that pins a connector's
// AuthorizationUri to the app's tenant.
func (in DiagnoseInput) snippetTenantFix(kind string) string {
	args := []string{"snippet", "--app-id", in.App.AppID, "--authorization-uri", "tenant"}
	if in.Connector != nil {
		args = append(args, "--patch", in.Connector.Path)
		if len(in.Connector.Aad) > 1 {
			args = append(args, "--kind", kind)
		}
	}
	return in.Command.Line(args...)
}

// snippetPatchFix is the snippet command that writes the app's whole Aad
// record into the connector.
func (in DiagnoseInput) snippetPatchFix(kind string) string {
	id := in.AppID
	if in.App != nil {
		id = in.App.AppID
	}
	args := []string{"snippet", "--app-id", steps.AppIDOrPlaceholder(id)}
	if in.Connector != nil {
		args = append(args, "--patch", in.Connector.Path)
		if len(in.Connector.Aad) > 1 {
			args = append(args, "--kind", kind)
		}
	}
	return in.Command.Line(args...)
}

// resourceMatches: Entra finds the resource by an identifier URI or by the
// app id itself (both compared case-insensitively).
func resourceMatches(app *steps.App, r string) bool {
	r = strings.TrimSpace(r)
	return containsFold(app.IdentifierURIs, r) || equalFoldGUID(r, app.AppID)
}

// scopeValues splits a Scope text into scope values, dropping a
// "<Resource>/" prefix (Power Query adds the resource itself).
func scopeValues(text, resource string) []string {
	prefix := strings.TrimRight(resource, "/") + "/"
	var out []string
	for _, s := range strings.Fields(text) {
		if resource != "" && len(s) > len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
			s = s[len(prefix):]
		}
		out = append(out, s)
	}
	return out
}

// connectorScopeValues returns the scope values the connector names, and
// whether it (also) asks for .default. Without a readable connector the
// quickstart's .default is assumed.
func connectorScopeValues(in DiagnoseInput) (named []string, usesDefault bool) {
	c := in.Connector
	if c == nil || c.Err != nil || len(c.Aad) == 0 {
		return nil, true
	}
	for _, f := range c.Aad {
		switch {
		case !f.IsRecord:
		case !f.Scope.Present || f.Scope.Kind != m.ValueText:
			// Without a Scope, doctor's fix writes .default, so judge the
			// app as the fixed connector will meet it; a function or
			// expression is read the same way.
			usesDefault = true
		default:
			vals := scopeValues(f.Scope.Text, f.Resource.Text)
			usesDefault = usesDefault || len(vals) == 0
			for _, v := range vals {
				if v == m.DefaultScope {
					usesDefault = true
				} else if !containsFold(named, v) {
					named = append(named, v)
				}
			}
		}
	}
	return named, usesDefault
}
