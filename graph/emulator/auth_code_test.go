package emulator

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// loopback is an app's redirect listener on http://localhost:PORT; it
// records what the browser posted to it.
type loopback struct {
	url  string
	mu   sync.Mutex
	got  []url.Values
	meth []string
}

func startLoopback(t *testing.T) *loopback {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lb := &loopback{url: "http://localhost:" + strings.TrimPrefix(ln.Addr().String(), "127.0.0.1:")}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		lb.mu.Lock()
		lb.got = append(lb.got, r.PostForm)
		lb.meth = append(lb.meth, r.Method)
		lb.mu.Unlock()
		_, _ = w.Write([]byte("<p>Authentication complete.</p>"))
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return lb
}

func (l *loopback) last(t *testing.T) url.Values {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.got) != 1 || l.meth[0] != http.MethodPost {
		t.Fatalf("loopback got %v %v, want one POST", l.meth, l.got)
	}
	return l.got[0]
}

func pkce() (verifier, challenge string) {
	verifier = randomToken(32)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

func authorizeURL(s *Server, client, redirect, challenge, scope string) string {
	v := url.Values{"client_id": {client}, "response_type": {"code"}, "redirect_uri": {redirect}, "scope": {scope},
		"state": {"st-123"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}, "response_mode": {"form_post"}}
	return s.URL() + "/organizations/oauth2/v2.0/authorize?" + v.Encode()
}

func TestAuthCodeFlowWithPKCE(t *testing.T) {
	s := start(t, Options{})
	lb := startLoopback(t)
	verifier, challenge := pkce()
	scope := scopeRW + " openid offline_access profile"
	// Without auto-approve the user sees a sign-in page first.
	res, err := s.Client().Get(authorizeURL(s, testClient, lb.url, challenge, scope))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if s.AuthCodesIssued() != 0 {
		t.Fatal("a code was issued before the user signed in")
	}
	if err := Browse(context.Background(), s.Client(), authorizeURL(s, testClient, lb.url, challenge, scope)); err != nil {
		t.Fatal(err)
	}
	got := lb.last(t)
	code := got.Get("code")
	if code == "" || got.Get("state") != "st-123" {
		t.Fatalf("form_post fields %v", got)
	}
	redeem := url.Values{"grant_type": {"authorization_code"}, "client_id": {testClient}, "code": {code},
		"redirect_uri": {lb.url}, "code_verifier": {verifier}, "scope": {scope}}
	// the wrong verifier spends the code
	bad := url.Values{}
	for k, v := range redeem {
		bad[k] = v
	}
	bad.Set("code_verifier", randomToken(32))
	st, m := postForm(t, s, "/organizations/oauth2/v2.0/token", bad)
	if st != 400 || m["error"] != "invalid_grant" || !strings.HasPrefix(m["error_description"].(string), "AADSTS501481:") {
		t.Fatalf("wrong verifier: %d %v", st, m)
	}
	if st, m := postForm(t, s, "/organizations/oauth2/v2.0/token", redeem); st != 400 || !strings.HasPrefix(m["error_description"].(string), "AADSTS54005:") {
		t.Fatalf("spent code: %d %v", st, m)
	}

	// A fresh code, redeemed right, gives a Graph token; once only.
	lb2 := startLoopback(t)
	if err := Browse(context.Background(), s.Client(), authorizeURL(s, testClient, lb2.url, challenge, scope)); err != nil {
		t.Fatal(err)
	}
	redeem.Set("code", lb2.last(t).Get("code"))
	redeem.Set("redirect_uri", lb2.url)
	st, tok := postForm(t, s, "/organizations/oauth2/v2.0/token", redeem)
	if st != 200 || tok["access_token"] == nil || tok["refresh_token"] == nil {
		t.Fatalf("redeem: %d %v", st, tok)
	}
	secrets := strings.Join(s.Secrets(), " ")
	for _, want := range []string{verifier, tok["access_token"].(string), tok["refresh_token"].(string), code} {
		if !strings.Contains(secrets, want) {
			t.Errorf("Secrets lacks one of the issued or received values")
		}
	}
	if r := call(t, s, tok["access_token"].(string), "GET", "/v1.0/applications", nil); r.status != 200 {
		t.Fatalf("graph with the new token: %d %s", r.status, r.raw)
	}
	if st, m := postForm(t, s, "/organizations/oauth2/v2.0/token", redeem); st != 400 || !strings.HasPrefix(m["error_description"].(string), "AADSTS54005:") {
		t.Fatalf("second redeem: %d %v", st, m)
	}
}

func TestAuthorizeRefusals(t *testing.T) {
	s := start(t, Options{AutoApprove: 1})
	lb := startLoopback(t)
	_, challenge := pkce()
	get := func(u string) (int, string) {
		res, err := s.Client().Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b := make([]byte, 4096)
		n, _ := res.Body.Read(b)
		return res.StatusCode, string(b[:n])
	}
	// A redirect URI that is not loopback is refused on the page: the code
	// must never travel to another host.
	for _, bad := range []string{"https://evil.example/cb", "http://evil.example:8080", "http://user@localhost:1"} {
		st, body := get(authorizeURL(s, testClient, bad, challenge, scopeRW))
		if st != 400 || !strings.Contains(body, "AADSTS50011") {
			t.Errorf("%s: %d %s", bad, st, body)
		}
	}
	if s.AuthCodesIssued() != 0 {
		t.Fatal("code issued for a bad redirect")
	}
	// Missing PKCE goes back to the app as an error.
	u := strings.Replace(authorizeURL(s, testClient, lb.url, challenge, scopeRW), "code_challenge="+challenge, "", 1)
	if err := Browse(context.Background(), s.Client(), u); err != nil {
		t.Fatal(err)
	}
	if got := lb.last(t); got.Get("error") != "invalid_request" || !strings.Contains(got.Get("error_description"), "code_challenge") || got.Get("code") != "" {
		t.Fatalf("no PKCE: %v", got)
	}
}

func TestConsentRequiredForDefaultClientButNotAzureCLI(t *testing.T) {
	s := start(t, Options{AdminConsentRequired: true, AutoApprove: 1})
	lb := startLoopback(t)
	_, challenge := pkce()
	if err := Browse(context.Background(), s.Client(), authorizeURL(s, testClient, lb.url, challenge, scopeRW+" openid offline_access")); err != nil {
		t.Fatal(err)
	}
	got := lb.last(t)
	if got.Get("error") != "consent_required" || !strings.HasPrefix(got.Get("error_description"), "AADSTS65001:") || got.Get("code") != "" {
		t.Fatalf("want 65001, got %v", got)
	}
	// device code: the same refusal after the user signs in
	scope := scopeRW + " openid offline_access profile"
	_, dc := postForm(t, s, "/organizations/oauth2/v2.0/devicecode", url.Values{"client_id": {testClient}, "scope": {scope}})
	st, m := postForm(t, s, "/organizations/oauth2/v2.0/token", url.Values{"grant_type": {"device_code"}, "device_code": {dc["device_code"].(string)}, "client_id": {testClient}})
	if st != 400 || m["suberror"] != "consent_required" || !strings.HasPrefix(m["error_description"].(string), "AADSTS65001:") {
		t.Fatalf("device code: %d %v", st, m)
	}
	// The Azure CLI is preauthorized: .default carries Application.ReadWrite.All.
	_, dc = postForm(t, s, "/organizations/oauth2/v2.0/devicecode", url.Values{"client_id": {AzureCLIClientID}, "scope": {"https://graph.microsoft.com/.default offline_access"}})
	st, tok := postForm(t, s, "/organizations/oauth2/v2.0/token", url.Values{"grant_type": {"device_code"}, "device_code": {dc["device_code"].(string)}, "client_id": {AzureCLIClientID}})
	if st != 200 || !strings.Contains(tok["scope"].(string), "https://graph.microsoft.com/Application.ReadWrite.All") {
		t.Fatalf("azure cli: %d %v", st, tok)
	}
	if r := call(t, s, tok["access_token"].(string), "POST", "/v1.0/applications", map[string]any{"displayName": "X"}); r.status != 201 {
		t.Fatalf("azure cli token cannot create: %d %s", r.status, r.raw)
	}
}

func TestSilentRequestConsentsToNothing(t *testing.T) {
	s := start(t, Options{})
	scope := scopeRW + " openid offline_access profile"
	_, dc := postForm(t, s, "/organizations/oauth2/v2.0/devicecode", url.Values{"client_id": {testClient}, "scope": {scope}})
	_ = s.Approve(dc["user_code"].(string))
	_, tok := postForm(t, s, "/organizations/oauth2/v2.0/token", url.Values{"grant_type": {"device_code"}, "device_code": {dc["device_code"].(string)}, "client_id": {testClient}})
	rt := tok["refresh_token"].(string)
	silent := func(perm string) (int, map[string]any) {
		return postForm(t, s, "/organizations/oauth2/v2.0/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt},
			"client_id": {testClient}, "scope": {"https://graph.microsoft.com/" + perm + " openid offline_access"}})
	}
	// The demo tenant's admin consented to Policy.Read.All, nobody to Directory.Read.All.
	if st, m := silent("Policy.Read.All"); st != 200 {
		t.Fatalf("Policy.Read.All: %d %v", st, m)
	}
	if st, m := silent("Directory.Read.All"); st != 400 || m["suberror"] != "consent_required" || !strings.HasPrefix(m["error_description"].(string), "AADSTS65001:") {
		t.Fatalf("Directory.Read.All: %d %v", st, m)
	}
	// User.Read may be consented by a user, but only interactively.
	s2 := start(t, Options{AdminConsentRequired: true})
	_, dc = postForm(t, s2, "/organizations/oauth2/v2.0/devicecode", url.Values{"client_id": {testClient}, "scope": {"User.Read openid offline_access"}})
	_ = s2.Approve(dc["user_code"].(string))
	st, tok := postForm(t, s2, "/organizations/oauth2/v2.0/token", url.Values{"grant_type": {"device_code"}, "device_code": {dc["device_code"].(string)}, "client_id": {testClient}})
	if st != 200 {
		t.Fatalf("User.Read interactive: %d %v", st, tok)
	}
	st, m := postForm(t, s2, "/organizations/oauth2/v2.0/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)},
		"client_id": {testClient}, "scope": {"https://graph.microsoft.com/Policy.Read.All"}})
	if st != 400 || m["suberror"] != "consent_required" {
		t.Fatalf("Policy.Read.All without admin consent: %d %v", st, m)
	}
}

