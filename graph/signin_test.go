package graph

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/graph/emulator/emulatortest"
	"github.com/pqentra/pqentra/steps"
)

// signInEnv is a client with --sign-in method against an emulator, whose
// browser is the emulator's pretend one.
type signInEnv struct {
	emu    *emulator.Server
	client *Client
	urls   []string
	notes  []string
	codes  int
}

func newSignInEnv(t *testing.T, method string, opts emulator.Options) *signInEnv {
	t.Helper()
	emu := emulatortest.Start(t, opts)
	ep, err := ResolveEndpoints("public", emu.URL(), emu.URL())
	if err != nil {
		t.Fatal(err)
	}
	e := &signInEnv{emu: emu}
	browser := emu.Client()
	c, err := New(Config{Endpoints: ep, CachePath: filepath.Join(t.TempDir(), "cache.json"), ExtraRootsPEM: emu.CACertPEM(),
		SignInMethod: method,
		OpenURL: func(u string) error {
			go func() { _ = emulator.Browse(context.Background(), browser, u) }()
			return nil
		},
		SignInEvents: SignInEvents{
			OnDeviceCode: func(DeviceCode) { e.codes++ },
			OnBrowser:    func(u string) { e.urls = append(e.urls, u) },
			OnNote:       func(n string) { e.notes = append(e.notes, n) },
		}})
	if err != nil {
		t.Fatal(err)
	}
	e.client = c
	return e
}

