package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// The final screen's u: the same preview as `pqentra undo`, a question,
// then the app is gone (to deleted items) and the summary says how to
// bring it back.
func TestWizardUndoOnTheLastScreen(t *testing.T) {
	h := start(t, emulator.Options{}, 120, 40, steps.Desired{})
	h.registerNew("Undo Me")
	h.restWithDefaults()
	h.waitFor("u undo this run")
	appID := apps(t, h.emu)[0].AppID
	before := len(h.emu.ServicePrincipals())

	// u shows the plan and asks; Keep sends nothing.
	h.rune('u', "Undo: delete this app and its service principal?")
	h.waitFor("DELETE /servicePrincipals/")
	h.seen("DELETE /applications/")
	h.press(tea.KeyEnter, "Nothing undone.") // the default answer is Keep
	if len(apps(t, h.emu)) != 1 || len(h.emu.DeletedItems()) != 0 {
		t.Fatal("Keep deleted something")
	}

	// u again, Undo: the app and its SP go to deleted items.
	h.rune('u', "Undo: delete this app and its service principal?")
	h.press(tea.KeyLeft, "")
	h.press(tea.KeyEnter, "pqentra restore --app-id "+appID)
	if len(apps(t, h.emu)) != 0 || len(h.emu.ServicePrincipals()) != before-1 || len(h.emu.DeletedItems()) != 2 {
		t.Errorf("after undo: %d apps, %d deleted items", len(apps(t, h.emu)), len(h.emu.DeletedItems()))
	}
	v := h.view()
	if strings.Contains(v, "Aad = [") || strings.Contains(v, "u undo this run") {
		t.Errorf("the snippet (or u) is still offered for a deleted app:\n%s", v)
	}
	fm := h.finish()
	res := fm.Result()
	if res.Snippet != "" || !strings.Contains(res.Summary, "pqentra restore --app-id "+appID) {
		t.Errorf("result after undo: %+v", res)
	}
}

// At 80×24 the question and the requests still fit: the preview pane sits
// below the form and scrolls.
func TestWizardUndoAt80x24(t *testing.T) {
	h := start(t, emulator.Options{}, 80, 24, steps.Desired{})
	h.registerNew("Small Undo")
	h.restWithDefaults()
	h.rune('u', "Undo: delete this app and its service principal?")
	h.waitFor("DELETE /servicePrincipals/")
	h.press(tea.KeyLeft, "")
	h.press(tea.KeyEnter, "pqentra restore --app-id")
	if len(apps(t, h.emu)) != 0 {
		t.Error("the app is still there")
	}
}
