package tui

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Text fitting. Lines are broken at spaces, so a GUID, a URL or a command
// stays whole on its line whenever the line can hold it; a single word
// wider than the whole line (a long URL) is broken at the edge and goes on
// on the next line, never cut: every character of an id or URL stays on
// screen, and the copy keys (c) take the text whole. Only the M record is
// cut at the edge (clipLine), with a marker: wrapping would break its
// strings.

// wrap breaks text at spaces to width w. ANSI styles pass through (their
// sequences hold no spaces); existing line breaks are kept. A broken line
// of indented text goes on under its indentation, so wrapped JSON keeps
// its shape.
func wrap(s string, w int) string {
	if w <= 0 {
		return s
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		body := strings.TrimLeft(para, " ")
		indent := strings.Repeat(" ", len(para)-len(body))
		cont := "" // prose goes on at the margin; indented text under itself
		if indent != "" && len(indent)+2 <= w/2 {
			cont = indent + "  "
		}
		line, lineW := indent, len(indent)
		for i, word := range strings.Split(body, " ") {
			ww := ansi.StringWidth(word)
			switch {
			case i == 0:
				line, lineW = line+word, lineW+ww
			case lineW+1+ww <= w:
				line, lineW = line+" "+word, lineW+1+ww
			default:
				out = append(out, breakLine(line, w))
				line, lineW = cont+word, len(cont)+ww
			}
		}
		out = append(out, breakLine(line, w))
	}
	return strings.Join(out, "\n")
}

// breakLine breaks a line wider than w (one word too long for any line) at
// the edge, keeping every character. A URL or path breaks after its last
// / ? & = # on the line when that leaves the line at least half full, or
// when the segment after it (an id) then fits whole on the next line: so
// the id at its end stays whole (…adminconsent?client_id= | 3a13…,
// /applications/ | 745a…) and can be copied. Styles carry over.
func breakLine(l string, w int) string {
	if ansi.StringWidth(l) <= w {
		return l
	}
	if strings.ContainsRune(l, '\x1b') {
		return ansi.Hardwrap(l, w, true)
	}
	var out []string
	for ansi.StringWidth(l) > w {
		cut := ansi.Truncate(l, w, "")
		if i := strings.LastIndexAny(cut, urlSeparators); i+1 < len(cut) && (i+1 >= len(cut)/2 || i >= 0 && segmentFits(l[i+1:], w)) {
			cut = cut[:i+1]
		}
		if cut == "" { // a character wider than w
			_, n := utf8.DecodeRuneInString(l)
			cut = l[:n]
		}
		out = append(out, cut)
		l = l[len(cut):]
	}
	return strings.Join(append(out, l), "\n")
}

const urlSeparators = "/?&=#"

// segmentFits reports whether the start of s, up to its next URL
// separator, fits in w cells: breaking before it keeps it whole.
func segmentFits(s string, w int) bool {
	if i := strings.IndexAny(s, urlSeparators); i >= 0 {
		s = s[:i]
	}
	return ansi.StringWidth(s) <= w
}

// clipLine cuts a line wider than w, marking the cut with →.
func clipLine(l string, w int) string {
	if ansi.StringWidth(l) <= w {
		return l
	}
	return ansi.Truncate(l, w-1, "") + "→"
}

// ellipsize shortens a name to n cells, ending it with …
func ellipsize(s string, n int) string {
	if ansi.StringWidth(s) <= n {
		return s
	}
	return ansi.Truncate(s, n-1, "") + "…"
}

// fitLines clips every line of s to w and keeps at most n lines.
func fitLines(s string, w, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[:max(0, n)]
	}
	for i, l := range lines {
		lines[i] = clipLine(l, w)
	}
	return strings.Join(lines, "\n")
}

// hyperlink is an OSC 8 link: text the terminal opens as url.
func hyperlink(url, text string) string {
	return "\x1b]8;;" + url + "\x07" + text + "\x1b]8;;\x07"
}

// hyperlinksSupported guesses from the environment whether the terminal
// shows OSC 8 links; elsewhere the URL is printed as plain text. Terminal
// multiplexers are left out: they may drop the sequence and the text with it.
func hyperlinksSupported(getenv func(string) string) bool {
	if getenv("TMUX") != "" || getenv("STY") != "" || getenv("TERM") == "dumb" || getenv("TERM") == "linux" {
		return false
	}
	switch getenv("TERM_PROGRAM") {
	case "iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper", "rio":
		return true
	}
	if vte, _ := strconv.Atoi(getenv("VTE_VERSION")); vte >= 5000 || getenv("WT_SESSION") != "" || getenv("KITTY_WINDOW_ID") != "" {
		return true
	}
	term := getenv("TERM")
	for _, t := range []string{"kitty", "alacritty", "foot", "wezterm", "ghostty"} {
		if strings.Contains(term, t) {
			return true
		}
	}
	return false
}
