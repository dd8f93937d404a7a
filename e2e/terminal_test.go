package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// In a real terminal (tmux) the built binary colours its output unless
// NO_COLOR is set, and --copy reports what tmux did with the clipboard.
func TestBinaryColourAndClipboardInATerminal(t *testing.T) {
	t.Parallel()
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
