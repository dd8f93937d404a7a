package token

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/service"
	"github.com/pqentra/pqentra/steps/token/tokentest"
)

const (
	tid   = "6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13"
	appID = "00001111-aaaa-2222-bbbb-3333cccc4444"
	uri   = "api://00001111-aaaa-2222-bbbb-3333cccc4444"
)

var (
	now    = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	public = service.Cloud{Name: "public", LoginHost: "https://login.microsoftonline.com", V1Issuer: "https://sts.windows.net", V2Issuer: "https://login.microsoftonline.com"}
	china  = service.Cloud{Name: "china", LoginHost: "https://login.chinacloudapi.cn", V1Issuer: "https://sts.chinacloudapi.cn", V2Issuer: "https://login.partner.microsoftonline.cn"}
)

func claims() tokentest.Claims {
	return tokentest.Claims{TenantID: tid, AppID: appID, Resource: uri, Client: steps.ClientExcel.AppID, Scope: "Data.Read", Now: now}
}

// appConfig is the app as service-config describes it.
func appConfig(multitenant bool, version int) *service.Config {
	aud := steps.AudienceSingle
	if multitenant {
		aud = steps.AudienceMulti
	}
	v := int32(version)
	a := steps.App{AppID: appID, SignInAudience: aud, IdentifierURIs: []string{uri}, RequestedAccessTokenVersion: &v,
		Scopes:        []steps.Scope{{ID: "s1", Value: "Data.Read", IsEnabled: true}},
		PreAuthorized: []steps.PreAuthorizedApp{{AppID: steps.ClientExcel.AppID, DelegatedPermissionIDs: []string{"s1"}}}}
	c := service.Build(service.Input{Tenant: steps.Tenant{ID: tid}, App: a, Cloud: public})
	return &c
}