func TestConditionalAccessBlocksDeviceCode(t *testing.T) {
	s := start(t, Options{BlockDeviceCode: true})
	scope := scopeRW + " openid offline_access profile"
	_, dc := postForm(t, s, "/organizations/oauth2/v2.0/devicecode", url.Values{"client_id": {testClient}, "scope": {scope}})
	redeem := url.Values{"grant_type": {"device_code"}, "device_code": {dc["device_code"].(string)}, "client_id": {testClient}}
	if st, m := postForm(t, s, "/organizations/oauth2/v2.0/token", redeem); m["error"] != "authorization_pending" {
		t.Fatalf("before sign-in: %d %v", st, m)
	}
	_ = s.Approve(dc["user_code"].(string))
	st, m := postForm(t, s, "/organizations/oauth2/v2.0/token", redeem)
	if st != 400 || !strings.HasPrefix(m["error_description"].(string), "AADSTS53003:") {
		t.Fatalf("after sign-in: %d %v", st, m)
	}
	// The browser flow is not blocked.
	lb := startLoopback(t)
	_, challenge := pkce()
	if err := Browse(context.Background(), s.Client(), authorizeURL(s, testClient, lb.url, challenge, scope)); err != nil {
		t.Fatal(err)
	}
	if lb.last(t).Get("code") == "" {
		t.Fatal("no code")
	}
}

