package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// In a real terminal (tmux) the built binary colours its output unless
// NO_COLOR is set, and --copy reports what tmux did with the clipboard.

type tmuxServer struct {
	t    *testing.T
	sock string
}

func newTmux(t *testing.T) *tmuxServer {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is required in CI (.ci/run installs it)")
		}
		t.Skip("tmux not installed")
	}
	s := &tmuxServer{t: t, sock: fmt.Sprintf("pqentra-conv-%d-%d", os.Getpid(), time.Now().UnixNano())}
	t.Cleanup(func() { _, _ = s.run("kill-server") })
	return s
}

func (s *tmuxServer) run(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-L", s.sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
	return string(out), err
}

// shell runs a command line in a new 100x30 window with set-clipboard as
// given, waits for it to exit, and returns the pane with its escapes.
func (s *tmuxServer) shell(setClipboard, line string) string {
	s.t.Helper()
	name := fmt.Sprintf("w%d", time.Now().UnixNano())
	if out, err := s.run("new-session", "-d", "-x", "100", "-y", "30", "-s", name, "sh"); err != nil {
		s.t.Fatalf("tmux: %v\n%s", err, out)
	}
	for _, opt := range [][]string{{"set-clipboard", setClipboard}, {"remain-on-exit", "on"}} {
		if out, err := s.run(append([]string{"set-option", "-g"}, opt...)...); err != nil {
			s.t.Fatalf("set-option %v: %v\n%s", opt, err, out)
		}
	}
	if out, err := s.run("respawn-pane", "-k", "-t", name, "sh", "-c", line); err != nil {
		s.t.Fatalf("respawn: %v\n%s", err, out)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if dead, _ := s.run("display-message", "-p", "-t", name, "#{pane_dead}"); strings.TrimSpace(dead) == "1" {
			out, _ := s.run("capture-pane", "-p", "-e", "-J", "-t", name)
			return out
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("%q did not finish", line)
	return ""
}

func TestBinaryColourAndClipboardInATerminal(t *testing.T) {
	tm := newTmux(t)
	dir := t.TempDir()
	pq := filepath.Join(dir, "C.pq")
	src := "section C;\n[DataSource.Kind=\"C\", Publish=\"C.Publish\"]\nshared C.Contents = () => 1;\nC = [ Authentication = [ Implicit = [] ] ];\n"
	env := "env -i PATH=" + os.Getenv("PATH") + " TERM=xterm-256color XDG_CACHE_HOME=" + dir + " HOME=" + dir + " TMUX=$TMUX "
	patch := binary + " snippet --resource api://x --patch " + pq + " --yes"

	if err := os.WriteFile(pq, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	screen := tm.shell("external", env+patch)
	if !strings.Contains(screen, "\x1b[32m+") {
		t.Errorf("no green + lines on a terminal:\n%q", screen)
	}
	if err := os.WriteFile(pq, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	screen = tm.shell("external", env+"NO_COLOR=1 "+patch)
	if strings.Contains(screen, "\x1b[32m") || !strings.Contains(screen, "+    Aad = [") {
		t.Errorf("NO_COLOR: %q", screen)
	}

	// tmux's default (set-clipboard external) drops a program's OSC 52:
	// say so, and how to allow it.
	screen = tm.shell("external", env+binary+" snippet --resource api://x --copy; echo exit=$?")
	if !strings.Contains(screen, "tmux set -g set-clipboard on") || strings.Contains(screen, "Sent to") || !strings.Contains(screen, "exit=1") {
		t.Errorf("set-clipboard external:\n%s", screen)
	}
	screen = tm.shell("on", env+binary+" snippet --resource api://tmux-on --copy; echo exit=$?")
	if !strings.Contains(screen, "Sent to the terminal's clipboard through tmux (OSC 52).") || !strings.Contains(screen, "exit=0") {
		t.Errorf("set-clipboard on:\n%s", screen)
	}
	buf, _ := tm.run("show-buffer")
	if !strings.Contains(buf, `Resource = "api://tmux-on"`) {
		t.Errorf("tmux's buffer holds %q", buf)
	}
}
