//go:build windows

package safefile

import (
	"io/fs"
	"os"
)

// lockDir: Windows refuses to rename over a file another process has open,
// which already keeps two writers apart; the content check does the rest.
func lockDir(string) (unlock func()) { return func() {} }

// keepOwner: files created in a folder inherit its ACL on Windows; there
// is no owner to copy through os.
func keepOwner(*os.File, fs.FileInfo) error { return nil }

// renameOver replaces target with tmp. Windows will not replace a file
// with the read-only attribute, so a forced write clears it first (the new
// file already carries it) and restores it if the rename fails.
func renameOver(tmp, target string, like fs.FileInfo) error {
	readOnly := like.Mode().Perm()&0o222 == 0
	if readOnly {
		if err := os.Chmod(target, 0o666); err != nil {
			return err
		}
	}
	err := os.Rename(tmp, target)
	if err != nil && readOnly {
		os.Chmod(target, like.Mode().Perm())
	}
	return err
}

func syncDir(string) {}
