package steps

import (
	"fmt"
	"net/url"
	"strings"
)

// A multitenant app (AzureADMultipleOrgs) is found by its Application ID
// URI in every organization that uses it, so Entra wants that URI unique
// everywhere: api://{appId}, or a host on one of the publisher's verified
// domains (the initial *.onmicrosoft.com counts). The forms a single-tenant
// app may use besides — api://{tenantId}/<name> and api://<name>/{appId} —
// are refused with HostNameNotOnVerifiedDomain, and so is switching an app
// to multitenant while it holds one. pqentra checks this before any write
// and never suggests a form the app's audience cannot use.

// IsMultitenant reports an audience whose users come from other
// organizations too.
func IsMultitenant(audience string) bool {
	return audience == AudienceMulti || audience == "AzureADandPersonalMicrosoftAccount"
}

// CheckIdentifierURIFor is CheckIdentifierURIPolicy for an app of the given
// sign-in audience: a multitenant app's URI must be api://{appId} or on a
// verified domain. appID may be the placeholder {appId} of an app not yet
// created.
func CheckIdentifierURIFor(uri, appID, audience string, t *Tenant) error {
	if !IsMultitenant(audience) {
		return CheckIdentifierURIPolicy(uri, appID, t)
	}
	if multitenantURIFits(uri, appID, t) {
		return nil
	}
	return fmt.Errorf("the Application ID URI %q does not fit a multitenant app: a multitenant app's URI must be unique in every organization, "+
		"so Entra accepts only %s (it refuses api://{tenantId}/… and api://…/{appId} with HostNameNotOnVerifiedDomain). "+
		"Use the default api://{appId}%s", uri, multitenantForms(t), domainExample(t))
}

// multitenantURIFits: exactly api://{appId}, or api:// / https:// on a
// verified domain or a subdomain of one.
func multitenantURIFits(uri, appID string, t *Tenant) bool {
	if strings.EqualFold(uri, DefaultIdentifierURI) || appID != "" && strings.EqualFold(uri, "api://"+appID) {
		return true
	}
	u, err := url.Parse(uri)
	if err != nil || (u.Scheme != "api" && u.Scheme != "https") {
		return false
	}
	return onVerifiedDomain(strings.ToLower(u.Hostname()), t)
}

func onVerifiedDomain(host string, t *Tenant) bool {
	if t == nil {
		return false
	}
	for _, d := range t.VerifiedDomains {
		d = strings.ToLower(d)
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// multitenantForms names what a multitenant app's URI may be, for
// messages and the wizard.
func multitenantForms(t *Tenant) string {
	s := "api://{appId} or a URI on a verified domain of your tenant"
	if t != nil && len(t.VerifiedDomains) > 0 {
		s += " (" + strings.Join(t.VerifiedDomains, ", ") + ")"
	}
	return s
}

func domainExample(t *Tenant) string {
	if t == nil || len(t.VerifiedDomains) == 0 {
		return ""
	}
	d := t.VerifiedDomains[len(t.VerifiedDomains)-1]
	return ", or e.g. https://" + strings.ToLower(d) + "/connector"
}

// multitenantURIOffline refuses, without the tenant, what no new
// multitenant app can have: an api:// URI with a GUID host (the tenant
// id: the app id is not known before the app exists) or a path after
// api://{appId}.
func multitenantURIOffline(uri string) error {
	if strings.EqualFold(uri, DefaultIdentifierURI) {
		return nil
	}
	low := strings.ToLower(uri)
	u, err := url.Parse(uri)
	if err != nil {
		return nil // the syntax check explains it
	}
	if strings.HasPrefix(low, "api://{appid}/") || u.Scheme == "api" && IsGUID(u.Hostname()) {
		return fmt.Errorf("the Application ID URI %q does not fit a multitenant app: a multitenant app's URI must be unique in every organization, "+
			"so Entra accepts only %s (it refuses api://{tenantId}/… and api://…/{appId} with HostNameNotOnVerifiedDomain). "+
			"Use the default api://{appId}, or one on your verified domain, e.g. https://<your domain>/connector", uri, multitenantForms(nil))
	}
	return nil
}

// checkMultitenantURIs refuses a plan that leaves a multitenant app with
// an Application ID URI Entra refuses for one: the URI asked for (field
// --identifier-uri) and those the app keeps (field --audience, when the
// plan switches it to multitenant).
func checkMultitenantURIs(st State, d Desired, uri, appID string) error {
	aud := d.SignInAudience
	if aud == "" && st.App != nil {
		aud = st.App.SignInAudience
	}
	if !IsMultitenant(aud) {
		return nil
	}
	if err := CheckIdentifierURIFor(uri, appID, aud, st.Tenant); err != nil {
		return inputErr(FieldIdentifierURI, err)
	}
	// Switching an app to multitenant: the URIs it keeps must fit too.
	if st.App == nil || IsMultitenant(st.App.SignInAudience) {
		return nil
	}
	var bad []string
	for _, u := range st.App.IdentifierURIs {
		if !multitenantURIFits(u, st.App.AppID, st.Tenant) {
			bad = append(bad, u)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return inputErr(FieldAudience, fmt.Errorf("%q (appId %s) cannot become multitenant while it has the Application ID URI %s: Entra accepts only %s for a multitenant app "+
		"and refuses the change (HostNameNotOnVerifiedDomain). Remove %s from the app first (Entra admin center > App registrations > "+
		"%s > Expose an API; a connector that names it must then name the new URI), or keep the app single-tenant",
		Clean(st.App.DisplayName), st.App.AppID, strings.Join(bad, ", "), multitenantForms(st.Tenant),
		pluralIt(len(bad)), Clean(st.App.DisplayName)))
}

func pluralIt(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}
