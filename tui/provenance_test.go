package tui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// The wizard's app picker finds apps by name, so picking one that is not
// provably the user's (here: owned by someone else, with a secret) is
// refused on the Register step before anything is written, and the
// refusal names the app, its owner and the way on (issue 17).
func TestWizardPickerRefusesAnAppThatIsNotYours(t *testing.T) {
	h := start(t, emulator.Options{UserRoles: []string{"Application Administrator"}}, 120, 40, steps.Desired{})
	objectID, appID, err := h.emu.SeedApplication(map[string]any{"displayName": "Fabrikam Sales API", "signInAudience": "AzureADMyOrg",
		"passwordCredentials": []any{map[string]any{"displayName": "theirs", "keyId": "5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716"}}})
	if err != nil {
		t.Fatal(err)
	}
	h.emu.SetOwners(objectID, false, emulator.OtherUser{ID: "7c6b5a49-3827-4615-8a4b-3c2d1e0f9a8b", DisplayName: "Mallory", UPN: "mallory@contoso.com"})
	h.emu.ResetLog()
	h.waitFor("┃ Resource application")
	h.press(tea.KeyDown, "")
	h.press(tea.KeyEnter, "┃ Find the application")
	h.typeText("Fabrikam", "> Fabrikam Sales API")
	h.press(tea.KeyEnter, "┃ Application")
	h.press(tea.KeyEnter, "provably")
	h.seen("Mallory")
	h.seen(appID)
	h.seen("--app-id")
	if _, w := h.emu.Counts(); w != 0 {
		t.Fatalf("%d writes after the refusal", w)
	}
}
