package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pqentra/pqentra/steps/m"
)

// The wizard (pqentra --demo) in a real terminal.

// demoLegacyAppID is the demo tenant's half-configured "Contoso Legacy
// API" (cmd/demo.go).
const demoLegacyAppID = "8a4d6f2e-1c3b-4e5a-9d7f-0b2c4e6a8d10"

// startDemo runs `pqentra --demo` at w×h with a demo tenant of its own,
// with tmux's set-clipboard on (so the wizard's OSC 52 copy lands in tmux's
// paste buffer), and env.
func startDemo(t *testing.T, tm *tmuxServer, w, h int, env ...string) *pane {
	t.Helper()
	home := t.TempDir()
	env = append([]string{"XDG_CACHE_HOME=" + home, "HOME=" + home, "XDG_STATE_HOME=" + t.TempDir()}, env...)
	return tm.startBinary(w, h, "on", env, "--demo")
}

// defaultSteps are the fields the default path walks with Enter, from the
// display name on, ending on the snippet.
var defaultSteps = []string{"┃ Supported account types", "┃ Application ID URI", "┃ Scope name",
	"┃ Who can consent", "┃ Edit the consent texts?", "┃ Client applications to preauthorize",
	"┃ Other client ID", "Paste this into"}

// TestE2EWizardInTmux runs the built binary in a real terminal (tmux, with
// set-clipboard on), walks the --demo wizard to the snippet with the
// defaults, presses c, and checks that tmux's paste buffer holds exactly the
// snippet: the OSC 52 path a user over SSH relies on.
func TestE2EWizardInTmux(t *testing.T) {
	t.Parallel()
	p := startDemo(t, newTmux(t), 120, 40)
	shots := screenShots{}
	shots.take(p, "1-sign-in", p.waitFor("Enter the code")) // the demo approves the code by itself
	p.waitFor("┃ Resource application")
	p.keys("Enter")
	p.waitFor("┃ Display name")
	p.keys("-l", "Contoso Connector")
	p.waitFor("> Contoso Connector")
	for _, next := range defaultSteps {
		p.keys("Enter")
		shot := p.waitFor(next)
		switch next {
		case "┃ Supported account types":
			shots.take(p, "2-register", shot)
		case "┃ Application ID URI":
			shots.take(p, "3-app-id-uri", shot)
		case "┃ Scope name":
			shots.take(p, "4-scope", shot)
		case "┃ Client applications to preauthorize":
			shots.take(p, "5-preauthorize", shot)
		}
	}
	s := p.screen()
	id := regexp.MustCompile(`Application \(client\) ID ([0-9a-f-]{36})`).FindStringSubmatch(s)
	if id == nil {
		t.Fatalf("no whole Application (client) ID on the screen:\n%s", s)
	}
	want, err := m.Generate(m.SnippetOptions{Resource: "api://" + id[1], LoginHost: m.DefaultLoginHost, Shape: m.ShapeRecord, Name: "Contoso Connector"})
	if err != nil {
		t.Fatal(err)
	}
	p.keys("c")
	shots.take(p, "6-snippet", p.waitFor("Aad record: Sent to the terminal's clipboard through tmux (OSC 52)"))
	shots.write(t)
	var got string
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if got, err = p.pasteBuffer(); err == nil && got == want {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got != want {
		t.Fatalf("tmux paste buffer:\n%q\nwant the snippet:\n%q", got, want)
	}
	p.keys("q")
	p.waitFor("Application (client) ID: " + id[1]) // the summary stays in the scroll-back
}

// TestE2EHeaderOnEveryStep: at 80×24, 100×30 and 140×40 the title and the
// who-and-where line (with the whole tenant id) are on screen on every step.
func TestE2EHeaderOnEveryStep(t *testing.T) {
	t.Parallel()
	tm := newTmux(t)
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {140, 40}} {
		p := startDemo(t, tm, sz[0], sz[1], quickDemo)
		check := func(where, s string) {
			t.Helper()
			if !strings.HasPrefix(s, "pqentra · Microsoft Entra") || !strings.Contains(s, "adele@contoso.com") ||
				!strings.Contains(s, "tenant 6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13") {
				t.Errorf("%d×%d %s: the header is not on screen:\n%s", sz[0], sz[1], where, s)
			}
		}
		check("Register", p.waitFor("┃ Resource application"))
		p.keys("Enter")
		p.waitFor("┃ Display name")
		p.keys("-l", "Header Check")
		p.waitFor("> Header Check")
		for _, next := range defaultSteps {
			check(next, p.enterTo(next, func(s string) { check("the review before "+next, s) }))
		}
		p.keys("q")
	}
}

// TestE2ESwitchApp: register an app, go back, pick the demo's existing
// "Contoso Legacy API" by a word of its name, and finish with that app.
func TestE2ESwitchApp(t *testing.T) {
	t.Parallel()
	p := startDemo(t, newTmux(t), 120, 40, quickDemo)
	p.waitFor("┃ Resource application")
	p.keys("Enter")
	p.waitFor("┃ Display name")
	p.keys("-l", "First App")
	p.waitFor("> First App")
	p.keys("Enter")
	p.waitFor("┃ Supported account types")
	p.keys("Enter")
	p.waitFor("┃ Application ID URI")
	p.keys("Enter")
	p.waitFor("┃ Scope name")
	p.keys("Escape")
	p.waitFor("┃ Application ID URI")
	p.keys("Escape")
	p.waitFor("┃ Resource application")
	p.keys("Down", "Enter")
	p.waitFor("┃ Find the application")
	p.keys("-l", "legacy")
	p.waitFor("Contoso Legacy API")
	p.keys("Enter")
	p.waitFor(demoLegacyAppID) // the preview names the app picked
	p.keys("Enter")
	s := p.waitFor("✓ Using the existing application")
	if !strings.Contains(s, "> api://6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13/legacy") || strings.Contains(s, "not allowed") {
		t.Fatalf("after the switch the URI step does not start from the picked app's URI:\n%s", s)
	}
	for _, next := range defaultSteps[2:] {
		p.keys("Enter")
		p.waitFor(next)
	}
	s = p.screen()
	if !strings.Contains(s, `Resource = "api://6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13/legacy"`) {
		t.Fatalf("the snippet is not for the app switched to:\n%s", s)
	}
	p.keys("q")
}

// screenShots are the wizard's screens as this run of the real program
// showed them: the text, and with PQENTRA_WRITE_SCREENS=1 also the screen
// with its colours (tmux's escape sequences), which scripts/screens turns
// into the pictures in docs/screens.
type screenShots map[string][2]string

func (s screenShots) take(p *pane, name, text string) {
	var ansi string
	if os.Getenv("PQENTRA_WRITE_SCREENS") == "1" {
		ansi = p.capture("-e")
	}
	s[name] = [2]string{text, ansi}
}

// write refreshes docs/screens/*.txt and *.ansi (the README's pictures and
// captures) when PQENTRA_WRITE_SCREENS=1.
func (s screenShots) write(t *testing.T) {
	if os.Getenv("PQENTRA_WRITE_SCREENS") != "1" {
		return
	}
	for name, shot := range s {
		for i, ext := range []string{".txt", ".ansi"} {
			var lines []string
			for _, l := range strings.Split(shot[i], "\n") {
				lines = append(lines, strings.TrimRight(l, " "))
			}
			text := strings.TrimRight(strings.Join(lines, "\n"), "\n") + "\n"
			if err := os.WriteFile(filepath.Join("..", "docs", "screens", name+ext), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
