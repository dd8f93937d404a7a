package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// Issue 21's defects, each as a user meets it, checked on the screen and
// on the directory the emulator holds.

const (
	i21ScopeID = "5d8c6c1e-2f4b-4d0a-9a51-6f2e8b7c3a10"
	i21Other   = "99999999-0000-4000-8000-000000000009"
)

// seedHealthy stores an app as someone set it up by hand: an Application
// ID URI, an enabled "Admins and users" scope Legacy.Read, Excel and
// another client preauthorized for it, and a service principal.
func (h *harness) seedHealthy(name, consent string, pre ...string) string {
	t, emu := h.t, h.emu
	t.Helper()
	var preauth []steps.PreAuthorizedApp
	for _, c := range pre {
		preauth = append(preauth, steps.PreAuthorizedApp{AppID: c, DelegatedPermissionIDs: []string{i21ScopeID}})
	}
	scope := map[string]any{"id": i21ScopeID, "value": "Legacy.Read", "type": consent, "isEnabled": true,
		"adminConsentDisplayName": "Read legacy data", "adminConsentDescription": "Allows the app to read legacy data as the signed-in user."}
	if consent == steps.ConsentUsers {
		scope["userConsentDisplayName"], scope["userConsentDescription"] = "Read your legacy data", "Allows the app to read your legacy data."
	}
	objectID, appID, err := emu.SeedApplication(map[string]any{"displayName": name, "signInAudience": "AzureADMyOrg",
		"identifierUris": []any{}, "api": map[string]any{"oauth2PermissionScopes": []any{scope}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(preauth) > 0 {
		// Graph takes a preauthorization only for a scope already stored:
		// a second write, as in the admin center.
		h.waitFor("┃ Resource application") // signed in
		if err := h.model.opts.Client.PatchApplication(context.Background(), objectID, steps.AppPatch{PreAuthorized: &preauth}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := emu.SeedServicePrincipal(appID, name); err != nil {
		t.Fatal(err)
	}
	return appID
}

// pickExisting picks the app named name on the Register screen.
func (h *harness) pickExisting(word, name string) {
	h.t.Helper()
	h.waitFor("┃ Resource application")
	h.press(tea.KeyDown, "")
	h.press(tea.KeyEnter, "┃ Find the application")
	h.typeText(word, name)
	h.press(tea.KeyEnter, "┃ Application")
	h.submit("┃ Application ID URI")
}

func appByID(t *testing.T, emu *emulator.Server, id string) app {
	t.Helper()
	for _, a := range apps(t, emu) {
		if a.AppID == id {
			return a
		}
	}
	t.Fatalf("no app %s", id)
	return app{}
}

// u takes back exactly what the run applied: on an app with Excel and
// another client preauthorized, where the run added the URI and Power BI,
// u removes those two and keeps Excel, the other client and the scope.
func TestWizardUndoTakesBackOnlyThisRun(t *testing.T) {
	h := start(t, emulator.Options{}, 140, 40, steps.Desired{})
	appID := h.seedHealthy("Hand Made API", steps.ConsentUsers, steps.ClientExcel.AppID, i21Other)
	h.pickExisting("Hand", "Hand Made API")
	h.submit("┃ Scope name")
	h.waitFor("> Legacy.Read") // the app's own scope, not a second one
	h.waitFor("Nothing to change")
	h.press(tea.KeyEnter, "┃ Who can consent")
	h.press(tea.KeyEnter, "┃ Edit the consent texts?")
	h.submit("┃ Client applications to preauthorize")
	h.press(tea.KeyEnter, "┃ Other client ID")
	h.submit("Paste this into your connector")
	a := appByID(t, h.emu, appID)
	if len(a.IdentifierURIs) != 1 || len(a.API.Pre) != 3 || len(a.API.Scopes) != 1 {
		t.Fatalf("after the run: %+v", a)
	}

	h.rune('u', "Undo: take back what this run changed on the app")
	h.waitFor("Remove the Application ID URI")
	if v := h.view(); strings.Contains(v, "DELETE") || strings.Contains(v, `"preAuthorizedApplications": []`) {
		t.Fatalf("the undo goes beyond the run:\n%s", v)
	}
	h.press(tea.KeyLeft, "")
	h.press(tea.KeyEnter, "Undone: took back")
	a = appByID(t, h.emu, appID)
	if len(a.IdentifierURIs) != 0 || len(a.API.Scopes) != 1 || !a.API.Scopes[0].IsEnabled {
		t.Errorf("after u: uris %v scopes %+v", a.IdentifierURIs, a.API.Scopes)
	}
	var kept []string
	for _, p := range a.API.Pre {
		kept = append(kept, p.AppID)
	}
	if len(kept) != 2 || kept[0] != steps.ClientExcel.AppID || kept[1] != i21Other {
		t.Errorf("after u the preauthorized clients are %v, want Excel and the other one", kept)
	}
	if n := len(h.emu.ServicePrincipals()); n == 0 {
		t.Error("u deleted the service principal the app had before the run")
	}
	if len(apps(t, h.emu)) != 1 {
		t.Error("u deleted the app")
	}
}

// An app an earlier run registered (found again by its name): u takes
// back what this run added to it, and never offers to delete it.
func TestWizardUndoOfAnEarlierRunsApp(t *testing.T) {
	h := start(t, emulator.Options{}, 140, 40, steps.Desired{})
	_, appID, err := h.emu.SeedApplication(map[string]any{"displayName": "Earlier Run", "signInAudience": "AzureADMyOrg",
		"uniqueName": steps.UniqueName("Earlier Run")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.emu.SeedServicePrincipal(appID, "Earlier Run"); err != nil {
		t.Fatal(err)
	}
	h.registerNew("Earlier Run")
	h.restWithDefaults()
	if n := len(apps(t, h.emu)); n != 1 {
		t.Fatalf("%d apps", n)
	}
	h.rune('u', "Undo: take back what this run changed on the app")
	h.waitFor("Remove the Application ID URI")
	if v := h.view(); strings.Contains(v, "DELETE /applications") || strings.Contains(v, "delete this app") {
		t.Fatalf("u offers to delete an app an earlier run registered:\n%s", v)
	}
	h.press(tea.KeyLeft, "")
	h.press(tea.KeyEnter, "Undone: took back")
	a := appByID(t, h.emu, appID)
	if len(a.IdentifierURIs) != 0 || len(a.API.Scopes) != 0 || len(a.API.Pre) != 0 {
		t.Errorf("after u: %+v", a)
	}
}

// The Scope step on an app with an admin-only scope offers to make that
// scope "Admins and users" in place, as doctor --fix does, instead of
// adding Data.Read beside it.
func TestWizardScopeStartsFromTheAppsAdminOnlyScope(t *testing.T) {
	h := start(t, emulator.Options{}, 140, 40, steps.Desired{})
	appID := h.seedHealthy("Admin Only API", steps.ConsentAdmins)
	h.pickExisting("Admin", "Admin Only API")
	h.submit("┃ Scope name")
	h.waitFor("> Legacy.Read")
	h.waitFor("Disable the scope Legacy.Read first")
	h.seen("this step makes it Admins and users")
	if v := h.view(); strings.Contains(v, "Add the scope") {
		t.Fatalf("the Scope step adds a second scope:\n%s", v)
	}
	h.press(tea.KeyEnter, "┃ Who can consent")
	h.press(tea.KeyEnter, "┃ Edit the consent texts?")
	h.submit("┃ Client applications to preauthorize")
	a := appByID(t, h.emu, appID)
	if len(a.API.Scopes) != 1 || a.API.Scopes[0].Type != steps.ConsentUsers || !a.API.Scopes[0].IsEnabled {
		t.Errorf("scopes after the step: %+v", a.API.Scopes)
	}
}

// The picker after Shift+Tab, Ctrl-U and a new search: the cursor is on a
// listed app, the preview names that app, and Enter picks it.
func TestWizardPickerAfterANewSearch(t *testing.T) {
	h := start(t, emulator.Options{}, 140, 40, steps.Desired{})
	for _, n := range []string{"Alpha One", "Alpha Two"} {
		if _, _, err := h.emu.SeedApplication(map[string]any{"displayName": n, "signInAudience": "AzureADMyOrg"}); err != nil {
			t.Fatal(err)
		}
	}
	_, zeta, err := h.emu.SeedApplication(map[string]any{"displayName": "Zeta Three", "signInAudience": "AzureADMyOrg"})
	if err != nil {
		t.Fatal(err)
	}
	h.waitFor("┃ Resource application")
	h.press(tea.KeyDown, "")
	h.press(tea.KeyEnter, "┃ Find the application")
	h.typeText("alpha", "Alpha Two")
	h.press(tea.KeyEnter, "┃ Application")
	h.press(tea.KeyDown, "> Alpha Two") // the second app listed
	h.press(tea.KeyShiftTab, "┃ Find the application")
	h.press(tea.KeyCtrlU, "")
	h.typeText("zeta", "Zeta Three")
	h.waitFor("(" + zeta + ")") // the preview names the app listed
	if v := h.view(); strings.Contains(v, "Alpha") {
		t.Errorf("an app no longer listed is still shown:\n%s", v)
	}
	h.press(tea.KeyEnter, "> Zeta Three") // the cursor is on it
	h.submit("┃ Application ID URI")
	h.seen(`App "Zeta Three"`)
}

// At 80 columns the key help wraps between bindings: no key, description
// or id is cut; at 100 columns the URI field shows the start of the URI.
func TestWizardNothingCutAt80And100Columns(t *testing.T) {
	h := start(t, emulator.Options{}, 80, 24, steps.Desired{})
	h.registerNew("Narrow Keys")
	v := h.view()
	if strings.Contains(v, "→") || !strings.Contains(v, "ctrl+c quit") || !strings.Contains(v, "esc previous step") {
		t.Errorf("the key help is cut at 80 columns:\n%s", v)
	}
	h.quit()

	h = start(t, emulator.Options{}, 100, 30, steps.Desired{})
	h.registerNew("Wider Field")
	id := apps(t, h.emu)[0].AppID
	v = h.waitFor2("> api://" + id)
	if strings.Contains(v, "→") {
		t.Errorf("something is cut at 100 columns (the request preview breaks long lines instead):\n%s", v)
	}
	h.quit()
}

// Status lines do not outlive what they were about: "Nothing undone." goes
// with the next action, and going back from the snippet does not leave
// "✓ Snippet" in the progress line.
func TestWizardNoStaleStatusLines(t *testing.T) {
	h := start(t, emulator.Options{}, 140, 40, steps.Desired{})
	h.registerNew("Stale Lines")
	h.restWithDefaults()
	h.rune('u', "Undo: delete this app and its service principal?")
	h.press(tea.KeyEsc, "Nothing undone.")
	h.rune('c', "Aad record:")
	if v := h.view(); strings.Contains(v, "Nothing undone.") {
		t.Errorf("a stale status line after the next action:\n%s", v)
	}
	h.press(tea.KeyEsc, "┃ Client applications to preauthorize")
	if v := h.view(); strings.Contains(v, "✓ Snippet") {
		t.Errorf("the progress line ticks the snippet after going back:\n%s", v)
	}
	h.quit()
}

// quit ends the wizard with Ctrl-C, from any screen.
func (h *harness) quit() {
	h.t.Helper()
	h.tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	h.tm.WaitFinished(h.t, teatest.WithFinalTimeout(10*time.Second))
}

// waitFor2 is waitFor returning the frame.
func (h *harness) waitFor2(text string) string {
	h.t.Helper()
	h.waitFor(text)
	return h.view()
}
