// Package service says what the service behind a Power Query connector
// needs to accept the tokens Power Query sends it: the audiences, issuers,
// scopes, calling clients and signing keys of the resource application, as
// one JSON object with a stable schema (`pqentra service-config --output
// json`, and "service" in `setup --output json`), as KEY=value lines, as an
// appsettings.json section for Microsoft.Identity.Web, or as text that says
// what each value is.
//
// Why both audiences: Power Query asks for a token for the Resource the
// connector names (the Application ID URI). A v1 token (the default,
// api.requestedAccessTokenVersion null) carries exactly that string in aud
// and https://sts.windows.net/{tenant}/ in iss; a v2 token carries the app
// id in aud and https://login.microsoftonline.com/{tenant}/v2.0 in iss
// (https://learn.microsoft.com/entra/identity-platform/access-tokens).
// Middleware defaults often accept only one of them.
package service

import (
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// SchemaVersion is the version of Config's JSON schema. Fields are only
// ever added; a change that is not an addition gets a new version.
const SchemaVersion = 1

// Cloud is where the app lives: its sign-in host and the hosts that token
// issuers name. The hosts come from graph.Clouds; the issuer hosts per
// cloud are Microsoft's answer in
// https://learn.microsoft.com/answers/questions/1190472/what-are-the-token-issuers-for-the-sovereign-cloud
// (v1: sts.windows.net, also for US Government; sts.chinacloudapi.cn in
// China. v2: the cloud's login host; login.partner.microsoftonline.cn in
// China).
type Cloud struct {
	Name      string // public, usgov, china
	LoginHost string // https://login.microsoftonline.com
	V1Issuer  string // https://sts.windows.net
	V2Issuer  string // https://login.microsoftonline.com
}

// Input is what the configuration is made from: the app as Graph holds it,
// the tenant it lives in and the cloud. ClientName names a client app id
// (its service principal's display name in the tenant, or the name
// pqentra knows); nil uses the names pqentra knows.
type Input struct {
	Tenant     steps.Tenant
	App        steps.App
	Cloud      Cloud
	ClientName func(appID string) string
}

// Config is the stable JSON object. See docs/service-config.md.
type Config struct {
	SchemaVersion  int    `json:"schemaVersion"`
	Cloud          string `json:"cloud"`
	TenantID       string `json:"tenantId"`
	ClientID       string `json:"clientId"`
	DisplayName    string `json:"displayName"`
	SignInAudience string `json:"signInAudience"`
	// Multitenant: users of other tenants sign in too; their tokens'
	// iss names their own tenant (see Issuer.Template).
	Multitenant bool `json:"multitenant"`
	// AccessTokenVersion is the version of the tokens the app receives: 2
	// when api.requestedAccessTokenVersion is 2, else 1.
	AccessTokenVersion int `json:"accessTokenVersion"`
	// Audiences are every aud a token for this app can carry: the
	// Application ID URIs (v1 tokens) and the app id (v2 tokens).
	Audiences      []string `json:"audiences"`
	Issuers        []Issuer `json:"issuers"`
	Scopes         []Scope  `json:"scopes"`
	AllowedClients []Client `json:"allowedClients"`
	// Authority is the sign-in authority a service library takes
	// (Microsoft.Identity.Web's Instance + TenantId).
	Authority   string `json:"authority"`
	MetadataURL string `json:"metadataUrl"`
	JWKSURI     string `json:"jwksUri"`
}

// Issuer is the iss of one token version.
type Issuer struct {
	TokenVersion int `json:"tokenVersion"`
	// Issuer is the iss of tokens for users of the app's own tenant.
	Issuer string `json:"issuer"`
	// Template, for a multitenant app, is the iss of any tenant's tokens:
	// {tenantid} stands for the token's tid claim.
	Template string `json:"template,omitempty"`
}

// Scope is one delegated permission a token's scp can hold.
type Scope struct {
	Name    string `json:"name"`
	ID      string `json:"id"`
	Enabled bool   `json:"enabled"`
}

// Client is a client application preauthorized to call the app: the
// appid (v1) or azp (v2) claim of the tokens Power Query sends.
type Client struct {
	AppID  string   `json:"appId"`
	Name   string   `json:"name"`
	Scopes []string `json:"scopes"` // the scope values it is preauthorized for
}

// TenantTemplate is the placeholder for the token's tenant in issuer
// templates, as Microsoft.Identity.Web and Microsoft's metadata write it.
const TenantTemplate = "{tenantid}"

// Build makes the configuration.
func Build(in Input) Config {
	app, tid := in.App, in.Tenant.ID
	c := Config{SchemaVersion: SchemaVersion, Cloud: in.Cloud.Name, TenantID: tid, ClientID: app.AppID,
		DisplayName: app.DisplayName, SignInAudience: app.SignInAudience, AccessTokenVersion: 1,
		Audiences: []string{}, Scopes: []Scope{}, AllowedClients: []Client{}}
	if c.SignInAudience == "" {
		c.SignInAudience = steps.AudienceSingle
	}
	c.Multitenant = c.SignInAudience != steps.AudienceSingle
	if v := app.RequestedAccessTokenVersion; v != nil && *v == 2 {
		c.AccessTokenVersion = 2
	}
	c.Audiences = append(c.Audiences, app.IdentifierURIs...)
	c.Audiences = append(c.Audiences, app.AppID)
	c.Issuers = Issuers(in.Cloud, tid, c.Multitenant)
	for _, s := range app.Scopes {
		c.Scopes = append(c.Scopes, Scope{Name: s.Value, ID: s.ID, Enabled: s.IsEnabled})
	}
	name := in.ClientName
	if name == nil {
		name = steps.ClientLabel
	}
	for _, p := range app.PreAuthorized {
		cl := Client{AppID: strings.ToLower(p.AppID), Name: name(p.AppID), Scopes: []string{}}
		for _, id := range p.DelegatedPermissionIDs {
			if s := app.ScopeByID(id); s != nil {
				cl.Scopes = append(cl.Scopes, s.Value)
			}
		}
		c.AllowedClients = append(c.AllowedClients, cl)
	}
	// A multitenant app's keys and metadata are read at organizations:
	// any organization's tokens are signed with the same keys, and the
	// metadata's issuer is the template.
	where := tid
	if c.Multitenant {
		where = "organizations"
	}
	host := strings.TrimRight(in.Cloud.LoginHost, "/")
	c.Authority = host + "/" + where
	c.MetadataURL = host + "/" + where + "/v2.0/.well-known/openid-configuration"
	c.JWKSURI = host + "/" + where + "/discovery/v2.0/keys"
	return c
}

// Issuers are the iss values of v1 and v2 tokens for tenant tid in the
// cloud, with the templates when the app is multitenant.
func Issuers(cl Cloud, tid string, multitenant bool) []Issuer {
	v1 := func(t string) string { return strings.TrimRight(cl.V1Issuer, "/") + "/" + t + "/" }
	v2 := func(t string) string { return strings.TrimRight(cl.V2Issuer, "/") + "/" + t + "/v2.0" }
	out := []Issuer{{TokenVersion: 1, Issuer: v1(tid)}, {TokenVersion: 2, Issuer: v2(tid)}}
	if multitenant {
		out[0].Template, out[1].Template = v1(TenantTemplate), v2(TenantTemplate)
	}
	return out
}

// EnabledScopes are the names of the scopes a token can carry.
func (c Config) EnabledScopes() []string {
	var out []string
	for _, s := range c.Scopes {
		if s.Enabled {
			out = append(out, s.Name)
		}
	}
	return out
}
