//go:build unix

package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/graph/emulator/emulatortest"
)

// Never hang (issue 17): a FIFO where pqentra reads or writes a file is
// refused before it is opened for good (a blocking open would wait for a
// writer forever, deaf to Ctrl-C); a loose demo folder is tightened.

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
}

// runBounded runs the binary and fails the test if it is still running
// after limit (then it is killed).
func runBounded(t *testing.T, limit time.Duration, env []string, args ...string) proc {
	t.Helper()
	cmd := binaryCmd(env, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return proc{exitOf(t, err), out.String(), errb.String()}
	case <-time.After(limit):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("pqentra %v hung (killed after %s)\n%s", args, limit, errb.String())
	}
	return proc{}
}

func TestBinaryNeverOpensAFIFO(t *testing.T) {
	t.Parallel()
	// The demo tenant's state file.
	state := t.TempDir()
	mkfifo(t, filepath.Join(state, "pqentra", "demo.json"))
	p := runBounded(t, 30*time.Second, []string{"XDG_STATE_HOME=" + state, "XDG_CACHE_HOME=" + t.TempDir()}, "--demo", "whoami")
	if p.code != 1 || !strings.Contains(p.stderr, "not a plain file") {
		t.Errorf("demo state FIFO: exit %d\n%s", p.code, p.stderr)
	}

	// The token cache, before anyone is asked to sign in.
	emu, env := startEmulator(t, emulator.Options{})
	cache := t.TempDir()
	mkfifo(t, filepath.Join(cache, "pqentra", "msal_token_cache.json"))
	env = append(env, "XDG_CACHE_HOME="+cache)
	p = runBounded(t, 30*time.Second, env, append([]string{"whoami"}, emulatortest.Flags(emu)...)...)
	if p.code != 1 || !strings.Contains(p.stderr, "not a plain file") || strings.Contains(p.stderr, "enter the code") {
		t.Errorf("token cache FIFO: exit %d\n%s", p.code, p.stderr)
	}

	// A connector file, and an output file replaced with --force.
	dir := t.TempDir()
	fifo := filepath.Join(dir, "Contoso.pq")
	mkfifo(t, fifo)
	p = runBounded(t, 30*time.Second, offlineEnv(t), patchArgs(fifo, "--yes")...)
	if p.code == 0 || !strings.Contains(p.stderr, "not a regular file") {
		t.Errorf("connector FIFO: exit %d\n%s", p.code, p.stderr)
	}
	p = runBounded(t, 30*time.Second, offlineEnv(t), "snippet", "--resource", fileRes, "--out", fifo, "--force")
	if p.code != 1 || !strings.Contains(p.stderr, "not a regular file") {
		t.Errorf("--out FIFO --force: exit %d\n%s", p.code, p.stderr)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", fi, err)
	}
}

