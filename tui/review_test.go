package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// Issue 21: every step that sends a request shows it before Enter sends
// it. Where the preview pane cuts the requests (or has no room), Enter
// shows them first (the review), and only once they have all been on the
// screen does Enter send them; the emulator's log shows nothing sent
// before.

// writes is how many Graph writes the emulator has received.
func (h *harness) writes() int {
	_, w := h.emu.Counts()
	return w
}

// At 80×24 the Register step's pane shows the first request's summary and
// URL, not its body nor the service principal's request: Enter shows them,
// reads on to the second one, and only then sends both.
func TestRegisterAt80x24ShowsBothRequestsBeforeSending(t *testing.T) {
	h := start(t, emulator.Options{}, 80, 24, steps.Desired{})
	h.waitFor("┃ Resource application")
	h.press(tea.KeyEnter, "┃ Display name")
	h.typeText("Lead Test Connector", "> Lead Test Connector")
	h.press(tea.KeyEnter, "┃ Supported account types")
	v := h.waitFor2("↓ more below")
	if strings.Contains(v, "/servicePrincipals") || strings.Contains(v, `"displayName": "Lead Test Connector"`) {
		t.Fatalf("the pane was expected to cut the requests at 80×24 (else this test tests nothing):\n%s", v)
	}
	before := h.writes()

	h.press(tea.KeyEnter, reviewMarker)
	v = h.waitFor2(`"displayName": "Lead Test Connector"`)
	if !strings.Contains(v, "enter more") || strings.Contains(v, "Application registered") {
		t.Errorf("the first Enter did not show the requests, or sent them:\n%s", v)
	}
	if n := h.writes() - before; n != 0 || len(apps(t, h.emu)) != 0 {
		t.Fatalf("the first Enter sent %d writes", n)
	}

	h.press(tea.KeyEnter, "PATCH /servicePrincipals(appId='{appId}')")
	v = h.waitFor2(reviewSend)
	if strings.Contains(v, "Application registered") {
		t.Errorf("sent before the service principal's request was shown:\n%s", v)
	}
	if n := h.writes() - before; n != 0 {
		t.Fatalf("Enter that showed the second request sent %d writes", n)
	}

	h.press(tea.KeyEnter, "✓ Application registered, service principal in place (2 requests sent)")
	if as := apps(t, h.emu); len(as) != 1 || as[0].DisplayName != "Lead Test Connector" {
		t.Fatalf("apps after the last Enter: %+v", as)
	}
	h.quit()
}

// At 80×24 the App ID URI step's pane ends at the body's first brace:
// Enter shows the body before the PATCH is sent.
func TestAppIDURIAt80x24ShowsTheBodyBeforeSending(t *testing.T) {
	h := start(t, emulator.Options{}, 80, 24, steps.Desired{})
	h.registerNew("Lead Test Connector")
	v := h.waitFor2("↓ more below")
	if strings.Contains(v, `"identifierUris"`) {
		t.Fatalf("the pane was expected to cut the body at 80×24:\n%s", v)
	}
	a := apps(t, h.emu)[0]
	before := h.writes()

	h.press(tea.KeyEnter, reviewSend) // the whole request fits the review
	v = h.view()
	for _, want := range []string{"PATCH /applications/", `"identifierUris": [`, `"api://` + a.AppID + `"`} {
		if !strings.Contains(v, want) {
			t.Errorf("the review lacks %q:\n%s", want, v)
		}
	}
	if n := h.writes() - before; n != 0 {
		t.Fatalf("the first Enter sent %d writes", n)
	}
	if got := apps(t, h.emu)[0].IdentifierURIs; len(got) != 0 {
		t.Fatalf("the URI was set unseen: %v", got)
	}

	h.press(tea.KeyEnter, "✓ Application ID URI set (1 request sent)")
	if got := apps(t, h.emu)[0].IdentifierURIs; len(got) != 1 || got[0] != "api://"+a.AppID {
		t.Fatalf("identifierUris = %v", got)
	}
	h.quit()
}

// A preview the user has scrolled to its end has been on the screen
// whole: Enter sends it at once. Esc from the review leaves it seen too.
func TestPreviewScrolledToItsEndIsSentOnEnter(t *testing.T) {
	h := start(t, emulator.Options{}, 80, 24, steps.Desired{})
	h.registerNew("Lead Test Connector")
	h.waitFor("↓ more below")
	for range 10 { // PgDn to the end, a page at a time
		v := h.view()
		if strings.Contains(v, "↑ more above (PgUp") {
			break
		}
		h.press(tea.KeyPgDown, "")
		h.waitChange(v)
	}
	h.waitFor("↑ more above (PgUp")
	before := h.writes()
	h.press(tea.KeyEnter, "✓ Application ID URI set")
	if strings.Contains(h.views.String(), "Enter sends them once all") {
		t.Error("the review was shown for a preview scrolled to its end")
	}
	if n := h.writes() - before; n != 1 {
		t.Errorf("%d writes, want the URI's one", n)
	}

	// The Scope step at 80×24: reviewed, then Esc, then Enter sends at
	// once — the user has had every line on the screen.
	h.press(tea.KeyEnter, "┃ Who can consent")
	h.press(tea.KeyEnter, "┃ Edit the consent texts?")
	h.press(tea.KeyEnter, reviewMarker)
	for range 10 {
		if strings.Contains(h.view(), reviewSend) {
			break
		}
		v := h.view()
		h.press(tea.KeyPgDown, "")
		h.waitChange(v)
	}
	h.waitFor(reviewSend)
	h.press(tea.KeyEsc, "┃ Scope name")
	before = h.writes()
	h.press(tea.KeyEnter, "┃ Who can consent")
	h.press(tea.KeyEnter, "┃ Edit the consent texts?")
	h.press(tea.KeyEnter, "✓ Scope saved")
	if n := h.writes() - before; n != 1 {
		t.Errorf("%d writes, want the scope's one", n)
	}
	h.quit()
}

// At 140×40 every step's requests are on the screen when Enter sends
// them — the Preauthorize step's, longer than its pane, shows its end once
// the focus moves to the last field — so the tour takes no keypress more
// than the form's: each Enter below moves on, none shows a review.
func TestTourAt140x40NeedsNoReview(t *testing.T) {
	h := start(t, emulator.Options{}, 140, 40, steps.Desired{})
	h.waitFor("┃ Resource application")
	h.press(tea.KeyEnter, "┃ Display name")
	h.typeText("Lead Test Connector", "> Lead Test Connector")
	for _, next := range []string{"┃ Supported account types", "┃ Application ID URI", "┃ Scope name", "┃ Who can consent",
		"┃ Edit the consent texts?", "┃ Client applications to preauthorize", "┃ Other client ID"} {
		h.press(tea.KeyEnter, next)
	}
	v := h.waitFor2("↑ more above") // the Preauthorize request's end, in its pane
	if !strings.Contains(v, `"appId": "b52893c8-bc2e-47fc-918b-77022b299bbc"`) {
		t.Errorf("on the last field the pane does not show the request's end:\n%s", v)
	}
	h.press(tea.KeyEnter, "Paste this into your connector")
	if strings.Contains(h.views.String(), reviewMarker) {
		t.Errorf("a review was shown at 140×40:\n%s", h.views.String())
	}
	if h.keys != 9 {
		t.Errorf("%d keypresses from sign-in to the snippet, want 9", h.keys)
	}
	checkConfigured(t, h.emu, apps(t, h.emu)[0], "Data.Read", steps.ConsentUsers)
	h.quit()
}
