package cmd

import (
	"strings"
	"testing"
	"time"

	"github.com/pqentra/pqentra/graph/emulator"
)

// Issue 10 F4: with Graph slow, a terminal sees each change while it
// waits, and its result; without a terminal (or with a fast Graph) stderr
// stays as it was.
func TestSlowGraphShowsProgressOnATerminal(t *testing.T) {
	old := progressAfter
	progressAfter = 20 * time.Millisecond
	t.Cleanup(func() { progressAfter = old })

	// Every Graph answer takes three times as long as progress waits to
	// show itself.
	c := newCLI(t, emulator.Options{Latency: 60 * time.Millisecond})
	c.errTTY = true
	r := c.run("setup", "--non-interactive", "--display-name", "Slow Connector")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{
		"[1/3] Register the application \"Slow Connector\"",
		"[2/3] Create the app's service principal",
		"[3/3] Set the Application ID URI",
		"waiting for Graph…", ": done",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}

	c.errTTY = false
	r = c.run("setup", "--non-interactive", "--display-name", "Slow Connector Two")
	if r.code != 0 || strings.Contains(r.stderr, "waiting for Graph") {
		t.Errorf("progress without a terminal: exit %d\n%s", r.code, r.stderr)
	}
}
