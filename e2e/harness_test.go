package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/graph/emulator/emulatortest"
)

// These tests run the built binary as a user would: through its flags,
// environment, exit codes and output, against the emulator, trusting it only
// through SSL_CERT_FILE like any other TLS server.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pqentra-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "pqentra")
	build := exec.Command("go", "build", "-o", binary, "..")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("go build: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type proc struct {
	code           int
	stdout, stderr string
}

// binaryCmd is the built binary with a clean environment plus env.
func binaryCmd(env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(binary, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "TERM=dumb"}, env...)
	return cmd
}

func runBinary(t *testing.T, env []string, args ...string) proc {
	t.Helper()
	cmd := binaryCmd(env, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	code := exitOf(t, cmd.Run())
	return proc{code, out.String(), errb.String()}
}

// exitOf is the exit code of a finished command.
func exitOf(t *testing.T, err error) int {
	t.Helper()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0
}

// startEmulator starts an emulator for the test and returns the
// environment in which the binary trusts it and keeps its files to the test.
func startEmulator(t *testing.T, opts emulator.Options) (*emulator.Server, []string) {
	t.Helper()
	emu := emulatortest.Start(t, opts)
	return emu, emulatortest.Env(t, emu)
}

func TestBinarySetupTwiceAgainstEmulator(t *testing.T) {
	emu, env := startEmulator(t, emulator.Options{})
	args := []string{"setup", "--non-interactive", "--display-name", "Contoso Connector", "--output", "json",
		"--authority-host", emu.URL(), "--graph-endpoint", emu.URL()}
	p := runBinary(t, env, args...)
	if p.code != 0 {
		t.Fatalf("exit %d\n%s", p.code, p.stderr)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(p.stdout), &v); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, p.stdout)
	}
	for _, k := range []string{"tenantId", "appId", "objectId", "servicePrincipalId", "displayName", "signInAudience",
		"identifierUri", "scope", "preAuthorizedApplications", "changes"} {
		if _, ok := v[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if !strings.Contains(p.stderr, "enter the code") {
		t.Errorf("no device code prompt on stderr: %s", p.stderr)
	}

	// Second run, overrides from the environment instead of flags: no new
	// sign-in, nothing to change.
	env2 := append(env, "AZURE_AUTHORITY_HOST="+emu.URL(), "PQENTRA_GRAPH_ENDPOINT="+emu.URL())
	p2 := runBinary(t, env2, "setup", "--non-interactive", "--display-name", "Contoso Connector", "--output", "json")
	if p2.code != 0 {
		t.Fatalf("rerun exit %d\n%s", p2.code, p2.stderr)
	}
	if strings.Contains(p2.stderr, "enter the code") || emu.DeviceCodesIssued() != 1 {
		t.Errorf("the rerun signed in again: %s", p2.stderr)
	}
	if !strings.Contains(p2.stdout, `"changes": []`) {
		t.Errorf("rerun made changes: %s", p2.stdout)
	}
	if n := len(emu.Applications()); n != 1 {
		t.Errorf("%d applications after two runs", n)
	}
}

func TestBinaryExitCodes(t *testing.T) {
	emu, env := startEmulator(t, emulator.Options{UsersCannotRegisterApps: true})
	if p := runBinary(t, env, "--version"); p.code != 0 || !strings.HasPrefix(p.stdout, "pqentra version") {
		t.Errorf("--version: %d %q", p.code, p.stdout)
	}
	if p := runBinary(t, env, "setup", "--non-interactive", "--frobnicate"); p.code != 2 {
		t.Errorf("unknown flag: exit %d", p.code)
	}
	p := runBinary(t, env, "setup", "--non-interactive", "--display-name", "X", "--authority-host", emu.URL(), "--graph-endpoint", emu.URL())
	if p.code != 1 || !strings.Contains(p.stderr, "Cloud Application Administrator") {
		t.Errorf("403: exit %d\n%s", p.code, p.stderr)
	}
	// Without trust in the emulator's certificate nothing is sent in clear
	// or accepted blindly.
	p = runBinary(t, []string{"XDG_CACHE_HOME=" + t.TempDir()}, "setup", "--non-interactive", "--display-name", "X",
		"--authority-host", emu.URL(), "--graph-endpoint", emu.URL())
	if p.code != 1 || !strings.Contains(p.stderr, "certificate") {
		t.Errorf("untrusted TLS: exit %d\n%s", p.code, p.stderr)
	}
}

func TestBinaryDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo waits for its pretend sign-in")
	}
	p := runBinary(t, []string{"XDG_CACHE_HOME=" + t.TempDir(), "XDG_STATE_HOME=" + t.TempDir()}, "--demo", "setup", "--non-interactive", "--display-name", "Contoso Connector", "--output", "json")
	if p.code != 0 {
		t.Fatalf("exit %d\n%s", p.code, p.stderr)
	}
	if !strings.Contains(p.stdout, `"identifierUri": "api://`) {
		t.Errorf("demo output: %s", p.stdout)
	}
	// The demo tenant has a half-configured app for doctor to find and fix.
	env := []string{"XDG_CACHE_HOME=" + t.TempDir(), "XDG_STATE_HOME=" + t.TempDir()}
	p = runBinary(t, env, "--demo", "doctor", "--display-name", "Contoso Legacy API", "--output", "json")
	if p.code != 1 || !strings.Contains(p.stdout, `"admin-only-scope"`) || !strings.Contains(p.stdout, `"no-service-principal"`) {
		t.Errorf("demo doctor: exit %d\n%s", p.code, p.stdout)
	}
	p = runBinary(t, env, "--demo", "doctor", "--display-name", "Contoso Legacy API", "--fix", "--yes")
	if p.code != 0 || !strings.Contains(p.stdout, "Healthy") {
		t.Errorf("demo doctor --fix: exit %d\n%s\n%s", p.code, p.stdout, p.stderr)
	}
}

// msgraph-sdk-go takes minutes to compile cold and links slowly: only graph/
// may import it. This guards the rule the package layout depends on.
func TestOnlyGraphPullsInMSGraph(t *testing.T) {
	for _, pkg := range []string{"./steps", "./steps/m", "./tui", "./tui/clipboard", "./graph/emulator"} {
		list := exec.Command("go", "list", "-deps", pkg)
		list.Dir = ".."
		out, err := list.Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		if strings.Contains(string(out), "github.com/microsoftgraph/msgraph-sdk-go") {
			t.Errorf("%s depends on msgraph-sdk-go; talk to Entra through steps.Directory instead", pkg)
		}
	}
}
