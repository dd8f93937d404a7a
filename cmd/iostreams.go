package cmd

import (
	"io"
	"os"
	"os/exec"
	"runtime"

	"github.com/mattn/go-isatty"
)

// IO is the program's view of the outside world — streams, terminal,
// environment, browser — injected so every command is testable, in the
// manner of GitHub CLI's iostreams.
type IO struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	InTTY  bool
	OutTTY bool
	ErrTTY bool
	Getenv func(string) string
	// OpenBrowser opens a URL; nil where there is no browser.
	OpenBrowser func(url string) error
	// TrustPEM adds root certificates to trust besides the system's (an
	// emulator's, in tests). Users set SSL_CERT_FILE instead.
	TrustPEM []byte
}

// SystemIO is the real terminal.
func SystemIO() *IO {
	return &IO{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		InTTY:       isatty.IsTerminal(os.Stdin.Fd()),
		OutTTY:      isatty.IsTerminal(os.Stdout.Fd()),
		ErrTTY:      isatty.IsTerminal(os.Stderr.Fd()),
		Getenv:      os.Getenv,
		OpenBrowser: systemBrowser(),
	}
}

// Color reports whether output may be coloured: never with NO_COLOR (any
// value), --no-color, TERM=dumb, or when stdout is not a terminal.
func (s *IO) Color(noColorFlag bool) bool {
	if noColorFlag || s.Getenv("NO_COLOR") != "" || s.Getenv("TERM") == "dumb" {
		return false
	}
	return s.OutTTY
}

// systemBrowser finds a way to open URLs, honouring $BROWSER.
func systemBrowser() func(string) error {
	if b := os.Getenv("BROWSER"); b != "" {
		return func(u string) error { return exec.Command(b, u).Start() }
	}
	var name string
	var args []string
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		name, args = "rundll32", []string{"url.dll,FileProtocolHandler"}
	default:
		if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
			return nil
		}
		name = "xdg-open"
	}
	if _, err := exec.LookPath(name); err != nil {
		return nil
	}
	return func(u string) error { return exec.Command(name, append(args, u)...).Start() }
}
