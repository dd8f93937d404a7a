// Package graph is everything that talks to Microsoft Entra: MSAL device-code
// sign-in with a persistent token cache, the msgraph-sdk-go client, clouds,
// retries and the translation of Graph errors into plain words. It
// implements steps.Directory. The msgraph-sdk-go import stays inside this
// tree: it is slow to compile and link, so nothing else should pull it in.
package graph

import (
	"fmt"
	"net/url"
	"strings"
)

// Cloud is a Microsoft cloud: where users sign in and where Graph lives.
type Cloud struct {
	Name      string
	LoginHost string // e.g. https://login.microsoftonline.com
	GraphRoot string // e.g. https://graph.microsoft.com
	Portal    string // Entra admin center
	// V1Issuer and V2Issuer are the hosts the iss claim of v1 and v2
	// access tokens names (https://{host}/{tenant}/ and
	// https://{host}/{tenant}/v2.0), per Microsoft's answer in
	// https://learn.microsoft.com/answers/questions/1190472/what-are-the-token-issuers-for-the-sovereign-cloud
	V1Issuer, V2Issuer string
}

// Clouds pqentra knows by name.
var Clouds = map[string]Cloud{
	"public": {Name: "public", LoginHost: "https://login.microsoftonline.com", GraphRoot: "https://graph.microsoft.com", Portal: "https://entra.microsoft.com",
		V1Issuer: "https://sts.windows.net", V2Issuer: "https://login.microsoftonline.com"},
	"usgov": {Name: "usgov", LoginHost: "https://login.microsoftonline.us", GraphRoot: "https://graph.microsoft.us", Portal: "https://entra.microsoft.us",
		V1Issuer: "https://sts.windows.net", V2Issuer: "https://login.microsoftonline.us"},
	"china": {Name: "china", LoginHost: "https://login.chinacloudapi.cn", GraphRoot: "https://microsoftgraph.chinacloudapi.cn", Portal: "https://entra.microsoftonline.cn",
		V1Issuer: "https://sts.chinacloudapi.cn", V2Issuer: "https://login.partner.microsoftonline.cn"},
}

// Endpoints are the resolved hosts for one run.
type Endpoints struct {
	Cloud     Cloud
	LoginHost string // authority host, no trailing slash
	GraphRoot string // Graph host root, no trailing slash
	// Known is true when LoginHost is a Microsoft host MSAL knows; for any
	// other host instance discovery must be off, or MSAL would ask
	// login.microsoftonline.com about it.
	Known bool
}

// GraphBase is the v1.0 root every call goes to.
func (e Endpoints) GraphBase() string { return e.GraphRoot + "/v1.0" }

// Scope is the one delegated permission pqentra asks for: the least that lets
// a user register and update applications. It names Graph by the cloud's
// resource URI, not by the host called: a --graph-endpoint override (a proxy,
// an emulator) still expects tokens for Graph.
func (e Endpoints) Scope() string { return e.Cloud.GraphRoot + "/Application.ReadWrite.All" }

// ResolveEndpoints applies --cloud, then the --authority-host and
// --graph-endpoint overrides.
func ResolveEndpoints(cloud, authorityHost, graphEndpoint string) (Endpoints, error) {
	if cloud == "" {
		cloud = "public"
	}
	c, ok := Clouds[strings.ToLower(cloud)]
	if !ok {
		return Endpoints{}, fmt.Errorf("unknown cloud %q: use public, usgov or china", cloud)
	}
	e := Endpoints{Cloud: c, LoginHost: c.LoginHost, GraphRoot: c.GraphRoot, Known: true}
	if authorityHost != "" {
		h, err := hostRoot("--authority-host", authorityHost)
		if err != nil {
			return e, err
		}
		e.Known = false
		for _, k := range Clouds {
			if strings.EqualFold(k.LoginHost, h) {
				e.Known = true
			}
		}
		e.LoginHost = h
	}
	if graphEndpoint != "" {
		// A root with /v1.0 already on it is a common slip; pqentra adds
		// the version itself.
		trimmed := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(graphEndpoint), "/"), "/v1.0")
		h, err := hostRoot("--graph-endpoint", trimmed)
		if err != nil {
			return e, err
		}
		e.GraphRoot = h
	}
	return e, nil
}

// hostRoot accepts https://host[:port][/] and returns it without the slash.
func hostRoot(flag, raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return "", fmt.Errorf("%s %q must be a host root such as https://login.microsoftonline.com", flag, raw)
	}
	if u.Scheme != "https" {
		return "", fmt.Errorf("%s %q must use https: tokens are never sent in clear text", flag, raw)
	}
	return "https://" + u.Host, nil
}

// Authority is the MSAL authority URL for a tenant.
func (e Endpoints) Authority(tenant string) string {
	if tenant == "" {
		tenant = "organizations"
	}
	return e.LoginHost + "/" + tenant
}
