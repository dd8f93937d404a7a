package e2e

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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
	flag.Parse()
	if testing.Short() {
		// The end-to-end layer builds the binary and runs it for minutes:
		// go test -short ./... is the quick inner loop without it.
		fmt.Println("e2e: skipped with -short")
		os.Exit(0)
	}
	waitBoundParallelism()
	dir, err := os.MkdirTemp("", "pqentra-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "pqentra")
	// Built once for the whole package, the way the release builds it.
	ldflags, env, err := releaseBuild()
	if err != nil {
		panic(err)
	}
	build := exec.Command("go", "build", "-ldflags", ldflags, "-o", binary, "..")
	build.Env = append(os.Environ(), env...)
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("go build: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// waitBoundParallelism runs up to 4 tests at once (or -parallel, when
// given). These tests mostly wait — on the binary's real retry pauses and
// the emulator's replication lag — rather than compute, so the default of
// one per core would leave a 2-core machine idle.
func waitBoundParallelism() {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set && runtime.GOMAXPROCS(0) < 4 {
		_ = flag.Set("test.parallel", "4")
	}
}

type proc struct {
	code           int
	stdout, stderr string
}

// quickDemo makes the demo's pretend user approve the sign-in at once
// instead of after the second and a half a person watching it gets.
const quickDemo = "PQENTRA_DEMO_APPROVE_AFTER=1ms"

// binaryCmd is the built binary with a clean environment plus env.
func binaryCmd(env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(binary, args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "TERM=dumb", quickDemo}, env...)
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

// msgraph-sdk-go takes minutes to compile cold and links slowly: only graph/
// may import it. This guards the rule the package layout depends on.
func TestOnlyGraphPullsInMSGraph(t *testing.T) {
	t.Parallel()
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
	// This package's own test binary is linked on every go test run, -short
	// included: it drives the built binary and the emulator, never the
	// Graph client (linking msgraph-sdk-go costs seconds).
	list := exec.Command("go", "list", "-test", "-deps", ".")
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list -test ./e2e: %v", err)
	}
	if strings.Contains(string(out), "github.com/microsoftgraph/msgraph-sdk-go") {
		t.Error("e2e's tests link msgraph-sdk-go: change the directory through plain Graph requests (graphAs) instead")
	}
}

// graphWrites is how many Graph writes the emulator has received.
func graphWrites(emu *emulator.Server) int {
	_, w := emu.Counts()
	return w
}

// appNamed is the application with this display name, or nil.
func appNamed(emu *emulator.Server, name string) map[string]any {
	for _, a := range emu.Applications() {
		if a["displayName"] == name {
			return a
		}
	}
	return nil
}
