package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestBinaryUndoAsksInATerminal runs `pqentra --demo undo --purge` in a real
// terminal (tmux, 80×24, NO_COLOR): the requests are on the screen before
// the first question, --purge asks a second time, and only then is the app
// gone for good.
func TestBinaryUndoAsksInATerminal(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is required in CI (.ci/run installs it)")
		}
		t.Skip("tmux not installed")
	}
	if testing.Short() {
		t.Skip("the demo waits for its pretend sign-in")
	}
	state, home := t.TempDir(), t.TempDir()
	env := []string{"XDG_CACHE_HOME=" + home, "XDG_STATE_HOME=" + state, "HOME=" + home}
	if p := runBinary(t, env, "--demo", "setup", "--non-interactive", "--display-name", "Tmux Undo"); p.code != 0 {
		t.Fatalf("setup: exit %d\n%s", p.code, p.stderr)
	}
	sock := fmt.Sprintf("pqentra-undo-%d", os.Getpid())
	tmux := func(args ...string) (string, error) {
		out, err := exec.Command("tmux", append([]string{"-L", sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
		return string(out), err
	}
	t.Cleanup(func() { _, _ = tmux("kill-server") })
	cmd := append([]string{"new-session", "-d", "-x", "80", "-y", "24", "-s", "pq", "env", "NO_COLOR=1", "TERM=xterm-256color"}, env...)
	cmd = append(cmd, binary, "--demo", "undo", "--display-name", "Tmux Undo", "--purge")
	if out, err := tmux(cmd...); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	if out, err := tmux("set-option", "-g", "remain-on-exit", "on"); err != nil {
		t.Fatalf("set-option: %v\n%s", err, out)
	}
	screen := func() string { s, _ := tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", "pq"); return s }
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
	s := waitFor("Send these 4 request(s)? [y/N]")
	for _, want := range []string{"pqentra registered \"Tmux Undo\"", "DELETE https://", "/directory/deletedItems/"} {
		if !strings.Contains(s, want) {
			t.Errorf("before the question the screen lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "\x1b[") {
		t.Error("colour codes with NO_COLOR")
	}
	if _, err := tmux("send-keys", "-t", "pq", "y", "Enter"); err != nil {
		t.Fatal(err)
	}
	waitFor("it can never be restored. Really delete it for good? [y/N]")
	if _, err := tmux("send-keys", "-t", "pq", "y", "Enter"); err != nil {
		t.Fatal(err)
	}
	waitFor("for good: it can no longer be restored.")
	// The tenant no longer has it, live or deleted.
	p := runBinary(t, env, "--demo", "undo", "--display-name", "Tmux Undo", "--yes")
	if p.code != 0 || !strings.Contains(p.stdout, "Nothing to undo: no application") {
		t.Errorf("after the purge: exit %d\n%s", p.code, p.stdout)
	}
}
