package emulator

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func getJSON(t *testing.T, s *Server, path string) (int, map[string]any) {
	t.Helper()
	res, err := s.Client().Get(s.URL() + path)
	return jsonResponse(t, res, err)
}

func TestOpenIDConfiguration(t *testing.T) {
	s := start(t, Options{})
	for _, tenant := range []string{"organizations", "common", s.TenantID(), "contoso.com", "CONTOSO.ONMICROSOFT.COM"} {
		st, m := getJSON(t, s, "/"+tenant+"/v2.0/.well-known/openid-configuration")
		if st != 200 {
			t.Fatalf("%s: %d", tenant, st)
		}
		if m["token_endpoint"] != s.URL()+"/"+tenant+"/oauth2/v2.0/token" {
			t.Errorf("%s: token_endpoint %v", tenant, m["token_endpoint"])
		}
		// MSAL derives the device code endpoint by replacing "token".
		if strings.ReplaceAll(m["token_endpoint"].(string), "token", "devicecode") != m["device_authorization_endpoint"] {
			t.Errorf("device endpoint %v", m["device_authorization_endpoint"])
		}
		if iss := m["issuer"].(string); !strings.HasPrefix(iss, s.URL()+"/") || !strings.HasSuffix(iss, "/v2.0") {
			t.Errorf("issuer %v", iss)
		}
		if m["authorization_endpoint"] == nil {
			t.Error("no authorization_endpoint")
		}
	}
	st, m := getJSON(t, s, "/fabrikam.com/v2.0/.well-known/openid-configuration")
	if st != 400 || m["error"] != "invalid_tenant" || !strings.HasPrefix(m["error_description"].(string), "AADSTS90002:") {
		t.Fatalf("unknown tenant: %d %v", st, m)
	}
}

func TestDeviceCodeRequestErrors(t *testing.T) {
	s := start(t, Options{})
	cases := []struct {
		form url.Values
		err  string
		code float64
	}{
		{url.Values{"scope": {"openid"}}, "invalid_request", 900144},
		{url.Values{"client_id": {"not-a-guid"}, "scope": {"openid"}}, "unauthorized_client", 700038},
		{url.Values{"client_id": {testClient}}, "invalid_request", 900144},
		{url.Values{"client_id": {testClient}, "scope": {scopeRW + " api://other/Data.Read"}}, "invalid_scope", 28000},
	}
	for _, c := range cases {
		st, m := postForm(t, s, "/organizations/oauth2/v2.0/devicecode", c.form)
		codes, _ := m["error_codes"].([]any)
		if st != 400 || m["error"] != c.err || len(codes) != 1 || codes[0] != c.code || m["trace_id"] == nil || m["correlation_id"] == nil {
			t.Errorf("%v: %d %v", c.form, st, m)
		}
	}
	if s.DeviceCodesIssued() != 0 {
		t.Fatal("codes issued on errors")
	}
	res, _ := s.Client().Get(s.URL() + "/organizations/oauth2/v2.0/token")
	if res.StatusCode != 405 {
		t.Fatalf("GET token: %d", res.StatusCode)
	}
	res.Body.Close()
}

