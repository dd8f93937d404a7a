// Package emulatortest starts the Entra/Graph emulator for tests: one place
// for the setup every test package shares (a quick pretend user, Close at
// cleanup, and the trust and environment a client needs to reach it over
// TLS as it would reach Microsoft).
//
// It imports no pqentra package but the emulator, so any package's tests —
// graph's own included — can use it without an import cycle. Building a
// graph.Client from it stays in the caller: see graph's, tui's and cmd's
// test harnesses.
package emulatortest

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pqentra/pqentra/graph/emulator"
)

// QuickApproval is how long the emulator's pretend user takes to approve a
// device code in tests: short enough that MSAL's first poll (50 ms after
// the code is issued) already gets the token.
const QuickApproval = time.Millisecond

// ManualApproval, as Options.AutoApprove, is a user who never approves by
// themselves: only emu.Approve does (a test of the pending or expired
// code).
const ManualApproval time.Duration = -1

// Start starts an emulator with opts and closes it when the test ends. A
// zero opts.AutoApprove becomes QuickApproval, so a device-code sign-in
// completes by itself; tests of the pending state set ManualApproval.
func Start(t testing.TB, opts emulator.Options) *emulator.Server {
	t.Helper()
	if opts.AutoApprove == 0 {
		opts.AutoApprove = QuickApproval
	}
	emu, err := emulator.Start(opts)
	if err != nil {
		t.Fatalf("start the emulator: %v", err)
	}
	t.Cleanup(emu.Close)
	return emu
}

// CAFile writes the emulator's CA certificate to a file in a test
// directory and returns its path, for SSL_CERT_FILE.
func CAFile(t testing.TB, emu *emulator.Server) string {
	t.Helper()
	ca := filepath.Join(t.TempDir(), "emulator-ca.pem")
	if err := os.WriteFile(ca, emu.CACertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	return ca
}

// Env is the environment a child process (the built binary) needs to talk
// to emu and keep its files to the test: it trusts the emulator's
// certificate through SSL_CERT_FILE (as it would trust any TLS server),
// and its token cache, state and home are fresh test directories. A nil
// emu gives only the directories.
func Env(t testing.TB, emu *emulator.Server) []string {
	t.Helper()
	env := Dirs(t)
	if emu != nil {
		env = append(env, "SSL_CERT_FILE="+CAFile(t, emu))
	}
	return env
}

// Dirs are fresh XDG_CACHE_HOME, XDG_STATE_HOME and HOME directories, so a
// run keeps its token cache and demo tenant to itself.
func Dirs(t testing.TB) []string {
	t.Helper()
	return []string{"XDG_CACHE_HOME=" + t.TempDir(), "XDG_STATE_HOME=" + t.TempDir(), "HOME=" + t.TempDir()}
}

// Flags point a pqentra command line at emu, through the public
// --authority-host and --graph-endpoint flags.
func Flags(emu *emulator.Server) []string {
	return []string{"--authority-host", emu.URL(), "--graph-endpoint", emu.URL()}
}

// DumpLog writes emu's request log to the test log: what a failing test
// sent and what it got back.
func DumpLog(t testing.TB, emu *emulator.Server) {
	t.Helper()
	for _, r := range emu.Log() {
		t.Logf("%s %s?%s -> %d %s\n%s", r.Method, r.Path, r.RawQuery, r.Status, r.Injected, r.Body)
	}
}
