package emulator

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The authorization-code flow with PKCE, as MSAL for Go's
// AcquireTokenInteractive drives it: the browser opens
// GET /{tenant}/oauth2/v2.0/authorize, the user signs in, and the answer
// (code and state) goes back to the app's loopback listener by form_post,
// an HTML form the browser submits to the redirect URI. The app then
// redeems the code at the token endpoint with its code_verifier.

const authCodeLifetime = 10 * time.Minute

type authCode struct {
	clientID, redirectURI string
	scopes                []string
	challenge             string
	expires               time.Time
	redeemed              bool
}

// authRequest is an /authorize request waiting for the user to sign in.
type authRequest struct {
	clientID, redirectURI, responseMode, state string
	scopes                                     []string
	challenge                                  string
}

var signInPage = lazyTemplate("signin", `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - pqentra emulator</title>
<style>body{font-family:sans-serif;max-width:28em;margin:4em auto}</style></head>
<body>
<h1>Sign in</h1>
<p>Sign in to {{.Tenant}} as {{.User}}?</p>
<form method="post" action="{{.Action}}">
<input type="hidden" name="request" value="{{.Request}}">
<button type="submit" name="approve" value="yes">Continue</button>
</form>
</body></html>`)

// formPostPage is what Entra answers with response_mode=form_post: a form
// the browser submits to the redirect URI by itself.
var formPostPage = lazyTemplate("formpost", `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Working...</title></head>
<body onload="document.forms[0].submit()">
<form method="post" action="{{.Action}}" data-auto-submit="true">
{{range .Fields}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<noscript><p>Script is disabled. Click Submit to continue.</p><button type="submit">Submit</button></noscript>
</form>
</body></html>`)

var errorPage = lazyTemplate("error", `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - error</title></head>
<body><h1>Sorry, but we're having trouble signing you in.</h1><p role="alert">{{.}}</p></body></html>`)

type formField struct{ Name, Value string }

// handleAuthorize serves GET (the app's sign-in URL) and POST (the user
// pressing Continue on the sign-in page). s.mu is held.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request, tenant string, form url.Values) {
	if r.Method == http.MethodPost {
		req := s.authRequests[form.Get("request")]
		if req == nil || form.Get("approve") != "yes" {
			showAuthorizeError(w, 90014, "The required field 'request' is missing or no longer valid. Start signing in again from the app.")
			return
		}
		delete(s.authRequests, form.Get("request"))
		s.completeAuthorize(w, req)
		return
	}
	q := r.URL.Query()
	// Until the redirect URI is known to be the app's, errors are shown on
	// the page, never sent anywhere.
	clientID := q.Get("client_id")
	switch {
	case clientID == "":
		showAuthorizeError(w, 900144, "The request body must contain the following parameter: 'client_id'.")
		return
	case !isGUID(clientID):
		showAuthorizeError(w, 700038, fmt.Sprintf("%s is not a valid application identifier.", clientID))
		return
	}
	redirect := q.Get("redirect_uri")
	if redirect == "" {
		showAuthorizeError(w, 900144, "The request body must contain the following parameter: 'redirect_uri'.")
		return
	}
	if !isLoopbackRedirect(redirect) {
		showAuthorizeError(w, 50011, fmt.Sprintf("The redirect URI '%s' specified in the request does not match the redirect URIs configured for the application '%s'. "+
			"Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.", redirect, clientID))
		return
	}
	req := &authRequest{clientID: strings.ToLower(clientID), redirectURI: redirect, responseMode: q.Get("response_mode"),
		state: q.Get("state"), scopes: strings.Fields(q.Get("scope")), challenge: q.Get("code_challenge")}
	if req.responseMode == "" {
		req.responseMode = "query"
	}
	fail := func(code string, aadsts int, desc string) {
		s.authorizeReply(w, req, authorizeErrorFields(code, aadsts, desc))
	}
	switch {
	case req.responseMode != "query" && req.responseMode != "form_post" && req.responseMode != "fragment":
		req.responseMode = "query"
		fail("invalid_request", 900144, "The 'response_mode' parameter must be 'query', 'fragment' or 'form_post'.")
	case q.Get("response_type") == "":
		fail("invalid_request", 900144, "The request body must contain the following parameter: 'response_type'.")
	case q.Get("response_type") != "code":
		fail("unsupported_response_type", 70005, fmt.Sprintf("The provided value for the input parameter 'response_type' is not allowed for this request. Expected value: 'code'. Actual: '%s'.", q.Get("response_type")))
	case len(req.scopes) == 0:
		fail("invalid_request", 900144, "The request body must contain the following parameter: 'scope'.")
	case req.challenge == "":
		fail("invalid_request", 900144, "The request body must contain the following parameter: 'code_challenge'.")
	case q.Get("code_challenge_method") != "S256":
		fail("invalid_request", 5000030, "The code_challenge_method must be 'S256'; 'plain' is not allowed.")
	case len(req.challenge) != 43:
		fail("invalid_request", 501491, "Invalid size of Code_Challenge parameter.")
	default:
		if s.opts.AutoApprove > 0 {
			s.completeAuthorize(w, req)
			return
		}
		id := randomToken(24)
		s.authRequests[id] = req
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_ = signInPage().Execute(w, map[string]string{"Tenant": s.opts.TenantName, "User": s.opts.UserUPN,
			"Action": s.url + "/" + tenant + "/oauth2/v2.0/authorize", "Request": id})
	}
}