func TestDeviceCodeFlow(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)}
	s := start(t, Options{Now: clock.Now})
	scope := scopeRW + " openid profile offline_access"
	st, dc := postForm(t, s, "/organizations/oauth2/v2.0/devicecode", url.Values{"client_id": {testClient}, "scope": {scope}})
	if st != 200 {
		t.Fatal(dc)
	}
	uc := dc["user_code"].(string)
	if len(uc) != 9 || strings.ToUpper(uc) != uc || dc["verification_uri"] != s.URL()+"/devicelogin" ||
		dc["expires_in"] != float64(900) || dc["interval"] != float64(5) ||
		!strings.Contains(dc["message"].(string), uc) || !strings.HasPrefix(dc["message"].(string), "To sign in, use a web browser to open the page ") {
		t.Fatalf("devicecode response %v", dc)
	}
	if got := s.PendingUserCodes(); len(got) != 1 || got[0] != uc {
		t.Fatalf("pending %v", got)
	}
	redeem := url.Values{"grant_type": {"device_code"}, "device_code": {dc["device_code"].(string)}, "client_id": {testClient}, "scope": {scope}}
	st, m := postForm(t, s, "/organizations/oauth2/v2.0/token", redeem)
	if st != 400 || m["error"] != "authorization_pending" || !strings.HasPrefix(m["error_description"].(string), "AADSTS70016:") {
		t.Fatalf("pending: %d %v", st, m)
	}
	// the wrong client cannot redeem it
	other := url.Values{"grant_type": {grantDeviceCode}, "device_code": redeem["device_code"], "client_id": {"a672d62c-fc7b-4e81-a576-e60dc46e951d"}}
	if st, m := postForm(t, s, "/organizations/oauth2/v2.0/token", other); st != 400 || m["error"] != "invalid_grant" {
		t.Fatalf("other client: %d %v", st, m)
	}
	if err := s.Approve("nope"); err == nil {
		t.Fatal("approved unknown code")
	}
	if err := s.Approve(uc); err != nil {
		t.Fatal(err)
	}
	st, tok := postForm(t, s, "/organizations/oauth2/v2.0/token", redeem)
	if st != 200 {
		t.Fatalf("token: %d %v", st, tok)
	}
	if tok["token_type"] != "Bearer" || tok["scope"] != scopeRW || tok["expires_in"] != float64(3600) || tok["ext_expires_in"] == nil ||
		tok["access_token"] == "" || tok["refresh_token"] == nil {
		t.Fatalf("token response %v", tok)
	}
	parts := strings.Split(tok["id_token"].(string), ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || len(parts) != 3 {
		t.Fatal("id_token", err)
	}
	var claims map[string]any
	_ = json.Unmarshal(payload, &claims)
	if claims["aud"] != testClient || claims["tid"] != s.TenantID() || claims["oid"] != userObjectID || claims["preferred_username"] != "adele@contoso.com" ||
		claims["name"] != "Adele Vance" || claims["ver"] != "2.0" || claims["iss"] != s.URL()+"/"+s.TenantID()+"/v2.0" || claims["exp"] == nil {
		t.Fatalf("claims %v", claims)
	}
	ci, _ := base64.RawURLEncoding.DecodeString(tok["client_info"].(string))
	if string(ci) != `{"uid":"`+userObjectID+`","utid":"`+s.TenantID()+`"}` {
		t.Fatalf("client_info %s", ci)
	}
	// a device code is redeemed once
	if st, m := postForm(t, s, "/organizations/oauth2/v2.0/token", redeem); st != 400 || m["error"] != "invalid_grant" {
		t.Fatalf("second redeem: %d %v", st, m)
	}
	if len(s.PendingUserCodes()) != 0 || s.DeviceCodesIssued() != 1 {
		t.Fatal("bookkeeping")
	}

	// refresh: new, different access token, old one still valid until expiry
	st, ref := postForm(t, s, "/organizations/oauth2/v2.0/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}, "client_id": {testClient}, "scope": {scope}})
	if st != 200 || ref["access_token"] == tok["access_token"] || ref["scope"] != scopeRW {
		t.Fatalf("refresh: %d %v", st, ref)
	}
	if st, m := postForm(t, s, "/organizations/oauth2/v2.0/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"bogus"}, "client_id": {testClient}}); st != 400 || m["error"] != "invalid_grant" {
		t.Fatalf("bad refresh: %d %v", st, m)
	}
	if st, m := postForm(t, s, "/organizations/oauth2/v2.0/token", url.Values{"grant_type": {"password"}, "client_id": {testClient}}); st != 400 || m["error"] != "unsupported_grant_type" {
		t.Fatalf("password grant: %d %v", st, m)
	}
	// the access token works against Graph until it expires
	r := call(t, s, ref["access_token"].(string), "GET", "/v1.0/me", nil)
	expect(t, r, 200, "")
	clock.Add(time.Hour)
	r = call(t, s, ref["access_token"].(string), "GET", "/v1.0/me", nil)
	expect(t, r, 401, "InvalidAuthenticationToken")
	if r.errMessage() != "Access token has expired or is not yet valid." {
		t.Fatal(r.errMessage())
	}
}

func TestDeviceCodeExpiresAndAutoApprove(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)}
	s := start(t, Options{Now: clock.Now, AutoApprove: 10 * time.Second})
	form := url.Values{"client_id": {testClient}, "scope": {"User.Read offline_access"}}
	_, dc := postForm(t, s, "/contoso.com/oauth2/v2.0/devicecode", form)
	redeem := url.Values{"grant_type": {grantDeviceCode}, "device_code": {dc["device_code"].(string)}, "client_id": {testClient}}
	if st, m := postForm(t, s, "/contoso.com/oauth2/v2.0/token", redeem); st != 400 || m["error"] != "authorization_pending" {
		t.Fatalf("%d %v", st, m)
	}
	clock.Add(10 * time.Second)
	if st, m := postForm(t, s, "/contoso.com/oauth2/v2.0/token", redeem); st != 200 || m["scope"] != "User.Read" {
		t.Fatalf("auto approve: %d %v", st, m)
	}
	_, dc = postForm(t, s, "/contoso.com/oauth2/v2.0/devicecode", form)
	clock.Add(901 * time.Second)
	redeem.Set("device_code", dc["device_code"].(string))
	if st, m := postForm(t, s, "/contoso.com/oauth2/v2.0/token", redeem); st != 400 || m["error"] != "expired_token" {
		t.Fatalf("expired: %d %v", st, m)
	}
	if err := s.Approve(dc["user_code"].(string)); err == nil {
		t.Fatal("approved an expired code")
	}
}

