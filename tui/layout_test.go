package tui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

const demoTenant = "6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13"

// fits asserts the frame fits the window and shows the pinned header.
func fits(t *testing.T, v string, w, hgt int, where string) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) > hgt {
		t.Errorf("%s at %d×%d: %d lines", where, w, hgt, len(lines))
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > w {
			t.Errorf("%s at %d×%d: line wider than the window: %q", where, w, hgt, l)
		}
	}
	if !strings.HasPrefix(v, "pqentra · Microsoft Entra") {
		t.Errorf("%s at %d×%d: the title scrolled away:\n%s", where, w, hgt, v)
	}
	if !strings.Contains(v, "adele@contoso.com") || !strings.Contains(v, "tenant "+demoTenant) {
		t.Errorf("%s at %d×%d: the who-and-where line is not on screen (or its tenant id is split):\n%s", where, w, hgt, v)
	}
}

// TestLayoutPinsTheHeader: on every step at 80×24, 100×30 and 140×40 the
// frame fits the window, with title, steps and who-and-where on screen,
// however tall the preview.
func TestLayoutPinsTheHeader(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {140, 40}} {
		w, hg := sz[0], sz[1]
		h := start(t, emulator.Options{}, w, hg, steps.Desired{})
		h.waitFor("┃ Resource application")
		fits(t, h.view(), w, hg, "Register")
		h.press(tea.KeyEnter, "┃ Display name")
		h.typeText("Layout Check", "> Layout Check")
		for _, next := range []string{"┃ Supported account types", "┃ Application ID URI", "┃ Scope name", "┃ Who can consent",
			"┃ Edit the consent texts?", "┃ Client applications to preauthorize", "┃ Other client ID", "Paste this into"} {
			h.submit(next)
			fits(t, h.view(), w, hg, next)
		}
		h.finish()
	}
}

// TestPreviewScrollsOnItsOwn: a preview taller than its pane says so and
// scrolls with PgDn/PgUp; one that fits says nothing.
func TestPreviewScrollsOnItsOwn(t *testing.T) {
	h := start(t, emulator.Options{}, 100, 30, steps.Desired{})
	h.registerNew("Scroll Check")
	h.press(tea.KeyEnter, "┃ Scope name")
	h.waitFor("↓ more below")
	h.press(tea.KeyPgDown, "more above")
	h.press(tea.KeyPgUp, "↓ more below")
	h.tm.Send(tea.WindowSizeMsg{Width: 140, Height: 60})
	h.waitFor(`"preAuthorizedApplications": []`)
	if v := h.view(); strings.Contains(v, "more below") || strings.Contains(v, "more above") {
		t.Errorf("the whole preview fits, yet the pane says more:\n%s", v)
	}
}

func TestTooSmallSaysSo(t *testing.T) {
	mo := New(context.Background(), Options{Client: offlineClient(t), Snippet: snippetFor})
	mo.Update(tea.WindowSizeMsg{Width: 59, Height: 30})
	if v := mo.View(); !strings.Contains(v, "enlarge the window to at least 60×16") {
		t.Fatalf("at 59×30: %q", v)
	}
	mo.Update(tea.WindowSizeMsg{Width: 80, Height: 15})
	if v := mo.View(); !strings.Contains(v, "enlarge the window to at least 60×16") {
		t.Fatalf("at 80×15: %q", v)
	}
	mo.Update(tea.WindowSizeMsg{Width: 60, Height: 16})
	if v := mo.View(); strings.Contains(v, "enlarge") {
		t.Fatalf("at 60×16: %q", v)
	}
}

// snippetModel is the wizard on its last screen for app.
func snippetModel(t *testing.T, w, h int, app steps.App, env map[string]string) *Model {
	t.Helper()
	mo := New(context.Background(), Options{Client: offlineClient(t), Snippet: snippetFor, Getenv: func(k string) string { return env[k] }})
	mo.signedIn = true
	mo.flow.state = steps.State{Tenant: &steps.Tenant{ID: demoTenant, DisplayName: "Contoso (demo)"},
		User: &steps.User{DisplayName: "Adele Vance", UserPrincipalName: "adele@contoso.com"}, App: &app}
	mo.flow.done[steps.StepRegister] = true
	mo.Update(tea.WindowSizeMsg{Width: w, Height: h})
	mo.goToStep(steps.StepSnippet)
	mo.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return mo
}

