package e2e

import (
	"strings"
	"testing"
)

// TestBinaryUndoAsksInATerminal runs `pqentra --demo undo --purge` in a real
// terminal (tmux, 80×24, NO_COLOR): the requests are on the screen before
// the first question, --purge asks a second time, and only then is the app
// gone for good.
func TestBinaryUndoAsksInATerminal(t *testing.T) {
	t.Parallel()
	tm := newTmux(t)
	state, home := t.TempDir(), t.TempDir()
	env := []string{"XDG_CACHE_HOME=" + home, "XDG_STATE_HOME=" + state, "HOME=" + home}
	if r := runBinary(t, env, "--demo", "setup", "--non-interactive", "--display-name", "Tmux Undo"); r.code != 0 {
		t.Fatalf("setup: exit %d\n%s", r.code, r.stderr)
	}
	p := tm.startBinary(80, 24, "external", append([]string{"NO_COLOR=1", quickDemo}, env...), "--demo", "undo", "--display-name", "Tmux Undo", "--purge")
	p.waitFor("Send these 4 request(s)? [y/N]")
	s := p.scrollback()
	for _, want := range []string{"pqentra registered \"Tmux Undo\"", "DELETE https://", "/directory/deletedItems/"} {
		if !strings.Contains(s, want) {
			t.Errorf("before the question the screen lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "\x1b[") {
		t.Error("colour codes with NO_COLOR")
	}
	p.keys("y", "Enter")
	p.waitFor("it can never be restored. Really delete it for good? [y/N]")
	p.keys("y", "Enter")
	p.waitFor("for good: it can no longer be restored.")
	// The tenant no longer has it, live or deleted.
	r := runBinary(t, env, "--demo", "undo", "--display-name", "Tmux Undo", "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "Nothing to undo: no application") {
		t.Errorf("after the purge: exit %d\n%s", r.code, r.stdout)
	}
}
