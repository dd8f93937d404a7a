package token

import (
	"fmt"
	"strings"
	"time"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/service"
)

// Check is one verdict on the token, with what to change where it fails.
type Check struct {
	Name    string `json:"name"`
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

// Skipped is a check that could not be made, and what would make it.
type Skipped struct {
	Name string `json:"name"`
	Why  string `json:"why"`
}

// The checks, in the order they are made and shown.
const (
	CheckAudience = "audience"
	CheckIssuer   = "issuer"
	CheckTenant   = "tenant"
	CheckScope    = "scope"
	CheckClient   = "client"
	CheckLifetime = "lifetime"
	CheckVersion  = "version"
)

// DefaultSkew is the clock skew allowed on exp and nbf: Microsoft
// IdentityModel's TokenValidationParameters.DefaultClockSkew, 5 minutes.
const DefaultSkew = 5 * time.Minute

// Expect is what the token is checked against.
type Expect struct {
	// App is the app's service configuration as read from the directory;
	// nil when the checks use only the explicit values below.
	App *service.Config
	// Audiences are the audiences the service accepts (--audience); nil:
	// every audience of App.
	Audiences []string
	// TenantID is the tenant the service expects (--tenant); "": the
	// app's, for a single-tenant app.
	TenantID string
	// Scopes must all be in scp (--scope); nil: one of App's enabled
	// scopes.
	Scopes []string
	// Cloud is the cloud the issuer is checked for; Clouds are all clouds,
	// to name the one a token from elsewhere came from.
	Cloud  service.Cloud
	Clouds []service.Cloud
	Now    time.Time
	Skew   time.Duration
	// Fix is the command that repairs the app's preauthorizations.
	Fix string
	// Run is how pqentra was started: the commands the checks print
	// carry its global flags.
	Run steps.Command
}

// Inspect checks the token. Checks that cannot be made without the app or
// an explicit value are returned as skipped, never as passed.
func Inspect(t *Token, e Expect) (checks []Check, skipped []Skipped) {
	if e.Skew == 0 {
		e.Skew = DefaultSkew
	}
	add := func(c *Check, s *Skipped) {
		if c != nil {
			checks = append(checks, *c)
		}
		if s != nil {
			skipped = append(skipped, *s)
		}
	}
	add(checkAudience(t, e))
	add(checkIssuer(t, e), nil)
	add(checkTenant(t, e))
	add(checkScope(t, e))
	add(checkClient(t, e), nil)
	add(checkLifetime(t, e), nil)
	if e.App != nil {
		add(checkVersion(t, e), nil)
	}
	return checks, skipped
}

func pass(name, format string, a ...any) *Check {
	return &Check{Name: name, OK: true, Message: steps.Clean(fmt.Sprintf(format, a...))}
}

func fail(name, format string, a ...any) *Check {
	return &Check{Name: name, OK: false, Message: steps.Clean(fmt.Sprintf(format, a...))}
}

// graphAudiences are Microsoft Graph's app id and resource URIs: a token
// for Graph is a common thing to paste by mistake.
var graphAudiences = []string{"00000003-0000-0000-c000-000000000000", "https://graph.microsoft.com", "https://graph.microsoft.us",
	"https://dod-graph.microsoft.us", "https://microsoftgraph.chinacloudapi.cn"}

// sameAudience: the comparison token middleware makes (Microsoft
// IdentityModel ignores a trailing slash by default; otherwise exact).
func sameAudience(a, b string) bool {
	return strings.TrimRight(a, "/") == strings.TrimRight(b, "/")
}

func containsAudience(list []string, a string) bool {
	for _, x := range list {
		if sameAudience(x, a) {
			return true
		}
	}
	return false
}

func checkAudience(t *Token, e Expect) (*Check, *Skipped) {
	auds := t.Strings("aud")
	if len(auds) == 0 {
		return fail(CheckAudience, "The token has no aud claim: no service can accept it."), nil
	}
	aud := auds[0]
	for _, g := range graphAudiences {
		if sameAudience(strings.ToLower(aud), g) {
			return fail(CheckAudience, "aud is Microsoft Graph (%s): this token is for Graph, not for your service. Power Query asks for a token for the connector's Resource; get the token the connector sends (or `az account get-access-token --resource <Application ID URI>`).", aud), nil
		}
	}
	accepted, byApp := e.Audiences, false
	if accepted == nil && e.App != nil {
		accepted, byApp = e.App.Audiences, true
	}
	if accepted == nil {
		return nil, &Skipped{Name: CheckAudience, Why: "give --app-id, or --audience with what the service accepts"}
	}
	what := func(a string) string {
		switch {
		case e.App != nil && strings.EqualFold(a, e.App.ClientID), e.App == nil && steps.IsGUID(a):
			return "the app id, which v2 tokens carry"
		default:
			return "an Application ID URI, which v1 tokens carry (exactly the connector's Resource)"
		}
	}
	if containsAudience(accepted, aud) {
		if byApp {
			return pass(CheckAudience, "aud %s is %s. The service must accept it; accept all of the app's audiences (%s) and both token versions work.", aud, what(aud), strings.Join(accepted, ", ")), nil
		}
		return pass(CheckAudience, "aud %s is %s, and the service accepts it.", aud, what(aud)), nil
	}
	for _, a := range accepted {
		if strings.EqualFold(strings.TrimRight(a, "/"), strings.TrimRight(aud, "/")) {
			return fail(CheckAudience, "aud %s differs from the accepted %s only in case: middleware compares audiences exactly. Accept %s as the token writes it (it is the connector's Resource, as written).", aud, a, aud), nil
		}
	}
	onlyList := strings.Join(accepted, ", ")
	switch {
	case e.App != nil && containsAudience(e.App.Audiences, aud) && strings.EqualFold(aud, e.App.ClientID):
		return fail(CheckAudience, "The service accepts only %s; v2 tokens carry the app id %s: add it to the accepted audiences (`%s` lists both).", onlyList, aud, serviceConfigLine(e)), nil
	case e.App != nil && containsAudience(e.App.Audiences, aud):
		return fail(CheckAudience, "The service accepts only %s; v1 tokens carry the Application ID URI %s (the connector's Resource): add it to the accepted audiences (`%s` lists both).", onlyList, aud, serviceConfigLine(e)), nil
	case e.App == nil && otherForm(accepted, aud):
		return fail(CheckAudience, "The service accepts only %s; this token carries %s, the same app's other audience (v1 tokens carry the Application ID URI, v2 tokens the app id): add it to the accepted audiences.", onlyList, aud), nil
	case e.App != nil:
		return fail(CheckAudience, "aud %s is not this app's (its audiences: %s): the token was asked for another resource. Set the connector's Resource to %s (`%s` followed by your connector's .pq file or SDK project folder does it).", aud, strings.Join(e.App.Audiences, ", "), firstURI(e.App), e.Run.Line("snippet", "--app-id", e.App.ClientID, "--patch")), nil
	}
	return fail(CheckAudience, "aud %s is not one the service accepts (%s).", aud, onlyList), nil
}

// serviceConfigLine is the service-config command for the app (e.App is
// set where it is printed).
func serviceConfigLine(e Expect) string {
	return e.Run.Line("service-config", "--app-id", e.App.ClientID, "--format", "aspnet")
}

// pinTenantHint names the snippet command that pins the AuthorizationUri
// to the tenant: for the app when it is known, else for the connector's
// Resource.
func pinTenantHint(e Expect) string {
	if e.App != nil {
		return "`" + e.Run.Line("snippet", "--app-id", e.App.ClientID, "--authorization-uri", "tenant") + "` writes that record"
	}
	return "`" + e.Run.Line("snippet", "--authorization-uri", "tenant", "--resource") + "` followed by the connector's Resource writes that record"
}

// otherForm: aud and an accepted audience are the app id and
// api://{that app id}.
func otherForm(accepted []string, aud string) bool {
	for _, a := range accepted {
		if strings.EqualFold("api://"+a, strings.TrimRight(aud, "/")) || strings.EqualFold("api://"+aud, strings.TrimRight(a, "/")) {
			return true
		}
	}
	return false
}

func firstURI(c *service.Config) string {
	for _, a := range c.Audiences {
		if !strings.EqualFold(a, c.ClientID) {
			return a
		}
	}
	return c.ClientID
}

func checkIssuer(t *Token, e Expect) *Check {
	iss, tid, ver := t.String("iss"), t.String("tid"), t.Version()
	if iss == "" {
		return fail(CheckIssuer, "The token has no iss claim: no service can accept it.")
	}
	if tid == "" {
		tid = issuerTenant(iss)
	}
	is := service.Issuers(e.Cloud, tid, false)
	switch {
	case ver == "1.0" && iss == is[0].Issuer, ver == "2.0" && iss == is[1].Issuer:
		msg := fmt.Sprintf("iss %s is the v%s issuer of tenant %s. The service must accept it", iss, ver[:1], tid)
		if e.App != nil && e.App.Multitenant {
			msg += fmt.Sprintf("; the app is multitenant, so accept %s with the token's tid in place of %s", templateFor(e.App, ver), service.TenantTemplate)
		}
		return pass(CheckIssuer, "%s.", msg)
	case iss == is[0].Issuer || iss == is[1].Issuer:
		return fail(CheckIssuer, "iss %s is the issuer of the other token version than ver %s says: the token is not one Microsoft Entra issued as it is.", iss, ver)
	}
	for _, c := range e.Clouds {
		if c.Name == e.Cloud.Name {
			continue
		}
		other := service.Issuers(c, tid, false)
		if iss == other[0].Issuer || iss == other[1].Issuer {
			return fail(CheckIssuer, "iss %s is an issuer of the %s cloud, not %s: add --cloud %s (the service, too, must use that cloud's issuer and keys).", iss, c.Name, e.Cloud.Name, c.Name)
		}
	}
	if t := issuerTenant(iss); t != "" && !strings.EqualFold(t, tid) {
		return fail(CheckIssuer, "iss %s names tenant %s, but tid is %s: Microsoft Entra never issues such a token.", iss, t, tid)
	}
	want := is[0].Issuer
	if ver == "2.0" {
		want = is[1].Issuer
	}
	return fail(CheckIssuer, "iss %s is not the Microsoft Entra issuer of a v%s token in the %s cloud (%s).", iss, strings.TrimSuffix(ver, ".0"), e.Cloud.Name, want)
}

func templateFor(c *service.Config, ver string) string {
	for _, i := range c.Issuers {
		if fmt.Sprintf("%d.0", i.TokenVersion) == ver {
			return i.Template
		}
	}
	return ""
}

// issuerTenant is the tenant segment of an Entra issuer URL.
func issuerTenant(iss string) string {
	rest := iss
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	if len(parts) >= 2 {
		return parts[1]
	}
	return ""
}

func checkTenant(t *Token, e Expect) (*Check, *Skipped) {
	tid := t.String("tid")
	if tid == "" {
		return fail(CheckTenant, "The token has no tid claim: Microsoft Entra access tokens always name the tenant."), nil
	}
	want := e.TenantID
	if want == "" && e.App != nil && !e.App.Multitenant {
		want = e.App.TenantID
	}
	switch {
	case want == "" && e.App != nil:
		home := "another tenant than the app's"
		if strings.EqualFold(tid, e.App.TenantID) {
			home = "the app's own tenant"
		}
		return pass(CheckTenant, "tid %s is %s. The app is multitenant: users of any organization whose tenant has the app's service principal get tokens; your service decides which tenants it trusts.", tid, home), nil
	case want == "":
		return nil, &Skipped{Name: CheckTenant, Why: "give --app-id, or --tenant with the tenant id the service expects"}
	case strings.EqualFold(tid, want):
		return pass(CheckTenant, "tid %s is the tenant the service expects.", tid), nil
	case e.TenantID == "":
		return fail(CheckTenant, "tid %s is not the app's tenant (%s): a single-tenant app only gets tokens from its own tenant, so this token was asked for another app (check the connector's Resource).", tid, want), nil
	}
	return fail(CheckTenant, "tid %s is not the tenant the service expects (%s): the user signed in to another tenant. Pin the connector's AuthorizationUri to %s (%s), or have the service accept that tenant.", tid, want, want, pinTenantHint(e)), nil
}

func checkScope(t *Token, e Expect) (*Check, *Skipped) {
	scp := strings.Fields(t.String("scp"))
	if len(scp) == 0 {
		if roles := t.Strings("roles"); len(roles) > 0 {
			return fail(CheckScope, "The token has no scp but roles (%s): it is an app-only token (client credentials), not the user's token Power Query sends.", strings.Join(roles, " ")), nil
		}
		return fail(CheckScope, "The token has no scp claim: it carries no delegated permission, so the service cannot tell what the user allowed."), nil
	}
	has := func(v string) bool {
		for _, s := range scp {
			if strings.EqualFold(s, v) {
				return true
			}
		}
		return false
	}
	switch {
	case e.Scopes != nil:
		var missing []string
		for _, s := range e.Scopes {
			if !has(s) {
				missing = append(missing, s)
			}
		}
		if len(missing) > 0 {
			return fail(CheckScope, "scp is %q; it lacks %s. The connector's Scope decides what Power Query asks for: with Scope = \".default\" the token carries every scope the client is preauthorized for.", strings.Join(scp, " "), strings.Join(missing, ", ")), nil
		}
		return pass(CheckScope, "scp %q holds %s.", strings.Join(scp, " "), strings.Join(e.Scopes, ", ")), nil
	case e.App != nil:
		enabled := e.App.EnabledScopes()
		var found []string
		for _, s := range enabled {
			if has(s) {
				found = append(found, s)
			}
		}
		if len(found) == 0 {
			return fail(CheckScope, "scp %q names none of the app's enabled scopes (%s): the token was asked for other permissions. Use Scope = \".default\" in the connector.", strings.Join(scp, " "), orNone(enabled)), nil
		}
		return pass(CheckScope, "scp %q holds the app's scope %s; if the service requires a scope, it is this one.", strings.Join(scp, " "), strings.Join(found, ", ")), nil
	}
	return nil, &Skipped{Name: CheckScope, Why: "give --app-id, or --scope with the scope the service requires"}
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

func checkClient(t *Token, e Expect) *Check {
	id, claim := t.Client()
	if id == "" {
		return fail(CheckClient, "The token names no calling client (neither appid nor azp).")
	}
	name := ""
	if c, ok := steps.KnownClientByAppID(id); ok {
		name = c.Name + " "
	}
	if e.App != nil {
		for _, c := range e.App.AllowedClients {
			if strings.EqualFold(c.AppID, id) {
				return pass(CheckClient, "%s %s(%s) is preauthorized for the app (for %s).", claim, name, id, orNone(c.Scopes))
			}
		}
		fix := "preauthorize it for the app's scope"
		if e.Fix != "" {
			fix = "run `" + e.Fix + "`"
		}
		if name == "" {
			return fail(CheckClient, "%s %s is not preauthorized for the app and is not a Power Query client: this token was not requested by Power Query (Azure CLI, Postman, a script?). Test with the token the connector sends.", claim, id)
		}
		return fail(CheckClient, "%s %s(%s) is not preauthorized for the app: its users see a consent prompt or AADSTS650057. To fix, %s.", claim, name, id, fix)
	}
	if name != "" {
		return pass(CheckClient, "%s %s(%s) is a Power Query client (whether the app preauthorizes it needs --app-id).", claim, name, id)
	}
	return fail(CheckClient, "%s %s is not a Power Query client: this token was not requested by Power Query (Azure CLI, Postman, a script?). Test with the token the connector sends.", claim, id)
}

func checkLifetime(t *Token, e Expect) *Check {
	exp, ok := t.Int("exp")
	if !ok {
		return fail(CheckLifetime, "The token has no exp claim: no service accepts a token without an expiry.")
	}
	now := e.Now
	expT := time.Unix(exp, 0).UTC()
	skew := fmt.Sprintf("clock skew allowed: %s", roundDuration(e.Skew))
	if now.After(expT.Add(e.Skew)) {
		return fail(CheckLifetime, "The token expired %s ago (exp %s UTC; %s). Get a new one: Power Query refreshes it when it signs in again.", roundDuration(now.Sub(expT)), expT.Format(time.DateTime), skew)
	}
	if nbf, ok := t.Int("nbf"); ok {
		nbfT := time.Unix(nbf, 0).UTC()
		if nbfT.After(now.Add(e.Skew)) {
			return fail(CheckLifetime, "The token is not valid before %s UTC, %s from now (%s): the clock of this machine or of Microsoft Entra's is off.", nbfT.Format(time.DateTime), roundDuration(nbfT.Sub(now)), skew)
		}
	}
	if now.After(expT) {
		return pass(CheckLifetime, "The token expired %s ago, within the clock skew (exp %s UTC; %s): a service with less skew refuses it.", roundDuration(now.Sub(expT)), expT.Format(time.DateTime), skew)
	}
	return pass(CheckLifetime, "The token is valid until %s UTC, %s from now (%s).", expT.Format(time.DateTime), roundDuration(expT.Sub(now)), skew)
}

// roundDuration is a duration as people read it: to the second under a
// minute, else to the minute.
func roundDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	if d < time.Minute {
		return d.Round(time.Second).String()
	}
	s := strings.TrimSuffix(d.Round(time.Minute).String(), "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func checkVersion(t *Token, e Expect) *Check {
	ver := t.Version()
	want := fmt.Sprintf("%d.0", e.App.AccessTokenVersion)
	setting := "api.requestedAccessTokenVersion is not 2"
	if e.App.AccessTokenVersion == 2 {
		setting = "api.requestedAccessTokenVersion = 2"
	}
	if ver == want {
		return pass(CheckVersion, "ver %s, as the app asks (%s).", ver, setting)
	}
	if ver == "" {
		return fail(CheckVersion, "The token has no ver claim and its issuer is not Microsoft Entra's.")
	}
	return fail(CheckVersion, "The token is v%s, but the app asks for v%s tokens (%s): it was issued for another app, or before the app's setting changed. Get a new token.", ver, want, setting)
}
