//go:build unix

package safefile

import (
	"io/fs"
	"os"
	"syscall"
)

// lockDir takes an exclusive flock on the folder, so pqentra processes
// writing in it take turns. Locking is a courtesy between pqentra's own
// writers: where it is not supported, the write goes ahead (the content
// check still runs).
func lockDir(dir string) (unlock func()) {
	fh, err := os.Open(dir)
	if err != nil {
		return func() {}
	}
	if err := syscall.Flock(int(fh.Fd()), syscall.LOCK_EX); err != nil {
		fh.Close()
		return func() {}
	}
	return func() {
		syscall.Flock(int(fh.Fd()), syscall.LOCK_UN)
		fh.Close()
	}
}

// keepOwner gives fh the owner and group of like. Changing the owner needs
// privileges; failing to, it reports ErrOwner.
func keepOwner(fh *os.File, like fs.FileInfo) error {
	want, ok := like.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	info, err := fh.Stat()
	if err != nil {
		return err
	}
	have, ok := info.Sys().(*syscall.Stat_t)
	if !ok || (have.Uid == want.Uid && have.Gid == want.Gid) {
		return nil
	}
	if err := fh.Chown(int(want.Uid), int(want.Gid)); err != nil {
		return ErrOwner
	}
	return nil
}

// renameOver replaces target with tmp.
func renameOver(tmp, target string, _ fs.FileInfo) error { return os.Rename(tmp, target) }

// syncDir flushes the folder entry of a rename to disk (best effort).
func syncDir(dir string) {
	if fh, err := os.Open(dir); err == nil {
		fh.Sync()
		fh.Close()
	}
}
