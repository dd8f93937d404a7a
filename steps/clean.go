package steps

import "strings"

// Clean makes a string from the server safe to show on a terminal: escape
// sequences (CSI, OSC, …) are removed whole and every hidden character (see
// IsHidden) is dropped, so an app name or error message can never move the
// cursor, set the title, write the clipboard, reorder or hide text. Newlines
// and tabs become spaces unless keepNewlines is set.
func Clean(s string) string { return clean(s, false) }

// CleanMultiline is Clean that keeps line breaks.
func CleanMultiline(s string) string { return clean(s, true) }

// HasHidden reports whether s holds any hidden character (IsHidden, in
// hidden.go: Unicode Cc, Cf, Zl and Zp — the class input validation
// refuses).
func HasHidden(s string) bool { return strings.IndexFunc(s, IsHidden) >= 0 }

func clean(s string, keepNewlines bool) string {
	if !HasHidden(s) {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == 0x1b || r == 0x9b || r == 0x9d || r == 0x90 || r == 0x9e || r == 0x9f:
			i = skipEscape(rs, i)
		case r == '\n' && keepNewlines:
			b.WriteRune(r)
		case r == '\n' || r == '\t' || r == '\r':
			if !keepNewlines || r != '\r' {
				b.WriteRune(' ')
			}
		case IsHidden(r):
			// Dropped: see IsHidden.
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// skipEscape returns the index of the last rune of the escape sequence that
// starts at i.
func skipEscape(rs []rune, i int) int {
	r := rs[i]
	var kind rune
	switch {
	case r == 0x9b:
		kind = '['
	case r == 0x9d:
		kind = ']'
	case r == 0x90 || r == 0x9e || r == 0x9f:
		kind = 'P'
	default: // ESC
		if i+1 >= len(rs) {
			return i
		}
		i++
		kind = rs[i]
	}
	switch kind {
	case '[': // CSI: parameters, then one final byte 0x40–0x7e
		for i+1 < len(rs) {
			i++
			if rs[i] >= 0x40 && rs[i] <= 0x7e {
				return i
			}
		}
		return i
	case ']', 'P', '^', '_', 'X': // OSC, DCS, PM, APC, SOS: up to BEL or ST
		for i+1 < len(rs) {
			i++
			if rs[i] == 0x07 || rs[i] == 0x9c {
				return i
			}
			if rs[i] == 0x1b && i+1 < len(rs) && rs[i+1] == '\\' {
				return i + 1
			}
		}
		return i
	default: // two-character escape
		return i
	}
}
