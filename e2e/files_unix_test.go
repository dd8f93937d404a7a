//go:build unix

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// The file tests that read Unix process and file metadata (peak RSS,
// owner). The rest are in files_test.go.

// F10: a 50 MB connector took 4.2 GB. The whole process must stay within
// 10× the file size (peak resident memory, as the kernel counts it).
func TestBinaryLargeConnectorMemory(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("writes a 20 MB connector")
	}
	p := filepath.Join(t.TempDir(), "Big.pq")
	var b strings.Builder
	b.WriteString("section Big;\n\nBig = [\n    Authentication = [\n        Anonymous = []\n    ]\n];\n\n")
	for i := range 1_300_000 {
		fmt.Fprintf(&b, "M%07d = %d;\n", i, i)
	}
	writeFile(t, p, b.String(), 0o644)
	cmd := exec.Command(binary, patchArgs(p, "--yes")...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, offlineEnv(t)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024
	t.Logf("%d MB connector: peak RSS %d MB (%.1f× the file)", b.Len()>>20, rss>>20, float64(rss)/float64(b.Len()))
	if rss > 10*int64(b.Len()) {
		t.Errorf("peak RSS %d MB for a %d MB file: more than 10×", rss>>20, b.Len()>>20)
	}
	if !patched(fileText(t, p)[:400]) {
		t.Error("not patched")
	}
}

// Issue 9: a 0444 connector (TFVC/Perforce: not checked out) was replaced and
// changed owner.
func TestBinaryReadOnlyConnector(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "Contoso.pq")
	writeFile(t, p, connectorPQ, 0o444)
	r := runBinary(t, offlineEnv(t), patchArgs(p, "--yes")...)
	want := p + " is read-only (checked in? check it out first) — use --force to write anyway"
	if r.code != 1 || !strings.Contains(r.stderr, want) || fileText(t, p) != connectorPQ || len(dirNames(t, dir)) != 1 {
		t.Fatalf("exit %d, want the refusal %q\n%s", r.code, want, r.stderr)
	}
	root := os.Getuid() == 0
	if root {
		os.Chown(p, 4321, 4322)
	}
	r = runBinary(t, offlineEnv(t), patchArgs(p, "--yes", "--force")...)
	if r.code != 0 || !patched(fileText(t, p)) {
		t.Fatalf("--force: exit %d\n%s", r.code, r.stderr)
	}
	fi, _ := os.Stat(p)
	st := fi.Sys().(*syscall.Stat_t)
	if fi.Mode().Perm() != 0o444 || root && (st.Uid != 4321 || st.Gid != 4322) {
		t.Errorf("mode %v owner %d:%d; want 0444 and 4321:4322", fi.Mode().Perm(), st.Uid, st.Gid)
	}
}
