package cmd

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
)

// The commands undo and restore print for what comes next carry the run's
// global flags: run as printed (here: pointed at the emulator by
// --authority-host and --graph-endpoint), they reach the same directory.
func TestUndoRestoreHintsCarryTheGlobalFlags(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	if r := c.run("setup", "--non-interactive", "--display-name", "Hint Me"); r.code != 0 {
		t.Fatalf("setup: %d %s", r.code, r.stderr)
	}
	r := c.run("undo", "--display-name", "Hint Me", "--yes")
	if r.code != 0 {
		t.Fatalf("undo: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	restore := lineWith(t, r.stdout, "pqentra ", " restore --app-id ")
	if !strings.Contains(restore, "--graph-endpoint "+c.emu.URL()) {
		t.Fatalf("the restore hint drops the global flags: %s", restore)
	}
	r = c.runLine(strings.TrimPrefix(restore, "pqentra "))
	if r.code != 0 || len(c.emu.Applications()) != 1 {
		t.Fatalf("the printed restore (%s): exit %d, %d apps\n%s", restore, r.code, len(c.emu.Applications()), r.stderr)
	}
	doctor := lineWith(t, r.stdout, "pqentra ", " doctor --app-id ")
	if r = c.runLine(strings.TrimPrefix(doctor, "pqentra ")); r.code != 0 {
		t.Fatalf("the printed doctor (%s): exit %d\n%s%s", doctor, r.code, r.stdout, r.stderr)
	}
}

// lineWith is the trimmed line of out that holds all of parts.
func lineWith(t *testing.T, out string, parts ...string) string {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(l, p)
		}
		if ok {
			return strings.TrimSpace(l)
		}
	}
	t.Fatalf("no line with %q in:\n%s", parts, out)
	return ""
}

// Without a terminal and without --yes, undo refuses (exit 2) after
// showing the plan, and says that nothing was sent: no ✗ for requests it
// never made.
func TestUndoRefusedSaysNotSent(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	if r := c.run("setup", "--non-interactive", "--display-name", "Keep Me"); r.code != 0 {
		t.Fatalf("setup: %d %s", r.code, r.stderr)
	}
	r := c.run("undo", "--display-name", "Keep Me")
	if r.code != 2 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, "✗") || !strings.Contains(r.stdout, "not sent") {
		t.Errorf("undo lists unsent requests as failed:\n%s", r.stdout)
	}
	if len(c.emu.Applications()) != 1 {
		t.Error("the app is gone")
	}
}

// Every command with --output json prints one JSON object with "error" on
// every failure: a refusal that exits 2, an app that is not there, a sign-in
// that cannot start.
func TestOutputJSONErrorObjectOnEveryFailure(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	if r := c.run("setup", "--non-interactive", "--display-name", "Json Errors"); r.code != 0 {
		t.Fatalf("setup: %d %s", r.code, r.stderr)
	}
	const missing = "00001111-aaaa-2222-bbbb-3333cccc4444"
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"whoami", "--output", "json", "--tenant", "not a tenant!"}, 2},
		{[]string{"doctor", "--output", "json", "--tenant", "not a tenant!", "--app-id", missing}, 2},
		{[]string{"doctor", "--output", "json", "--yes", "--app-id", missing}, 2},
		{[]string{"undo", "--output", "json", "--display-name", "Json Errors"}, 2},
		{[]string{"undo", "--output", "json", "--app-id", missing, "--purge", "--yes", "--tenant", "not a tenant!"}, 2},
		{[]string{"restore", "--output", "json", "--app-id", missing}, 1},
		{[]string{"restore", "--output", "json"}, 2},
	} {
		r := c.run(tc.args...)
		if r.code != tc.code {
			t.Errorf("%v: exit %d, want %d\n%s", tc.args, r.code, tc.code, r.stderr)
		}
		var obj map[string]any
		dec := json.NewDecoder(strings.NewReader(r.stdout))
		if err := dec.Decode(&obj); err != nil || dec.More() {
			t.Errorf("%v: stdout is not one JSON object (%v):\n%s", tc.args, err, r.stdout)
			continue
		}
		if e, _ := obj["error"].(string); e == "" {
			t.Errorf("%v: no error in %s", tc.args, r.stdout)
		}
	}
}
