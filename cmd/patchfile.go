package cmd

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/m"
	"github.com/pqentra/pqentra/steps/safefile"
)

// connectorPatch is one write of a patched connector file, shared by
// `snippet --patch` and `doctor --fix --connector`. The write goes through
// safefile: temp file and rename, symlink followed, a backup that never
// overwrites another, and a refusal if the file changed since it was read.
type connectorPatch struct {
	ios   *IOStreams
	w     io.Writer // where the diff and the result go
	pal   palette   // colours for w
	yes   bool      // --yes: no question
	force bool      // --force: write a read-only file
	mark  string    // before the result line, e.g. "✓ "
	// plan returns the new text for the file's current text.
	plan func(src string) (string, error)
}

// maxReplans bounds how often a file that keeps changing under us is
// planned again before pqentra gives up.
const maxReplans = 5

// askAndWrite shows the change to f, asks, and writes it.
func (p *connectorPatch) askAndWrite(f *safefile.File) error {
	updated, done, err := p.offer(f, "already")
	if done || err != nil {
		return err
	}
	return p.write(f, updated)
}

// offer plans f's new text, shows the diff and asks. done is true when f
// already holds the record (already says so in the message: "already",
// or "now already" once the file changed under us), and nothing is owed.
func (p *connectorPatch) offer(f *safefile.File, already string) (updated string, done bool, err error) {
	if updated, err = p.plan(f.Text); err != nil {
		return "", false, patchError(f.Path, err)
	}
	if updated == f.Text {
		fmt.Fprintf(p.w, "%s %s has this Aad record; nothing to change.\n", steps.Clean(f.Path), already)
		return "", true, nil
	}
	fmt.Fprint(p.w, p.pal.diff(m.Diff(f.Text, updated)))
	if err := confirm(p.ios, p.yes, writeQuestion(f), "not writing "+steps.Clean(f.Path)); err != nil {
		return "", false, err
	}
	return updated, false, nil
}

// write writes updated (already confirmed) over f. When the file changed
// while the question waited, its new text is planned and shown again and
// the question asked again (with --yes, the new plan is written), so an
// edit saved meanwhile is never lost.
func (p *connectorPatch) write(f *safefile.File, updated string) error {
	for range maxReplans {
		res, err := f.Replace(updated, p.force)
		if err == nil {
			p.report(f, res)
			return nil
		}
		if !errors.Is(err, safefile.ErrChanged) {
			return fileError(err)
		}
		fmt.Fprintf(p.w, "%s changed while waiting (it was saved after pqentra read it); here is the change against its new text:\n", steps.Clean(f.Path))
		if f, err = safefile.Read(f.Path); err != nil {
			return fileError(err)
		}
		var done bool
		if updated, done, err = p.offer(f, "now already"); done || err != nil {
			return err
		}
	}
	return fileError(safefile.ErrChanged)
}

func (p *connectorPatch) report(f *safefile.File, res safefile.Written) {
	target := steps.Clean(res.Path)
	if f.Link {
		target += " through the link " + steps.Clean(f.Path)
	}
	fmt.Fprintf(p.w, "%sUpdated %s (original kept as %s)\n", p.mark, target, steps.Clean(res.Backup))
	if res.OwnerChanged {
		fmt.Fprintf(p.w, "note: %s now belongs to you; its owner could not be kept\n", steps.Clean(res.Path))
	}
}

func writeQuestion(f *safefile.File) string {
	return fmt.Sprintf("Write these changes to %s? The original is kept as %s.", steps.Clean(f.Path), steps.Clean(f.NextBackup()))
}

// writeNew writes a new file (snippet --out, the wizard's w) through
// safefile: it refuses a directory, a missing folder and, unless force, an
// existing file; new files get the platform's line endings.
func writeNew(path, text string, force bool) error {
	_, err := safefile.WriteNew(path, text, force)
	return err
}

// fileError adds the CLI's advice to a refusal from safefile: which flag
// overrides it.
func fileError(err error) error {
	switch {
	case errors.Is(err, safefile.ErrReadOnly), errors.Is(err, safefile.ErrOwner):
		return fmt.Errorf("%w — use --force to write anyway", err)
	case errors.Is(err, safefile.ErrExists):
		return fmt.Errorf("%w; pass --force to overwrite it", err)
	}
	return err
}

// patchError explains why the connector cannot be patched: where in the
// file (path:line:column, as compilers print it), or how to choose.
func patchError(path string, err error) error {
	path = steps.Clean(path)
	var le *m.LexError
	var several *m.SeveralKindsError
	switch {
	case errors.As(err, &le) && le.Pos() != "":
		return fmt.Errorf("%s:%s: %s (the file was left untouched)", path, le.Pos(), le.Msg)
	case errors.As(err, &several):
		var picks []string
		for _, n := range several.Names {
			picks = append(picks, "--kind "+shellQuote(n))
		}
		return fmt.Errorf("%s has several data source kind records (%s); pick one with %s",
			path, strings.Join(several.Names, ", "), strings.Join(picks, " or "))
	}
	return fmt.Errorf("%s was left untouched: %w", path, err)
}

var plainWord = regexp.MustCompile(`^[A-Za-z0-9_.\-]+$`)

// shellQuote quotes s for a command line when it needs it.
func shellQuote(s string) string {
	if plainWord.MatchString(s) {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`, "`", "\\`").Replace(s) + `"`
}
