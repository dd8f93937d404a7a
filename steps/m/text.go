package m

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text returns s as an M text literal.
//
// Escaping follows the M spec's text-literal grammar: '"' is doubled, and
// "#(" — which would otherwise open a character escape — is written "#(#)(".
// A '#' not followed by '(' needs no escape. Line breaks and tabs become
// #(cr), #(lf), #(tab) (and CR LF becomes #(cr,lf)) so the literal stays on one
// line; every other non-printable character (controls, NUL, format
// characters such as bidi overrides, unusual spaces, line/paragraph
// separators) becomes a #(XXXX) or #(XXXXXXXX) hex escape so that nothing
// invisible ends up in a user's connector. Printable non-ASCII (accents,
// RTL letters, emoji) is kept as is: .pq files are UTF-8.
//
// Bytes of s that are not valid UTF-8 cannot exist in M text (which is
// Unicode) and are written as #(FFFD), U+FFFD REPLACEMENT CHARACTER.
func Text(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	writeEscaped(&b, s)
	b.WriteByte('"')
	return b.String()
}

func writeEscaped(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && w == 1:
			b.WriteString("#(FFFD)")
		case r == '"':
			b.WriteString(`""`)
		case r == '#' && i+1 < len(s) && s[i+1] == '(':
			b.WriteString("#(#)")
		case r == '\r' && i+1 < len(s) && s[i+1] == '\n':
			b.WriteString("#(cr,lf)")
			w = 2
		case r == '\r':
			b.WriteString("#(cr)")
		case r == '\n':
			b.WriteString("#(lf)")
		case r == '\t':
			b.WriteString("#(tab)")
		case r == ' ' || (unicode.IsPrint(r) && r != utf8.RuneError):
			b.WriteRune(r)
		case r <= 0xFFFF:
			fmt.Fprintf(b, "#(%04X)", r)
		default:
			fmt.Fprintf(b, "#(%08X)", r)
		}
		i += w
	}
}

// DecodeText returns the value of an M text literal ("..."), quoted
// identifier (#"...") or verbatim literal (#!"..."), undoing "" and #( )
// escapes. It is the inverse of Text and of Identifier's quoted form.
func DecodeText(lit string) (string, error) {
	body := lit
	switch {
	case strings.HasPrefix(body, `#!"`):
		body = body[2:]
	case strings.HasPrefix(body, `#"`):
		body = body[1:]
	}
	if len(body) < 2 || body[0] != '"' || body[len(body)-1] != '"' {
		return "", fmt.Errorf("not a text literal: %.40q", lit)
	}
	body = body[1 : len(body)-1]
	var b strings.Builder
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '"':
			if i+1 >= len(body) || body[i+1] != '"' {
				return "", fmt.Errorf("lone \" inside text literal at byte %d", i+1)
			}
			b.WriteByte('"')
			i += 2
		case c == '#' && i+1 < len(body) && body[i+1] == '(':
			end := strings.IndexByte(body[i:], ')')
			if end < 0 {
				return "", fmt.Errorf("unterminated #( escape at byte %d", i+1)
			}
			s, err := decodeEscapeList(body[i+2 : i+end])
			if err != nil {
				return "", err
			}
			b.WriteString(s)
			i += end + 1
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), nil
}

// decodeEscapeList decodes the inside of #( ): a comma-separated list of
// cr, lf, tab, #, or 4 or 8 hex digits. No spaces are allowed.
func decodeEscapeList(list string) (string, error) {
	var b strings.Builder
	for _, e := range strings.Split(list, ",") {
		switch e {
		case "cr":
			b.WriteByte('\r')
		case "lf":
			b.WriteByte('\n')
		case "tab":
			b.WriteByte('\t')
		case "#":
			b.WriteByte('#')
		default:
			if len(e) != 4 && len(e) != 8 {
				return "", fmt.Errorf("bad escape #(%s)", list)
			}
			n, err := strconv.ParseUint(e, 16, 32)
			if err != nil || strings.ContainsAny(e, "+-_") {
				return "", fmt.Errorf("bad escape #(%s)", list)
			}
			if n > unicode.MaxRune {
				return "", fmt.Errorf("escape #(%s) is beyond U+10FFFF", list)
			}
			// Lone surrogates are legal UTF-16 code units in M but have no
			// UTF-8 form; WriteRune turns them into U+FFFD.
			b.WriteRune(rune(n))
		}
	}
	return b.String(), nil
}

// keywords are M's reserved words (M spec, "Keywords and predefined
// identifiers"). A regular identifier, and each dotted part of one, must not
// be one of these.
var keywords = map[string]bool{
	"and": true, "as": true, "each": true, "else": true, "error": true, "false": true,
	"if": true, "in": true, "is": true, "let": true, "meta": true, "not": true,
	"null": true, "or": true, "otherwise": true, "section": true, "shared": true,
	"then": true, "true": true, "try": true, "type": true,
	"#binary": true, "#date": true, "#datetime": true, "#datetimezone": true,
	"#duration": true, "#infinity": true, "#nan": true, "#sections": true,
	"#shared": true, "#table": true, "#time": true,
}

// IsKeyword reports whether s is an M keyword.
func IsKeyword(s string) bool { return keywords[s] }

// IsRegularIdentifier reports whether name can be written without #"..."
// quoting: one or more dot-separated parts, each starting with a letter or
// '_', continuing with letters, digits, '_' or combining marks, and none a
// keyword. Format characters (Cf), which the spec allows inside identifiers,
// are rejected on purpose: they are invisible, and quoting shows them.
func IsRegularIdentifier(name string) bool {
	if name == "" || !utf8.ValidString(name) {
		return false
	}
	for _, part := range strings.Split(name, ".") {
		if part == "" || keywords[part] {
			return false
		}
		for i, r := range part {
			if i == 0 && !isIdentStart(r) {
				return false
			}
			if !isIdentStart(r) && !unicode.In(r, unicode.Nd, unicode.Pc, unicode.Mn, unicode.Mc) {
				return false
			}
		}
	}
	return true
}

// Identifier returns name as written in M: plain when it is a regular
// identifier, otherwise as a quoted identifier #"..." with Text's escaping.
func Identifier(name string) string {
	if IsRegularIdentifier(name) {
		return name
	}
	return "#" + Text(name)
}

// DecodeIdentifier returns the name a TokIdent or TokQuotedIdent token denotes.
func DecodeIdentifier(tok string) (string, error) {
	if strings.HasPrefix(tok, `#"`) {
		return DecodeText(tok)
	}
	return tok, nil
}

// asDecoded is what DecodeText(Text(s)) yields: s with each byte that is not
// valid UTF-8 replaced by U+FFFD.
func asDecoded(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r)
	}
	return b.String()
}
