package cmd

import (
	"context"
	"io"
	"os"
	"sync"

	"github.com/mattn/go-isatty"
)

// IOStreams are the program's three streams and whether each is a
// terminal, in the manner of GitHub CLI's iostreams. Tests build one over
// buffers; the environment, browser and TLS trust live in the Factory.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	InTTY  bool
	OutTTY bool
	ErrTTY bool
	// NoColor is set by NO_COLOR (any value), TERM=dumb or --no-color.
	NoColor bool
	// done, when set, ends a question's wait (Ctrl-C): Execute sets it
	// from the run's context.
	done context.Context
}

// waitCtx is what ends a wait for an answer on In.
func (s *IOStreams) waitCtx() context.Context {
	if s.done == nil {
		return context.Background()
	}
	return s.done
}

// SystemIO is the real terminal.
func SystemIO() *IOStreams {
	s := &IOStreams{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		InTTY:   isTerminal(os.Stdin),
		OutTTY:  isTerminal(os.Stdout),
		ErrTTY:  isTerminal(os.Stderr),
		NoColor: noColorEnv(os.Getenv),
	}
	if (s.OutTTY && !enableColor(os.Stdout)) || (s.ErrTTY && !enableColor(os.Stderr)) {
		s.NoColor = true
	}
	return s
}

// isTerminal: a console or terminal, including Cygwin/MSYS2 (Git Bash)
// ptys on Windows.
func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// noColorEnv: NO_COLOR set to anything (https://no-color.org), or a dumb terminal.
func noColorEnv(getenv func(string) string) bool {
	return getenv("NO_COLOR") != "" || getenv("TERM") == "dumb"
}

// ColorOut reports whether stdout may be coloured: a terminal, and no
// NO_COLOR, TERM=dumb or --no-color.
func (s *IOStreams) ColorOut() bool { return s.OutTTY && !s.NoColor }

// ColorErr is ColorOut for stderr.
func (s *IOStreams) ColorErr() bool { return s.ErrTTY && !s.NoColor }

// outGuard remembers the first failed write to stdout — a full disk, a
// closed pipe — so a run whose output was lost exits 1 instead of 0.
type outGuard struct {
	w   io.Writer
	mu  sync.Mutex
	err error
}

func (g *outGuard) Write(p []byte) (int, error) {
	n, err := g.w.Write(p)
	if err != nil {
		g.mu.Lock()
		if g.err == nil {
			g.err = err
		}
		g.mu.Unlock()
	}
	return n, err
}

// Fd lets terminal code (colour, size) see the file underneath.
func (g *outGuard) Fd() uintptr {
	if f, ok := g.w.(interface{ Fd() uintptr }); ok {
		return f.Fd()
	}
	return ^uintptr(0)
}

func (g *outGuard) failed() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}
