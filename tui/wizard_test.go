package tui

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/pqentra/pqentra/graph"
	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/graph/emulator/emulatortest"
	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/m"
)

// harness drives the real wizard model with teatest against a real graph
// client (MSAL + msgraph-sdk-go) talking to the emulator.
type harness struct {
	t     *testing.T
	emu   *emulator.Server
	tm    *teatest.TestModel
	model *Model
	clip  *syncBuffer
	out   bytes.Buffer // everything rendered so far
	// views are the frames waitFor looked at. The test moves on as soon as
	// the model shows the next screen, which can be before the renderer
	// (≈60 fps) writes that frame, so a status line may never reach out.
	views strings.Builder
	keys  int // keypresses sent (typing text not counted)
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func snippetFor(uri, name string) (string, error) {
	return m.Generate(m.SnippetOptions{Resource: uri, Shape: m.ShapeRecord, Name: name})
}

func newEmulator(t *testing.T, o emulator.Options) (*emulator.Server, *graph.Client, *Events) {
	t.Helper()
	emu := emulatortest.Start(t, o)
	ep, err := graph.ResolveEndpoints("public", emu.URL(), emu.URL())
	if err != nil {
		t.Fatal(err)
	}
	ev := NewEvents()
	c, err := graph.New(graph.Config{Endpoints: ep, ExtraRootsPEM: emu.CACertPEM(),
		OnDeviceCode: func(dc graph.DeviceCode) { ev.DeviceCode(DeviceCode(dc)) }, Notify: ev.Notify, LagTimeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return emu, c, ev
}

func start(t *testing.T, o emulator.Options, w, h int, d steps.Desired) *harness {
	t.Helper()
	return startWith(t, o, w, h, Options{Desired: d})
}

// startWith is start with more of the wizard's options (onboarding, the
// service's cloud); the client, events and clipboard are the harness's.
func startWith(t *testing.T, o emulator.Options, w, h int, opts Options) *harness {
	t.Helper()
	emu, c, ev := newEmulator(t, o)
	clip := &syncBuffer{}
	opts.Client, opts.Out, opts.Events = c, clip, ev
	if opts.Snippet == nil {
		opts.Snippet = snippetFor
	}
	if opts.WriteFile == nil {
		opts.WriteFile = func(string, string, bool) error { return nil }
	}
	mo := New(context.Background(), opts)
	tm := teatest.NewTestModel(t, probe{mo}, teatest.WithInitialTermSize(w, h))
	ev.Attach(tm.Send)
	t.Cleanup(func() { _ = tm.Quit() })
	return &harness{t: t, emu: emu, tm: tm, model: mo, clip: clip}
}

var ansiRE = regexp.MustCompile(`\x1b\[[0-9;?]*[a-zA-Z]|\x1b\][^\x07]*\x07`)

// probe wraps the model so the test can read the current frame through the
// program's own event loop (no data race with Update).
type probe struct{ *Model }

type viewRequest chan string

func (p probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if r, ok := msg.(viewRequest); ok {
		r <- p.View()
		return p, nil
	}
	_, cmd := p.Model.Update(msg)
	return p, cmd
}

func (h *harness) view() string {
	r := make(viewRequest, 1)
	h.tm.Send(r)
	select {
	case v := <-r:
		return ansiRE.ReplaceAllString(v, "")
	case <-time.After(2 * time.Second):
		return ""
	}
}

// waitFor waits until the current frame shows text.
func (h *harness) waitFor(text string) {
	h.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var v string
	for time.Now().Before(deadline) {
		if v = h.view(); strings.Contains(v, text) {
			h.views.WriteString(v)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	h.t.Fatalf("waiting for %q; the screen shows:\n%s", text, v)
}

// seen asserts text was on the screen at some point so far: rendered, or
// in a frame the test waited for.
func (h *harness) seen(text string) {
	h.t.Helper()
	if !strings.Contains(ansiRE.ReplaceAllString(h.out.String(), ""), text) && !strings.Contains(h.views.String(), text) {
		h.t.Errorf("never shown: %q", text)
	}
}

// submit presses Enter on a form's last field and waits for then. Where
// the requests were not all on the screen, Enter first shows them (the
// review), Enter reads on to their end, and only then does Enter send
// them (sendReviewed).
func (h *harness) submit(then string) {
	h.t.Helper()
	h.keys++
	h.tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		v := h.view()
		if strings.Contains(v, then) {
			h.views.WriteString(v)
			return
		}
		if strings.Contains(v, reviewMarker) {
			h.sendReviewed(then)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	h.waitFor(then)
}

// sendReviewed, on the review, presses Enter until the requests have all
// been on the screen and Enter sends them, then waits for then.
func (h *harness) sendReviewed(then string) {
	h.t.Helper()
	for range 20 {
		v := h.waitFor2(reviewMarker)
		h.views.WriteString(v)
		if strings.Contains(v, reviewSend) {
			h.press(tea.KeyEnter, then)
			return
		}
		h.press(tea.KeyEnter, "")
		h.waitChange(v)
	}
	h.t.Fatalf("Enter on the review never came to sending; the screen shows:\n%s", h.view())
}

// waitChange waits until the frame is no longer v.
func (h *harness) waitChange(v string) {
	h.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if h.view() != v {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	h.t.Fatalf("the screen did not change:\n%s", v)
}

// reviewMarker is on the screen while requests wait for Enter; reviewSend
// once they have all been on it and Enter sends them.
const (
	reviewMarker = "esc back to the answers"
	reviewSend   = "enter send • esc back to the answers"
)

func (h *harness) press(k tea.KeyType, then string) {
	h.t.Helper()
	h.keys++
	h.tm.Send(tea.KeyMsg{Type: k})
	if then != "" {
		h.waitFor(then)
	}
}

func (h *harness) rune(r rune, then string) {
	h.t.Helper()
	h.keys++
	h.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	if then != "" {
		h.waitFor(then)
	}
}

// typeText types into a field; not counted as keypresses.
func (h *harness) typeText(s string, then string) {
	h.t.Helper()
	h.tm.Type(s)
	if then != "" {
		h.waitFor(then)
	}
}

// toSnippetWithDefaults walks Register (new app named name) … Preauthorize
// taking every default.
func (h *harness) registerNew(name string) {
	h.t.Helper()
	h.waitFor("┃ Resource application")
	h.press(tea.KeyEnter, "┃ Display name")
	h.typeText(name, "> "+name)
	h.press(tea.KeyEnter, "┃ Supported account types")
	h.submit("┃ Application ID URI")
}

func (h *harness) restWithDefaults() {
	h.t.Helper()
	h.submit("┃ Scope name") // the URI step sends a request
	h.press(tea.KeyEnter, "┃ Who can consent")
	h.press(tea.KeyEnter, "┃ Edit the consent texts?")
	h.submit("┃ Client applications to preauthorize")
	h.press(tea.KeyEnter, "┃ Other client ID")
	h.submit("Paste this into your connector")
}

// app is the emulator's application, decoded.
type app struct {
	AppID          string   `json:"appId"`
	DisplayName    string   `json:"displayName"`
	IdentifierURIs []string `json:"identifierUris"`
	API            struct {
		Scopes []steps.Scope            `json:"oauth2PermissionScopes"`
		Pre    []steps.PreAuthorizedApp `json:"preAuthorizedApplications"`
	} `json:"api"`
}

func apps(t *testing.T, emu *emulator.Server) []app {
	t.Helper()
	b, err := json.Marshal(emu.Applications())
	if err != nil {
		t.Fatal(err)
	}
	var out []app
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkConfigured asserts the quickstart's end state for the app.
func checkConfigured(t *testing.T, emu *emulator.Server, a app, scope, typ string) {
	t.Helper()
	if len(a.IdentifierURIs) != 1 || a.IdentifierURIs[0] != "api://"+a.AppID {
		t.Errorf("identifierUris = %v, want [api://%s]", a.IdentifierURIs, a.AppID)
	}
	var sc *steps.Scope
	for i := range a.API.Scopes {
		if a.API.Scopes[i].Value == scope {
			sc = &a.API.Scopes[i]
		}
	}
	if sc == nil || !sc.IsEnabled || sc.Type != typ {
		t.Fatalf("scope %s (%s, enabled) missing: %+v", scope, typ, a.API.Scopes)
	}
	for _, c := range steps.DefaultClients() {
		ok := false
		for _, p := range a.API.Pre {
			if strings.EqualFold(p.AppID, c) && len(p.DelegatedPermissionIDs) == 1 && p.DelegatedPermissionIDs[0] == sc.ID {
				ok = true
			}
		}
		if !ok {
			t.Errorf("client %s not preauthorized for %s (%s): %+v", c, scope, sc.ID, a.API.Pre)
		}
	}
	sps, _ := json.Marshal(emu.ServicePrincipals())
	if !strings.Contains(string(sps), `"appId":"`+a.AppID+`"`) {
		t.Errorf("no service principal for %s", a.AppID)
	}
}

func (h *harness) finish() *Model {
	h.t.Helper()
	h.rune('q', "")
	fm := h.tm.FinalModel(h.t, teatest.WithFinalTimeout(10*time.Second)).(probe).Model
	out, _ := io.ReadAll(h.tm.FinalOutput(h.t))
	h.out.Write(out)
	return fm
}

func TestWizardHappyPathDefaults(t *testing.T) {
	h := start(t, emulator.Options{}, 120, 40, steps.Desired{})
	h.registerNew("Contoso Connector")
	h.restWithDefaults()
	h.rune('c', "Aad record: Sent to the terminal's clipboard (OSC 52)")
	keys := h.keys
	fm := h.finish()
	h.seen("Enter the code")
	h.seen("Adele Vance <adele@contoso.com>")
	h.seen("Application registered")
	h.seen("tenant 6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13")
	h.seen("PATCH ")

	if keys > 12 {
		t.Errorf("%d keypresses from start to the copied snippet; the issue allows 12", keys)
	}
	t.Logf("keypresses to the copied snippet with defaults: %d (plus typing the display name)", keys)
	res := fm.Result()
	if !res.Done || !strings.Contains(res.Snippet, "Aad = [") || !strings.Contains(res.Summary, "Application (client) ID") {
		t.Fatalf("result: %+v", res)
	}
	if want := base64.StdEncoding.EncodeToString([]byte(res.Snippet)); !strings.Contains(h.clip.String(), "\x1b]52;c;"+want+"\x07") {
		t.Errorf("clipboard output %q does not carry the snippet", h.clip.String())
	}
	as := apps(t, h.emu)
	if len(as) != 1 || as[0].DisplayName != "Contoso Connector" {
		t.Fatalf("apps: %+v", as)
	}
	if !strings.Contains(res.Snippet, `"api://`+as[0].AppID+`"`) {
		t.Errorf("snippet does not name api://%s:\n%s", as[0].AppID, res.Snippet)
	}
	checkConfigured(t, h.emu, as[0], "Data.Read", steps.ConsentUsers)
}

func TestWizardBackAndChangeScope(t *testing.T) {
	h := start(t, emulator.Options{}, 120, 40, steps.Desired{})
	h.registerNew("Back And Forth")
	h.press(tea.KeyEnter, "┃ Scope name")
	h.press(tea.KeyEnter, "┃ Who can consent")
	h.press(tea.KeyEnter, "┃ Edit the consent texts?")
	h.press(tea.KeyEnter, "┃ Client applications to preauthorize")
	h.press(tea.KeyEsc, "┃ Scope name") // back to the scope
	h.press(tea.KeyCtrlU, "")
	h.typeText("Data.ReadWrite", `"value": "Data.ReadWrite"`) // the preview follows the typing
	h.press(tea.KeyEnter, "┃ Who can consent")
	h.press(tea.KeyEnter, "┃ Edit the consent texts?")
	h.press(tea.KeyEnter, "for Data.ReadWrite") // the preauthorization now names the new scope
	h.press(tea.KeyEnter, "┃ Other client ID")
	h.press(tea.KeyEnter, "Paste this into your connector")
	h.finish()
	as := apps(t, h.emu)
	if len(as) != 1 {
		t.Fatalf("apps: %+v", as)
	}
	checkConfigured(t, h.emu, as[0], "Data.ReadWrite", steps.ConsentUsers)
}

func TestWizardExistingApp(t *testing.T) {
	h := start(t, emulator.Options{}, 120, 40, steps.Desired{})
	_, appID, err := h.emu.SeedApplication(map[string]any{"displayName": "Fabrikam Sales API", "signInAudience": "AzureADMyOrg"})
	if err != nil {
		t.Fatal(err)
	}
	h.waitFor("┃ Resource application")
	h.press(tea.KeyDown, "")
	h.press(tea.KeyEnter, "┃ Find the application")
	h.typeText("Fabrikam", "> Fabrikam Sales API") // the search lists it
	h.press(tea.KeyEnter, "┃ Application")
	h.press(tea.KeyEnter, "┃ Application ID URI")
	h.waitFor("What the doctor found on this app") // doctor.Diagnose on the picked app
	h.restWithDefaults()
	h.finish()
	h.seen(`App "Fabrikam Sales API"`)
	as := apps(t, h.emu)
	if len(as) != 1 || as[0].AppID != appID {
		t.Fatalf("a second app was made, or the seeded one lost: %+v", as)
	}
	checkConfigured(t, h.emu, as[0], "Data.Read", steps.ConsentUsers)
}

func TestWizardErrorShownAndRetried(t *testing.T) {
	h := start(t, emulator.Options{}, 120, 40, steps.Desired{})
	h.emu.FailNext(emulator.MatchWrite("PATCH", "/applications(uniqueName="), 403, "Authorization_RequestDenied",
		"Insufficient privileges to complete the operation.", 1)
	h.waitFor("┃ Resource application")
	h.press(tea.KeyEnter, "┃ Display name")
	h.typeText("Denied Once", "> Denied Once")
	h.press(tea.KeyEnter, "┃ Supported account types")
	h.press(tea.KeyEnter, "enter: retry")
	v := h.view()
	for _, want := range []string{"Authorization_RequestDenied", "Fix:", "Application Developer"} {
		if !strings.Contains(v, want) {
			t.Errorf("error screen lacks %q:\n%s", want, v)
		}
	}
	if len(apps(t, h.emu)) != 0 {
		t.Fatal("the failed create stored an app")
	}
	h.press(tea.KeyEnter, "┃ Application ID URI") // retry succeeds
	h.restWithDefaults()
	h.finish()
	as := apps(t, h.emu)
	if len(as) != 1 {
		t.Fatalf("apps: %+v", as)
	}
	checkConfigured(t, h.emu, as[0], "Data.Read", steps.ConsentUsers)
}

// redrawnAt: no line of the frame is wider than w.
func redrawnAt(v string, w int) bool {
	for _, l := range strings.Split(v, "\n") {
		if lipgloss.Width(l) > w {
			return false
		}
	}
	return true
}

func TestWizardResizeTo60Columns(t *testing.T) {
	h := start(t, emulator.Options{}, 120, 40, steps.Desired{})
	h.registerNew("Narrow Screen")
	h.tm.Send(tea.WindowSizeMsg{Width: 60, Height: 24})
	// Redrawn at 60 columns: the preview under the form, or (the URI
	// step's guidance takes four rows there) a line saying it needs a
	// taller window.
	deadline := time.Now().Add(15 * time.Second)
	for v := h.view(); !redrawnAt(v, 60) || !strings.Contains(v, "Request preview") && !strings.Contains(v, "(The request preview needs a taller window.)"); v = h.view() {
		if time.Now().After(deadline) {
			t.Fatalf("not redrawn at 60 columns:\n%s", v)
		}
		time.Sleep(10 * time.Millisecond)
	}
	h.restWithDefaults()
	fm := h.finish()
	if fm.width != 60 || fm.wide() {
		t.Fatalf("width %d wide=%v", fm.width, fm.wide())
	}
	view := ansiRE.ReplaceAllString(fm.View(), "")
	for _, l := range strings.Split(view, "\n") {
		if w := lipgloss.Width(l); w > 60 {
			t.Errorf("line wider than 60 columns (%d): %q", w, l)
		}
	}
	if n := strings.Count(view, "\n") + 1; n > 24 {
		t.Errorf("frame is %d lines, the window 24", n)
	}
}

// TestCtrlCMidApplyAsks: Ctrl-C while a write is out asks first; n goes on,
// y cancels the calls and quits.
func TestCtrlCMidApplyAsks(t *testing.T) {
	mo := New(context.Background(), Options{Client: offlineClient(t), Snippet: snippetFor})
	mo.applying, mo.busy = true, "Saving the scope…"
	if _, cmd := mo.Update(tea.KeyMsg{Type: tea.KeyCtrlC}); cmd != nil || !mo.confirmQuit {
		t.Fatal("Ctrl-C mid-apply did not ask")
	}
	if !strings.Contains(mo.View(), "Quit anyway? (y/N)") {
		t.Fatalf("no question:\n%s", mo.View())
	}
	mo.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'n'}})
	if mo.confirmQuit || mo.ctx.Err() != nil {
		t.Fatal("n did not go on")
	}
	mo.Update(tea.KeyMsg{Type: tea.KeyCtrlC})
	_, cmd := mo.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'y'}})
	if cmd == nil || mo.ctx.Err() == nil || !mo.Result().Canceled {
		t.Fatal("y did not cancel and quit")
	}
}
