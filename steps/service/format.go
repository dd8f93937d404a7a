package service

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// EnvPrefix starts every variable --format env writes.
const EnvPrefix = "ENTRA_"

// Env is the configuration as KEY=value lines (a .env file, a container's
// environment), lists comma-separated. No value holds a blank, a quote or a
// comma of its own: they are URLs, GUIDs and scope values.
func Env(c Config) string {
	var b strings.Builder
	line := func(k, v string) { fmt.Fprintf(&b, "%s%s=%s\n", EnvPrefix, k, steps.Clean(v)) }
	line("TENANT_ID", c.TenantID)
	line("CLIENT_ID", c.ClientID)
	line("AUDIENCES", strings.Join(c.Audiences, ","))
	var iss, tmpl []string
	for _, i := range c.Issuers {
		iss = append(iss, i.Issuer)
		if i.Template != "" {
			tmpl = append(tmpl, i.Template)
		}
	}
	line("ISSUERS", strings.Join(iss, ","))
	if len(tmpl) > 0 {
		line("ISSUER_TEMPLATES", strings.Join(tmpl, ","))
	}
	line("MULTITENANT", fmt.Sprint(c.Multitenant))
	line("ACCESS_TOKEN_VERSION", fmt.Sprint(c.AccessTokenVersion))
	line("SCOPES", strings.Join(c.EnabledScopes(), ","))
	var clients []string
	for _, cl := range c.AllowedClients {
		clients = append(clients, cl.AppID)
	}
	line("ALLOWED_CLIENTS", strings.Join(clients, ","))
	line("AUTHORITY", c.Authority)
	line("METADATA_URL", c.MetadataURL)
	line("JWKS_URI", c.JWKSURI)
	return b.String()
}

// ASPNet is an appsettings.json section for Microsoft.Identity.Web: the
// "AzureAd" keys of Microsoft's protected web API configuration
// (https://learn.microsoft.com/entra/identity-platform/scenario-protected-web-api-app-configuration:
// Instance, ClientId, TenantId — "organizations" accepts any organization),
// Audiences listing both audiences (MicrosoftIdentityApplicationOptions.Audiences
// in Microsoft.Identity.Abstractions; without it Microsoft.Identity.Web
// accepts only the app id and api://{app id}, so a v1 token for a custom
// https:// Application ID URI is refused), and Scopes, which the web API
// template checks with [RequiredScope(RequiredScopesConfigurationKey = "AzureAd:Scopes")].
// Microsoft.Identity.Web validates the issuer of each tenant itself.
func ASPNet(c Config) string {
	tenant := c.TenantID
	if c.Multitenant {
		tenant = "organizations"
	}
	instance := strings.TrimSuffix(c.Authority, "/"+tenant) + "/"
	type azureAd struct {
		Instance  string   `json:"Instance"`
		TenantID  string   `json:"TenantId"`
		ClientID  string   `json:"ClientId"`
		Audiences []string `json:"Audiences"`
		Scopes    string   `json:"Scopes"`
	}
	doc := struct {
		AzureAd azureAd `json:"AzureAd"`
	}{azureAd{Instance: instance, TenantID: tenant, ClientID: c.ClientID, Audiences: c.Audiences,
		Scopes: strings.Join(c.EnabledScopes(), " ")}}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(doc)
	return b.String()
}

// Text explains each value in one line, for people.
func Text(c Config) string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	who := "users of this tenant only"
	if c.Multitenant {
		who = "users of any organization (multitenant)"
	}
	p("What a service needs to accept the tokens of %q (app id %s), tenant %s, %s cloud; it signs in %s.",
		steps.Clean(c.DisplayName), c.ClientID, c.TenantID, c.Cloud, who)
	p("")
	p("Audiences (aud) to accept:")
	w := width(c.Audiences)
	for _, a := range c.Audiences {
		why := "v1 tokens carry this Application ID URI when the connector's Resource names it"
		if a == c.ClientID {
			why = "v2 tokens carry the app id"
		}
		p("  %-*s  %s", w, steps.Clean(a), why)
	}
	p("Issuers (iss) to accept:")
	var iss []string
	for _, i := range c.Issuers {
		iss = append(iss, i.Issuer)
	}
	w = width(iss)
	for _, i := range c.Issuers {
		p("  %-*s  v%d tokens of users of this tenant", w, i.Issuer, i.TokenVersion)
	}
	if c.Multitenant {
		for _, i := range c.Issuers {
			p("  %-*s  v%d tokens of any other tenant: %s is the token's tid", w, i.Template, i.TokenVersion, TenantTemplate)
		}
	}
	if c.AccessTokenVersion == 2 {
		p("Token version: 2 (api.requestedAccessTokenVersion = 2): the tokens carry the app id in aud and the v2 issuer.")
	} else {
		p("Token version: 1 (api.requestedAccessTokenVersion is not 2): the tokens carry the Application ID URI in aud and the v1 issuer.")
	}
	p("Scopes (scp) the tokens carry:")
	if len(c.Scopes) == 0 {
		p("  none: the app exposes no scope, so Power Query cannot get a token for it")
	}
	for _, s := range c.Scopes {
		state := "enabled"
		if !s.Enabled {
			state = "disabled: never in a token"
		}
		p("  %s  (id %s, %s)", steps.Clean(s.Name), s.ID, state)
	}
	p("Calling clients (appid in v1 tokens, azp in v2), preauthorized:")
	if len(c.AllowedClients) == 0 {
		p("  none: Power Query's clients are not preauthorized, so users see AADSTS650057")
	}
	for _, cl := range c.AllowedClients {
		p("  %s  %s", cl.AppID, steps.Clean(cl.Name))
	}
	p("Signing keys: %s", c.JWKSURI)
	p("  (OpenID metadata: %s)", c.MetadataURL)
	p("Authority: %s", c.Authority)
	return b.String()
}

func width(list []string) int {
	n := 0
	for _, s := range list {
		if len(s) > n {
			n = len(s)
		}
	}
	return n
}
