//go:build !unix && !windows

package safefile

import (
	"io/fs"
	"os"
)

func lockDir(string) (unlock func())                     { return func() {} }
func keepOwner(*os.File, fs.FileInfo) error              { return nil }
func renameOver(tmp, target string, _ fs.FileInfo) error { return os.Rename(tmp, target) }
func syncDir(string)                                     {}