// A demo folder others may read is made private (it names what the user
// registered); a link in it is not followed.
func TestBinaryDemoTightensLooseStateFolder(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	dir := filepath.Join(state, "pqentra")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := runBounded(t, 60*time.Second, []string{"XDG_STATE_HOME=" + state, "XDG_CACHE_HOME=" + t.TempDir(), "PQENTRA_DEMO_APPROVE_AFTER=1ms"},
		"--demo", "whoami")
	if p.code != 0 {
		t.Fatalf("demo whoami: exit %d\n%s", p.code, p.stderr)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("demo folder mode %v (%v), want 0700", fi.Mode().Perm(), err)
	}
	file := filepath.Join(dir, "demo.json")
	if err := os.Chmod(file, 0o644); err != nil {
		t.Fatal(err)
	}
	if p := runBounded(t, 60*time.Second, []string{"XDG_STATE_HOME=" + state, "XDG_CACHE_HOME=" + t.TempDir(), "PQENTRA_DEMO_APPROVE_AFTER=1ms"},
		"--demo", "whoami"); p.code != 0 {
		t.Fatalf("demo whoami again: exit %d\n%s", p.code, p.stderr)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("demo file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
}

// Ctrl-C at a question ends the run at once (exit 130), with nothing sent:
// the answer is read off the run's context, not in a blocking read.
func TestBinaryCtrlCAtAQuestion(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("script"); err != nil {
		t.Skip("script (util-linux) is not installed")
	}
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc to find the child process in")
	}
	emu, env := startEmulator(t, emulator.Options{})
	flags := strings.Join(emulatortest.Flags(emu), " ")
	if p := runBinary(t, env, append([]string{"setup", "--non-interactive", "--display-name", "Ctrl C"}, emulatortest.Flags(emu)...)...); p.code != 0 {
		t.Fatalf("setup: exit %d\n%s", p.code, p.stderr)
	}
	emu.ResetLog()
	// script gives undo a terminal to ask on; its stdin stays open (a
	// pipe nobody writes to), so only the signal can end the wait.
	cmd := exec.Command("script", "-qfec", binary+" undo --display-name 'Ctrl C' "+flags, "/dev/null")
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "TERM=dumb"}, env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "[y/N]") {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("no question:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Ctrl-C reaches pqentra as SIGINT from its terminal: send it to the
	// one process script started.
	pid := childOf(t, cmd.Process.Pid)
	for i := 0; i < 3; i++ { // script → maybe a shell → pqentra
		cl, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
		if bytes.HasPrefix(cl, []byte(binary+"\x00")) {
			break
		}
		pid = childOf(t, pid)
	}
	if err := syscall.Kill(pid, syscall.SIGINT); err != nil {
		t.Fatalf("signal: %v", err)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("still waiting after Ctrl-C:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "interrupted") {
		t.Errorf("no interrupted message:\n%s", out.String())
	}
	if _, w := emu.Counts(); w != 0 || appNamed(emu, "Ctrl C") == nil {
		t.Errorf("%d writes after Ctrl-C", w)
	}
}

// childOf is the pid of the one child process of ppid (from /proc).
func childOf(t *testing.T, ppid int) int {
	t.Helper()
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces: split after ')'.
		rest := string(b[bytes.LastIndexByte(b, ')')+1:])
		if f := strings.Fields(rest); len(f) > 1 && f[1] == strconv.Itoa(ppid) {
			return pid
		}
	}
	t.Fatalf("no child of %d", ppid)
	return 0
}

// Output that cannot be written is no success (issue 17): a full disk or a
// closed pipe on stdout exits 1 and says so on stderr.
func TestBinaryFullOrClosedStdoutExits1(t *testing.T) {
	t.Parallel()
	args := []string{"snippet", "--resource", fileRes}
	if full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0); err == nil {
		cmd := binaryCmd(offlineEnv(t), args...)
		var errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = full, &errb
		code := exitOf(t, cmd.Run())
		full.Close()
		if code != 1 || !strings.Contains(errb.String(), "cannot write the output") {
			t.Errorf("/dev/full: exit %d\n%s", code, errb.String())
		}
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close() // nobody reads: the first write fails with EPIPE
	cmd := binaryCmd(offlineEnv(t), args...)
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = w, &errb
	code := exitOf(t, cmd.Run())
	w.Close()
	if code != 1 || !strings.Contains(errb.String(), "cannot write the output") {
		t.Errorf("closed pipe: exit %d\n%s", code, errb.String())
	}
}

// setup --app-id of an app that is not provably the user's asks on a
// terminal, showing whose it is: "n" changes nothing, "y" configures it
// (issue 17).
func TestBinaryAdoptionAsksOnATerminal(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("script"); err != nil {
		t.Skip("script (util-linux) is not installed")
	}
	emu, env := startEmulator(t, emulator.Options{UserRoles: []string{"Application Administrator"}})
	_, appID := plantSquatter(t, emu, "Someone Else's API")
	flags := strings.Join(emulatortest.Flags(emu), " ")
	ask := func(answer string) (int, string) {
		t.Helper()
		cmd := exec.Command("script", "-qfec", binary+" setup --non-interactive --app-id "+appID+" "+flags, "/dev/null")
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "TERM=dumb"}, env...)
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for !strings.Contains(out.String(), "[y/N]") {
			if time.Now().After(deadline) {
				_ = cmd.Process.Kill()
				t.Fatalf("no question:\n%s", out.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		_, _ = stdin.Write([]byte(answer + "\n"))
		err = cmd.Wait()
		stdin.Close()
		return exitOf(t, err), out.String()
	}
	code, out := ask("n")
	if code != 1 || !strings.Contains(out, "Mallory") || !strings.Contains(out, "Nothing was changed") {
		t.Errorf("answer n: exit %d\n%s", code, out)
	}
	if _, w := emu.Counts(); w != 0 {
		t.Fatalf("%d writes after no", w)
	}
	if code, out = ask("y"); code != 0 {
		t.Errorf("answer y: exit %d\n%s", code, out)
	}
	if _, w := emu.Counts(); w == 0 {
		t.Error("yes configured nothing")
	}
}