// completeAuthorize runs after the user signed in: consent, then a
// single-use code for the redirect URI. s.mu is held.
func (s *Server) completeAuthorize(w http.ResponseWriter, req *authRequest) {
	if !oneResource(req.scopes) {
		s.authorizeReply(w, req, authorizeErrorFields("invalid_scope", 28000, "Provided value for the input parameter scope is not valid because it contains more than one resource."))
		return
	}
	if missing := s.missingConsent(req.clientID, req.scopes, true); len(missing) > 0 {
		// The user saw "Need admin approval" and could not go on.
		s.authorizeReply(w, req, authorizeErrorFields("consent_required", 65001, consentMessage(req.clientID)))
		return
	}
	code := randomToken(64)
	s.authCodes[code] = &authCode{clientID: req.clientID, redirectURI: req.redirectURI, scopes: req.scopes,
		challenge: req.challenge, expires: s.now().Add(authCodeLifetime)}
	s.authorizeReply(w, req, []formField{{"code", code}, {"session_state", newGUID()}})
}

// authorizeReply sends fields (plus state) back to the redirect URI: as
// an auto-submitting form for form_post, else as a redirect.
func (s *Server) authorizeReply(w http.ResponseWriter, req *authRequest, fields []formField) {
	if req.state != "" {
		fields = append(fields, formField{"state", req.state})
	}
	w.Header().Set("Cache-Control", "no-store")
	if req.responseMode == "form_post" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = formPostPage().Execute(w, map[string]any{"Action": req.redirectURI, "Fields": fields})
		return
	}
	v := url.Values{}
	for _, f := range fields {
		v.Set(f.Name, f.Value)
	}
	sep := "?"
	if req.responseMode == "fragment" {
		sep = "#"
	} else if strings.Contains(req.redirectURI, "?") {
		sep = "&"
	}
	http.Redirect(w, &http.Request{Method: http.MethodGet}, req.redirectURI+sep+v.Encode(), http.StatusFound)
}

func authorizeErrorFields(code string, aadsts int, desc string) []formField {
	return []formField{{"error", code}, {"error_description", fmt.Sprintf("AADSTS%d: %s", aadsts, desc)}}
}

func showAuthorizeError(w http.ResponseWriter, aadsts int, desc string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	_ = errorPage().Execute(w, fmt.Sprintf("AADSTS%d: %s", aadsts, desc))
}

// isLoopbackRedirect: a public client's redirect URI for the system browser
// is http://localhost (any port, as Entra allows for loopback), or
// http://127.0.0.1.
func isLoopbackRedirect(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.User != nil || u.Fragment != "" {
		return false
	}
	h := u.Hostname()
	return h == "localhost" || h == "127.0.0.1"
}

// redeemAuthCode is grant_type=authorization_code. s.mu is held.
func (s *Server) redeemAuthCode(w http.ResponseWriter, form url.Values) {
	clientID, _, ok := checkClientAndScope(w, form, false)
	if !ok {
		return
	}
	code, ok := requiredParam(w, form, "code")
	if !ok {
		return
	}
	redirect, ok := requiredParam(w, form, "redirect_uri")
	if !ok {
		return
	}
	ac := s.authCodes[code]
	switch {
	case ac == nil || ac.clientID != clientID:
		aadError(w, http.StatusBadRequest, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.")
		return
	case ac.redeemed:
		aadError(w, http.StatusBadRequest, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.")
		return
	case !s.now().Before(ac.expires):
		aadError(w, http.StatusBadRequest, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.")
		return
	case ac.redirectURI != redirect:
		aadError(w, http.StatusBadRequest, "invalid_grant", 500117, "The reply uri specified in the request isn't expected.")
		return
	}
	// A code is spent by the first attempt, right or wrong: a guessed
	// verifier never gets a second try.
	ac.redeemed = true
	verifier := form.Get("code_verifier")
	s.verifiers = append(s.verifiers, verifier)
	if verifier == "" {
		missingParam(w, "code_verifier")
		return
	}
	sum := sha256.Sum256([]byte(verifier))
	if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(ac.challenge)) != 1 {
		aadError(w, http.StatusBadRequest, "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.")
		return
	}
	s.issueTokens(w, clientID, ac.scopes)
}

// AuthCodesIssued counts authorization codes issued since Start.
func (s *Server) AuthCodesIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.authCodes)
}

// Secrets lists every token, code and PKCE verifier the emulator issued or
// received, so tests can check none of them shows up in output or logs.
func (s *Server) Secrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k := range s.accessTokens {
		out = append(out, k)
	}
	for k := range s.refreshTokens {
		out = append(out, k)
	}
	for k := range s.authCodes {
		out = append(out, k)
	}
	for k := range s.deviceCodes {
		out = append(out, k)
	}
	for _, v := range s.verifiers {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