func parse(t *testing.T, m map[string]any) *Token {
	t.Helper()
	tok, err := Parse(tokentest.Sign(m))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func expect(app *service.Config) Expect {
	return Expect{App: app, Cloud: public, Clouds: []service.Cloud{public, china}, Now: now, Fix: "pqentra doctor --app-id " + appID + " --fix"}
}

func byName(cs []Check) map[string]Check {
	m := map[string]Check{}
	for _, c := range cs {
		m[c.Name] = c
	}
	return m
}

func TestV1AndV2TokensPassAgainstTheApp(t *testing.T) {
	for name, c := range map[string]struct {
		claims  map[string]any
		version int
	}{"v1": {claims().V1(), 1}, "v2": {claims().V2(), 2}} {
		t.Run(name, func(t *testing.T) {
			checks, skipped := Inspect(parse(t, c.claims), expect(appConfig(false, c.version)))
			if len(skipped) != 0 || len(checks) != 7 {
				t.Fatalf("checks %+v skipped %+v", checks, skipped)
			}
			for _, ch := range checks {
				if !ch.OK {
					t.Errorf("%s failed: %s", ch.Name, ch.Message)
				}
			}
		})
	}
}

// Each failing check, and what it says to change.
func TestEachCheckFails(t *testing.T) {
	cases := []struct {
		name, check, want string
		claims            func() map[string]any
		expect            func(Expect) Expect
	}{
		{"service accepts only the app id", CheckAudience, "The service accepts only " + appID + "; v1 tokens carry the Application ID URI " + uri + " (the connector's Resource): add it to the accepted audiences",
			func() map[string]any { return claims().V1() }, func(e Expect) Expect { e.Audiences = []string{appID}; return e }},
		{"service accepts only the URI", CheckAudience, "v2 tokens carry the app id " + appID + ": add it",
			func() map[string]any { return claims().V2() }, func(e Expect) Expect { e.Audiences = []string{uri}; e.App = appConfig(false, 2); return e }},
		{"app id without the app", CheckAudience, "the same app's other audience",
			func() map[string]any { return claims().V1() }, func(e Expect) Expect { e.App = nil; e.Audiences = []string{appID}; return e }},
		{"another app", CheckAudience, "is not this app's",
			func() map[string]any { m := claims().V1(); m["aud"] = "api://other"; return m }, nil},
		{"a Graph token", CheckAudience, "this token is for Graph",
			func() map[string]any { m := claims().V1(); m["aud"] = "https://graph.microsoft.com"; return m }, nil},
		{"case", CheckAudience, "only in case",
			func() map[string]any { m := claims().V1(); m["aud"] = strings.ToUpper(uri); return m }, nil},
		{"issuer of another cloud", CheckIssuer, "an issuer of the china cloud",
			func() map[string]any {
				m := claims().V1()
				m["iss"] = "https://sts.chinacloudapi.cn/" + tid + "/"
				return m
			}, nil},
		{"issuer of another version", CheckIssuer, "the other token version",
			func() map[string]any {
				m := claims().V1()
				m["iss"] = "https://login.microsoftonline.com/" + tid + "/v2.0"
				return m
			}, nil},
		{"issuer tenant differs from tid", CheckIssuer, "but tid is",
			func() map[string]any {
				m := claims().V1()
				m["iss"] = "https://sts.windows.net/11111111-2222-3333-4444-555555555555/"
				return m
			}, nil},
		{"tenant of a single-tenant app", CheckTenant, "not the app's tenant",
			func() map[string]any {
				c := claims()
				c.TenantID = "11111111-2222-3333-4444-555555555555"
				return c.V1()
			}, nil},
		{"tenant the service expects", CheckTenant, "not the tenant the service expects",
			func() map[string]any { return claims().V1() }, func(e Expect) Expect { e.TenantID = "11111111-2222-3333-4444-555555555555"; return e }},
		{"scope missing", CheckScope, "names none of the app's enabled scopes",
			func() map[string]any { m := claims().V1(); m["scp"] = "User.Read"; return m }, nil},
		{"scope asked for", CheckScope, "it lacks Data.Write",
			func() map[string]any { return claims().V1() }, func(e Expect) Expect { e.Scopes = []string{"Data.Write"}; return e }},
		{"app-only token", CheckScope, "app-only token",
			func() map[string]any { m := claims().V1(); delete(m, "scp"); m["roles"] = []any{"Data.All"}; return m }, nil},
		{"client not preauthorized", CheckClient, "is not preauthorized for the app: its users see a consent prompt or AADSTS650057. To fix, run `pqentra doctor --app-id " + appID + " --fix`",
			func() map[string]any { m := claims().V1(); m["appid"] = steps.ClientRefresh.AppID; return m }, nil},
		{"not Power Query", CheckClient, "not requested by Power Query",
			func() map[string]any { m := claims().V2(); m["azp"] = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"; return m },
			func(e Expect) Expect { e.App = appConfig(false, 2); return e }},
		{"expired", CheckLifetime, "expired 2h ago",
			func() map[string]any { m := claims().V1(); m["exp"] = now.Add(-2 * time.Hour).Unix(); return m }, nil},
		{"not yet valid", CheckLifetime, "not valid before",
			func() map[string]any { m := claims().V1(); m["nbf"] = now.Add(10 * time.Minute).Unix(); return m }, nil},
		{"version", CheckVersion, "the app asks for v2.0 tokens",
			func() map[string]any { return claims().V1() }, func(e Expect) Expect { e.App = appConfig(false, 2); return e }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := expect(appConfig(false, 1))
			if c.expect != nil {
				e = c.expect(e)
			}
			checks, _ := Inspect(parse(t, c.claims()), e)
			got, ok := byName(checks)[c.check]
			if !ok || got.OK || !strings.Contains(got.Message, c.want) {
				t.Errorf("%s: %+v\nwant a failure saying %q", c.check, got, c.want)
			}
			for _, other := range checks {
				if other.Name != c.check && !other.OK && c.name != "issuer tenant differs from tid" && c.name != "tenant of a single-tenant app" {
					t.Errorf("%s failed too: %s", other.Name, other.Message)
				}
			}
		})
	}
}

// Within the clock skew an expired token still passes, and says so.
func TestClockSkewIsNamed(t *testing.T) {
	m := claims().V1()
	m["exp"] = now.Add(-2 * time.Minute).Unix()
	checks, _ := Inspect(parse(t, m), expect(appConfig(false, 1)))
	if c := byName(checks)[CheckLifetime]; !c.OK || !strings.Contains(c.Message, "within the clock skew") || !strings.Contains(c.Message, "clock skew allowed: 5m") {
		t.Errorf("%+v", c)
	}
	e := expect(appConfig(false, 1))
	e.Skew = time.Minute
	checks, _ = Inspect(parse(t, m), e)
	if c := byName(checks)[CheckLifetime]; c.OK || !strings.Contains(c.Message, "clock skew allowed: 1m") {
		t.Errorf("%+v", c)
	}
}

// Without the app only the explicit values are checked; the rest is
// reported as not checked, never as passed.
func TestWithoutTheAppChecksOnlyWhatWasGiven(t *testing.T) {
	e := Expect{Audiences: []string{uri}, Cloud: public, Now: now}
	checks, skipped := Inspect(parse(t, claims().V1()), e)
	names := map[string]bool{}
	for _, s := range skipped {
		names[s.Name] = true
	}
	if !names[CheckTenant] || !names[CheckScope] || len(skipped) != 2 {
		t.Errorf("skipped %+v", skipped)
	}
	for _, c := range checks {
		if !c.OK || c.Name == CheckVersion {
			t.Errorf("%+v", c)
		}
	}
	c := byName(checks)[CheckClient]
	if !strings.Contains(c.Message, "Power Query for Excel") {
		t.Errorf("client: %+v", c)
	}
}

func TestMultitenantAppAcceptsOtherTenants(t *testing.T) {
	c := claims()
	c.TenantID = "11111111-2222-3333-4444-555555555555"
	checks, _ := Inspect(parse(t, c.V1()), expect(appConfig(true, 1)))
	m := byName(checks)
	if !m[CheckTenant].OK || !strings.Contains(m[CheckTenant].Message, "another tenant than the app's") {
		t.Errorf("tenant %+v", m[CheckTenant])
	}
	if !m[CheckIssuer].OK || !strings.Contains(m[CheckIssuer].Message, "https://sts.windows.net/{tenantid}/") {
		t.Errorf("issuer %+v", m[CheckIssuer])
	}
}

func TestParseRefusesWhatIsNotAJWT(t *testing.T) {
	signed := tokentest.Sign(claims().V1())
	for input, want := range map[string]string{
		"":                         "empty",
		"hello":                    "three parts",
		"a.b.c.d.e":                "encrypted token",
		"!!!.e30.sig":              "header (first part) is not base64url",
		"e30.WzFd.sig":             "payload (second part) is not a JSON object",
		"{\"tokenType\": 1}":       "no accessToken",
		"two words":                "more than one word",
		strings.Repeat("a", 70000): "bytes",
	} {
		_, err := Parse(input)
		if !errors.Is(err, ErrNotJWT) || !strings.Contains(err.Error(), want) {
			t.Errorf("%.20q: %v, want %q", input, err, want)
		}
		if err != nil && len(input) > 8 && strings.Contains(err.Error(), input) {
			t.Errorf("the error quotes the input: %v", err)
		}
	}
	for _, input := range []string{signed, "Bearer " + signed, "Authorization: Bearer " + signed, `"` + signed + `"` + "\n",
		`{"accessToken": "` + signed + `", "tokenType": "Bearer"}`} {
		if tok, err := Parse(input); err != nil || tok.String("aud") != uri {
			t.Errorf("%.30q: %v", input, err)
		}
	}
}

// The report holds no personal claim unless asked, never the token or
// its signature, and says plainly the signature is not checked.
func TestReportHidesPersonalClaimsAndTheToken(t *testing.T) {
	signed := tokentest.Sign(claims().V1())
	tok, _ := Parse(signed)
	r := NewReport(tok, expect(appConfig(false, 1)), false, "https://login.microsoftonline.com/"+tid+"/discovery/v2.0/keys")
	b, _ := json.Marshal(r)
	text := r.Text(func(ok bool) string { return map[bool]string{true: "✓", false: "✗"}[ok] })
	for _, out := range []string{string(b), text} {
		for _, bad := range []string{"adele@contoso.com", "Adele Vance", "4b2c8d1e-7a3f-4e6b-9c5d-2f8a1b3c4d5e", signed[strings.LastIndex(signed, ".")+1:], signed[:40]} {
			if strings.Contains(out, bad) {
				t.Errorf("output holds %q:\n%s", bad, out)
			}
		}
	}
	if r.SignatureVerified || !strings.Contains(r.SignatureNote, "not checked") || !r.OK {
		t.Errorf("%+v", r)
	}
	if strings.Join(r.HiddenClaims, ",") != "name,oid,sub,unique_name,upn" {
		t.Errorf("hidden %v", r.HiddenClaims)
	}
	if !strings.Contains(text, "✓ audience") || !strings.Contains(text, "(2025-06-01 13:00:00 UTC)") {
		t.Errorf("text:\n%s", text)
	}
	r = NewReport(tok, expect(appConfig(false, 1)), true, "")
	if r.Claims["upn"] != "adele@contoso.com" || len(r.HiddenClaims) != 0 {
		t.Errorf("--show-personal: %+v", r.Claims)
	}
}
