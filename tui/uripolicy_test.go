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

// The URI field says which forms Entra takes for the app's audience, as
// steps checks them: not only verified domains for a single-tenant app
// (api://{tenantId}/<name>, and other api:// URIs where the policy allows);
// a multitenant app only the default or a verified domain.
func TestURIFieldDescribesTheFormsForTheAudience(t *testing.T) {
	h := start(t, emulator.Options{}, 140, 40, steps.Desired{})
	h.registerNew("Forms Single")
	v := h.waitFor2("api://{tenantId}/<name>")
	if strings.Contains(v, "A custom URI must use one of the tenant's verified domains") {
		t.Errorf("the old, too narrow description:\n%s", v)
	}
	h.quit()

	h = start(t, emulator.Options{}, 140, 40, steps.Desired{})
	h.waitFor("┃ Resource application")
	h.press(tea.KeyEnter, "┃ Display name")
	h.typeText("Forms Multi", "> Forms Multi")
	h.press(tea.KeyEnter, "┃ Supported account types")
	h.press(tea.KeyDown, "")
	h.submit("┃ Application ID URI")
	v = h.waitFor2("app needs a URI on a verified domain.")
	if strings.Contains(v, "api://{tenantId}/<name>") {
		t.Errorf("a multitenant app is offered a form it cannot use:\n%s", v)
	}
	h.quit()
}
