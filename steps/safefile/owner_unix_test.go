//go:build unix

package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Issue 9: a 0444 connector (TFVC, Perforce: not checked out) was replaced
// and changed owner.
func TestReadOnlyIsRefusedUnlessForcedAndKeepsModeAndOwner(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "C.pq")
	write(t, p, orig)
	os.Chmod(p, 0o444)
	_, err := readReplace(t, p, patched, false)
	if !errors.Is(err, ErrReadOnly) || err.Error() != p+" is read-only (checked in? check it out first)" {
		t.Errorf("got %v", err)
	}
	if content(t, p) != orig || len(names(t, dir)) != 1 {
		t.Error("a refused write changed something")
	}
	if os.Getuid() == 0 {
		os.Chown(p, 4321, 4322)
	}
	if _, err := readReplace(t, p, patched, true); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(p)
	if content(t, p) != patched || fi.Mode().Perm() != 0o444 {
		t.Errorf("mode %v", fi.Mode())
	}
	if st := fi.Sys().(*syscall.Stat_t); os.Getuid() == 0 && (st.Uid != 4321 || st.Gid != 4322) {
		t.Errorf("owner %d:%d, want 4321:4322", st.Uid, st.Gid)
	}
}
