package emulator

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The sign-in side: the endpoints MSAL for Go's public client calls when
// instance discovery is disabled (see apps/internal/oauth/resolvers.go and
// ops/accesstokens in MSAL): the tenant's OpenID configuration, the
// device-code endpoint (MSAL derives it from token_endpoint by replacing
// "token" with "devicecode") and the token endpoint (device_code and
// refresh_token grants).

const (
	deviceCodeLifetime = 900 * time.Second
	deviceCodeInterval = 5
	grantDeviceCode    = "urn:ietf:params:oauth:grant-type:device_code"
	graphResourceURL   = "https://graph.microsoft.com"
	graphAppID         = "00000003-0000-0000-c000-000000000000"
)

type deviceCode struct {
	code, userCode, clientID string
	scopes                   []string // as requested, OIDC scopes included
	issued, expires          time.Time
	approved, redeemed       bool
}

type accessToken struct {
	clientID string
	scopes   []string // granted resource scopes, as requested
	expires  time.Time
}

type refreshToken struct {
	clientID string
}

// oidcScopes are the scopes MSAL always adds; they are not resource scopes.
var oidcScopes = map[string]bool{"openid": true, "profile": true, "offline_access": true, "email": true}

// serveLogin routes the login host's paths.
func (s *Server) serveLogin(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.URL.Path == "/devicelogin" {
		s.serveDeviceLogin(w, r, body)
		return
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if len(parts) < 2 {
		http.NotFound(w, r)
		return
	}
	tenant, rest := parts[0], strings.Join(parts[1:], "/")
	var handler func(http.ResponseWriter, *http.Request, string, url.Values)
	method := http.MethodPost
	switch rest {
	case "oauth2/v2.0/authorize":
		handler = s.handleAuthorize
		if r.Method == http.MethodGet {
			method = http.MethodGet
		}
	case "v2.0/.well-known/openid-configuration":
		handler, method = s.handleOpenIDConfig, http.MethodGet
	case "oauth2/v2.0/devicecode":
		handler = s.handleDeviceCode
	case "oauth2/v2.0/token":
		handler = s.handleToken
	default:
		http.NotFound(w, r)
		return
	}
	if r.Method != method {
		w.Header().Set("Allow", method)
		aadError(w, http.StatusMethodNotAllowed, "invalid_request", 900561, "The endpoint only accepts "+method+" requests. Received a "+r.Method+" request.")
		return
	}
	if !s.knownTenant(tenant) {
		aadError(w, http.StatusBadRequest, "invalid_tenant", 90002, fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", tenant))
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil && method == http.MethodPost {
		missingParam(w, "grant_type")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	handler(w, r, tenant, form)
}

// knownTenant: organizations, common, the tenant id or a verified domain.
// ("consumers" is for personal accounts; this tenant has none.)
func (s *Server) knownTenant(t string) bool {
	t = strings.ToLower(t)
	if t == "organizations" || t == "common" || t == s.opts.TenantID {
		return true
	}
	for _, d := range s.opts.VerifiedDomains {
		if t == d {
			return true
		}
	}
	return false
}

func (s *Server) handleOpenIDConfig(w http.ResponseWriter, _ *http.Request, tenant string, _ url.Values) {
	// Like AAD: endpoints keep the tenant segment as requested; the issuer
	// names the real tenant id, or the {tenantid} placeholder for the
	// multi-tenant aliases. MSAL only checks that the issuer's host matches.
	issuerTenant := s.opts.TenantID
	if t := strings.ToLower(tenant); t == "organizations" || t == "common" {
		issuerTenant = "{tenantid}"
	}
	base := s.url + "/" + tenant
	writeJSON(w, http.StatusOK, map[string]any{
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"jwks_uri":                              base + "/discovery/v2.0/keys",
		"response_modes_supported":              []string{"query", "fragment", "form_post"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"issuer":                                s.url + "/" + issuerTenant + "/v2.0",
		"request_uri_parameter_supported":       false,
		"userinfo_endpoint":                     s.url + "/oidc/userinfo",
		"authorization_endpoint":                base + "/oauth2/v2.0/authorize",
		"device_authorization_endpoint":         base + "/oauth2/v2.0/devicecode",
		"http_logout_supported":                 true,
		"frontchannel_logout_supported":         true,
		"end_session_endpoint":                  base + "/oauth2/v2.0/logout",
		"claims_supported":                      []string{"sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"},
		"kerberos_endpoint":                     base + "/kerberos",
		"tenant_region_scope":                   "EU",
		"cloud_instance_name":                   "microsoftonline.com",
		"cloud_graph_host_name":                 "graph.windows.net",
		"msgraph_host":                          "graph.microsoft.com",
		"rbac_url":                              "https://pas.windows.net",
	})
}

// missingParam answers AADSTS900144, what AAD sends for any required form
// parameter that is absent or empty.
func missingParam(w http.ResponseWriter, name string) {
	aadError(w, http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: '"+name+"'.")
}

// requiredParam returns form[name], or answers 900144 when it is empty.
func requiredParam(w http.ResponseWriter, form url.Values, name string) (string, bool) {
	v := form.Get(name)
	if v == "" {
		missingParam(w, name)
		return "", false
	}
	return v, true
}

// checkClientAndScope validates the parameters every grant needs.
func checkClientAndScope(w http.ResponseWriter, form url.Values, needScope bool) (clientID string, scopes []string, ok bool) {
	if clientID, ok = requiredParam(w, form, "client_id"); !ok {
		return "", nil, false
	}
	if !isGUID(clientID) {
		aadError(w, http.StatusBadRequest, "unauthorized_client", 700038, fmt.Sprintf("%s is not a valid application identifier.", clientID))
		return "", nil, false
	}
	scopes = strings.Fields(form.Get("scope"))
	if needScope && len(scopes) == 0 {
		missingParam(w, "scope")
		return "", nil, false
	}
	if !oneResource(scopes) {
		aadError(w, http.StatusBadRequest, "invalid_scope", 28000, "Provided value for the input parameter scope is not valid because it contains more than one resource. Scope "+strings.Join(scopes, " ")+" is not valid.")
		return "", nil, false
	}
	return strings.ToLower(clientID), scopes, true
}

// oneResource: AAD issues a token for exactly one resource.
func oneResource(scopes []string) bool {
	resources := map[string]bool{}
	for _, sc := range scopes {
		if !oidcScopes[strings.ToLower(sc)] {
			resources[scopeResource(sc)] = true
		}
	}
	return len(resources) <= 1
}

// scopeResource is the resource part of a scope ("https://graph.microsoft.com"
// for "https://graph.microsoft.com/User.Read"); bare scopes mean Graph.
func scopeResource(scope string) string {
	i := strings.LastIndex(scope, "/")
	if i < 0 {
		return graphResourceURL
	}
	res := strings.ToLower(scope[:i])
	if res == graphAppID || res == "https://graph.microsoft.com" {
		return graphResourceURL
	}
	return res
}

func (s *Server) handleDeviceCode(w http.ResponseWriter, _ *http.Request, _ string, form url.Values) {
	clientID, scopes, ok := checkClientAndScope(w, form, true)
	if !ok {
		return
	}
	now := s.now()
	dc := &deviceCode{
		code:     randomToken(48),
		userCode: newUserCode(),
		clientID: clientID,
		scopes:   scopes,
		issued:   now,
		expires:  now.Add(s.opts.DeviceCodeLifetime),
	}
	s.deviceCodes[dc.code] = dc
	s.userCodes[dc.userCode] = dc.code
	s.codesIssued++
	verify := s.url + "/devicelogin"
	writeJSON(w, http.StatusOK, map[string]any{
		"user_code":        dc.userCode,
		"device_code":      dc.code,
		"verification_uri": verify,
		"expires_in":       int(s.opts.DeviceCodeLifetime.Seconds()),
		"interval":         deviceCodeInterval,
		"message":          fmt.Sprintf("To sign in, use a web browser to open the page %s and enter the code %s to authenticate.", verify, dc.userCode),
	})
}

func (s *Server) handleToken(w http.ResponseWriter, _ *http.Request, _ string, form url.Values) {
	switch gt := form.Get("grant_type"); gt {
	case "":
		missingParam(w, "grant_type")
	case grantDeviceCode, "device_code": // MSAL for Go sends the short form; AAD accepts both
		s.redeemDeviceCode(w, form)
	case "refresh_token":
		s.redeemRefreshToken(w, form)
	case "authorization_code":
		s.redeemAuthCode(w, form)
	default:
		aadError(w, http.StatusBadRequest, "unsupported_grant_type", 70003, fmt.Sprintf("The app requested an unsupported grant type '%s'.", gt))
	}
}

func (s *Server) redeemDeviceCode(w http.ResponseWriter, form url.Values) {
	clientID, _, ok := checkClientAndScope(w, form, false)
	if !ok {
		return
	}
	code, ok := requiredParam(w, form, "device_code")
	if !ok {
		return
	}
	dc := s.deviceCodes[code]
	now := s.now()
	switch {
	case dc == nil || dc.clientID != clientID:
		aadError(w, http.StatusBadRequest, "invalid_grant", 70000, "The provided value for the 'device_code' is not valid.")
		return
	case dc.redeemed:
		aadError(w, http.StatusBadRequest, "invalid_grant", 70000, "The provided value for the 'device_code' is not valid. It has already been redeemed.")
		return
	case !now.Before(dc.expires):
		aadError(w, http.StatusBadRequest, "expired_token", 70020, "The provided value for the input parameter 'device_code' is not valid. This device code has expired.")
		return
	}
	if !dc.approved && s.opts.AutoApprove > 0 && !now.Before(dc.issued.Add(s.opts.AutoApprove)) {
		dc.approved = true
	}
	if !dc.approved {
		aadError(w, http.StatusBadRequest, "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling.")
		return
	}
	dc.redeemed = true
	delete(s.userCodes, dc.userCode)
	if s.opts.BlockDeviceCode {
		// The user signed in on the page; Conditional Access then refuses
		// to issue a token to the device-code flow.
		aadError(w, http.StatusBadRequest, "invalid_grant", 53003, "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.")
		return
	}
	if missing := s.missingConsent(clientID, dc.scopes, true); len(missing) > 0 {
		s.consentError(w, clientID)
		return
	}
	s.issueTokens(w, clientID, dc.scopes)
}

func (s *Server) redeemRefreshToken(w http.ResponseWriter, form url.Values) {
	clientID, scopes, ok := checkClientAndScope(w, form, false)
	if !ok {
		return
	}
	rt, ok := requiredParam(w, form, "refresh_token")
	if !ok {
		return
	}
	stored := s.refreshTokens[rt]
	if stored == nil {
		aadError(w, http.StatusBadRequest, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.")
		return
	}
	if stored.clientID != clientID {
		aadError(w, http.StatusBadRequest, "invalid_grant", 70000, "Provided grant is invalid or malformed.")
		return
	}
	if len(scopes) == 0 {
		scopes = []string{"openid", "profile", "offline_access"}
	}
	// A silent request consents to nothing.
	if missing := s.missingConsent(clientID, scopes, false); len(missing) > 0 {
		s.consentError(w, clientID)
		return
	}
	s.issueTokens(w, clientID, scopes)
}

// issueTokens answers a successful token request. The scope field echoes
// the requested resource scopes: MSAL treats any requested scope missing
// from it as declined.
func (s *Server) issueTokens(w http.ResponseWriter, clientID string, requested []string) {
	granted := s.grantedScopes(clientID, requested)
	wantRefresh := false
	for _, sc := range requested {
		if strings.EqualFold(sc, "offline_access") {
			wantRefresh = true
		}
	}
	scopeField := strings.Join(granted, " ")
	if len(granted) == 0 {
		scopeField = "openid profile"
	}
	now := s.now()
	at := s.accessTokenJWT(clientID, granted, now)
	s.accessTokens[at] = &accessToken{clientID: clientID, scopes: granted, expires: now.Add(s.opts.AccessTokenLifetime)}
	secs := int(s.opts.AccessTokenLifetime.Seconds())
	resp := map[string]any{
		"token_type":     "Bearer",
		"scope":          scopeField,
		"expires_in":     secs,
		"ext_expires_in": secs,
		"access_token":   at,
		"id_token":       s.idToken(clientID, now),
		"client_info":    base64.RawURLEncoding.EncodeToString(mustJSON(map[string]string{"uid": s.userID, "utid": s.opts.TenantID})),
	}
	if wantRefresh {
		rt := randomToken(96)
		s.refreshTokens[rt] = &refreshToken{clientID: clientID}
		resp["refresh_token"] = rt
	}
	writeJSON(w, http.StatusOK, resp)
}

// accessTokenJWT shapes an access token like Entra's (a JWT whose scp claim
// lists the Graph permissions), unsigned: Graph here accepts only tokens it
// remembers issuing, never one merely well-formed. The jti makes it
// unguessable.
func (s *Server) accessTokenJWT(clientID string, granted []string, now time.Time) string {
	var scp []string
	for _, g := range granted {
		scp = append(scp, permissionName(g))
	}
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"typ":"JWT","alg":"none"}`))
	claims := map[string]any{
		"aud":   graphResourceURL,
		"iss":   "https://sts.windows.net/" + s.opts.TenantID + "/",
		"iat":   now.Unix(),
		"nbf":   now.Unix(),
		"exp":   now.Add(s.opts.AccessTokenLifetime).Unix(),
		"appid": clientID,
		"oid":   s.userID,
		"tid":   s.opts.TenantID,
		"upn":   s.opts.UserUPN,
		"scp":   strings.Join(scp, " "),
		"jti":   randomToken(32),
	}
	return header + "." + base64.RawURLEncoding.EncodeToString(mustJSON(claims)) + "."
}

// idToken builds an unsigned JWT (alg "none"): MSAL reads the claims but
// does not verify id token signatures.
func (s *Server) idToken(clientID string, now time.Time) string {
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"typ":"JWT","alg":"none"}`))
	claims := map[string]any{
		"aud":                clientID,
		"iss":                s.url + "/" + s.opts.TenantID + "/v2.0",
		"iat":                now.Unix(),
		"nbf":                now.Unix(),
		"exp":                now.Add(time.Hour).Unix(),
		"name":               s.opts.UserName,
		"oid":                s.userID,
		"preferred_username": s.opts.UserUPN,
		"sub":                "emu-" + s.userID,
		"tid":                s.opts.TenantID,
		"ver":                "2.0",
	}
	return header + "." + base64.RawURLEncoding.EncodeToString(mustJSON(claims)) + "."
}

// Approve approves a pending device code, as the user would in a browser.
func (s *Server) Approve(userCode string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.approveLocked(userCode)
}

func (s *Server) approveLocked(userCode string) error {
	userCode = strings.ToUpper(strings.TrimSpace(strings.ReplaceAll(userCode, "-", "")))
	dc := s.deviceCodes[s.userCodes[userCode]]
	if dc == nil || dc.redeemed {
		return errors.New("the code you entered is not valid")
	}
	if !s.now().Before(dc.expires) {
		return errors.New("the code you entered has expired")
	}
	dc.approved = true
	return nil
}

// PendingUserCodes lists user codes issued but not yet approved or expired.
func (s *Server) PendingUserCodes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	now := s.now()
	for _, dc := range s.deviceCodes {
		if !dc.approved && !dc.redeemed && now.Before(dc.expires) {
			out = append(out, dc.userCode)
		}
	}
	return out
}

// DeviceCodesIssued counts device codes issued since Start.
func (s *Server) DeviceCodesIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.codesIssued
}

// aadError writes an AAD (login host) error body.
func aadError(w http.ResponseWriter, status int, code string, aadsts int, desc string) {
	aadErrorWith(w, status, code, aadsts, desc, nil)
}

// aadErrorWith is aadError with extra fields (suberror, claims).
func aadErrorWith(w http.ResponseWriter, status int, code string, aadsts int, desc string, extra map[string]any) {
	writeJSON(w, status, aadErrorBody(code, aadsts, desc, extra))
}

// aadErrorBody is the JSON body of a login-host error.
func aadErrorBody(code string, aadsts int, desc string, extra map[string]any) map[string]any {
	now := time.Now().UTC()
	trace, corr := newGUID(), newGUID()
	body := map[string]any{
		"error": code,
		"error_description": fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s",
			aadsts, desc, trace, corr, now.Format("2006-01-02 15:04:05Z")),
		"error_codes":    []int{aadsts},
		"timestamp":      now.Format("2006-01-02 15:04:05Z"),
		"trace_id":       trace,
		"correlation_id": corr,
		"error_uri":      fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", aadsts),
	}
	for k, v := range extra {
		body[k] = v
	}
	return body
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(mustJSON(v))
}

// tokenFor validates a Graph request's bearer token. It returns a Graph
// error when the token is missing, unknown, expired or not for Graph.
func (s *Server) tokenFor(r *http.Request) (*accessToken, *graphError) {
	h := r.Header.Get("Authorization")
	raw, found := strings.CutPrefix(h, "Bearer ")
	if !found {
		raw, found = strings.CutPrefix(h, "bearer ")
	}
	raw = strings.TrimSpace(raw)
	if !found || raw == "" {
		return nil, errUnauthorized("Access token is empty.")
	}
	tok := s.accessTokens[raw]
	if tok == nil {
		return nil, errUnauthorized("Invalid access token.")
	}
	if !s.now().Before(tok.expires) {
		return nil, errUnauthorized("Access token has expired or is not yet valid.")
	}
	for _, sc := range tok.scopes {
		if scopeResource(sc) != graphResourceURL {
			return nil, errUnauthorized("Access token validation failure. Invalid audience.")
		}
	}
	return tok, nil
}

// has reports whether the token carries one of the delegated permissions
// (a scope equal to it, or ending in "/"+permission).
func (t *accessToken) has(perms ...string) bool {
	for _, sc := range t.scopes {
		for _, p := range perms {
			if strings.EqualFold(sc, p) || strings.HasSuffix(strings.ToLower(sc), "/"+strings.ToLower(p)) {
				return true
			}
		}
	}
	return false
}
