package graph

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

func TestPrepareCacheRefusesAFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pqentra", "msal_token_cache.json")
	if err := os.MkdirAll(path, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := PrepareCache(path, steps.Command{})
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "is a folder") || !strings.Contains(err.Error(), "XDG_CACHE_HOME") {
		t.Fatalf("want an error naming the path and the fix, got %v", err)
	}
}

func TestPrepareCacheRefusesAnUnreadableFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pqentra")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "msal_token_cache.json")
	// A symlink loop cannot be read, even by root (tests may run as root,
	// for whom chmod 000 proves nothing).
	if err := os.Symlink(path, path); err != nil {
		t.Fatal(err)
	}
	_, err := PrepareCache(path, steps.Command{})
	if err == nil || !strings.Contains(err.Error(), "cannot read the sign-in cache "+path) || !strings.Contains(err.Error(), "pqentra logout") {
		t.Fatalf("want an error naming the path and the fix, got %v", err)
	}
}

func TestPrepareCacheTightensLooseModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pqentra")
	if err := os.MkdirAll(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "msal_token_cache.json")
	if err := os.WriteFile(path, []byte("{}"), 0o666); err != nil {
		t.Fatal(err)
	}
	// WriteFile and MkdirAll obey the umask; set the modes for real.
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o666); err != nil {
		t.Fatal(err)
	}
	// Windows keeps ACLs, not modes: nothing is changed there.
	if w, err := prepareCache(path, "windows", steps.Command{}); err != nil || w != "" {
		t.Fatalf("windows: %q %v", w, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o666 {
		t.Fatalf("windows changed the mode to %o", fi.Mode().Perm())
	}
	if w, err := prepareCache(path, "linux", steps.Command{}); err != nil || w != "" {
		t.Fatalf("unix: %q %v", w, err)
	}
	for p, want := range map[string]os.FileMode{dir: 0o700, path: 0o600} {
		if fi, _ := os.Stat(p); fi.Mode().Perm() != want {
			t.Errorf("%s: mode %o, want %o", p, fi.Mode().Perm(), want)
		}
	}
}

func TestPrepareCacheWarnsWhenTheFolderCannotBeWritten(t *testing.T) {
	// A file where the cache folder's parent should be: the folder can
	// never be made (root or not).
	parent := filepath.Join(t.TempDir(), "not-a-folder")
	if err := os.WriteFile(parent, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(parent, "pqentra", "msal_token_cache.json")
	w, err := PrepareCache(path, steps.Command{})
	if err != nil {
		t.Fatalf("an unwritable cache must not stop the run: %v", err)
	}
	if !strings.Contains(w, "cannot save the sign-in to "+path) || !strings.Contains(w, "sign in again") {
		t.Fatalf("warning: %q", w)
	}
}

// The sign-in still works with a cache folder that cannot be written, and
// the user hears about it once (before the fix MSAL failed the sign-in
// when saving the cache failed).
func TestUnwritableCacheWarnsOnceAndSignsIn(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	parent := filepath.Join(t.TempDir(), "not-a-folder")
	if err := os.WriteFile(parent, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	env.cachePath = filepath.Join(parent, "pqentra", "msal_token_cache.json")
	env.notes = nil
	env.client = env.newClient(t)
	if _, err := env.client.Me(t.Context()); err != nil {
		t.Fatalf("sign-in failed: %v", err)
	}
	if _, err := env.client.Organization(t.Context()); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range env.notes {
		if strings.Contains(s, "cannot save the sign-in") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("warned %d times: %q", n, env.notes)
	}
}
