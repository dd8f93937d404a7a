package steps

import (
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf8"
)

// InertJSON rewrites JSON text so that every hidden character (IsHidden:
// C0/C1 controls, bidi overrides and isolates, zero-width and other format
// characters, line and paragraph separators) is written as a \uXXXX escape.
// The JSON means exactly the same, but its bytes can no longer drive a
// terminal (a raw U+009B is a CSI to many of them) or reorder what a person
// reads (U+202E). Go's encoder already escapes C0, U+2028 and U+2029; C1
// and format characters it writes raw.
//
// It is safe on any valid JSON: outside strings only ASCII punctuation and
// the whitespace \t \n \r (which it keeps; inside strings the encoder has
// already escaped them) may appear, so every rune it rewrites is inside a
// string, where \uXXXX means that rune.
func InertJSON(b []byte) []byte {
	if !hasHiddenBytes(b) {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if escapeInJSON(r) {
			out = appendEscape(out, r)
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

func hasHiddenBytes(b []byte) bool {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if escapeInJSON(r) {
			return true
		}
		i += size
	}
	return false
}

func escapeInJSON(r rune) bool {
	return r != utf8.RuneError && r != '\n' && r != '\t' && r != '\r' && IsHidden(r)
}

// appendEscape writes r as JSON escapes (a surrogate pair above the BMP,
// where Cf has the tag characters U+E0001…).
func appendEscape(out []byte, r rune) []byte {
	if r > 0xffff {
		r -= 0x10000
		return fmt.Appendf(out, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
	}
	return fmt.Appendf(out, `\u%04x`, r)
}

// WriteJSON writes v as indented JSON followed by a newline, with hidden
// characters escaped (InertJSON). Every JSON document pqentra prints goes
// through it.
func WriteJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	b = append(InertJSON(b), '\n')
	_, err = w.Write(b)
	return err
}
