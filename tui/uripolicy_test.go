package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// Issue 16 rule 6 in the wizard: when the tenant's app management policy
// could be read, the URI screen says which new URIs it allows, and a URI
// it refuses is refused on the field, before anything is sent.
func TestWizardURIScreenShowsThePolicy(t *testing.T) {
	h := start(t, emulator.Options{UserRoles: []string{"Global Reader"}}, 140, 40, steps.Desired{})
	h.registerNew("Policy Wizard App")
	h.waitFor("uriAdditionWithoutUniqueTenantIdentifier")
	v := h.view()
	if !strings.Contains(v, "app management policy: Your tenant allows") {
		t.Errorf("the URI screen does not name the allowed forms:\n%s", v)
	}
	// api://myapi has no unique tenant identifier: refused on the field.
	h.tm.Send(tea.KeyMsg{Type: tea.KeyCtrlU}) // clear the field
	h.typeText("api://myapi", "> api://myapi")
	h.press(tea.KeyEnter, "your tenant's app management policy allows a new")
	if n := len(apps(t, h.emu)); n != 1 || len(apps(t, h.emu)[0].IdentifierURIs) != 0 {
		t.Fatalf("apps %+v", apps(t, h.emu))
	}
}
