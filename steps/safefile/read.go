package safefile

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// File is a file as it was read: its text, and what Replace needs to
// write it back safely.
type File struct {
	Path string // as the caller named it
	Real string // Path with symlinks resolved: the file that is read and replaced
	Text string
	Link bool // Path itself is a symbolic link

	info fs.FileInfo
	sum  [sha256.Size]byte
}

// Read reads the regular file at path, following symlinks to the real
// file. The errors say what the path is when it is not a file.
func Read(path string) (*File, error) {
	real, err := resolve(path)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(real)
	if err != nil {
		return nil, err
	}
	if err := regular(path, info); err != nil {
		return nil, err
	}
	text, sum, err := readSum(real, info.Size())
	if err != nil {
		return nil, err
	}
	li, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	return &File{Path: path, Real: real, Text: text, Link: li.Mode()&fs.ModeSymlink != 0, info: info, sum: sum}, nil
}

// ReadOnly reports whether the file has no write permission at all (0444,
// or the Windows read-only attribute). In TFVC and Perforce workspaces that
// means "not checked out".
func (f *File) ReadOnly() bool { return f.info.Mode().Perm()&0o222 == 0 }

// resolve follows the symlinks of path to the real file, and says plainly
// when there is none.
func resolve(path string) (string, error) {
	real, err := filepath.EvalSymlinks(path)
	if err == nil {
		return real, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	if li, lerr := os.Lstat(path); lerr == nil && li.Mode()&fs.ModeSymlink != 0 {
		target, _ := os.Readlink(path)
		return "", refuse(path, fs.ErrNotExist, fmt.Sprintf("%s is a symbolic link to %s, which does not exist", path, target))
	}
	dir, _ := splitPath(path, goos)
	if _, derr := os.Stat(displayDir(dir)); errors.Is(derr, fs.ErrNotExist) {
		return "", refuse(path, ErrNoFolder, fmt.Sprintf("the folder %s doesn't exist", dir))
	}
	return "", refuse(path, fs.ErrNotExist, fmt.Sprintf("%s does not exist", path))
}

// regular refuses anything but a regular file.
func regular(path string, info fs.FileInfo) error {
	switch {
	case info.IsDir():
		return refuse(path, ErrIsDir, fmt.Sprintf("%s is a directory, not a file", path))
	case !info.Mode().IsRegular():
		return refuse(path, ErrNotRegular, fmt.Sprintf("%s is not a regular file (it is a %s); pqentra reads and writes only plain files", path, kindOfFile(info.Mode())))
	}
	return nil
}

// kindOfFile names a file mode that is not a regular file.
func kindOfFile(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeCharDevice != 0, m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

// readSum reads a file and hashes it in one pass, into a buffer sized once.
func readSum(path string, size int64) (string, [sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	fh, _, err := OpenRegular(path)
	if err != nil {
		return "", sum, err
	}
	defer fh.Close()
	var b strings.Builder
	b.Grow(int(size) + 1)
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(&b, h), fh); err != nil {
		return "", sum, err
	}
	h.Sum(sum[:0])
	return b.String(), sum, nil
}

// unchanged checks that the file at f.Path is still the one read: the
// same real file, size and SHA-256. It streams, so the check costs no
// memory for a large file.
func (f *File) unchanged() error {
	changed := refuse(f.Path, ErrChanged, fmt.Sprintf("the file changed while waiting; nothing written (%s was modified after pqentra read it)", f.Path))
	real, err := filepath.EvalSymlinks(f.Path)
	if err != nil || real != f.Real {
		return changed
	}
	info, err := os.Stat(real)
	if err != nil || !info.Mode().IsRegular() || info.Size() != f.info.Size() {
		return changed
	}
	fh, _, err := OpenRegular(real)
	if err != nil {
		return changed
	}
	defer fh.Close()
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return err
	}
	var sum [sha256.Size]byte
	if h.Sum(sum[:0]); sum != f.sum {
		return changed
	}
	return nil
}
