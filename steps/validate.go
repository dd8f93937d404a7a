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

// ExampleGUID is the placeholder GUID Microsoft's docs use.
const ExampleGUID = "00001111-aaaa-2222-bbbb-3333cccc4444"

// ValidateGUID explains what is wrong with a GUID input. field says which
// input it is (FieldAppID, FieldClientAppID, …).
func ValidateGUID(field Field, s string) error {
	if IsGUID(s) {
		return nil
	}
	where := ""
	switch field {
	case FieldAppID:
		where = " (copy the Application (client) ID from the app's Overview page)"
	case FieldClientAppID, FieldSignInClient:
		where = " (the client's Application (client) ID)"
	}
	return inputErr(field, fmt.Errorf("%s %q is not a GUID: it must look like %s%s", field.noun(), Clean(s), ExampleGUID, where))
}

// ValidateDisplayName checks an application display name.
func ValidateDisplayName(name string) error {
	if err := checkVisible("the display name", name); err != nil {
		return inputErr(FieldDisplayName, err)
	}
	t := strings.TrimSpace(name)
	switch {
	case t == "":
		return inputErr(FieldDisplayName, fmt.Errorf("the display name is empty: give the name users will see for your service, e.g. \"Contoso Connector\""))
	case utf8.RuneCountInString(t) > MaxDisplayNameLen:
		return inputErr(FieldDisplayName, fmt.Errorf("the display name is %d characters long; Entra allows at most %d", utf8.RuneCountInString(t), MaxDisplayNameLen))
	}
	return nil
}

// ValidateScopeValue checks a scope name the way Graph does.
func ValidateScopeValue(v string) error {
	if err := checkVisible("the scope name", v); err != nil {
		return inputErr(FieldScope, err)
	}
	var err error
	switch {
	case v == "":
		err = fmt.Errorf("the scope name is empty: use a name such as Data.Read")
	case utf8.RuneCountInString(v) > MaxScopeValueLen:
		err = fmt.Errorf("the scope name %q is longer than %d characters", v, MaxScopeValueLen)
	case strings.HasPrefix(v, "."):
		err = fmt.Errorf("the scope name %q starts with a dot; Entra reserves names like .default: use e.g. Data.Read", v)
	case strings.IndexFunc(v, unicode.IsSpace) >= 0:
		err = fmt.Errorf("the scope name %q contains white space; scope names are single words such as Data.Read", v)
	}
	if err == nil {
		for _, r := range v {
			if r < 0x21 || r > 0x7e || r == '"' || r == '\\' {
				err = fmt.Errorf("the scope name %q contains %q; use letters, digits and . _ - only, e.g. Data.Read", v, r)
				break
			}
		}
	}
	return inputErr(FieldScope, err)
}

// ValidateConsent checks a consent choice and returns Graph's type.
func ValidateConsent(s string) (string, error) {
	if t, ok := consentType(s); ok {
		return t, nil
	}
	return "", inputErr(FieldScopeConsent, fmt.Errorf("unknown consent %q: use users (\"Admins and users\", what Power Query needs) or admins (\"Admins only\")", Clean(s)))
}

func consentType(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "users", "user", "admins-and-users":
		return ConsentUsers, true
	case "admins", "admin", "admins-only":
		return ConsentAdmins, true
	}
	return "", false
}

// ValidateAudience maps single|multi (or Graph's names) to a sign-in audience.
func ValidateAudience(s string) (string, error) {
	if a, ok := audienceName(s); ok {
		return a, nil
	}
	return "", inputErr(FieldAudience, fmt.Errorf("unknown audience %q: use single (accounts in this organizational directory only) or multi (accounts in any organizational directory)", Clean(s)))
}

func audienceName(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return "", true
	case "single", "azureadmyorg":
		return AudienceSingle, true
	case "multi", "azureadmultipleorgs":
		return AudienceMulti, true
	}
	return "", false
}

// ValidateTenant checks a tenant to sign in to: a tenant GUID, a domain
// (contoso.onmicrosoft.com, contoso.com), or organizations/common. Empty
// means the default, organizations.
func ValidateTenant(s string) error {
	if s == "" || IsGUID(s) || s == "organizations" || s == "common" {
		return nil
	}
	if err := checkVisible("the tenant", s); err != nil {
		return inputErr(FieldTenant, err)
	}
	if !isDomainName(s) {
		return inputErr(FieldTenant, fmt.Errorf("the tenant %q is neither a tenant GUID nor a domain: use e.g. contoso.onmicrosoft.com or %s (Directory (tenant) ID on the app's Overview page)", s, ExampleGUID))
	}
	return nil
}

