//go:build unix

package e2e

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// What pqentra writes to a terminal: a question to the terminal (the
// background colour, ESC]11;?, and the cursor position, ESC[6n) makes the
// terminal type its answer into pqentra's input, or into the shell's once
// pqentra has exited. Only the full-screen wizard with colour on asks,
// once, before it reads any keys.

const (
	bgQuery  = "\x1b]11;?"
	cprQuery = "\x1b[6n"
)

// lockedBuffer is script's output, read while script writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// inTerminal runs the binary with args in a terminal of its own (script's
// pty, 80×24) with a clean environment plus env — no CI, which termenv reads as
// "no terminal" — answering each prompt in turn: when the output so far
// holds answers[i][0], it types answers[i][1]. It returns all that the
// binary wrote to the terminal.
func inTerminal(t *testing.T, env []string, args []string, answers ...[2]string) string {
	t.Helper()
	if _, err := exec.LookPath("script"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("script is required in CI (.ci/run installs it)")
		}
		t.Skip("script (util-linux) is not installed")
	}
	line := "stty rows 24 cols 80; exec " + binary // script's pty has no size of its own
	for _, a := range args {
		line += " '" + a + "'"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "script", "-qefc", line, "/dev/null")
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "TERM=xterm-256color", "HOME=" + t.TempDir(),
		"XDG_CACHE_HOME=" + t.TempDir(), "XDG_STATE_HOME=" + t.TempDir(), quickDemo}, env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	w := bufio.NewWriter(stdin)
	for _, a := range answers {
		for !strings.Contains(out.String(), a[0]) {
			select {
			case <-done:
				t.Fatalf("%v exited before %q:\n%q", args, a[0], out.String())
			case <-ctx.Done():
				t.Fatalf("%v: waiting for %q:\n%q", args, a[0], out.String())
			case <-time.After(10 * time.Millisecond):
			}
		}
		_, _ = w.WriteString(a[1])
		_ = w.Flush()
	}
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatalf("%v did not exit:\n%q", args, out.String())
	}
	return out.String()
}

// No command asks the terminal anything — with colour or without — and
// the wizard asks nothing with colour off; with colour on it asks once.
func TestBinaryStartsWithoutQueryingTheTerminal(t *testing.T) {
	t.Parallel()
	jwt := filepath.Join(t.TempDir(), "t.jwt")
	// A token with an audience and nothing else; the checks fail (exit 1).
	if err := os.WriteFile(jwt, []byte("eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0."), 0o600); err != nil {
		t.Fatal(err)
	}
	const ctrlC = "\x03"
	wizard := [2]string{"Resource application", ctrlC}
	for _, c := range []struct {
		name    string
		env     []string
		args    []string
		answers [][2]string
	}{
		{"version", nil, []string{"--version"}, nil},
		{"token inspect", nil, []string{"token", "inspect", "--audience", "x", jwt}, nil},
		{"token inspect NO_COLOR", []string{"NO_COLOR=1"}, []string{"token", "inspect", "--audience", "x", jwt}, nil},
		{"snippet", nil, []string{"snippet", "--resource", "api://x"}, nil},
		{"demo whoami --no-color", nil, []string{"--demo", "--no-color", "whoami"}, nil},
		{"wizard NO_COLOR", []string{"NO_COLOR=1"}, []string{"--demo"}, [][2]string{wizard}},
		{"wizard --no-color", nil, []string{"--demo", "--no-color"}, [][2]string{wizard}},
		{"wizard --accessible", nil, []string{"--demo", "--accessible"}, [][2]string{{"Resource application", ctrlC}}},
	} {
		out := inTerminal(t, c.env, c.args, c.answers...)
		if strings.Contains(out, bgQuery) || strings.Contains(out, cprQuery) {
			t.Errorf("%s: pqentra %s queries the terminal:\n%q", c.name, strings.Join(c.args, " "), out)
		}
	}
	// With colour on, the full-screen wizard asks for the background once,
	// before it takes the keyboard (the reply is a cursor position here:
	// this terminal knows no colours), and goes on.
	out := inTerminal(t, nil, []string{"--demo"}, [2]string{cprQuery, "\x1b[1;1R"}, wizard)
	if strings.Count(out, bgQuery) != 1 || strings.Count(out, cprQuery) != 1 {
		t.Errorf("the wizard with colour asked %d times for the background and %d for the cursor, want once:\n%q",
			strings.Count(out, bgQuery), strings.Count(out, cprQuery), out)
	}
}

// The mechanism behind it: the package that keeps TERM from termenv is
// initialised before Bubble Tea's init asks.
func TestBinaryInitialisesTermqueryBeforeBubbleTea(t *testing.T) {
	t.Parallel()
	p := runBinary(t, []string{"GODEBUG=inittrace=1"}, "--version")
	order := map[string]int{}
	for i, l := range strings.Split(p.stderr, "\n") {
		if f := strings.Fields(l); len(f) > 1 && f[0] == "init" {
			order[f[1]] = i + 1
		}
	}
	tq, bt := order["github.com/pqentra/pqentra/tui/termquery"], order["github.com/charmbracelet/bubbletea"]
	if tq == 0 || bt == 0 || tq > bt {
		t.Errorf("termquery initialised at %d, Bubble Tea at %d (0: not at all); termquery must come first:\n%s", tq, bt, p.stderr)
	}
}