func TestNoRefreshTokenWithoutOfflineAccess(t *testing.T) {
	s := start(t, Options{AutoApprove: time.Nanosecond})
	_, dc := postForm(t, s, "/organizations/oauth2/v2.0/devicecode", url.Values{"client_id": {testClient}, "scope": {"User.Read"}})
	time.Sleep(time.Millisecond)
	_, tok := postForm(t, s, "/organizations/oauth2/v2.0/token", url.Values{"grant_type": {grantDeviceCode}, "device_code": {dc["device_code"].(string)}, "client_id": {testClient}})
	if tok["access_token"] == nil || tok["refresh_token"] != nil {
		t.Fatalf("%v", tok)
	}
}

func TestDeviceLoginPage(t *testing.T) {
	s := start(t, Options{})
	_, dc := postForm(t, s, "/organizations/oauth2/v2.0/devicecode", url.Values{"client_id": {testClient}, "scope": {"User.Read"}})
	res, err := s.Client().Get(s.URL() + "/devicelogin")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(page), `<form method="post"`) {
		t.Fatalf("%d %s", res.StatusCode, page)
	}
	res, _ = s.Client().PostForm(s.URL()+"/devicelogin", url.Values{"otc": {"WRONGCODE"}})
	res.Body.Close()
	if res.StatusCode != 400 {
		t.Fatalf("wrong code: %d", res.StatusCode)
	}
	res, _ = s.Client().PostForm(s.URL()+"/devicelogin", url.Values{"otc": {strings.ToLower(dc["user_code"].(string))}})
	page, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(page), "signed in") || len(s.PendingUserCodes()) != 0 {
		t.Fatalf("%d %s", res.StatusCode, page)
	}
}

