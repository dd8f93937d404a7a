package graph

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
)

// The browser sign-in's loopback listener. MSAL's own listener ends the
// sign-in on the first request it does not like — a browser's favicon or
// prefetch, another program probing the port, a stale tab posting an old
// answer — so anyone on this machine could cancel a sign-in by sending one
// request to the port. This one answers only the sign-in it started: a
// POST carrying its own state. Anything else is ignored (answered, never
// fatal) and the sign-in keeps waiting for the right answer, Ctrl-C or
// loopbackWait.

// loopbackWait bounds the wait for the browser's answer: an authorization
// code lives 10 minutes, a user who walked away longer starts again.
var loopbackWait = 15 * time.Minute

// loopbackAnswer is what the sign-in page posted back.
type loopbackAnswer struct {
	code string
	err  error
}

// authorizeInBrowser runs the authorization-code flow with PKCE: listen on
// http://localhost:<free port>, hand the sign-in URL to open, wait for the
// answer that carries this sign-in's state, and redeem the code.
func (s *SignIn) authorizeInBrowser(ctx context.Context, open func(string) error) (public.AuthResult, error) {
	ln, err := net.Listen("tcp", "localhost:0")
	if err != nil {
		return public.AuthResult{}, fmt.Errorf("cannot listen on localhost for the browser's answer: %w", err)
	}
	redirect := fmt.Sprintf("http://localhost:%d", ln.Addr().(*net.TCPAddr).Port)
	verifier, challenge, state, err := pkce()
	if err != nil {
		ln.Close()
		return public.AuthResult{}, err
	}
	answers := make(chan loopbackAnswer, 1)
	srv := &http.Server{Handler: loopbackHandler(state, answers), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close() // closes the port, also on Ctrl-C

	authURL, err := s.app.AuthCodeURL(ctx, s.ClientID(), redirect, s.scopes)
	if err != nil {
		return public.AuthResult{}, err
	}
	authURL, err = withPKCE(authURL, challenge, state)
	if err != nil {
		return public.AuthResult{}, err
	}
	if err := open(authURL); err != nil {
		return public.AuthResult{}, err
	}
	wait, cancel := context.WithTimeout(ctx, loopbackWait)
	defer cancel()
	var a loopbackAnswer
	select {
	case a = <-answers:
	case <-wait.Done():
		if ctx.Err() != nil {
			return public.AuthResult{}, ctx.Err()
		}
		return public.AuthResult{}, fmt.Errorf("no answer from the browser sign-in within %s: run the command again to start a new sign-in", loopbackWait)
	}
	if a.err != nil {
		return public.AuthResult{}, a.err
	}
	return s.app.AcquireTokenByAuthCode(ctx, a.code, redirect, s.scopes, public.WithChallenge(verifier))
}

// withPKCE adds what MSAL's AuthCodeURL leaves to its own interactive flow:
// the PKCE challenge, the state, the answer by form_post (the code never
// appears in a URL or the browser's history) and the scopes that give a
// refresh token and an id token.
func withPKCE(raw, challenge, state string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	q := u.Query()
	scopes := strings.Fields(q.Get("scope"))
	for _, d := range []string{"openid", "offline_access", "profile"} {
		if !containsString(scopes, d) {
			scopes = append(scopes, d)
		}
	}
	q.Set("scope", strings.Join(scopes, " "))
	q.Set("code_challenge", challenge)
	q.Set("code_challenge_method", "S256")
	q.Set("state", state)
	q.Set("response_mode", "form_post")
	q.Set("client_info", "1")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// pkce makes a code verifier, its S256 challenge and a state, all random.
func pkce() (verifier, challenge, state string, err error) {
	b := make([]byte, 48)
	if _, err = rand.Read(b); err != nil {
		return "", "", "", err
	}
	verifier = base64.RawURLEncoding.EncodeToString(b[:32])
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:]), base64.RawURLEncoding.EncodeToString(b[32:]), nil
}

// loopbackHandler answers the sign-in page's form_post. Only a POST with
// this sign-in's state counts; it is delivered once.
func loopbackHandler(state string, answers chan<- loopbackAnswer) http.Handler {
	delivered := make(chan struct{}, 1)
	deliver := func(a loopbackAnswer) bool {
		select {
		case delivered <- struct{}{}:
			answers <- a
			return true
		default:
			return false // answered already
		}
	}
	page := func(w http.ResponseWriter, status int, title, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<!doctype html><meta charset=utf-8><title>pqentra</title><h1>%s</h1><p>%s</p>", html.EscapeString(title), html.EscapeString(body))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			page(w, http.StatusNotFound, "pqentra is waiting for the sign-in", "Finish signing in in the other tab; this page is not part of it.")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			page(w, http.StatusBadRequest, "Not a sign-in answer", "pqentra ignored this request and is still waiting.")
			return
		}
		if got := r.PostForm.Get("state"); subtle.ConstantTimeCompare([]byte(got), []byte(state)) != 1 {
			page(w, http.StatusBadRequest, "Not this sign-in's answer",
				"pqentra ignored it (a stale tab, or another program) and is still waiting for the sign-in it started.")
			return
		}
		if e := r.PostForm.Get("error"); e != "" {
			desc := r.PostForm.Get("error_description")
			if deliver(loopbackAnswer{err: errors.New(strings.TrimSpace(e + ": " + desc))}) {
				page(w, http.StatusOK, "Sign-in failed", "Go back to pqentra to see why.")
			}
			return
		}
		code := r.PostForm.Get("code")
		if code == "" {
			page(w, http.StatusBadRequest, "Not a sign-in answer", "It carried no code; pqentra is still waiting.")
			return
		}
		if deliver(loopbackAnswer{code: code}) {
			page(w, http.StatusOK, "Signed in", "You can close this tab and go back to pqentra.")
			return
		}
		page(w, http.StatusOK, "Already signed in", "pqentra has its answer; you can close this tab.")
	})
}
