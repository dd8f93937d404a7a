package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// The last screen's views (the record, o's onboarding, s's service
// configuration) and the summary printed on q.

func demoOnboarding(id string) steps.Onboarding {
	return steps.NewOnboarding(id, "public", "https://login.microsoftonline.com", steps.Command{Globals: []string{"--demo", "--demo-tenant", "customer"}})
}

// The summary left in the scroll-back of a multitenant app's run holds
// what to send its customers whether or not w wrote the record to a file
// first: it depends on the run, not on the keys pressed.
func TestWizardSummaryKeepsTheOnboardingAfterW(t *testing.T) {
	for _, write := range []bool{false, true} {
		h := startWith(t, emulator.Options{}, 140, 40, Options{Onboarding: demoOnboarding,
			Desired: steps.Desired{SignInAudience: steps.AudienceMulti}})
		h.registerNew("Multi Connector")
		h.restWithDefaults()
		if write {
			h.rune('w', "Write the Aad record to")
			h.press(tea.KeyEnter, "Wrote MultiConnector.aad.pq.")
		}
		sum := h.finish().Result().Summary
		id := apps(t, h.emu)[0].AppID
		for _, want := range []string{"Application (client) ID: " + id, "This app is multitenant",
			"pqentra --demo --demo-tenant customer onboard --app-id " + id, "adminconsent?client_id=" + id} {
			if !strings.Contains(sum, want) {
				t.Errorf("w pressed: %v; the summary lacks %q:\n%s", write, want, sum)
			}
		}
		if write != strings.Contains(sum, "Wrote MultiConnector.aad.pq") {
			t.Errorf("w pressed: %v; the summary says otherwise:\n%s", write, sum)
		}
	}
}

// lastScreen walks the wizard at w×h to the last step of a new multitenant
// app, with o and s offered, and returns the harness and the app id.
func lastScreen(t *testing.T, w, hgt int) (*harness, string) {
	t.Helper()
	h := startWith(t, emulator.Options{}, w, hgt, Options{Onboarding: demoOnboarding, ServiceCloud: testCloud,
		Command: steps.Command{Globals: []string{"--demo"}}, Desired: steps.Desired{SignInAudience: steps.AudienceMulti}})
	h.registerNew("Multi Connector")
	h.restWithDefaults()
	return h, apps(t, h.emu)[0].AppID
}

// joined is the frame with its line breaks taken out: a URL broken at the
// window's edge reads whole again, a cut one does not.
func joined(v string) string { return strings.ReplaceAll(v, "\n", "") }

// o and s show every URL and id whole at 80 and 100 columns — broken at
// the edge where a line cannot hold them, never cut — and s names the
// service-config command as it runs: the run's global flags and the app.
func TestWizardLastScreenViewsNeverCutURLsOrIDs(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {100, 30}} {
		h, id := lastScreen(t, sz[0], sz[1])
		consent := "https://login.microsoftonline.com/organizations/adminconsent?client_id=" + id
		portal := "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/" + id
		var record, onboarding, service string
		for range 6 { // the whole of each view, page by page
			record += h.view()
			h.press(tea.KeyPgDown, "")
		}
		h.rune('o', "This app is multitenant")
		for range 6 {
			onboarding += h.view()
			h.press(tea.KeyPgDown, "")
		}
		h.rune('o', "Paste this into")
		h.rune('s', "What your connector's service must accept")
		service = h.view()
		for _, c := range []struct{ view, want string }{{record, portal}, {onboarding, consent},
			{onboarding, "az ad sp create --id " + id}, {service, "pqentra --demo service-config --app-id " + id}} {
			if !strings.Contains(joined(c.view), c.want) {
				t.Errorf("at %dx%d the screen lacks %q whole:\n%s", sz[0], sz[1], c.want, c.view)
			}
		}
		if strings.Contains(onboarding, "→") || strings.Contains(service, "→") {
			t.Errorf("at %dx%d something is cut:\n%s\n%s", sz[0], sz[1], onboarding, service)
		}
		h.quit()
	}
}

// At 80×24 the o and s views are taller than the window: they say so, and
// PgDn/PgUp and the mouse wheel scroll them to their last lines and back.
func TestWizardLastScreenViewsScroll(t *testing.T) {
	h, _ := lastScreen(t, 80, 24)
	h.rune('o', "↓ more below (PgDn, mouse wheel)")
	if v := h.view(); !strings.Contains(v, "pgup/pgdn scroll") || strings.Contains(v, "It takes a") {
		t.Errorf("the footer does not name the scroll keys, or the view fits after all:\n%s", v)
	}
	h.press(tea.KeyPgDown, "It takes a Cloud Application Administrator")
	h.waitFor("↑ more above (PgUp, mouse wheel)")
	h.waitFor("c copies it (whole)")
	h.press(tea.KeyPgUp, "↓ more below")
	h.waitFor("This app is multitenant")
	for range 10 {
		h.tm.Send(tea.MouseMsg{Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress, X: 10, Y: 10})
	}
	h.waitFor("c copies it (whole)")
	h.rune('o', "Paste this into") // another view starts at its top
	h.rune('s', "What your connector's service must accept")
	h.waitFor("↓ more below")
	for range 4 {
		h.press(tea.KeyPgDown, "")
	}
	h.waitFor("c copies it; s or esc goes back")
	h.quit()
}

// The key help offers PgUp/PgDn for the preview only while the preview is
// on the screen: at 80×24 the Preauthorize step has no room for it.
func TestWizardOffersToScrollOnlyAShownPreview(t *testing.T) {
	h := start(t, emulator.Options{}, 80, 24, steps.Desired{})
	h.registerNew("Polish Check") // long enough for the app line to take two rows
	h.submit("┃ Scope name")      // the URI's request is cut at 80×24: reviewed first
	h.press(tea.KeyEnter, "┃ Who can consent")
	h.press(tea.KeyEnter, "┃ Edit the consent texts?")
	h.submit("┃ Client applications to preauthorize")
	h.waitFor("(The request preview needs a taller window.)")
	if v := h.view(); strings.Contains(v, "scroll the preview") {
		t.Errorf("the key help offers to scroll a preview that is not shown:\n%s", v)
	}
	h.quit()
}
