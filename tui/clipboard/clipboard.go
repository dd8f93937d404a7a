// Package clipboard copies text for the user: through the native clipboard
// where the machine has one, and as an OSC 52 terminal escape (works over
// SSH and in most modern terminals, and through tmux and GNU screen when
// wrapped for them). Copy reports what it did in words that claim no more
// than it knows: a native copy is checked by the OS, an OSC 52 sequence is
// only "sent" — the terminal gives no answer.
package clipboard

import (
	"encoding/base64"
	"errors"
	"io"
	"os/exec"
	"runtime"
	"strings"

	native "github.com/atotto/clipboard"
)

// Method names in Result.Methods.
const (
	MethodOSC52       = "osc52"        // plain OSC 52 written to the terminal
	MethodOSC52Tmux   = "osc52-tmux"   // OSC 52 for tmux, plain and in its passthrough DCS
	MethodOSC52Screen = "osc52-screen" // OSC 52 in GNU screen DCS chunks
	MethodNative      = "native"       // the OS clipboard (pbcopy, clip, xclip/xsel, wl-copy)
)

// TmuxHint is how to let programs inside tmux set the clipboard.
const TmuxHint = "tmux set -g set-clipboard on"

// Seams for tests.
var (
	nativeWrite     = native.WriteAll
	nativeSupported = func() bool { return !native.Unsupported }
	goos            = runtime.GOOS
	// tmuxOption reads a global tmux option, e.g. set-clipboard.
	tmuxOption = func(name string) (string, error) {
		out, err := exec.Command("tmux", "show-options", "-gv", name).Output()
		return strings.TrimSpace(string(out)), err
	}
)

// Request is one copy.
type Request struct {
	Text string
	// Term is where an OSC 52 sequence may go; it is written only when
	// TermIsTTY, so a redirected stream never receives an escape sequence.
	Term      io.Writer
	TermIsTTY bool
	// Getenv reads TMUX, TERM, DISPLAY, WAYLAND_DISPLAY; nil is an empty
	// environment.
	Getenv func(string) string
}

// Result says what happened.
type Result struct {
	// Methods that were carried out: MethodNative when the OS clipboard
	// took the text, an OSC 52 method when the sequence went to a terminal.
	Methods []string
	// Message is one sentence for the user about what happened.
	Message string
	// Err is set when nothing was copied; Message then says why and how
	// to fix it.
	Err error
}

// Copied reports whether the OS clipboard took the text.
func (r Result) Copied() bool { return r.has(MethodNative) }

func (r Result) has(m string) bool {
	for _, x := range r.Methods {
		if x == m {
			return true
		}
	}
	return false
}

// Copy puts r.Text on the native clipboard and, when r.Term is a terminal,
// sends the OSC 52 sequence for it (unless inside a tmux that would drop
// it).
func Copy(r Request) Result {
	env := r.Getenv
	if env == nil {
		env = func(string) string { return "" }
	}
	var res Result
	var nativeErr error
	if nativeUsable(env) {
		if nativeErr = nativeWrite(r.Text); nativeErr == nil {
			res.Methods = append(res.Methods, MethodNative)
		}
	}
	tmux := env("TMUX") != ""
	forwards, known := true, true
	if tmux {
		forwards, known = tmuxForwards()
	}
	tmuxDrops := !forwards
	var oscErr error
	sent := false
	if r.Term != nil && r.TermIsTTY && !tmuxDrops {
		seq, method := Sequence(r.Text, env)
		if _, oscErr = io.WriteString(r.Term, seq); oscErr == nil {
			res.Methods = append(res.Methods, method)
			sent = true
		}
	}
	switch {
	case res.Copied() && tmuxDrops:
		res.Message = "Copied to the clipboard (this machine's: tmux keeps programs from setting your terminal's; to allow it: " + TmuxHint + ")."
	case res.Copied():
		res.Message = "Copied to the clipboard."
	case sent && tmux && !known:
		res.Message = "Sent to the terminal's clipboard through tmux (OSC 52); if it does not arrive, run: " + TmuxHint
	case sent && tmux:
		res.Message = "Sent to the terminal's clipboard through tmux (OSC 52)."
	case sent:
		res.Message = "Sent to the terminal's clipboard (OSC 52)."
	case tmuxDrops:
		res.Err = errors.New("Not copied: tmux keeps programs from setting the clipboard; to allow it, run: " + TmuxHint)
	case r.Term != nil && !r.TermIsTTY:
		res.Err = errors.New("Not copied: the output is not a terminal (OSC 52 needs one) and there is no native clipboard (" + nativeTools() + ")")
	default:
		res.Err = errors.New("Not copied: no terminal to send OSC 52 to and no native clipboard (" + nativeTools() + ")")
	}
	if res.Err != nil {
		if err := errors.Join(nativeErr, oscErr); err != nil {
			res.Err = errors.Join(res.Err, err)
		}
		res.Message = res.Err.Error()
	}
	return res
}