func TestBrowserSignIn(t *testing.T) {
	e := newSignInEnv(t, MethodBrowser, emulator.Options{})
	me, err := e.client.Me(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if me.UserPrincipalName != "adele@contoso.com" || e.client.SignInMethod() != MethodBrowser || e.codes != 0 {
		t.Fatalf("me %+v method %s codes %d", me, e.client.SignInMethod(), e.codes)
	}
	if len(e.urls) != 1 || !strings.Contains(e.urls[0], "/oauth2/v2.0/authorize?") || !strings.Contains(e.urls[0], "code_challenge_method=S256") ||
		!strings.Contains(e.urls[0], "response_mode=form_post") || !strings.Contains(e.urls[0], "redirect_uri=http%3A%2F%2Flocalhost%3A") {
		t.Fatalf("browser URL %v", e.urls)
	}
	if e.emu.DeviceCodesIssued() != 0 {
		t.Fatal("browser sign-in asked for a device code")
	}
}

func TestAutoFallsBackToBrowserWhenCABlocksDeviceCode(t *testing.T) {
	e := newSignInEnv(t, MethodAuto, emulator.Options{BlockDeviceCode: true})
	if err := e.client.EnsureSignedIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	if e.codes != 1 || len(e.urls) != 1 || e.client.SignInMethod() != MethodBrowser {
		t.Fatalf("codes %d urls %v method %s", e.codes, e.urls, e.client.SignInMethod())
	}
	if len(e.notes) != 1 || !strings.Contains(e.notes[0], "AADSTS53003") || !strings.Contains(e.notes[0], "browser") {
		t.Fatalf("notes %q", e.notes)
	}
	// --sign-in device does not fall back: it explains.
	d := newSignInEnv(t, MethodDevice, emulator.Options{BlockDeviceCode: true})
	err := d.client.EnsureSignedIn(context.Background())
	var se *SignInError
	if !errors.As(err, &se) || se.Code != "AADSTS53003" || !strings.Contains(err.Error(), "--sign-in browser") || len(d.urls) != 0 {
		t.Fatalf("device: %v", err)
	}
}

func TestConsentRequiredGuidance(t *testing.T) {
	for _, method := range []string{MethodDevice, MethodBrowser} {
		e := newSignInEnv(t, method, emulator.Options{AdminConsentRequired: true})
		err := e.client.EnsureSignedIn(context.Background())
		var se *SignInError
		if !errors.As(err, &se) || se.Code != "AADSTS65001" {
			t.Fatalf("%s: %v", method, err)
		}
		want := e.emu.URL() + "/organizations/v2.0/adminconsent?client_id=" + DefaultClientID + "&scope=https://graph.microsoft.com/Application.ReadWrite.All"
		msg := err.Error()
		if se.ConsentURL != want || !strings.Contains(msg, want) || !strings.Contains(msg, "Application.ReadWrite.All") ||
			!strings.Contains(msg, "--sign-in azure-cli") || !strings.Contains(msg, "--client-id") || !strings.Contains(msg, "Microsoft Graph Command Line Tools") {
			t.Fatalf("%s: message:\n%s", method, msg)
		}
		if strings.Contains(msg, "Trace ID") {
			t.Errorf("trace noise in %q", msg)
		}
	}
}

func TestAdminConsentURLFollowsCloudAndTenant(t *testing.T) {
	ep, _ := ResolveEndpoints("usgov", "", "")
	got := AdminConsentURL(ep, "contoso.onmicrosoft.us", DefaultClientID)
	want := "https://login.microsoftonline.us/contoso.onmicrosoft.us/v2.0/adminconsent?client_id=" + DefaultClientID + "&scope=https://graph.microsoft.us/Application.ReadWrite.All"
	if got != want {
		t.Fatalf("got %s", got)
	}
}

func TestBrowserSignInCancelClosesPort(t *testing.T) {
	emu := emulatortest.Start(t, emulator.Options{AutoApprove: emulatortest.ManualApproval})
	ep, _ := ResolveEndpoints("public", emu.URL(), emu.URL())
	urls := make(chan string, 1)
	c, err := New(Config{Endpoints: ep, ExtraRootsPEM: emu.CACertPEM(), SignInMethod: MethodBrowser,
		SignInEvents: SignInEvents{OnBrowser: func(u string) { urls <- u }}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.EnsureSignedIn(ctx) }()
	u := <-urls
	i := strings.Index(u, "redirect_uri=")
	redirect := u[i+len("redirect_uri="):]
	redirect, _ = strings.CutSuffix(strings.SplitN(redirect, "&", 2)[0], "")
	redirect = strings.NewReplacer("%3A", ":", "%2F", "/").Replace(redirect)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if _, err := http.Post(redirect, "application/x-www-form-urlencoded", strings.NewReader("code=x")); err == nil {
		t.Fatalf("loopback %s still listening after cancel", redirect)
	}
}

func TestReadAccessMayNotRegister(t *testing.T) {
	e := newSignInEnv(t, MethodDevice, emulator.Options{UsersCannotRegisterApps: true})
	f, err := e.client.ReadAccess(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if f.AllowedToCreateApps == nil || *f.AllowedToCreateApps || !f.RolesKnown || len(f.Roles) != 0 {
		t.Fatalf("facts %+v", f)
	}
	a := steps.DecideAccess(f)
	if a.Register != steps.No || !strings.Contains(a.Blocked(f), "Users can register applications") {
		t.Fatalf("access %+v: %s", a, a.Blocked(f))
	}
	scopes, err := e.client.GraphScopes(context.Background())
	if err != nil || strings.Join(scopes, " ") != "Application.ReadWrite.All" {
		t.Fatalf("scopes %v %v", scopes, err)
	}
}

func TestReadAccessUnknownWhenNobodyConsented(t *testing.T) {
	// The Azure CLI's token (preauthorized) is what a consent-blocked user
	// has; here: a user-consent-only tenant via the browser with User.Read.
	e := newSignInEnv(t, MethodDevice, emulator.Options{AdminConsentRequired: true})
	e.emu.GrantAdminConsent(DefaultClientID, "Application.ReadWrite.All")
	f, err := e.client.ReadAccess(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	a := steps.DecideAccess(f)
	if f.AllowedToCreateApps != nil || a.Register != steps.Unknown || len(a.Warnings(f)) != 1 || !strings.Contains(a.Warnings(f)[0], "Policy.Read.All") {
		t.Fatalf("facts %+v access %+v warnings %q", f, a, a.Warnings(f))
	}
}

func TestExpiredDeviceCodeSaysRunAgain(t *testing.T) {
	emu := emulatortest.Start(t, emulator.Options{DeviceCodeLifetime: time.Second, AutoApprove: emulatortest.ManualApproval})
	ep, _ := ResolveEndpoints("public", emu.URL(), emu.URL())
	c, err := New(Config{Endpoints: ep, ExtraRootsPEM: emu.CACertPEM(), SignInMethod: MethodDevice})
	if err != nil {
		t.Fatal(err)
	}
	err = c.EnsureSignedIn(context.Background())
	var se *SignInError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "the code expired") || !strings.Contains(err.Error(), "run the command again") && !strings.Contains(err.Error(), "Run the command again") ||
		strings.Contains(err.Error(), "deadline") {
		t.Fatalf("got %v", err)
	}
}

func TestFallbackReason(t *testing.T) {
	refused := deviceCodeRequestError{errors.New(`http call(...) error: reply status code was 400: {"error":"invalid_request","error_description":"AADSTS50097: Device authentication is required."}`)}
	cases := []struct {
		err  error
		want string
	}{
		{errors.New("AADSTS53003: Access has been blocked by Conditional Access policies."), "AADSTS53003"},
		{refused, "refused (AADSTS50097)"},
		{deviceCodeRequestError{errors.New("AADSTS65001: consent")}, ""}, // the browser meets it too
		{deviceCodeRequestError{errors.New("AADSTS90002: tenant not found")}, ""},
		{deviceCodeRequestError{errors.New("dial tcp: connection refused")}, ""}, // the network, not a refusal
		{errors.New("AADSTS50097 while polling"), ""},                            // only the request itself counts
		{nil, ""},
	}
	for _, c := range cases {
		got := fallbackReason(c.err)
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%v: got %q, want %q", c.err, got, c.want)
		}
	}
}

// The roles are read with an advanced query (ConsistencyLevel: eventual and
// $count=true), as real Graph requires for a cast on a membership; without
// it the roles stayed "unknown" in every real tenant.
func TestReadAccessReadsRolesAsAnAdvancedQuery(t *testing.T) {
	e := newSignInEnv(t, MethodDevice, emulator.Options{UsersCannotRegisterApps: true, UserRoles: []string{"Application Developer"}})
	f, err := e.client.ReadAccess(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !f.RolesKnown || strings.Join(f.Roles, ",") != "Application Developer" {
		t.Fatalf("roles %v known %v; unknowns %q", f.Roles, f.RolesKnown, f.Unknowns)
	}
	if a := steps.DecideAccess(f); a.Register != steps.Yes {
		t.Fatalf("an Application Developer may register: %+v", a)
	}
	for _, r := range e.emu.Log() {
		if strings.Contains(r.Path, "directoryRole") && (r.Status != 200 || !strings.Contains(r.RawQuery, "$count=true")) {
			t.Errorf("role read %s?%s -> %d", r.Path, r.RawQuery, r.Status)
		}
	}
}
