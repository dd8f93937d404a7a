package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
)

// Issue 12's situations, through the built binary. Device code blocked by
// Conditional Access, admin consent required and a user who may not
// register apps are scripts (testdata/script/signin-*.txtar); here are the
// stand-ins they use and Ctrl-C during a browser sign-in, which needs a
// signal.

var (
	helpersOnce sync.Once
	helpersDir  string
	helpersErr  error
)

// helpers builds the stand-ins for az and $BROWSER into one folder.
func helpers(t *testing.T) string {
	t.Helper()
	helpersOnce.Do(func() {
		helpersDir, helpersErr = os.MkdirTemp("", "pqentra-helpers")
		if helpersErr != nil {
			return
		}
		for name, pkg := range map[string]string{"az": "./testdata/fakeaz", "fakebrowser": "./testdata/fakebrowser"} {
			out, err := exec.Command("go", "build", "-o", filepath.Join(helpersDir, name), pkg).CombinedOutput()
			if err != nil {
				helpersErr = &buildError{name, string(out)}
				return
			}
		}
	})
	if helpersErr != nil {
		t.Fatal(helpersErr)
	}
	return helpersDir
}

type buildError struct{ name, out string }

func (b *buildError) Error() string { return "build " + b.name + ": " + b.out }

// Ctrl-C while the browser sign-in waits: exit 130, the loopback port
// closed, nothing written.
func TestBinaryCtrlCWhileWaitingForTheBrowser(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{})
	cmd := exec.Command(binary, "--sign-in", "browser", "setup", "--non-interactive", "--display-name", "X",
		"--authority-host", emu.URL(), "--graph-endpoint", emu.URL())
	// No $BROWSER and no display: nothing opens, the URL is only printed.
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "TERM=dumb"}, env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var seen strings.Builder
	buf := make([]byte, 4096)
	redirect := ""
	for redirect == "" {
		n, err := stderr.Read(buf)
		seen.Write(buf[:n])
		if i := strings.Index(seen.String(), "redirect_uri="); i >= 0 {
			rest := seen.String()[i+len("redirect_uri="):]
			if j := strings.IndexAny(rest, "&\n"); j >= 0 {
				redirect, _ = url.QueryUnescape(rest[:j])
			}
		}
		if err != nil {
			t.Fatalf("no URL printed: %v\n%s", err, seen.String())
		}
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	rest := make([]byte, 4096)
	n, _ := stderr.Read(rest)
	seen.Write(rest[:n])
	err = cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130\n%s", err, seen.String())
	}
	if !strings.Contains(seen.String(), "interrupted") {
		t.Errorf("stderr:\n%s", seen.String())
	}
	if _, err := http.PostForm(redirect, url.Values{"code": {"x"}}); err == nil {
		t.Errorf("%s still listening", redirect)
	}
	if _, writes := emu.Counts(); writes != 0 {
		t.Errorf("%d writes", writes)
	}
}

// whoamiJSON is `whoami --output json` (docs/cli.md), decoded strictly:
// an unknown or missing key fails the test that reads it.
type whoamiJSON struct {
	User struct {
		DisplayName       string `json:"displayName"`
		UserPrincipalName string `json:"userPrincipalName"`
		ID                string `json:"id"`
	} `json:"user"`
	Tenant struct {
		ID          string `json:"id"`
		DisplayName string `json:"displayName"`
	} `json:"tenant"`
	SignIn struct {
		Method   string `json:"method"`
		ClientID string `json:"clientId"`
	} `json:"signIn"`
	Scopes          []string `json:"scopes"`
	CanRegisterApps *bool    `json:"canRegisterApps"`
	Roles           []string `json:"roles"`
}

func whoami(t *testing.T, p proc) whoamiJSON {
	t.Helper()
	var w whoamiJSON
	dec := json.NewDecoder(strings.NewReader(p.stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		t.Fatalf("whoami --output json: %v\nstdout:\n%s\nstderr:\n%s", err, p.stdout, p.stderr)
	}
	// every key is present, even when empty (null is only for canRegisterApps)
	var raw map[string]json.RawMessage
	_ = json.Unmarshal([]byte(p.stdout), &raw)
	for _, k := range []string{"user", "tenant", "signIn", "scopes", "canRegisterApps", "roles"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("whoami JSON lacks %q: %s", k, p.stdout)
		}
	}
	if string(raw["scopes"]) == "null" || string(raw["roles"]) == "null" {
		t.Errorf("scopes and roles must be arrays: %s", p.stdout)
	}
	return w
}
