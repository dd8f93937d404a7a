package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Colour only on a terminal without NO_COLOR / --no-color.
func TestDoctorMarksColouredOnlyOnATerminal(t *testing.T) {
	cases := []struct {
		name    string
		tty     bool
		noColor bool
		want    bool
	}{{"terminal", true, false, true}, {"NO_COLOR", true, true, false}, {"pipe", false, false, false}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ios, out, _ := bufIO()
			ios.OutTTY, ios.NoColor = c.tty, c.noColor
			_ = doctorRun(context.Background(), &DoctorOptions{IO: ios, OpenSession: fakeSession(newFakeDir(legacyApp())), Globals: &Globals{}, AppID: guid, Output: "text"})
			red := strings.Contains(out.String(), "\x1b[31m✗")
			if red != c.want || !c.want && strings.ContainsRune(out.String(), '\x1b') {
				t.Errorf("red ✗: %v, want %v:\n%q", red, c.want, out)
			}
			if !strings.Contains(out.String(), "✗") || !strings.Contains(out.String(), "·") {
				t.Errorf("marks missing:\n%s", out)
			}
		})
	}
}

func TestPatchDiffColouredOnATerminal(t *testing.T) {
	for _, tty := range []bool{true, false} {
		path := filepath.Join(t.TempDir(), "C.pq")
		if err := os.WriteFile(path, []byte(connectorPQ), 0o644); err != nil {
			t.Fatal(err)
		}
		c := offline(t)
		c.errTTY = tty
		r := c.run("snippet", "--resource", res, "--patch", path, "--yes")
		if r.code != 0 {
			t.Fatalf("exit %d %s", r.code, r.stderr)
		}
		added := strings.Contains(r.stderr, "\x1b[32m+")
		if added != tty || !tty && strings.ContainsRune(r.stderr, '\x1b') {
			t.Errorf("tty %v: coloured + lines %v:\n%q", tty, added, r.stderr)
		}
	}
	// NO_COLOR wins over a terminal.
	path := filepath.Join(t.TempDir(), "C.pq")
	_ = os.WriteFile(path, []byte(connectorPQ), 0o644)
	c := offline(t)
	c.errTTY = true
	c.env["NO_COLOR"] = "1"
	if r := c.run("snippet", "--resource", res, "--patch", path, "--yes"); strings.ContainsRune(r.stderr, '\x1b') {
		t.Errorf("NO_COLOR: %q", r.stderr)
	}
	c = offline(t)
	c.errTTY = true
	_ = os.WriteFile(path, []byte(connectorPQ), 0o644)
	if r := c.run("snippet", "--resource", res, "--patch", path, "--yes", "--no-color"); strings.ContainsRune(r.stderr, '\x1b') {
		t.Errorf("--no-color: %q", r.stderr)
	}
}
