package tui

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/pqentra/pqentra/graph"
	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/graph/emulator/emulatortest"
	"github.com/pqentra/pqentra/steps"
)

// signInHarness is the wizard with a --sign-in method and a browser the
// test controls: the URL the sign-in wanted opened lands in urls, and
// approve() plays the user signing in there.
type signInHarness struct {
	*harness
	mu   sync.Mutex
	urls []string
}

func startSignIn(t *testing.T, o emulator.Options, method string, w, h int) *signInHarness {
	t.Helper()
	emu := emulatortest.Start(t, o)
	ep, err := graph.ResolveEndpoints("public", emu.URL(), emu.URL())
	if err != nil {
		t.Fatal(err)
	}
	sh := &signInHarness{}
	ev := NewEvents()
	c, err := graph.New(graph.Config{Endpoints: ep, ExtraRootsPEM: emu.CACertPEM(), SignInMethod: method,
		OpenURL: func(u string) error {
			sh.mu.Lock()
			sh.urls = append(sh.urls, u)
			sh.mu.Unlock()
			return nil
		},
		SignInEvents: graph.SignInEvents{
			OnDeviceCode: func(dc graph.DeviceCode) { ev.DeviceCode(DeviceCode(dc)) },
			OnBrowser:    ev.BrowserURL,
			OnNote:       ev.SignInNote,
		},
		Notify: ev.Notify, LagTimeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	clip := &syncBuffer{}
	mo := New(context.Background(), Options{Client: c, Out: clip, Events: ev,
		Snippet: snippetFor, WriteFile: func(string, string, bool) error { return nil }})
	tm := teatest.NewTestModel(t, probe{mo}, teatest.WithInitialTermSize(w, h))
	ev.Attach(tm.Send)
	t.Cleanup(func() { _ = tm.Quit() })
	sh.harness = &harness{t: t, emu: emu, tm: tm, model: mo, clip: clip}
	return sh
}

// lastURL waits for the browser sign-in URL.
func (h *signInHarness) lastURL() string {
	h.t.Helper()
	for range 500 {
		h.mu.Lock()
		n := len(h.urls)
		var u string
		if n > 0 {
			u = h.urls[n-1]
		}
		h.mu.Unlock()
		if u != "" {
			return u
		}
		time.Sleep(10 * time.Millisecond)
	}
	h.t.Fatal("the browser was never asked to open")
	return ""
}

func (h *signInHarness) approve() {
	h.t.Helper()
	if err := emulator.Browse(context.Background(), h.emu.Client(), h.lastURL()); err != nil {
		h.t.Fatal(err)
	}
}

// Device code blocked by Conditional Access: the screen says why, shows the
// browser URL with c to copy it, and moves on once the browser signs in.
func TestWizardSignInFallsBackToBrowser(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {140, 40}} {
		h := startSignIn(t, emulator.Options{BlockDeviceCode: true}, graph.MethodAuto, size[0], size[1])
		h.waitFor("c copies it")
		h.waitFor("AADSTS53003")
		h.waitFor("browser instead")
		u := h.lastURL()
		// The URL is on the screen whole (wrapped at the edge, never cut).
		if v := strings.ReplaceAll(h.view(), "\n", ""); !strings.Contains(v, u[:40]) {
			t.Fatalf("URL not shown:\n%s", h.view())
		}
		h.rune('c', "sign-in address:")
		if !strings.Contains(h.clip.String(), base64.StdEncoding.EncodeToString([]byte(u))) {
			t.Errorf("c did not put the URL on the clipboard")
		}
		h.approve()
		h.waitFor("┃ Resource application")
		if h.emu.DeviceCodesIssued() != 1 {
			t.Errorf("%d device codes", h.emu.DeviceCodesIssued())
		}
	}
}

// Esc stops waiting for the browser: the loopback port closes, the screen
// says so, and Enter starts a new sign-in.
func TestWizardEscStopsBrowserSignIn(t *testing.T) {
	h := startSignIn(t, emulator.Options{}, graph.MethodBrowser, 100, 30)
	h.waitFor("c copies it")
	u := h.lastURL()
	q, _ := url.ParseQuery(u[strings.Index(u, "?")+1:])
	redirect := q.Get("redirect_uri")
	h.press(tea.KeyEsc, "Sign-in stopped")
	h.seen("enter: retry")
	if _, err := http.PostForm(redirect, url.Values{"code": {"x"}, "state": {q.Get("state")}}); err == nil {
		t.Fatalf("the loopback listener %s still answers after Esc", redirect)
	}
	h.press(tea.KeyEnter, "c copies it")
	h.approve()
	h.waitFor("┃ Resource application")
}

// Admin consent required: the error names the permission, shows the
// admin-consent link and the alternatives; c copies the link.
func TestWizardConsentRequiredScreen(t *testing.T) {
	h := startSignIn(t, emulator.Options{AdminConsentRequired: true}, graph.MethodDevice, 140, 40)
	h.waitFor("AADSTS65001")
	link := h.emu.URL() + "/organizations/v2.0/adminconsent?client_id=" + graph.DefaultClientID + "&scope=https://graph.microsoft.com/Application.ReadWrite.All"
	v := h.view()
	for _, want := range []string{"Application.ReadWrite.All", "--sign-in azure-cli", "--client-id", "c: copy the admin-consent link"} {
		if !strings.Contains(v, want) {
			t.Errorf("screen lacks %q:\n%s", want, v)
		}
	}
	if !strings.Contains(strings.ReplaceAll(v, "\n", ""), "adminconsent?client_id=") {
		t.Errorf("no admin-consent link on screen:\n%s", v)
	}
	h.rune('c', "admin-consent link:")
	if !strings.Contains(h.clip.String(), base64.StdEncoding.EncodeToString([]byte(link))) {
		t.Errorf("c did not copy %s", link)
	}
}

// A user who may not register apps is told on the Register screen, before
// anything is sent; registering a new app is refused there.
func TestWizardRegisterSaysMayNotRegister(t *testing.T) {
	h := startSignIn(t, emulator.Options{UsersCannotRegisterApps: true}, graph.MethodDevice, 140, 40)
	h.waitFor("┃ Resource application")
	h.waitFor("may not register applications")
	for _, want := range []string{"Users can register applications", "Application Developer", "Use an existing application"} {
		if v := strings.ReplaceAll(h.view(), "\n", " "); !strings.Contains(v, want) {
			t.Errorf("Register screen lacks %q:\n%s", want, h.view())
		}
	}
	h.press(tea.KeyEnter, "┃ Display name")
	h.typeText("Nope", "> Nope")
	h.press(tea.KeyEnter, "┃ Supported account types")
	h.press(tea.KeyEnter, "may not register applications")
	if _, writes := h.emu.Counts(); writes != 0 || len(h.emu.Applications()) != 0 {
		t.Fatalf("%d writes", writes)
	}
	_ = steps.StepRegister
}
