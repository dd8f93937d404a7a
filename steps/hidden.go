package steps

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Hidden characters: the one class of runes that can make text look like
// something it is not. It is Unicode's Cc (control characters, C0 and C1),
// Cf (format characters: zero-width space and joiners, the bidi embeddings,
// overrides and isolates U+202A–U+202E and U+2066–U+2069, LRM/RLM/ALM,
// the byte order mark U+FEFF, soft hyphen, …), Zl (U+2028) and Zp (U+2029).
// Input validation refuses them and Clean drops them from what it shows,
// so both sides agree on what "hidden" means.
var hiddenClass = []*unicode.RangeTable{unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp}

// IsHidden reports whether r is a hidden character (see hiddenClass).
func IsHidden(r rune) bool { return unicode.IsOneOf(hiddenClass, r) }

// hiddenNames name the hidden characters people meet most, so an error can
// say what it found; others are shown by code point only.
var hiddenNames = map[rune]string{
	'\t': "a tab", '\n': "a line break", '\r': "a carriage return", 0x1b: "an escape character (ESC)",
	0x7f: "a delete character (DEL)", 0x9b: "a C1 control (CSI)", 0xad: "a soft hyphen",
	0x061c: "the bidi mark ARABIC LETTER MARK", 0x200b: "a zero-width space",
	0x200c: "a zero-width non-joiner", 0x200d: "a zero-width joiner",
	0x200e: "the bidi mark LEFT-TO-RIGHT MARK", 0x200f: "the bidi mark RIGHT-TO-LEFT MARK",
	0x2028: "a line separator", 0x2029: "a paragraph separator",
	0x202a: "the bidi embedding LEFT-TO-RIGHT EMBEDDING", 0x202b: "the bidi embedding RIGHT-TO-LEFT EMBEDDING",
	0x202c: "the bidi control POP DIRECTIONAL FORMATTING", 0x202d: "the bidi override LEFT-TO-RIGHT OVERRIDE",
	0x202e: "the bidi override RIGHT-TO-LEFT OVERRIDE", 0x2060: "a word joiner",
	0x2066: "the bidi isolate LEFT-TO-RIGHT ISOLATE", 0x2067: "the bidi isolate RIGHT-TO-LEFT ISOLATE",
	0x2068: "the bidi isolate FIRST STRONG ISOLATE", 0x2069: "the bidi control POP DIRECTIONAL ISOLATE",
	0xfeff: "a byte order mark (zero-width no-break space)",
}

// DescribeRune names r for an error message: "U+202E (the bidi override
// RIGHT-TO-LEFT OVERRIDE)".
func DescribeRune(r rune) string {
	if n, ok := hiddenNames[r]; ok {
		return fmt.Sprintf("U+%04X (%s)", r, n)
	}
	switch {
	case unicode.Is(unicode.Cc, r):
		return fmt.Sprintf("U+%04X (a control character)", r)
	case unicode.Is(unicode.Cf, r):
		return fmt.Sprintf("U+%04X (an invisible format character)", r)
	}
	return fmt.Sprintf("U+%04X", r)
}

// checkVisible refuses text that is not valid UTF-8 or holds a hidden
// character. what names the value ("the display name"); the error says
// where the character is (1-based, in characters) so it can be found.
func checkVisible(what, s string) error {
	if !utf8.ValidString(s) {
		i := 0
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		return fmt.Errorf("%s is not valid UTF-8 (byte 0x%02X at byte %d): it was probably typed or pasted in another encoding; retype it as plain text", what, s[i], i+1)
	}
	pos := 0
	for _, r := range s {
		pos++
		if IsHidden(r) {
			return fmt.Errorf("%s contains %s at character %d, which hides or disguises text; type it again without it", what, DescribeRune(r), pos)
		}
	}
	return nil
}
