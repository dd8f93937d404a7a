package m

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// AuthorizationURIMode says how the Aad record's AuthorizationUri is written.
type AuthorizationURIMode string

const (
	// AuthCommon is the multi-tenant v1 endpoint .../common/oauth2/authorize,
	// what most connectors hardcode.
	AuthCommon AuthorizationURIMode = "common"
	// AuthTenant pins sign-in to one tenant: .../<tenant>/oauth2/authorize.
	AuthTenant AuthorizationURIMode = "tenant"
	// AuthDynamic asks the service at sign-in time (WWW-Authenticate
	// authorization_uri), the SDK's pattern for B2B/guest accounts.
	AuthDynamic AuthorizationURIMode = "dynamic"
)

// Shape says how much M Generate writes around the Aad record.
type Shape string

const (
	// ShapeRecord is the field alone: Aad = [ ... ] (paste it inside an
	// existing Authentication = [ ... ] record).
	ShapeRecord Shape = "record"
	// ShapeKind is a whole data source kind section member:
	// Name = [ Authentication = [ Aad = [ ... ] ], Label = "..." ];
	ShapeKind Shape = "kind"
	// ShapeConnector is a complete minimal connector section document.
	ShapeConnector Shape = "connector"
)

// DefaultLoginHost is the Entra sign-in host of the global cloud. National
// clouds use https://login.microsoftonline.us (US Gov) and
// https://login.chinacloudapi.cn (China); the caller passes those in.
const DefaultLoginHost = "https://login.microsoftonline.com"

// DefaultScope asks Entra for every scope preauthorized for Power Query, so
// the connector keeps working when the app's scopes change.
const DefaultScope = ".default"

// SnippetOptions describes the Aad record to write.
type SnippetOptions struct {
	// Resource is the resource app's Application ID URI (e.g. api://<appId>). Required.
	Resource string
	// Scopes are scope values; empty means ".default". A value may hold
	// several space-separated scopes. A "<Resource>/" prefix is removed,
	// because Power Query adds the resource itself.
	Scopes []string
	// AuthorizationURI defaults to AuthCommon.
	AuthorizationURI AuthorizationURIMode
	// Tenant is a tenant id or domain; required for AuthTenant.
	Tenant string
	// LoginHost defaults to DefaultLoginHost.
	LoginHost string
	// Shape defaults to ShapeRecord. Patch ignores it.
	Shape Shape
	// Name is the connector name, either an identifier or a display name; it
	// goes through ConnectorName. Used by the kind and connector shapes.
	Name string
	// Label is the kind's display label; defaults to Name as given.
	Label string
}

// resolved is SnippetOptions after defaults and validation.
type resolved struct {
	resource  string
	scope     string
	mode      AuthorizationURIMode
	authURI   string // static modes only
	shape     Shape
	name      string // a plain identifier
	label     string
	loginHost string
}

func (o SnippetOptions) resolve() (resolved, error) {
	r := resolved{
		resource: strings.TrimSpace(o.Resource),
		mode:     o.AuthorizationURI,
		shape:    o.Shape,
		name:     ConnectorName(o.Name),
		label:    o.Label,
	}
	if r.resource == "" {
		return r, errors.New("m: Resource (the Application ID URI) is required")
	}
	scope, err := scopeValue(r.resource, o.Scopes)
	if err != nil {
		return r, err
	}
	r.scope = scope
	if r.label == "" {
		r.label = o.Name
	}
	if r.label == "" {
		r.label = r.name
	}
	host, err := loginHost(o.LoginHost)
	if err != nil {
		return r, err
	}
	r.loginHost = host
	switch r.mode {
	case "", AuthCommon:
		r.mode = AuthCommon
		r.authURI = host + "/common/oauth2/authorize"
	case AuthTenant:
		t := strings.TrimSpace(o.Tenant)
		if !validTenant(t) {
			return r, fmt.Errorf("m: tenant %q is not a tenant id or domain name", o.Tenant)
		}
		r.authURI = host + "/" + t + "/oauth2/authorize"
	case AuthDynamic:
	default:
		return r, fmt.Errorf("m: unknown AuthorizationUri mode %q (want common, tenant or dynamic)", o.AuthorizationURI)
	}
	switch r.shape {
	case "":
		r.shape = ShapeRecord
	case ShapeRecord, ShapeKind, ShapeConnector:
	default:
		return r, fmt.Errorf("m: unknown shape %q (want record, kind or connector)", o.Shape)
	}
	return r, nil
}

// scopeValue builds the Scope text: scope values separated by single spaces,
// duplicates dropped, "<resource>/" prefixes removed.
func scopeValue(resource string, scopes []string) (string, error) {
	var out []string
	seen := map[string]bool{}
	prefix := strings.TrimRight(resource, "/") + "/"
	for _, entry := range scopes {
		for _, s := range strings.Fields(entry) {
			if len(s) > len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
				s = s[len(prefix):]
			} else if strings.Contains(s, "://") {
				// A fully qualified scope of some other resource: Power Query
				// would ask for <Resource>/<that>, which cannot be meant.
				return "", fmt.Errorf("m: scope %q is not a scope of resource %q", s, resource)
			}
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	if len(out) == 0 {
		return DefaultScope, nil
	}
	return strings.Join(out, " "), nil
}

func loginHost(h string) (string, error) {
	if h == "" {
		return DefaultLoginHost, nil
	}
	u, err := url.Parse(strings.TrimRight(h, "/"))
	if err != nil || u.Scheme != "https" || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("m: login host %q must look like https://login.microsoftonline.com", h)
	}
	return "https://" + u.Host, nil
}

// validTenant accepts tenant GUIDs and domain names (contoso.onmicrosoft.com):
// letters, digits, '.', '-'. Anything else would change the URL's path.
func validTenant(t string) bool {
	if t == "" || len(t) > 255 {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !isLetterByte(c) && !isDigitByte(c) && c != '.' && c != '-' {
			return false
		}
	}
	return true
}
