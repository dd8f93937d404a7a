package tui

import (
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// Issue 8's defects, each as a user meets it.

// TestWizardSwitchApp: register an app, go back to Register, pick another
// (existing) app: nothing of the first app's answers carries over — the
// old wizard kept its URI and failed with `"api://<first>" is not allowed`.
func TestWizardSwitchApp(t *testing.T) {
	h := start(t, emulator.Options{}, 120, 40, steps.Desired{})
	_, otherID, err := h.emu.SeedApplication(map[string]any{"displayName": "Contoso Legacy API", "signInAudience": "AzureADMyOrg"})
	if err != nil {
		t.Fatal(err)
	}
	h.registerNew("First App")
	h.press(tea.KeyEnter, "┃ Scope name") // the first app's URI is set
	h.press(tea.KeyEsc, "┃ Application ID URI")
	h.press(tea.KeyEsc, "┃ Resource application")
	if v := h.view(); strings.Contains(v, "Application ID URI set") || strings.Contains(v, "Application registered") {
		t.Errorf("a result line of a later step stayed on screen after going back:\n%s", v)
	}
	h.press(tea.KeyDown, "")
	h.press(tea.KeyEnter, "┃ Find the application")
	h.typeText("legacy", "Contoso Legacy API") // a word in the middle of the name
	h.press(tea.KeyEnter, "("+otherID+")")     // the preview names the app picked
	h.press(tea.KeyEnter, "┃ Application ID URI")
	h.waitFor("> api://" + otherID)
	h.seen("✓ Using the existing application")
	if v := h.view(); strings.Contains(v, "not allowed") || strings.Contains(v, "registered") {
		t.Fatalf("after switching apps:\n%s", v)
	}
	h.restWithDefaults()
	fm := h.finish()
	if res := fm.Result(); !strings.Contains(res.Snippet, `"api://`+otherID+`"`) {
		t.Fatalf("snippet does not name the app switched to:\n%s", res.Snippet)
	}
	for _, a := range apps(t, h.emu) {
		if a.AppID == otherID {
			checkConfigured(t, h.emu, a, "Data.Read", steps.ConsentUsers)
		} else if a.DisplayName != "First App" || len(a.API.Scopes) != 0 {
			t.Errorf("the first app was changed after the switch: %+v", a)
		}
	}
}

// TestErrorOffersToEditTheAnswer: an error caused by another step's answer
// offers to edit that answer, and e goes there.
func TestErrorOffersToEditTheAnswer(t *testing.T) {
	mo := New(context.Background(), Options{Client: offlineClient(t), Snippet: snippetFor})
	mo.signedIn = true
	mo.flow.state = steps.State{Tenant: &steps.Tenant{ID: "6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13", VerifiedDomains: []string{"contoso.com"}},
		App: &steps.App{AppID: "00001111-aaaa-2222-bbbb-3333cccc4444", DisplayName: "B"}}
	mo.flow.desired.IdentifierURI = "https://api.fabrikam.com/connector" // not on a verified domain
	mo.goToStep(steps.StepRegister)
	// The engine's own refusal (an InputError naming the field), as the
	// Register step's plan meets it: the step at fault comes from the
	// field, not from the message's words.
	mo.fail(steps.CheckIdentifierURIPolicy(mo.flow.desired.IdentifierURI, mo.flow.appID(), mo.flow.state.Tenant))
	mo.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	if v := ansiRE.ReplaceAllString(mo.View(), ""); !strings.Contains(v, "e: edit the Application ID URI") {
		t.Fatalf("the error offers no way to the URI:\n%s", v)
	}
	mo.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'e'}})
	if mo.screen().step() != steps.StepIdentifierURI || mo.failed != nil {
		t.Fatalf("e went to %s (failed=%v)", mo.screen().step(), mo.failed)
	}
}

// TestPlainCtrlCStopsAtOnce: Ctrl-C (the context ending) stops a plain
// prompt at once — not after the next Enter — and sends nothing more.
func TestPlainCtrlCStopsAtOnce(t *testing.T) {
	emu, c, _ := newEmulator(t, emulator.Options{})
	in, _ := io.Pipe() // a user who types nothing
	errw := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Plain(ctx, Options{Client: c, Snippet: snippetFor}, in, io.Discard, errw)
		done <- err
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(errw.String(), "Number [Enter keeps 1]") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the plain wizard kept waiting for input after Ctrl-C")
	}
	if n := len(apps(t, emu)); n != 0 {
		t.Errorf("%d apps written", n)
	}
}

// TestEmptyURIMeansTheDefault: clearing the URI field previews and applies
// api://{appId} — the same value both times.
func TestEmptyURIMeansTheDefault(t *testing.T) {
	h := start(t, emulator.Options{}, 120, 40, steps.Desired{})
	h.registerNew("Empty URI")
	h.press(tea.KeyCtrlU, "")
	id := apps(t, h.emu)[0].AppID
	h.waitFor("api://" + id + " ") // in the preview, not the field
	if v := h.view(); !regexp.MustCompile(`┃ > +│`).MatchString(v) || !strings.Contains(v, "PATCH /applications/") {
		t.Fatalf("the field is not empty, or the preview shows no PATCH:\n%s", v)
	}
	h.restWithDefaults()
	h.finish()
	checkConfigured(t, h.emu, apps(t, h.emu)[0], "Data.Read", steps.ConsentUsers)
}

// TestNoColorShowsWhatColourShows: without colour the current step, the
// focused button and a placeholder are still told apart.
func TestNoColorShowsWhatColourShows(t *testing.T) {
	h := start(t, emulator.Options{}, 120, 40, steps.Desired{})
	h.waitFor("› Register")
	h.press(tea.KeyEnter, "e.g. Contoso Connector")
	h.typeText("No Colour", "> No Colour")
	h.press(tea.KeyEnter, "┃ Supported account types")
	h.press(tea.KeyEnter, "› App ID URI")
	h.press(tea.KeyEnter, "┃ Scope name")
	h.press(tea.KeyEnter, "")
	h.press(tea.KeyEnter, "┃ Edit the consent texts?")
	h.waitFor("[ Keep ]") // the focused button, in brackets
	if v := h.view(); !strings.Contains(v, "  Edit  ") {
		t.Errorf("the other button is not shown plain:\n%s", v)
	}
}