// TestWrapKeepsTokensWhole: GUIDs, URLs and M lines are never split across
// lines; the snippet is cut at the edge with a marker instead of wrapped.
func TestWrapKeepsTokensWhole(t *testing.T) {
	id := "2dbceeb9-4f7a-4e48-a9aa-77c971c099ae"
	mo := snippetModel(t, 80, 24, steps.App{AppID: id, DisplayName: "Contoso Connector"}, nil)
	v := ansiRE.ReplaceAllString(mo.View(), "")
	fits(t, v, 80, 24, "Snippet")
	if !strings.Contains(v, "Application (client) ID "+id) && !strings.Contains(v, "Application (client) ID\n"+id) {
		t.Errorf("the app id is split:\n%s", v)
	}
	if !regexp.MustCompile(`(?m)^    AuthorizationUri = "https://login\.microsoftonline\.com/common/oauth2/autho.*→$`).MatchString(v) {
		t.Errorf("the long M line is not cut with a marker:\n%s", v)
	}
	if strings.Contains(v, "\nrize\",") || strings.Contains(v, "\n\"https://") {
		t.Errorf("an M line was wrapped:\n%s", v)
	}
	// A GUID is whole on one line wherever a line can hold it; a word
	// wider than any line (only a long URL, in practice) is broken at the
	// edge, never cut: no character of it is lost.
	const guid = "00001111-aaaa-2222-bbbb-3333cccc4444"
	for w := 36; w <= 50; w++ {
		if got := wrap("see a "+guid+" b", w); !regexp.MustCompile(`(?m)^(.* )?` + guid + `( .*)?$`).MatchString(got) {
			t.Errorf("wrap split a GUID at %d: %q", w, got)
		}
	}
	if got := wrap("a "+guid+" b", 12); strings.Contains(got, "→") || !strings.Contains(strings.ReplaceAll(got, "\n", ""), guid) {
		t.Errorf("wrap cut a word wider than the line: %q", got)
	}
}

// TestEntraLinkIsAHyperlink: OSC 8 where the terminal shows it, the plain
// URL elsewhere (tmux).
func TestEntraLinkIsAHyperlink(t *testing.T) {
	app := steps.App{AppID: "2dbceeb9-4f7a-4e48-a9aa-77c971c099ae", DisplayName: "Contoso Connector"}
	link := "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/" + app.AppID
	mo := snippetModel(t, 100, 30, app, map[string]string{"TERM_PROGRAM": "WezTerm"})
	if v := mo.View(); !strings.Contains(v, "\x1b]8;;"+link+"\x07Open your app in the Entra admin center\x1b]8;;\x07") {
		t.Errorf("no OSC 8 link:\n%q", v)
	}
	mo = snippetModel(t, 140, 30, app, map[string]string{"TERM_PROGRAM": "WezTerm", "TMUX": "/tmp/tmux-0/default,1,0"})
	if v := mo.View(); strings.Contains(v, "\x1b]8;") || !strings.Contains(v, link) {
		t.Errorf("in tmux the link should be plain:\n%q", v)
	}
}

// TestHugeAppNameIsShortened (issue 10 F7): a 100,000-character name is cut
// with … and the header keeps to the window.
func TestHugeAppNameIsShortened(t *testing.T) {
	for _, name := range []string{strings.Repeat("A", 100000), strings.Repeat("Word ", 20000)} {
		mo := snippetModel(t, 80, 24, steps.App{AppID: "2dbceeb9-4f7a-4e48-a9aa-77c971c099ae", DisplayName: name}, nil)
		v := ansiRE.ReplaceAllString(mo.View(), "")
		fits(t, v, 80, 24, "huge name")
		if !strings.Contains(v, "…") {
			t.Errorf("the name is not shortened with …:\n%s", v)
		}
	}
}