// nativeTools names what the native clipboard needs on this OS.
func nativeTools() string {
	switch goos {
	case "darwin":
		return "pbcopy failed"
	case "windows":
		return "the Windows clipboard failed"
	}
	return "install wl-clipboard, xclip or xsel, with a display"
}

// tmuxForwards reports whether tmux passes a program's OSC 52 on to the
// terminal: set-clipboard on (tmux takes it and sets the terminal's
// clipboard), or allow-passthrough on (the DCS-wrapped copy goes through).
// The default, set-clipboard external, drops it. When tmux cannot be
// asked (known is false), assume it forwards: the message then says how to
// enable it.
func tmuxForwards() (forwards, known bool) {
	v, err := tmuxOption("set-clipboard")
	if err != nil {
		return true, false
	}
	if v == "on" {
		return true, true
	}
	p, err := tmuxOption("allow-passthrough")
	return err == nil && (p == "on" || p == "all"), true
}

// nativeUsable: the atotto package found a tool, and on Linux/BSD there is a
// display for it to talk to (xclip without $DISPLAY fails after a delay, and
// over SSH it would fill the remote machine's clipboard, not the user's).
func nativeUsable(env func(string) string) bool {
	if !nativeSupported() {
		return false
	}
	switch goos {
	case "darwin", "windows":
		return true
	}
	return env("DISPLAY") != "" || env("WAYLAND_DISPLAY") != ""
}

// Sequence returns the bytes that set the terminal's clipboard to text, and
// the method name. Inside tmux ($TMUX set) it returns a plain OSC 52, which
// tmux takes into its paste buffer (and passes on) with set-clipboard on,
// followed by the same sequence wrapped in tmux's passthrough DCS, which
// reaches the outer terminal when allow-passthrough is on. In GNU screen
// (TERM=screen*, no $TMUX) the sequence is cut into DCS chunks, because screen
// drops long DCS strings.
func Sequence(text string, env func(string) string) (string, string) {
	osc := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(text)) + "\x07"
	switch {
	case env("TMUX") != "":
		// In passthrough, every ESC of the inner sequence is doubled.
		return osc + "\x1bPtmux;" + strings.ReplaceAll(osc, "\x1b", "\x1b\x1b") + "\x1b\\", MethodOSC52Tmux
	case strings.HasPrefix(env("TERM"), "screen"):
		return screenChunks(osc), MethodOSC52Screen
	}
	return osc, MethodOSC52
}

// screenChunk is how many bytes of the sequence go in one DCS; screen's
// limit on a DCS string is 768 bytes, so stay well under it.
const screenChunk = 76

func screenChunks(seq string) string {
	var b strings.Builder
	for len(seq) > 0 {
		n := min(screenChunk, len(seq))
		b.WriteString("\x1bP")
		b.WriteString(seq[:n])
		b.WriteString("\x1b\\")
		seq = seq[n:]
	}
	return b.String()
}