func TestGraphAuthentication(t *testing.T) {
	s := start(t, Options{})
	r := call(t, s, "", "GET", "/v1.0/me", nil)
	expect(t, r, 401, "InvalidAuthenticationToken")
	if r.errMessage() != "Access token is empty." || r.header.Get("WWW-Authenticate") == "" {
		t.Fatalf("%s %v", r.raw, r.header)
	}
	inner, _ := r.body["error"].(map[string]any)["innerError"].(map[string]any)
	if inner["request-id"] == nil || inner["date"] == nil || inner["client-request-id"] == nil {
		t.Fatalf("innerError %v", inner)
	}
	expect(t, call(t, s, "made-up", "GET", "/v1.0/me", nil), 401, "InvalidAuthenticationToken")

	// a token for another resource is not accepted by Graph
	other := signIn(t, s, "api://contoso.com/api/Data.Read")
	expect(t, call(t, s, other, "GET", "/v1.0/me", nil), 401, "InvalidAuthenticationToken")

	userRead := signIn(t, s, "https://graph.microsoft.com/User.Read")
	me := call(t, s, userRead, "GET", "/v1.0/me", nil)
	expect(t, me, 200, "")
	if me.body["id"] != userObjectID || me.body["userPrincipalName"] != "adele@contoso.com" || me.body["displayName"] != "Adele Vance" || me.body["mail"] == nil {
		t.Fatal(string(me.raw))
	}
	org := call(t, s, userRead, "GET", "/v1.0/organization", nil)
	expect(t, org, 200, "")
	o := org.body["value"].([]any)[0].(map[string]any)
	doms := o["verifiedDomains"].([]any)
	d0 := doms[0].(map[string]any)
	if o["id"] != s.TenantID() || o["displayName"] != "Contoso (demo)" || len(doms) != 2 || d0["name"] != "contoso.onmicrosoft.com" ||
		d0["isDefault"] != true || d0["isInitial"] != true || d0["type"] != "Managed" {
		t.Fatal(string(org.raw))
	}
	// applications need Application.ReadWrite.All (or a read permission for reads)
	expect(t, call(t, s, userRead, "GET", "/v1.0/applications", nil), 403, "Authorization_RequestDenied")
	expect(t, call(t, s, userRead, "POST", "/v1.0/applications", map[string]any{"displayName": "x"}), 403, "Authorization_RequestDenied")
	expect(t, call(t, s, userRead, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": testClient}), 403, "Authorization_RequestDenied")
	r = call(t, s, userRead, "PATCH", "/v1.0/applications(uniqueName='x')", map[string]any{"displayName": "x"}, "Prefer", "create-if-missing")
	expect(t, r, 403, "Authorization_RequestDenied")
	if r.errMessage() != "Insufficient privileges to complete the operation." {
		t.Fatal(r.errMessage())
	}
	// the short form of the permission works too
	short := signIn(t, s, "Application.ReadWrite.All")
	expect(t, call(t, s, short, "GET", "/v1.0/applications", nil), 200, "")
	if len(s.Applications()) != 0 {
		t.Fatal("denied writes were applied")
	}
}

func TestAuthorizationPolicy(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	// real Graph requires Policy.Read.All for this resource
	expect(t, call(t, s, tok, "GET", "/v1.0/policies/authorizationPolicy", nil), 403, "Authorization_RequestDenied")
	pol := signIn(t, s, "https://graph.microsoft.com/Policy.Read.All")
	grants := func() []any {
		r := call(t, s, pol, "GET", "/v1.0/policies/authorizationPolicy", nil)
		expect(t, r, 200, "")
		return r.body["defaultUserRolePermissions"].(map[string]any)["permissionGrantPoliciesAssigned"].([]any)
	}
	if g := grants(); len(g) != 1 || g[0] != "ManagePermissionGrantsForSelf.microsoft-user-default-legacy" {
		t.Fatal(g)
	}
	s.SetUserConsentAllowed(false)
	if g := grants(); len(g) != 0 {
		t.Fatal(g)
	}
	expect(t, call(t, s, pol, "PATCH", "/v1.0/policies/authorizationPolicy", map[string]any{}), 405, "Request_BadRequest")
}

func TestTLSAndClient(t *testing.T) {
	s := start(t, Options{})
	if !strings.HasPrefix(s.URL(), "https://127.0.0.1:") || !strings.Contains(string(s.CACertPEM()), "BEGIN CERTIFICATE") {
		t.Fatal(s.URL())
	}
	if _, err := http.Get(s.URL() + "/organizations/v2.0/.well-known/openid-configuration"); err == nil {
		t.Fatal("default client trusted the self-signed cert")
	}
}
