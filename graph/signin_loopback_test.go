package graph

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/graph/emulator/emulatortest"
)

// A stray or wrong-state request to the browser sign-in's loopback
// listener is ignored, not fatal: the sign-in keeps waiting and finishes
// with the right answer (issue 17). MSAL's own listener ended the sign-in
// on the first such request.
func TestBrowserSignInIgnoresStrayLoopbackRequests(t *testing.T) {
	emu := emulatortest.Start(t, emulator.Options{})
	ep, _ := ResolveEndpoints("public", emu.URL(), emu.URL())
	urls := make(chan string, 1)
	c, err := New(Config{Endpoints: ep, ExtraRootsPEM: emu.CACertPEM(), SignInMethod: MethodBrowser,
		SignInEvents: SignInEvents{OnBrowser: func(u string) { urls <- u }}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.EnsureSignedIn(context.Background()) }()
	signInURL := <-urls
	u, err := url.Parse(signInURL)
	if err != nil {
		t.Fatal(err)
	}
	redirect := u.Query().Get("redirect_uri")
	if !strings.HasPrefix(redirect, "http://localhost:") {
		t.Fatalf("redirect_uri %q", redirect)
	}
	post := func(form url.Values) int {
		t.Helper()
		resp, err := http.PostForm(redirect, form)
		if err != nil {
			t.Fatalf("the loopback listener went away: %v", err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// A browser's favicon, a probe, a stale tab's answer, an error for
	// another sign-in, a post without a code.
	if resp, err := http.Get(redirect + "/favicon.ico"); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	if got := post(url.Values{"code": {"stolen"}, "state": {"not-this-one"}}); got != http.StatusBadRequest {
		t.Errorf("wrong state: %d", got)
	}
	if got := post(url.Values{"error": {"access_denied"}, "state": {"stale"}}); got != http.StatusBadRequest {
		t.Errorf("error with a wrong state: %d", got)
	}
	if got := post(url.Values{"junk": {"1"}}); got != http.StatusBadRequest {
		t.Errorf("no state: %d", got)
	}
	select {
	case err := <-done:
		t.Fatalf("the sign-in ended on a stray request: %v", err)
	default:
	}
	// The right answer still signs in.
	if err := emulator.Browse(context.Background(), emu.Client(), signInURL); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	if _, err := c.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
}
