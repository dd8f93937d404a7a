package tui

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// Issue 17: an app found by name is yours when you are one of its owners,
// even with other owners or credentials — but the wizard says so on the
// Register step before it writes anything, naming them.

var cautionMallory = emulator.OtherUser{ID: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", DisplayName: "Mallory", UPN: "mallory@contoso.com"}

// seedCoOwned stores an app owned by the signed-in user and Mallory, with
// Mallory's client secret; pqentra's uniqueName for name when ours.
func seedCoOwned(t *testing.T, emu *emulator.Server, name string, ours bool) string {
	t.Helper()
	app := map[string]any{"displayName": name, "signInAudience": "AzureADMyOrg",
		"passwordCredentials": []any{map[string]any{"displayName": "theirs", "keyId": "5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716"}}}
	if ours {
		app["uniqueName"] = steps.UniqueName(name)
	}
	objectID, appID, err := emu.SeedApplication(app)
	if err != nil {
		t.Fatal(err)
	}
	if !emu.SetOwners(objectID, true, cautionMallory) {
		t.Fatal("SetOwners")
	}
	return appID
}

// checkCaution asserts the screen (its form column) names the extras and
// what to check.
func checkCaution(t *testing.T, v string) {
	t.Helper()
	var left []string
	for _, l := range strings.Split(v, "\n") {
		l, _, _ = strings.Cut(l, "│") // the preview pane beside it
		left = append(left, l)
	}
	flat := strings.Join(strings.Fields(strings.Join(left, "\n")), " ")
	for _, want := range []string{"found by its name, is yours", "Mallory (mallory@contoso.com)", `client secret "theirs"`,
		"someone else can use this app"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the caution lacks %q:\n%s", want, v)
		}
	}
}

func TestWizardRegisterSaysWhatANamedAppCarries(t *testing.T) {
	h := start(t, emulator.Options{}, 120, 40, steps.Desired{})
	appID := seedCoOwned(t, h.emu, "Shared Connector", true)
	h.waitFor("┃ Resource application")
	h.press(tea.KeyEnter, "┃ Display name")
	h.typeText("Shared Connector", "> Shared Connector")
	h.press(tea.KeyEnter, "┃ Supported account types")
	before := h.writes()
	h.press(tea.KeyEnter, "someone else can use")
	checkCaution(t, h.view())
	h.waitFor("Nothing was sent. enter: go on with this app")
	if n := h.writes() - before; n != 0 {
		t.Fatalf("%d writes before the caution was answered", n)
	}

	// e: back to the answers, where the note stays; Enter then goes on.
	h.rune('e', "┃ Resource application")
	if v := strings.Join(strings.Fields(h.view()), " "); !strings.Contains(v, "Warning: The application \"Shared Connector\"") {
		t.Errorf("the Register screen lost the note:\n%s", h.view())
	}
	h.press(tea.KeyEnter, "┃ Display name")
	h.press(tea.KeyEnter, "┃ Supported account types")
	h.submit("┃ Application ID URI")
	h.waitFor("Application (client) ID " + appID)
	if as := apps(t, h.emu); len(as) != 1 || as[0].AppID != appID {
		t.Fatalf("another app was made: %+v", as)
	}
	h.quit()
}

func TestWizardPickerSaysWhatAPickedAppCarries(t *testing.T) {
	h := start(t, emulator.Options{}, 120, 40, steps.Desired{})
	appID := seedCoOwned(t, h.emu, "Fabrikam Sales API", false)
	h.waitFor("┃ Resource application")
	h.press(tea.KeyDown, "")
	h.press(tea.KeyEnter, "┃ Find the application")
	h.typeText("Fabrikam", "> Fabrikam Sales API")
	h.press(tea.KeyEnter, "┃ Application")
	before := h.writes()
	h.press(tea.KeyEnter, "someone else can use")
	checkCaution(t, h.view())
	if n := h.writes() - before; n != 0 {
		t.Fatalf("%d writes before the caution was answered", n)
	}
	h.press(tea.KeyEnter, "┃ Application ID URI") // enter: go on with this app
	h.seen(appID)
	h.quit()
}

// An app that is yours alone, with nothing pqentra never sets, is taken
// without a word.
func TestWizardNamedAppWithoutExtrasGoesOn(t *testing.T) {
	h := start(t, emulator.Options{}, 120, 40, steps.Desired{})
	if _, _, err := h.emu.SeedApplication(map[string]any{"displayName": "Mine Connector", "signInAudience": "AzureADMyOrg",
		"uniqueName": steps.UniqueName("Mine Connector")}); err != nil {
		t.Fatal(err)
	}
	h.registerNew("Mine Connector")
	if strings.Contains(h.views.String(), "someone else can use") {
		t.Errorf("a caution for an app with nothing to say:\n%s", h.views.String())
	}
	h.quit()
}

// The plain wizard says it before it asks to send.
func TestPlainSaysWhatANamedAppCarries(t *testing.T) {
	emu, c, _ := newEmulator(t, emulator.Options{})
	seedCoOwned(t, emu, "Shared Connector", true)
	answers := strings.Join([]string{
		"",                 // Register a new application (default)
		"Shared Connector", // display name
		"",                 // this organization only
		"n",                // send? stop
	}, "\n") + "\n"
	var out, errw bytes.Buffer
	_, err := Plain(context.Background(), Options{Client: c, Snippet: snippetFor}, strings.NewReader(answers), &out, &errw)
	if !errors.Is(err, errStopped) {
		t.Fatalf("err = %v, want errStopped\n%s", err, errw.String())
	}
	said := errw.String()
	w, q := strings.Index(said, "Warning: The application \"Shared Connector\""), strings.Index(said, "Send these requests?")
	if w < 0 || q < 0 || w > q {
		t.Errorf("the warning is not said before the question:\n%s", said)
	}
	checkCaution(t, said)
	if _, writes := emu.Counts(); writes != 0 {
		t.Errorf("%d writes after stop", writes)
	}
}
