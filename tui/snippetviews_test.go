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
