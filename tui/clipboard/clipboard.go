// Package clipboard copies text for the user: as an OSC 52 terminal escape
// (works over SSH and in most modern terminals, and through tmux and GNU
// screen when wrapped for them) and, where the machine has one, through the
// native clipboard. Either may be unavailable; Copy reports what it did.
package clipboard

import (
	"encoding/base64"
	"errors"
	"io"
	"runtime"
	"strings"

	native "github.com/atotto/clipboard"
)

// Method names returned by Copy.
const (
	MethodOSC52       = "osc52"        // plain OSC 52 written to the terminal
	MethodOSC52Tmux   = "osc52-tmux"   // OSC 52 wrapped in tmux's passthrough DCS
	MethodOSC52Screen = "osc52-screen" // OSC 52 in GNU screen DCS chunks
	MethodNative      = "native"       // the OS clipboard (pbcopy, clip, xclip/xsel, wl-copy)
)

// Seams for tests.
var (
	nativeWrite     = native.WriteAll
	nativeSupported = func() bool { return !native.Unsupported }
	goos            = runtime.GOOS
)

// Copy puts text on the clipboard. It writes the OSC 52 sequence for the
// terminal described by env (TMUX, TERM) to w, when w is not nil, and then
// tries the native clipboard. env is usually os.Getenv; nil means an empty
// environment. It returns the methods that succeeded; err is non-nil only
// when none did.
func Copy(w io.Writer, text string, env func(string) string) (methods []string, err error) {
	if env == nil {
		env = func(string) string { return "" }
	}
	var errs []error
	if w != nil {
		seq, method := Sequence(text, env)
		if _, werr := io.WriteString(w, seq); werr != nil {
			errs = append(errs, werr)
		} else {
			methods = append(methods, method)
		}
	}
	if nativeUsable(env) {
		if nerr := nativeWrite(text); nerr != nil {
			errs = append(errs, nerr)
		} else {
			methods = append(methods, MethodNative)
		}
	}
	if len(methods) == 0 {
		if len(errs) == 0 {
			errs = append(errs, errors.New("clipboard: no terminal to write to and no native clipboard"))
		}
		return nil, errors.Join(errs...)
	}
	return methods, nil
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
