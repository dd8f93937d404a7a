package steps

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits Graph applies; pqentra checks them before sending anything so a
// mistake costs no request.
const (
	MaxDisplayNameLen = 256
	MaxScopeValueLen  = 120
	MaxIdentifierURI  = 255
)

var guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsGUID reports whether s is a GUID in its usual 8-4-4-4-12 form.
func IsGUID(s string) bool { return guidRE.MatchString(s) }

// ValidateGUID explains what is wrong with a GUID argument.
func ValidateGUID(what, s string) error {
	if !IsGUID(s) {
		return fmt.Errorf("%s %q is not a GUID: it must look like 00001111-aaaa-2222-bbbb-3333cccc4444 (copy the Application (client) ID from the app's Overview page)", what, s)
	}
	return nil
}

// ValidateDisplayName checks an application display name.
func ValidateDisplayName(name string) error {
	t := strings.TrimSpace(name)
	switch {
	case t == "":
		return fmt.Errorf("the display name is empty: give the name users will see for your service, e.g. \"Contoso Connector\"")
	case utf8.RuneCountInString(t) > MaxDisplayNameLen:
		return fmt.Errorf("the display name is %d characters long; Entra allows at most %d", utf8.RuneCountInString(t), MaxDisplayNameLen)
	case strings.IndexFunc(t, unicode.IsControl) >= 0:
		return fmt.Errorf("the display name contains a control character (a newline or tab?); use plain text, e.g. \"Contoso Connector\"")
	}
	return nil
}

// ValidateScopeValue checks a scope name the way Graph does.
func ValidateScopeValue(v string) error {
	switch {
	case v == "":
		return fmt.Errorf("the scope name is empty: use a name such as Data.Read")
	case utf8.RuneCountInString(v) > MaxScopeValueLen:
		return fmt.Errorf("the scope name %q is longer than %d characters", v, MaxScopeValueLen)
	case strings.HasPrefix(v, "."):
		return fmt.Errorf("the scope name %q starts with a dot; Entra reserves names like .default: use e.g. Data.Read", v)
	case strings.IndexFunc(v, unicode.IsSpace) >= 0:
		return fmt.Errorf("the scope name %q contains white space; scope names are single words such as Data.Read", v)
	}
	for _, r := range v {
		if r < 0x21 || r > 0x7e || r == '"' || r == '\\' {
			return fmt.Errorf("the scope name %q contains %q; use letters, digits and . _ - only, e.g. Data.Read", v, r)
		}
	}
	return nil
}

// ValidateConsent checks a --scope-consent value and returns Graph's type.
func ValidateConsent(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "users", "user", "admins-and-users":
		return ConsentUsers, nil
	case "admins", "admin", "admins-only":
		return ConsentAdmins, nil
	}
	return "", fmt.Errorf("unknown consent %q: use users (\"Admins and users\", what Power Query needs) or admins (\"Admins only\")", s)
}

// ValidateAudience maps single|multi (or Graph's names) to a sign-in audience.
func ValidateAudience(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return "", nil
	case "single", "azureadmyorg":
		return AudienceSingle, nil
	case "multi", "azureadmultipleorgs":
		return AudienceMulti, nil
	}
	return "", fmt.Errorf("unknown audience %q: use single (accounts in this organizational directory only) or multi (accounts in any organizational directory)", s)
}

// DefaultIdentifierURI is the quickstart's default Application ID URI.
const DefaultIdentifierURI = "api://{appId}"

// ValidateIdentifierURISyntax checks the form of an Application ID URI.
// Whether its host is one of the tenant's verified domains is checked by
// CheckIdentifierURIPolicy once the tenant is known.
func ValidateIdentifierURISyntax(raw string) error {
	if raw == "" || raw == DefaultIdentifierURI {
		return nil
	}
	example := "use api://{appId} (the default) or https://<your verified domain>/<path>, e.g. https://api.contoso.com/connector"
	if len(raw) > MaxIdentifierURI {
		return fmt.Errorf("the Application ID URI is %d characters long; Entra allows %d", len(raw), MaxIdentifierURI)
	}
	if strings.ContainsAny(raw, " \t\r\n*") {
		return fmt.Errorf("the Application ID URI %q contains white space or a wildcard; %s", raw, example)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("the Application ID URI %q is not an absolute URI; %s", raw, example)
	}
	if u.Scheme != "api" && u.Scheme != "https" {
		return fmt.Errorf("the Application ID URI %q uses the %s: scheme; %s", raw, u.Scheme, example)
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(raw, "#") || strings.HasSuffix(raw, "?") {
		return fmt.Errorf("the Application ID URI %q has a query or fragment; %s", raw, example)
	}
	if u.User != nil || u.Port() != "" {
		return fmt.Errorf("the Application ID URI %q has a user or port; %s", raw, example)
	}
	return nil
}

// CheckIdentifierURIPolicy applies Entra's default app ID URI policy: api://
// with the app id or tenant id, or api:// / https:// on a verified domain (or
// a subdomain of one).
func CheckIdentifierURIPolicy(uri, appID string, t *Tenant) error {
	if uri == DefaultIdentifierURI || strings.HasPrefix(uri, DefaultIdentifierURI+"/") {
		return nil // api://{appId}, filled in once the app exists
	}
	u, err := url.Parse(uri)
	if err != nil {
		return err
	}
	host := strings.ToLower(u.Hostname())
	if u.Scheme == "api" && appID != "" && strings.EqualFold(host, appID) {
		return nil
	}
	if u.Scheme == "api" && t != nil && strings.EqualFold(host, t.ID) && strings.Trim(u.Path, "/") != "" {
		return nil
	}
	if t != nil {
		for _, d := range t.VerifiedDomains {
			d = strings.ToLower(d)
			if host == d || strings.HasSuffix(host, "."+d) {
				return nil
			}
		}
	}
	domains := "none"
	if t != nil && len(t.VerifiedDomains) > 0 {
		domains = strings.Join(t.VerifiedDomains, ", ")
	}
	return fmt.Errorf("the Application ID URI %q is not allowed: Entra accepts api://{appId}, api://{tenantId}/<name>, or a URI on one of the tenant's verified domains (%s). Use the default api://{appId}, or verify your domain in the Entra admin center (Custom domain names) first", uri, domains)
}