// isDomainName: dot-separated labels of ASCII letters, digits and hyphens
// (Entra's verified domains are ASCII; an IDN is given in its xn-- form).
func isDomainName(s string) bool {
	labels := strings.Split(s, ".")
	if len(s) > 253 || len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// ValidateResource checks an Aad record's Resource: the resource app's
// Application ID URI (api://… or https://…) or its app id (a GUID).
func ValidateResource(s string) error {
	example := "use the app's Application ID URI, e.g. api://" + ExampleGUID + " (or https://api.contoso.com/connector), or its Application (client) ID"
	if err := checkVisible("the Resource", s); err != nil {
		return inputErr(FieldResource, err)
	}
	if IsGUID(s) {
		return nil
	}
	if strings.TrimSpace(s) == "" {
		return inputErr(FieldResource, fmt.Errorf("the Resource is empty: %s", example))
	}
	if r, bad := badURIChar(s); bad {
		return inputErr(FieldResource, fmt.Errorf("the Resource %q contains %s, which a URI cannot hold: %s", s, describeURIChar(r), example))
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "api" && u.Scheme != "https") {
		return inputErr(FieldResource, fmt.Errorf("the Resource %q is neither an api:// URI, an https:// URI nor a GUID: %s", s, example))
	}
	return nil
}

// badURIChar finds the first character RFC 3986 does not allow in a URI
// (outside the {appId} placeholder), or a % that starts no %XX escape.
func badURIChar(s string) (rune, bool) {
	s = strings.ReplaceAll(s, "{appId}", "")
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("-._~:/?#[]@!$&'()*+,;=", r):
		case r == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
		default:
			return r, true
		}
	}
	return 0, false
}

func isHex(b byte) bool { return b >= '0' && b <= '9' || b|0x20 >= 'a' && b|0x20 <= 'f' }

func describeURIChar(r rune) string {
	switch {
	case r == ' ':
		return "a space"
	case r == '%':
		return "a % that starts no %XX escape"
	case r > 0x7e:
		return fmt.Sprintf("%q (%s; percent-encode it, or use an xn-- domain name)", r, DescribeRune(r))
	}
	return fmt.Sprintf("%q", r)
}

// DefaultIdentifierURI is the quickstart's default Application ID URI.
const DefaultIdentifierURI = "api://{appId}"

// ValidateIdentifierURISyntax checks the form of an Application ID URI.
// Whether its host is one of the tenant's verified domains is checked by
// CheckIdentifierURIPolicy once the tenant is known.
func ValidateIdentifierURISyntax(raw string) error {
	return inputErr(FieldIdentifierURI, identifierURISyntax(raw))
}

func identifierURISyntax(raw string) error {
	if raw == "" || raw == DefaultIdentifierURI {
		return nil
	}
	example := "use api://{appId} (the default) or https://<your verified domain>/<path>, e.g. https://api.contoso.com/connector"
	if err := checkVisible("the Application ID URI", raw); err != nil {
		return err
	}
	if len(raw) > MaxIdentifierURI {
		return fmt.Errorf("the Application ID URI is %d characters long; Entra allows %d", len(raw), MaxIdentifierURI)
	}
	if strings.ContainsAny(raw, " \t\r\n*") {
		return fmt.Errorf("the Application ID URI %q contains white space or a wildcard; %s", raw, example)
	}
	if r, bad := badURIChar(raw); bad {
		return fmt.Errorf("the Application ID URI %q contains %s, which a URI cannot hold; %s", raw, describeURIChar(r), example)
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

// CheckIdentifierURIPolicy applies the forms Entra accepts for a
// single-tenant app whatever its tenant's policy: any api:// URI (but
// api://{tenantId} alone), or https:// on a verified domain (or a
// subdomain of one).
func CheckIdentifierURIPolicy(uri, appID string, t *Tenant) error {
	if uri == DefaultIdentifierURI || strings.HasPrefix(uri, DefaultIdentifierURI+"/") {
		return nil // api://{appId}, filled in once the app exists
	}
	u, err := url.Parse(uri)
	if err != nil {
		return inputErr(FieldIdentifierURI, err)
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
	if u.Scheme == "api" && host != "" && (t == nil || !strings.EqualFold(host, t.ID)) {
		// Entra takes any api:// URI of a single-tenant app (a multitenant
		// app is checked apart). The app management policy, on in most
		// tenants, may refuse a new one without a unique tenant
		// identifier: CheckAppManagementPolicy checks that when the policy
		// could be read, URIPolicyWarning warns when it could not. A
		// local refusal here would be wrong for tenants that switched the
		// setting off and for apps that receive v2 tokens.
		return nil
	}
	domains := "none"
	if t != nil && len(t.VerifiedDomains) > 0 {
		domains = strings.Join(t.VerifiedDomains, ", ")
	}
	return inputErr(FieldIdentifierURI, fmt.Errorf("the Application ID URI %q is not allowed: Entra accepts api://{appId}, api://{tenantId}/<name>, or a URI on one of the tenant's verified domains (%s). Use the default api://{appId}, or verify your domain in the Entra admin center (Custom domain names) first", uri, domains))
}
