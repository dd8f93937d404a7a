package tui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/pqentra/pqentra/steps/m"
)

// errFileExists: the snippet's file exists; the front end asks before
// replacing it.
var errFileExists = errors.New("the file exists")

// defaultSnippetPath is <ConnectorName>.aad.pq: a safe file name from the
// app's display name, in the current folder.
func (f *flow) defaultSnippetPath() string { return defaultPath(f.appName()) }

func defaultPath(displayName string) string {
	n := m.ConnectorName(displayName)
	return regexp.MustCompile(`[^A-Za-z0-9_.-]`).ReplaceAllString(n, "") + ".aad.pq"
}

// checkSnippetPath refuses what can never be written: no name, or a folder.
func (f *flow) checkSnippetPath(path string) error {
	path = strings.TrimSpace(path)
	if path == "" {
		return errors.New("give a file name, e.g. " + f.defaultSnippetPath())
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a folder: give a file name, e.g. %s", path, filepath.Join(path, f.defaultSnippetPath()))
	}
	return nil
}

// writeSnippet writes text to path. An existing file is replaced only when
// force is set; otherwise errFileExists lets the front end ask first.
func (f *flow) writeSnippet(path, text string, force bool) error {
	path = strings.TrimSpace(path)
	if err := f.checkSnippetPath(path); err != nil {
		return err
	}
	if !force {
		if _, err := os.Lstat(path); err == nil {
			return errFileExists
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("cannot write %s: %w", path, err)
		}
	}
	if err := f.opts.WriteFile(path, text+"\n", force); err != nil {
		return fmt.Errorf("could not write %s: %w", path, err)
	}
	return nil
}