// TestIdleViewPlansNothing: drawing does not plan; only a changed answer does.
func TestIdleViewPlansNothing(t *testing.T) {
	h := start(t, emulator.Options{}, 100, 30, steps.Desired{})
	h.registerNew("Idle Check")
	h.press(tea.KeyEnter, "┃ Scope name")
	before := h.model.flow.plans.Load()
	for range 50 {
		h.view()
	}
	if n := h.model.flow.plans.Load() - before; n != 0 {
		t.Errorf("%d plans made while drawing an idle screen", n)
	}
	h.typeText("X", `"value": "Data.ReadX"`)
	if h.model.flow.plans.Load() == before {
		t.Error("typing did not re-plan the preview")
	}
}

// BenchmarkIdleFrame is what an idle wizard does per frame (a cursor blink:
// one Update and one View) on the Scope screen at 100×30.
func BenchmarkIdleFrame(b *testing.B) {
	mo := New(context.Background(), Options{Client: offlineClient(b), Snippet: snippetFor})
	mo.signedIn = true
	mo.flow.state = steps.State{Tenant: &steps.Tenant{ID: demoTenant, DisplayName: "Contoso (demo)"},
		User: &steps.User{UserPrincipalName: "adele@contoso.com"}, App: &steps.App{AppID: "2dbceeb9-4f7a-4e48-a9aa-77c971c099ae", DisplayName: "Contoso"}}
	mo.flow.done[steps.StepRegister] = true
	mo.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	mo.goToStep(steps.StepScope)
	b.ResetTimer()
	for range b.N {
		mo.Update(struct{}{})
		_ = mo.View()
	}
}

// TestPlainShowsDefaultsAndWritesAFile: the plain wizard says what Enter
// keeps, puts titles before descriptions, numbers the steps from the list,
// and can write the snippet to a file (refusing a folder).
func TestPlainShowsDefaultsAndWritesAFile(t *testing.T) {
	_, c, _ := newEmulator(t, emulator.Options{})
	dir := t.TempDir()
	file := filepath.Join(dir, "out.aad.pq")
	answers := strings.Join([]string{"", "Plain File", "", "", "", "", "", "", "", "", "", "", "",
		"y", dir, file}, "\n") + "\n"
	var out bytes.Buffer
	errw := &syncBuffer{}
	res, err := Plain(context.Background(), Options{Client: c, Snippet: snippetFor}, strings.NewReader(answers), &out, errw)
	if err != nil {
		t.Fatalf("%v\n%s", err, errw.String())
	}
	p := errw.String()
	for _, want := range []string{"Step 4 of 6: Scope", "Scope name\n  The quickstart uses Data.Read.\n[Enter keeps Data.Read] > ",
		"Display name\n  What users see when they consent", "(e.g. Contoso Connector) > ", "is a folder: name a file in it", "Wrote " + file} {
		if !strings.Contains(p, want) {
			t.Errorf("prompts lack %q:\n%s", want, p)
		}
	}
	if b, err := os.ReadFile(file); err != nil || strings.TrimSpace(string(b)) != strings.TrimSpace(res.Snippet) {
		t.Errorf("file: %v %q", err, b)
	}
}

// An id on screen is whole or visibly shortened (…), never cut at a
// column: the app picker's example id at 100 columns, where the form
// column is 47 wide, was cut mid-GUID.
func TestPickerShowsNoCutID(t *testing.T) {
	h := start(t, emulator.Options{}, 100, 30, steps.Desired{})
	h.waitFor("┃ Resource application")
	h.press(tea.KeyDown, "")
	h.press(tea.KeyEnter, "┃ Find the application")
	for _, m := range cutIDRE.FindAllString(h.view(), -1) {
		t.Errorf("an id cut at the edge: %q\n%s", m, h.view())
	}
}

// cutIDRE finds the start of a GUID that ends before it is whole, without
// an ellipsis.
var cutIDRE = regexp.MustCompile(`\b[0-9a-f]{8}-[0-9a-f-]{0,25}[0-9a-f](\s|$)`)
