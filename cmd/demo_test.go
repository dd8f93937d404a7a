package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDemoRemembers: the demo tenant is kept in $XDG_STATE_HOME, so an app
// set up in one run is there for doctor in the next; --reset forgets it,
// and the unknown-app answer says where the demo tenant lives.
func TestDemoRemembers(t *testing.T) {
	demoApproveAfter = 10 * 1e6
	state := t.TempDir()
	c := &cli{t: t, env: map[string]string{"XDG_CACHE_HOME": t.TempDir(), "HOME": t.TempDir(), "XDG_STATE_HOME": state}}
	r := c.run("--demo", "setup", "--non-interactive", "--display-name", "Kept Connector", "--output", "json")
	if r.code != 0 {
		t.Fatalf("setup: exit %d\n%s", r.code, r.stderr)
	}
	appID := decodeSetup(t, r).AppID
	file := filepath.Join(state, "pqentra", "demo.json")
	fi, err := os.Stat(file)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file: %v %v", fi, err)
	}
	if di, _ := os.Stat(filepath.Dir(file)); di.Mode().Perm() != 0o700 {
		t.Errorf("state folder mode %v", di.Mode().Perm())
	}

	if r := c.run("--demo", "doctor", "--app-id", appID); r.code != 0 || !strings.Contains(r.stdout, "Healthy") {
		t.Fatalf("doctor in the next run: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// The legacy app has the same id in every demo tenant.
	if r := c.run("--demo", "doctor", "--app-id", demoLegacyAppID); strings.Contains(r.stdout, "app-not-found") || !strings.Contains(r.stdout, demoLegacyApp) {
		t.Errorf("legacy app by its fixed id: exit %d\n%s", r.code, r.stdout)
	}

	r = c.run("--demo", "--reset", "setup", "--non-interactive", "--app-id", appID)
	if r.code == 0 || !strings.Contains(r.stderr, "Started a fresh demo tenant") || !strings.Contains(r.stderr, "no application with appId "+appID) ||
		!strings.Contains(r.stderr, "The demo tenant is kept in "+file) {
		t.Errorf("after --reset: exit %d\n%s", r.code, r.stderr)
	}
	if r := c.run("--demo", "doctor", "--app-id", appID); r.code == 0 || !strings.Contains(r.stderr, "The demo tenant is kept in "+file) {
		t.Errorf("doctor after --reset: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if r := c.run("--reset", "doctor", "--app-id", appID); r.code != ExitUsage {
		t.Errorf("--reset without --demo: exit %d\n%s", r.code, r.stderr)
	}
}

func TestDemoStateFileLocation(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, c := range []struct {
		goos string
		env  func(string) string
		want string
	}{
		{"linux", env("XDG_STATE_HOME", "/s", "HOME", "/h"), filepath.Join("/s", "pqentra", "demo.json")},
		{"linux", env("XDG_STATE_HOME", "relative", "HOME", "/h"), filepath.Join("/h", ".local", "state", "pqentra", "demo.json")},
		{"darwin", env("HOME", "/Users/a"), filepath.Join("/Users/a", ".local", "state", "pqentra", "demo.json")},
		{"windows", env("LOCALAPPDATA", `C:\Users\a\AppData\Local`), filepath.Join(`C:\Users\a\AppData\Local`, "pqentra", "demo.json")},
		{"linux", env(), ""},
	} {
		if got := demoStateFileOn(c.goos, c.env); got != c.want {
			t.Errorf("%s: %q, want %q", c.goos, got, c.want)
		}
	}
}

func TestDemoApprovalKnob(t *testing.T) {
	for env, want := range map[string]time.Duration{"": demoApproveAfter, "1ms": time.Millisecond, "soon": demoApproveAfter, "-1s": demoApproveAfter} {
		if got := demoApproval(func(string) string { return env }); got != want {
			t.Errorf("PQENTRA_DEMO_APPROVE_AFTER=%q: %s, want %s", env, got, want)
		}
	}
}
