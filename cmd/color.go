package cmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/pqentra/pqentra/steps"
)

// palette colours marks and diff lines through lipgloss when its stream
// may be coloured (a terminal, no NO_COLOR, no --no-color), and leaves the
// text as it is otherwise: redirected output never carries escapes.
type palette struct {
	ok, fail, warn, info   lipgloss.Style
	add, del, hunk, header lipgloss.Style
}

// newPalette is the palette for a stream; color comes from
// IOStreams.ColorOut or ColorErr.
func newPalette(w io.Writer, color bool) palette {
	r := lipgloss.NewRenderer(w)
	// The decision is ours, not lipgloss's own terminal detection; 16-colour
	// ANSI works in every terminal, including the Windows console.
	if color {
		r.SetColorProfile(termenv.ANSI)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	s := r.NewStyle()
	return palette{
		ok:     s.Foreground(lipgloss.Color("2")),
		fail:   s.Foreground(lipgloss.Color("1")),
		warn:   s.Foreground(lipgloss.Color("3")),
		info:   s.Faint(true),
		add:    s.Foreground(lipgloss.Color("2")),
		del:    s.Foreground(lipgloss.Color("1")),
		hunk:   s.Foreground(lipgloss.Color("6")),
		header: s.Bold(true),
	}
}

// diff colours a unified diff line by line: + green, − red, @@ cyan.
func (p palette) diff(d string) string {
	lines := strings.SplitAfter(d, "\n")
	for i, l := range lines {
		body := strings.TrimSuffix(l, "\n")
		if body == "" {
			continue
		}
		var st lipgloss.Style
		switch {
		case strings.HasPrefix(body, "+++"), strings.HasPrefix(body, "---"):
			st = p.header
		case strings.HasPrefix(body, "+"):
			st = p.add
		case strings.HasPrefix(body, "-"):
			st = p.del
		case strings.HasPrefix(body, "@@"):
			st = p.hunk
		default:
			continue
		}
		lines[i] = st.Render(body) + l[len(body):]
	}
	return strings.Join(lines, "")
}

// printSent lists the changes of a run as sent: ✓ applied, ✗ the first
// that was not (when the run failed: it is the one that failed), and
// "- … (not sent)" for those after it. setup, undo and restore say it the
// same way.
func printSent(w io.Writer, p palette, cs []steps.Change, failed bool) {
	seenFailure := false
	for _, ch := range cs {
		mark, note := p.ok.Render("✓"), ""
		switch {
		case ch.Applied:
		case failed && !seenFailure:
			mark, note, seenFailure = p.fail.Render("✗"), " (failed)", true
		default:
			mark, note = "-", " (not sent)"
		}
		fmt.Fprintf(w, "%s %s%s\n  %s %s\n", mark, steps.Clean(ch.Summary), note, ch.Method, steps.Clean(ch.URL))
	}
}