func TestRolesAndMayNotRegister(t *testing.T) {
	s, tok := startSignedIn(t, Options{UsersCannotRegisterApps: true})
	// Application.ReadWrite.All alone does not list memberships.
	expect(t, call(t, s, tok, "GET", "/v1.0/me/transitiveMemberOf/microsoft.graph.directoryRole?$count=true", nil, "ConsistencyLevel", "eventual"), 403, "Authorization_RequestDenied")
	withUser := signIn(t, s, "https://graph.microsoft.com/User.Read")
	r := call(t, s, withUser, "GET", "/v1.0/me/transitiveMemberOf/microsoft.graph.directoryRole?$count=true", nil, "ConsistencyLevel", "eventual")
	if r.status != 200 || len(r.body["value"].([]any)) != 0 {
		t.Fatalf("roles: %d %s", r.status, r.raw)
	}
	expect(t, call(t, s, tok, "POST", "/v1.0/applications", map[string]any{"displayName": "X"}), 403, "Authorization_RequestDenied")

	s2, tok2 := startSignedIn(t, Options{UsersCannotRegisterApps: true, UserRoles: []string{"Application Developer"}})
	withUser = signIn(t, s2, "https://graph.microsoft.com/User.Read")
	// the SDK's short cast segment works like the long one
	r = call(t, s2, withUser, "GET", "/v1.0/me/transitiveMemberOf/graph.directoryRole?$count=true", nil, "ConsistencyLevel", "eventual")
	roles := r.body["value"].([]any)
	if len(roles) != 1 || roles[0].(map[string]any)["roleTemplateId"] != "cf1c38e5-3621-4004-a7cb-879624dced7c" {
		t.Fatalf("roles: %s", r.raw)
	}
	if r := call(t, s2, tok2, "POST", "/v1.0/applications", map[string]any{"displayName": "X"}); r.status != 201 {
		t.Fatalf("an Application Developer may register: %d %s", r.status, r.raw)
	}
}
