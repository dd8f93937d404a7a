//go:build unix

package graph

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/steps"
)

// chmod follows symbolic links: a link planted at the cache's name must not
// make pqentra change the mode of a file outside the cache folder (issue 17).
func TestPrepareCacheDoesNotChmodThroughALinkOutOfItsFolder(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "someone-elses-file")
	if err := os.WriteFile(outside, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(outside, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "pqentra")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "msal_token_cache.json")
	if err := os.Symlink(outside, path); err != nil {
		t.Fatal(err)
	}
	warning, err := prepareCache(path, "linux", steps.Command{})
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(outside); fi.Mode().Perm() != 0o644 {
		t.Errorf("the file outside the cache folder became %v", fi.Mode().Perm())
	}
	if !strings.Contains(warning, "symbolic link") {
		t.Errorf("warning %q does not say why the mode was left", warning)
	}

	// A link inside the folder is tightened as the file itself would be.
	inside := filepath.Join(dir, "real.json")
	if err := os.WriteFile(inside, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(inside, 0o644)
	_ = os.Remove(path)
	if err := os.Symlink(inside, path); err != nil {
		t.Fatal(err)
	}
	if warning, err := prepareCache(path, "linux", steps.Command{}); err != nil || warning != "" {
		t.Errorf("inside: %q %v", warning, err)
	}
	if fi, _ := os.Stat(inside); fi.Mode().Perm() != 0o600 {
		t.Errorf("the cache file inside the folder is %v, want 0600", fi.Mode().Perm())
	}
}
