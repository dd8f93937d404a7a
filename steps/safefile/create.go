package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// WriteNew writes text to a file that must not exist yet, unless force,
// with this system's line endings (text is written with "\n"; Windows gets
// "\r\n"). An existing file is replaced only with force, keeping its mode
// and owner, through its symlink if it is one; no backup is made, since
// replacing was asked for. A directory, a missing folder or a name the
// system cannot create is refused with a message that says which.
func WriteNew(path, text string, force bool) (Written, error) {
	return writeNew(path, withLineEndings(text, lineEnding(goos)), force)
}

// CheckNew reports why WriteNew(path, …, false) would refuse, without
// writing: ErrExists (the caller may ask and pass force), ErrIsDir,
// ErrNoFolder or another refusal. The wizard asks before replacing a file,
// so it needs to know first.
func CheckNew(path string) error {
	_, _, err := checkNew(path)
	return err
}

// checkNew returns the folder and base name of path when it can be
// created, or the reason it cannot.
func checkNew(path string) (dir, base string, err error) {
	if path == "" {
		return "", "", refuse(path, fs.ErrInvalid, "no file name given")
	}
	dir, base = splitPath(path, goos)
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return dir, base, refuse(path, ErrIsDir, fmt.Sprintf("%s is a directory; name a file in it", path))
	}
	if base == "" {
		return dir, base, refuse(path, ErrIsDir, fmt.Sprintf("%s names a folder; add a file name", path))
	}
	if why := checkName(base, goos); why != "" {
		return dir, base, refuse(path, ErrReserved, fmt.Sprintf("%s %s; choose another name", base, why))
	}
	di, err := os.Stat(displayDir(dir))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return dir, base, refuse(path, ErrNoFolder, fmt.Sprintf("the folder %s doesn't exist; create it first or choose another folder", dir))
	case err != nil:
		return dir, base, fmt.Errorf("cannot use the folder %s: %w", displayDir(dir), err)
	case !di.IsDir():
		return dir, base, refuse(path, ErrNoFolder, fmt.Sprintf("%s is not a folder", dir))
	}
	if _, err := os.Lstat(path); err == nil {
		return dir, base, refuse(path, ErrExists, fmt.Sprintf("%s exists", path))
	} else if !errors.Is(err, fs.ErrNotExist) {
		return dir, base, err
	}
	return dir, base, nil
}

func writeNew(path, text string, force bool) (Written, error) {
	dir, base, err := checkNew(path)
	if errors.Is(err, ErrExists) && force {
		f, err := Read(path)
		if err != nil {
			return Written{}, err
		}
		return f.replace(text, true, false)
	}
	if err != nil {
		return Written{}, err
	}
	tmp, _, err := writeTemp(dir, base, text, nil, false)
	if err != nil {
		return Written{}, fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer os.Remove(tmp) // a no-op once it is linked or renamed
	if err := createFrom(tmp, path, force); err != nil {
		return Written{}, err
	}
	syncDir(displayDir(dir))
	return Written{Path: path}, nil
}

// createFrom puts the finished temporary file at path. Without force, a
// hard link does it, which fails if path appeared meanwhile (no file is
// ever replaced by accident). Where links are not supported (FAT, some
// network shares) it checks and renames instead.
func createFrom(tmp, path string, force bool) error {
	if !force {
		err := os.Link(tmp, path)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, fs.ErrExist):
			return refuse(path, ErrExists, fmt.Sprintf("%s exists", path))
		}
		if _, err := os.Lstat(path); err == nil {
			return refuse(path, ErrExists, fmt.Sprintf("%s exists", path))
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}
