package graph

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/safefile"
)

// PrepareCache checks the token cache before anyone is asked to sign in,
// so a cache pqentra cannot use is reported first, not after the user
// entered a device code.
//
//   - A cache path that is a folder, or a cache file that cannot be read,
//     is an error naming the path and the fix.
//   - A cache folder that cannot be created or written is a warning: the
//     run works, but the next one signs in again.
//   - On Unix, a cache file or folder others may read (left by an older
//     version, or made by hand) is tightened to 0600 / 0700: it holds
//     refresh tokens. A failure to tighten is a warning.
//
// run is how pqentra was started: the fix names `pqentra logout` with its
// global flags.
func PrepareCache(path string, run steps.Command) (warning string, err error) {
	return prepareCache(path, runtime.GOOS, run)
}

func prepareCache(path, goos string, run steps.Command) (string, error) {
	if path == "" {
		return "", nil
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return "", fmt.Errorf("the sign-in cache %s is a folder, not a file. Remove it (it is not pqentra's), "+
			"or set XDG_CACHE_HOME to another folder, then run the command again", path)
	case err == nil && !fi.Mode().IsRegular():
		return "", fmt.Errorf("the sign-in cache %s is not a plain file (%v); pqentra never opens one, since reading it could wait forever. "+
			"Remove it, or set XDG_CACHE_HOME to another folder, then run the command again", path, fi.Mode().Type())
	case err == nil:
		f, _, oerr := safefile.OpenRegular(path)
		if oerr != nil {
			return "", unreadableCache(path, oerr, run)
		}
		f.Close()
	case missing(err):
		// First run: nothing to read yet.
	default:
		return "", unreadableCache(path, err, run)
	}

	if err := os.MkdirAll(dir, 0o700); err != nil {
		return unwritableWarning(path, err), nil
	}
	var warning string
	if goos != "windows" {
		warning = tighten(dir, 0o700)
		if fi != nil && warning == "" {
			warning = tightenInside(dir, path, 0o600)
		}
	}
	probe, err := os.CreateTemp(dir, ".pqentra-probe-*")
	if err != nil {
		return unwritableWarning(path, err), nil
	}
	probe.Close()
	os.Remove(probe.Name())
	return warning, nil
}

// missing reports a file that is not there, including under a parent
// that is not a folder (ENOTDIR; the folder check reports that one).
func missing(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// tightenInside tightens the cache file, but never through a symbolic
// link that leads out of the cache folder: chmod follows links, and a link
// planted there must not make pqentra change the mode of another file.
func tightenInside(dir, path string, mode fs.FileMode) string {
	li, err := os.Lstat(path)
	if err != nil {
		return ""
	}
	if li.Mode()&fs.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(path)
		realDir, derr := filepath.EvalSymlinks(dir)
		if err != nil || derr != nil || filepath.Dir(real) != realDir {
			return fmt.Sprintf("The sign-in cache %s is a symbolic link out of its folder (to %s): pqentra does not change that file's mode. "+
				"Check it is yours and private (chmod 600), or remove the link.", path, real)
		}
	}
	return tighten(path, mode)
}

// tighten removes group and other permissions from path.
func tighten(path string, mode fs.FileMode) string {
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm()&0o077 == 0 {
		return ""
	}
	if err := os.Chmod(path, mode); err != nil {
		return fmt.Sprintf("The sign-in cache %s can be read by other users (mode %04o) and could not be tightened (%v): run chmod %04o %s.",
			path, fi.Mode().Perm(), err, mode, path)
	}
	return ""
}

func unreadableCache(path string, err error, run steps.Command) error {
	return fmt.Errorf("cannot read the sign-in cache %s (%v). Make it readable by you (chmod 600 %s), or delete it with "+
		"`%s`, then run the command again", path, cause(err), path, run.Line("logout"))
}

// cause is the system's reason inside a path error ("permission denied").
func cause(err error) error {
	if u := errors.Unwrap(err); u != nil {
		return u
	}
	return err
}

func unwritableWarning(path string, err error) string {
	return fmt.Sprintf("Warning: cannot save the sign-in to %s (%v), so the next run will ask you to sign in again. "+
		"Make %s writable by you, or set XDG_CACHE_HOME to a folder that is.", path, cause(err), filepath.Dir(path))
}
