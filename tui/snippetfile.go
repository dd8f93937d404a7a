package tui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/pqentra/pqentra/steps/m"
	"github.com/pqentra/pqentra/steps/safefile"
)

// errFileExists: the snippet's file exists; the front end asks before
// replacing it.
var errFileExists = errors.New("the file exists")

// defaultSnippetPath is <Name>.aad.pq, named after the app, in the current
// folder.
func (f *flow) defaultSnippetPath() string { return defaultPath(f.appName()) }

// defaultPath keeps the letters and digits of any script in the app's name
// ("🚀 Données 東京 Connector" → Données東京Connector.aad.pq), not only
// ASCII as the connector's M name does (issue 9).
func defaultPath(displayName string) string {
	return safefile.NameFrom(displayName, m.DefaultConnectorName) + ".aad.pq"
}

// checkSnippetPath refuses what can never be written (no name, a folder, a
// folder that does not exist, a name the system refuses) with what to do
// instead. An existing file passes: the front end asks about it.
func (f *flow) checkSnippetPath(path string) error {
	path = strings.TrimSpace(path)
	err := safefile.CheckNew(path)
	switch {
	case err == nil, errors.Is(err, safefile.ErrExists):
		return nil
	case path == "":
		return errors.New("give a file name, e.g. " + f.defaultSnippetPath())
	case errors.Is(err, safefile.ErrIsDir):
		return fmt.Errorf("%s is a folder: name a file in it, e.g. %s", path, filepath.Join(path, f.defaultSnippetPath()))
	}
	return err
}

// writeSnippet writes text to path, with safefile's guarantees. An
// existing file is replaced only when force is set; otherwise errFileExists
// lets the front end ask first.
func (f *flow) writeSnippet(path, text string, force bool) error {
	path = strings.TrimSpace(path)
	if err := f.checkSnippetPath(path); err != nil {
		return err
	}
	if !force && errors.Is(safefile.CheckNew(path), safefile.ErrExists) {
		return errFileExists
	}
	write := f.opts.WriteFile
	if write == nil {
		write = func(path, text string, force bool) error {
			_, err := safefile.WriteNew(path, text, force)
			return err
		}
	}
	if err := write(path, text+"\n", force); err != nil {
		return fmt.Errorf("could not write %s: %w", path, err)
	}
	return nil
}
