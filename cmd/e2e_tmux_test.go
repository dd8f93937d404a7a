package cmd

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pqentra/pqentra/steps/m"
)

// TestE2EWizardInTmux runs the built binary in a real terminal (tmux, with
// set-clipboard on), walks the --demo wizard to the snippet with the
// defaults, presses c, and checks that tmux's paste buffer holds exactly the
// snippet: the OSC 52 path a user over SSH relies on.
func TestE2EWizardInTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is required in CI (.ci/run installs it)")
		}
		t.Skip("tmux not installed")
	}
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "pqentra")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	sock := fmt.Sprintf("pqentra-test-%d", os.Getpid())
	tmux := func(args ...string) (string, error) {
		out, err := exec.Command("tmux", append([]string{"-L", sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
		return string(out), err
	}
	t.Cleanup(func() { _, _ = tmux("kill-server") })
	if out, err := tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", "pq",
		"env", "XDG_CACHE_HOME="+dir, "HOME="+dir, "XDG_STATE_HOME="+t.TempDir(), bin, "--demo"); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	for _, opt := range [][]string{{"set-clipboard", "on"}, {"remain-on-exit", "on"}} {
		if out, err := tmux(append([]string{"set-option", "-g"}, opt...)...); err != nil {
			t.Fatalf("set-option %v: %v\n%s", opt, err, out)
		}
	}
	screen := func() string { s, _ := tmux("capture-pane", "-p", "-t", "pq"); return s }
	waitFor := func(text string) string {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		var s string
		for time.Now().Before(deadline) {
			if s = screen(); strings.Contains(s, text) {
				return s
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("waiting for %q; the pane shows:\n%s", text, s)
		return ""
	}
	keys := func(k ...string) {
		t.Helper()
		if out, err := tmux(append([]string{"send-keys", "-t", "pq"}, k...)...); err != nil {
			t.Fatalf("send-keys: %v\n%s", err, out)
		}
	}

	shots := map[string]string{}
	shots["1-sign-in"] = waitFor("Enter the code") // the demo approves the code by itself
	waitFor("┃ Resource application")
	keys("Enter")
	waitFor("┃ Display name")
	keys("-l", "Contoso Connector")
	waitFor("> Contoso Connector")
	for _, next := range []string{"┃ Supported account types", "┃ Application ID URI", "┃ Scope name",
		"┃ Who can consent", "┃ Edit the consent texts?", "┃ Client applications to preauthorize",
		"┃ Other client ID", "Paste this into"} {
		keys("Enter")
		shot := waitFor(next)
		switch next {
		case "┃ Supported account types":
			shots["2-register"] = shot
		case "┃ Application ID URI":
			shots["3-app-id-uri"] = shot
		case "┃ Scope name":
			shots["4-scope"] = shot
		case "┃ Client applications to preauthorize":
			shots["5-preauthorize"] = shot
		}
	}
	s := screen()
	id := regexp.MustCompile(`Application \(client\) ID ([0-9a-f-]{36})`).FindStringSubmatch(strings.ReplaceAll(s, "\n", ""))
	if id == nil {
		t.Fatalf("no Application (client) ID on the screen:\n%s", s)
	}
	want, err := m.Generate(m.SnippetOptions{Resource: "api://" + id[1], LoginHost: m.DefaultLoginHost, Shape: m.ShapeRecord, Name: "Contoso Connector"})
	if err != nil {
		t.Fatal(err)
	}
	keys("c")
	shots["6-snippet"] = waitFor("Aad record: Sent to the terminal's clipboard through tmux (OSC 52)")
	writeScreens(t, shots)
	var got string
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if got, err = tmux("show-buffer"); err == nil && got == want {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got != want {
		t.Fatalf("tmux paste buffer:\n%q\nwant the snippet:\n%q", got, want)
	}
	keys("q")
	waitFor("Application (client) ID: " + id[1]) // the summary stays in the scroll-back
}

// writeScreens refreshes docs/screens (the README's captures) from this run
// of the real program when PQENTRA_WRITE_SCREENS=1.
func writeScreens(t *testing.T, shots map[string]string) {
	if os.Getenv("PQENTRA_WRITE_SCREENS") != "1" {
		return
	}
	for name, s := range shots {
		var lines []string
		for _, l := range strings.Split(s, "\n") {
			lines = append(lines, strings.TrimRight(l, " "))
		}
		text := strings.TrimRight(strings.Join(lines, "\n"), "\n") + "\n"
		if err := os.WriteFile(filepath.Join("..", "docs", "screens", name+".txt"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
