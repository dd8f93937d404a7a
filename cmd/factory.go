package cmd

import (
	"os"
	"time"

	"github.com/pqentra/pqentra/tui/clipboard"
)

// Factory is what every command is built from, as in GitHub CLI's
// cmdutil.Factory: the streams, the environment, and the ways out of the
// process (directory, browser, clipboard, clock). NewCmdX copies what its
// command needs into its Options, so tests swap any of them.
type Factory struct {
	IO *IOStreams
	// Getenv reads the environment (XDG paths, overrides, NO_COLOR, TMUX).
	Getenv func(string) string
	// Browser opens a URL; nil where there is no browser.
	Browser func(url string) error
	// Clipboard copies text, writing any terminal escape sequence to the
	// stream it is given.
	Clipboard func(c clipboard.Request) clipboard.Result
	// Now is the clock.
	Now func() time.Time
	// Config is configuration that is neither a flag nor a stream.
	Config Config
	// OpenSession connects to the directory the global flags name. Nothing
	// is sent until the first call. Tests put a fake directory here.
	OpenSession func(g *Globals, h SessionHooks) (*Session, error)

	// Globals are the persistent flags, filled in by cobra before any
	// command runs.
	Globals *Globals

	// demoState is the demo tenant's file once a demo session opened, for
	// the hint on an unknown app id.
	demoState string
}

// Config is configuration outside the flags.
type Config struct {
	// TrustPEM adds root certificates to trust besides the system's (an
	// emulator's, in tests). Users set SSL_CERT_FILE instead.
	TrustPEM []byte
}

// NewFactory is the real machine.
func NewFactory() *Factory {
	f := &Factory{
		IO:        SystemIO(),
		Getenv:    os.Getenv,
		Browser:   systemBrowser(),
		Clipboard: clipboard.Copy,
		Now:       time.Now,
		Globals:   &Globals{},
	}
	f.OpenSession = f.openGraphSession
	return f
}

// complete fills what a hand-made Factory (tests) left out.
func (f *Factory) complete() {
	if f.Getenv == nil {
		f.Getenv = func(string) string { return "" }
	}
	if f.Clipboard == nil {
		f.Clipboard = clipboard.Copy
	}
	if f.Now == nil {
		f.Now = time.Now
	}
	if f.Globals == nil {
		f.Globals = &Globals{}
	}
	if f.OpenSession == nil {
		f.OpenSession = f.openGraphSession
	}
}
