package graph

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/cache"

	"github.com/pqentra/pqentra/steps/safefile"
)

// CacheFile is where the MSAL token cache is kept.
func CacheFile(getenv func(string) string) (string, error) {
	d, err := CacheDir(getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "msal_token_cache.json"), nil
}

// fileCache keeps MSAL's cache in one file readable by its owner only: it
// holds refresh tokens. Writes go to a temporary file renamed into place, so
// a crash never leaves half a cache.
//
// A cache that cannot be written must not fail the sign-in the user just
// finished (MSAL fails the whole call when Export does): it costs a sign-in
// on the next run, and the user is told once, through warn.
type fileCache struct {
	path   string
	mu     sync.Mutex
	warn   func(string)
	warned bool // the user has been told the cache cannot be written
}

func newFileCache(path string, warn func(string)) *fileCache {
	return &fileCache{path: path, warn: warn}
}

// tell warns once.
func (c *fileCache) tell(msg string) {
	if c.warned {
		return
	}
	c.warned = true
	if c.warn != nil {
		c.warn(msg)
	}
}

var _ cache.ExportReplace = (*fileCache)(nil)

func (c *fileCache) Replace(ctx context.Context, u cache.Unmarshaler, _ cache.ReplaceHints) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	// A FIFO or device here is refused without waiting on it.
	b, err := safefile.ReadRegular(c.path, maxCacheBytes)
	if missing(err) {
		return nil
	}
	if err != nil {
		// PrepareCache refused this before sign-in; it changed since.
		c.tell(fmt.Sprintf("Cannot read the sign-in cache %s (%v); signing in again.", c.path, err))
		return nil
	}
	if len(b) == 0 {
		return nil
	}
	// A damaged cache only costs a new sign-in.
	_ = u.Unmarshal(b)
	return nil
}

func (c *fileCache) Export(ctx context.Context, m cache.Marshaler, _ cache.ExportHints) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, err := m.Marshal()
	if err != nil {
		return err
	}
	if err := c.write(b); err != nil {
		c.tell(unwritableWarning(c.path, err))
	}
	return nil
}

// maxCacheBytes bounds the token cache read: MSAL's is a few KB per
// account.
const maxCacheBytes = 64 << 20

func (c *fileCache) write(b []byte) error {
	dir := filepath.Dir(c.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if runtime.GOOS != "windows" { // Windows has ACLs, not modes
		if li, err := os.Lstat(dir); err == nil && li.Mode()&fs.ModeSymlink == 0 && li.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(dir, 0o700); err != nil {
				return err
			}
		}
	}
	tmp, err := os.CreateTemp(dir, ".msal-*.tmp") // created 0600
	if err != nil {
		return err
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return errors.Join(werr, cerr)
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), c.path)
}

// ClearCache removes the token cache file (pqentra logout). It reports
// whether there was one.
func ClearCache(path string) (bool, error) {
	err := os.Remove(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}
