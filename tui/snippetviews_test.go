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
