package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Written says what a write did, for the message to the user.
type Written struct {
	Path         string // the file written: the real file behind any symlink
	Backup       string // the backup created, "" if none
	OwnerChanged bool   // forced: the file could not keep its owner
}

// Replace writes text over the file f was read from, keeping a backup of
// what was read. It refuses, writing nothing, when the file changed since
// it was read (ErrChanged), and unless force when it is read-only
// (ErrReadOnly) or would lose its owner (ErrOwner). The new file keeps the
// mode and owner of the old one.
func (f *File) Replace(text string, force bool) (Written, error) {
	return f.replace(text, force, true)
}

func (f *File) replace(text string, force, backup bool) (w Written, err error) {
	if err := f.CheckWritable(force); err != nil {
		return w, err
	}
	dir, base := splitPath(f.Real, goos)
	// pqentra's own writers in this folder take turns, so the check below
	// and the rename after it are one step for them.
	unlock := lockDir(displayDir(dir))
	defer unlock()
	if err := f.unchanged(); err != nil {
		return w, err
	}
	var created []string // removed again if the write does not happen
	defer func() {
		if err != nil {
			for _, p := range created {
				os.Remove(p)
			}
		}
	}()
	if backup {
		if w.Backup, err = f.backup(dir, base); err != nil {
			return w, fmt.Errorf("cannot keep a backup of %s, so it was not changed: %w", f.Path, err)
		}
		created = append(created, w.Backup)
	}
	tmp, changedOwner, err := writeTemp(dir, base, text, f.info, force)
	if err != nil {
		if errors.Is(err, ErrOwner) {
			return w, refuse(f.Path, ErrOwner, fmt.Sprintf("%s belongs to another user; replacing it would make it yours", f.Path))
		}
		return w, fmt.Errorf("cannot write %s: %w", f.Path, err)
	}
	created = append(created, tmp)
	// The last look before the rename: an edit saved while the backup and
	// the temporary file were written is not lost either.
	if err := f.unchanged(); err != nil {
		return w, err
	}
	if err := renameOver(tmp, f.Real, f.info); err != nil {
		return w, fmt.Errorf("cannot replace %s: %w", f.Path, err)
	}
	syncDir(displayDir(dir))
	w.Path, w.OwnerChanged = f.Real, changedOwner
	return w, nil
}

// CheckWritable is Replace's read-only refusal, for callers that check
// before doing other work they would not want half done.
func (f *File) CheckWritable(force bool) error {
	if f.ReadOnly() && !force {
		return refuse(f.Path, ErrReadOnly, fmt.Sprintf("%s is read-only (checked in? check it out first)", f.Path))
	}
	return nil
}

// maxBackups bounds the search for a free backup name.
const maxBackups = 1000

// backup copies what was read to base.bak, or base.bak.1, .bak.2, … when
// that exists. O_EXCL makes the create fail on any existing name, a
// symlink included, so no backup is ever overwritten and no link followed.
func (f *File) backup(dir, base string) (string, error) {
	for i := 0; i < maxBackups; i++ {
		name := base + ".bak"
		if i > 0 {
			name = fmt.Sprintf("%s.bak.%d", base, i)
		}
		path := filepath.Join(dir, name)
		fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		if err := writeClose(fh, f.Text, f.info.Mode().Perm()); err != nil {
			os.Remove(path)
			return "", err
		}
		return path, nil
	}
	return "", fmt.Errorf("%s.bak to %s.bak.%d all exist; remove some", base, base, maxBackups-1)
}

// writeTemp writes text to a new temporary file next to the target, with
// the target's mode and owner (like its info, when given). The name is
// random and the file is created with O_EXCL (os.CreateTemp), so a file or
// link planted in advance cannot take the write.
func writeTemp(dir, base, text string, like fs.FileInfo, force bool) (path string, ownerChanged bool, err error) {
	fh, err := os.CreateTemp(displayDir(dir), "."+base+".*.pqentra-tmp")
	if err != nil {
		return "", false, err
	}
	path = fh.Name()
	perm := fs.FileMode(newFilePerm)
	if like != nil {
		perm = like.Mode().Perm()
		if err := keepOwner(fh, like); err != nil {
			if !force {
				fh.Close()
				os.Remove(path)
				return "", false, err
			}
			ownerChanged = true
		}
	}
	if err := writeClose(fh, text, perm); err != nil {
		os.Remove(path)
		return "", false, err
	}
	return path, ownerChanged, nil
}

// newFilePerm is the mode of a file pqentra creates: a connector is not a
// secret, and teammates read it.
const newFilePerm = 0o644

// writeClose writes text, flushes it to disk, sets perm and closes.
func writeClose(fh *os.File, text string, perm fs.FileMode) error {
	_, err := fh.WriteString(text)
	if err == nil {
		err = fh.Sync()
	}
	if err == nil {
		err = fh.Chmod(perm)
	}
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	return err
}

// NextBackup is the name Replace would give the backup now: for the
// question asked before writing. (Replace reports the name it used.)
func (f *File) NextBackup() string {
	dir, base := splitPath(f.Real, goos)
	for i := 0; i < maxBackups; i++ {
		name := base + ".bak"
		if i > 0 {
			name = fmt.Sprintf("%s.bak.%d", base, i)
		}
		path := filepath.Join(dir, name)
		if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
			return path
		}
	}
	return filepath.Join(dir, base+".bak")
}
