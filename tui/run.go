package tui

import (
	"context"
	"io"
	"os"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/pqentra/pqentra/tui/termquery"
)

// Bubble Tea's init is done (it queried nothing: see termquery): TERM is
// the user's again for everything after it.
func init() { termquery.Restore() }

// Run shows the full-screen wizard on in/out until the user finishes or
// quits. Bubble Tea restores the terminal (alt screen, raw mode) on every
// way out, panics included; the caller prints Result afterwards so the
// snippet stays in the scroll-back.
func Run(ctx context.Context, o Options, in io.Reader, out io.Writer) (Result, error) {
	if !o.Color {
		// huh's themes draw with lipgloss's default renderer.
		lipgloss.SetColorProfile(termenv.Ascii)
	} else if f, ok := out.(*os.File); ok {
		// huh's and the key help's adaptive colours need the background:
		// the one terminal query pqentra makes, before the program owns
		// the terminal's input (Bubble Tea's own, at start-up, is off).
		lipgloss.SetHasDarkBackground(termenv.NewOutput(f).HasDarkBackground())
	}
	// The renderer and the clipboard (OSC 52) share the terminal: one lock
	// keeps an escape sequence from landing inside a frame.
	lw := lock(out)
	o.Out = lw
	m := New(ctx, o)
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(lw), tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithFPS(idleFPS))
	if o.Events != nil {
		o.Events.Attach(p.Send)
	}
	final, err := p.Run()
	m.cancel()
	if fm, ok := final.(*Model); ok {
		return fm.Result(), ignoreKilled(err)
	}
	return m.Result(), ignoreKilled(err)
}

// ignoreKilled: the context ending (Ctrl-C confirmed, or the caller's
// signal) is a normal way out, reported through Result.Canceled.
func ignoreKilled(err error) error {
	if err == tea.ErrProgramKilled {
		return nil
	}
	return err
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// lockedFile keeps a terminal recognisable as one (Bubble Tea needs the
// *os.File methods for raw mode and the window size) while its writes go
// through the lock.
type lockedFile struct {
	*os.File
	l *lockedWriter
}

func (f lockedFile) Write(p []byte) (int, error) { return f.l.Write(p) }

func lock(out io.Writer) io.Writer {
	l := &lockedWriter{w: out}
	if f, ok := out.(*os.File); ok {
		return lockedFile{File: f, l: l}
	}
	return l
}

// idleFPS is how often Bubble Tea's renderer wakes to look for a new
// frame. Its ticker runs whether or not anything changed (Bubble Tea v1
// cannot pause it), and it is what an idle wizard spends its CPU on: about
// 0.019 % of a core per frame per second (BenchmarkIdleWizard: 0.35 % at
// 20, 0.18 % at 12, 0.07 % at 5). Nothing else wakes an idle wizard: the
// cursor does not blink, the spinner stops with its call, the search
// debounce fires once. At 12 a keystroke shows within 83 ms.
const idleFPS = 12
