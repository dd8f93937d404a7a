package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// Issue 16 rule 5 in the wizard: the name typed on Register is held by an
// app in deleted items. Register stops before any write and shows the app
// and both ways on; Enter again restores it and the wizard goes on
// configuring that app.
func TestWizardRegisterOffersTheDeletedApp(t *testing.T) {
	h := start(t, emulator.Options{}, 120, 40, steps.Desired{})
	const name = "Deleted Wizard App"
	_, appID, err := h.emu.SeedDeletedApplication(map[string]any{"displayName": name, "uniqueName": steps.UniqueName(name)},
		time.Now().Add(-48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	h.waitFor("┃ Resource application")
	h.press(tea.KeyEnter, "┃ Display name")
	h.typeText(name, "> "+name)
	h.press(tea.KeyEnter, "┃ Supported account types")
	h.press(tea.KeyEnter, "enter: retry")
	v := h.view()
	for _, want := range []string{appID, "to restore it", "purge it", "--purge"} {
		if !strings.Contains(v, want) {
			t.Errorf("screen lacks %q:\n%s", want, v)
		}
	}
	if n := len(apps(t, h.emu)); n != 0 {
		t.Fatalf("%d live apps after the stop", n)
	}
	// Enter now restores it: the preview shows that request, not the
	// create the name can no longer have.
	objectID := ""
	for _, d := range h.emu.DeletedItems() {
		if d["appId"] == appID {
			objectID, _ = d["id"].(string)
		}
	}
	h.waitFor("# Restore the application")
	h.waitFor("/directory/deletedItems/" + objectID)
	if v := h.view(); strings.Contains(v, "# Register the application") {
		t.Errorf("the preview still shows a new registration:\n%s", v)
	}
	h.press(tea.KeyEnter, "┃ Application ID URI") // restores it
	if v := h.view(); !strings.Contains(v, "restored from deleted items") {
		t.Errorf("the result line does not say the app was restored:\n%s", v)
	}
	h.restWithDefaults()
	h.finish()
	as := apps(t, h.emu)
	if len(as) != 1 || as[0].AppID != appID {
		t.Fatalf("apps: %+v", as)
	}
	checkConfigured(t, h.emu, as[0], "Data.Read", steps.ConsentUsers)
	if n := len(h.emu.DeletedItems()); n != 0 {
		t.Errorf("%d deleted items left", n)
	}
}
