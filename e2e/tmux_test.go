package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The one tmux driver: the built binary in a real terminal, driven by keys
// and read from the screen as a person would. Each test gets a tmux server
// of its own (a socket named for the test), killed when the test ends.

type tmuxServer struct {
	t    *testing.T
	sock string
}

var tmuxSeq atomic.Int32

func newTmux(t *testing.T) *tmuxServer {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is required in CI (.ci/run installs it)")
		}
		t.Skip("tmux not installed")
	}
	s := &tmuxServer{t: t, sock: fmt.Sprintf("pqentra-e2e-%d-%d", os.Getpid(), tmuxSeq.Add(1))}
	t.Cleanup(func() { _, _ = s.run("kill-server") })
	return s
}

func (s *tmuxServer) run(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-L", s.sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
	return string(out), err
}

// pane is one window of the server running one command.
type pane struct {
	s    *tmuxServer
	t    *testing.T
	name string
}

// start runs argv in a new w×h window. The window starts with an idle
// shell so that the options (set-clipboard as given, remain-on-exit on)
// are in force before argv writes its first byte; then argv replaces it.
func (s *tmuxServer) start(w, h int, setClipboard string, argv ...string) *pane {
	s.t.Helper()
	name := fmt.Sprintf("w%d", tmuxSeq.Add(1))
	if out, err := s.run("new-session", "-d", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), "-s", name, "sh"); err != nil {
		s.t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	for _, opt := range [][]string{{"set-clipboard", setClipboard}, {"remain-on-exit", "on"}} {
		if out, err := s.run(append([]string{"set-option", "-g"}, opt...)...); err != nil {
			s.t.Fatalf("tmux set-option %v: %v\n%s", opt, err, out)
		}
	}
	if out, err := s.run(append([]string{"respawn-pane", "-k", "-t", name}, argv...)...); err != nil {
		s.t.Fatalf("tmux respawn-pane: %v\n%s", err, out)
	}
	return &pane{s: s, t: s.t, name: name}
}

// startBinary runs the built binary with a clean environment plus env
// (TERM=xterm-256color unless env sets it) and the TMUX variable tmux
// gives the window, by which a program knows it runs inside tmux.
func (s *tmuxServer) startBinary(w, h int, setClipboard string, env []string, args ...string) *pane {
	s.t.Helper()
	argv := []string{"sh", "-c", `exec env -i TMUX="$TMUX" "$@"`, "sh", "PATH=" + os.Getenv("PATH"), "TERM=xterm-256color"}
	argv = append(append(argv, env...), binary)
	return s.start(w, h, setClipboard, append(argv, args...)...)
}

// shell runs a shell command line in a 100×30 window, waits for it to
// exit, and returns the screen with its escape sequences.
func (s *tmuxServer) shell(setClipboard, line string) string {
	s.t.Helper()
	p := s.start(100, 30, setClipboard, "sh", "-c", line)
	p.waitExit()
	return p.capture("-e")
}

func (p *pane) capture(extra ...string) string {
	out, _ := p.s.run(append([]string{"capture-pane", "-p", "-J", "-t", p.name}, extra...)...)
	return out
}

// screen is what the window shows now, without escape sequences.
func (p *pane) screen() string { return p.capture() }

// scrollback is the screen and up to 200 lines above it.
func (p *pane) scrollback() string { return p.capture("-S", "-200") }

// waitFor waits until the window shows text and returns the screen; when
// text has scrolled off, it returns the scroll-back that holds it.
func (p *pane) waitFor(text string) string {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if s := p.screen(); strings.Contains(s, text) {
			return s
		}
		s := p.scrollback()
		if strings.Contains(s, text) {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("waiting for %q; the pane shows:\n%s", text, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitUntil waits until done holds for the screen with its scroll-back,
// and returns that; what says what it waited for when it fails.
func (p *pane) waitUntil(what string, done func(screen string) bool) string {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := p.scrollback()
		if done(s) {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("waiting for %s; the pane shows:\n%s", what, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitExit waits until the command in the window has exited.
func (p *pane) waitExit() {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if dead, _ := p.s.run("display-message", "-p", "-t", p.name, "#{pane_dead}"); strings.TrimSpace(dead) == "1" {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.t.Fatalf("the command did not exit; the pane shows:\n%s", p.screen())
}

// enterTo presses Enter and waits for text. Where a step's requests were
// not all on the screen, that Enter shows them instead (the review:
// nothing is sent unseen); seen gets the review's screen, and sendReviewed
// reads on to their end and sends them.
func (p *pane) enterTo(text string, seen func(string)) string {
	p.t.Helper()
	p.keys("Enter")
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		s := p.screen()
		if strings.Contains(s, text) {
			return s
		}
		if strings.Contains(s, reviewMarker) {
			seen(s)
			return p.sendReviewed(text)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return p.waitFor(text)
}

// reviewMarker is on the wizard's screen while a step's requests wait for
// Enter; reviewSend once they have all been on the screen and Enter sends
// them (before, the key help says "enter more").
const (
	reviewMarker = "esc back to the answers"
	reviewSend   = "enter send • esc back to the answers"
)

// sendReviewed, on the review, presses Enter until the requests have all
// been on the screen, then once more to send them, and waits for text.
func (p *pane) sendReviewed(text string) string {
	p.t.Helper()
	for range 20 {
		s := p.waitFor(reviewMarker)
		if strings.Contains(s, reviewSend) {
			p.keys("Enter")
			return p.waitFor(text)
		}
		p.keys("Enter")
		p.waitUntil("the review to read on", func(now string) bool { return p.screen() != s })
	}
	p.t.Fatalf("Enter on the review never came to sending; the pane shows:\n%s", p.screen())
	return ""
}

// keys types into the window (tmux send-keys: key names like Enter,
// Escape, Down, or -l and literal text).
func (p *pane) keys(k ...string) {
	p.t.Helper()
	if out, err := p.s.run(append([]string{"send-keys", "-t", p.name}, k...)...); err != nil {
		p.t.Fatalf("send-keys: %v\n%s", err, out)
	}
}

// pasteBuffer is what tmux holds from the program's OSC 52 copy.
func (p *pane) pasteBuffer() (string, error) { return p.s.run("show-buffer") }
