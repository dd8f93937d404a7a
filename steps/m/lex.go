package m

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TokenKind classifies a lexed token.
type TokenKind int

const (
	TokIdent        TokenKind = iota // regular identifier, possibly dotted (a.b.c); keywords included, see Token.IsKeyword
	TokQuotedIdent                   // #"..."
	TokHashKeyword                   // #shared, #table, ... (any # followed by letters)
	TokText                          // "..."
	TokVerbatim                      // #!"..."
	TokNumber                        // 1, 1.5, .5, 1e3, 0xFF
	TokLineComment                   // // ... (up to, not including, the line break)
	TokBlockComment                  // /* ... */
	TokPunct                         // operators, separators and brackets: [ ] ( ) { } , ; = => etc.
	TokOther                         // a character M does not use; kept so callers can decide
)

// Token is one lexeme. Start and End are byte offsets into the source
// (End exclusive), so src[Start:End] is the exact source text.
type Token struct {
	Kind       TokenKind
	Start, End int
	Text       string
}

// IsComment reports whether the token is a comment.
func (t Token) IsComment() bool { return t.Kind == TokLineComment || t.Kind == TokBlockComment }

// Is reports whether the token is the punctuation p.
func (t Token) Is(p string) bool { return t.Kind == TokPunct && t.Text == p }

// LexError is a failure at a place in the source: Offset is the byte
// offset, Line and Col (1-based; Col counts characters, as editors do) are
// filled in by every exported function of this package, so messages can
// point at line:column instead of a byte offset.
type LexError struct {
	Offset    int
	Line, Col int
	Msg       string
}

func (e *LexError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg)
}

// Pos is "line:column", or "" when unknown.
func (e *LexError) Pos() string {
	if e.Line == 0 {
		return ""
	}
	return fmt.Sprintf("%d:%d", e.Line, e.Col)
}

// punctLen is the length of the punctuator at src[i] (0 if none), longest
// match first so that "..." wins over ".." and ".". M's punctuators are
// ... .. => <= >= <> ?? and [ ] ( ) { } , ; = < > + - * / & @ ! ? .
func punctLen(src string, i int) int {
	next := func(b byte) bool { return hasAt(src, i+1, b) }
	switch src[i] {
	case '.':
		switch {
		case next('.') && hasAt(src, i+2, '.'):
			return 3
		case next('.'):
			return 2
		}
		return 1
	case '=':
		if next('>') {
			return 2
		}
		return 1
	case '<':
		if next('=') || next('>') {
			return 2
		}
		return 1
	case '>':
		if next('=') {
			return 2
		}
		return 1
	case '?':
		if next('?') {
			return 2
		}
		return 1
	case '[', ']', '(', ')', '{', '}', ',', ';', '+', '-', '*', '/', '&', '@', '!':
		return 1
	}
	return 0
}

// tok is the package's compact token: offsets and kind only (the text is
// src[start:end]). A 50 MB connector has over 13 million tokens, so the
// 12 bytes of a tok instead of the 40 of a Token are most of the memory
// saved.
type tok struct {
	start, end int32
	kind       uint8
}

// maxSource is the largest source the int32 offsets of tok can address.
const maxSource = 1<<31 - 1

// Lex splits src into tokens, skipping whitespace. It fails on an
// unterminated text literal, quoted identifier or block comment, and on a
// malformed #( ) escape inside a literal: Power Query rejects those files too,
// and guessing where a string ends would make every later decision wrong.
func Lex(src string) ([]Token, error) {
	if len(src) > maxSource {
		return nil, errTooLarge
	}
	var toks []Token
	lx := lexer{src: src}
	for {
		t, ok, err := lx.next()
		if err != nil {
			return nil, withPosition(src, err)
		}
		if !ok {
			return toks, nil
		}
		toks = append(toks, Token{Kind: TokenKind(t.kind), Start: int(t.start), End: int(t.end), Text: src[t.start:t.end]})
	}
}

var errTooLarge = errors.New("the file is larger than 2 GB; a connector cannot be that large")

// lexer yields the tokens of src one at a time, so callers store them in
// the form they need.
type lexer struct {
	src string
	i   int
}

func (lx *lexer) next() (tok, bool, error) {
	src := lx.src
	i := lx.i
	for i < len(src) {
		if c := src[i]; c < utf8.RuneSelf {
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
				i++
				continue
			}
			break
		}
		r, w := utf8.DecodeRuneInString(src[i:])
		// A byte order mark at the very start is an encoding marker, not
		// part of the text (Visual Studio writes one into .pq files).
		if !isWhitespace(r) && !(r == 0xFEFF && i == 0) {
			break
		}
		i += w
	}
	if i >= len(src) {
		lx.i = i
		return tok{}, false, nil
	}
	r, w := rune(src[i]), 1
	if r >= utf8.RuneSelf {
		r, w = utf8.DecodeRuneInString(src[i:])
	}
	start := i
	var kind TokenKind
	var err error
	switch {
	case r == '/' && hasAt(src, i+1, '/'):
		kind = TokLineComment
		i = lineEnd(src, i)
	case r == '/' && hasAt(src, i+1, '*'):
		kind = TokBlockComment
		end := indexFrom(src, i+2, "*/")
		if end < 0 {
			return tok{}, false, &LexError{Offset: start, Msg: "unterminated /* comment"}
		}
		i = end + 2
	case r == '"':
		kind = TokText
		i, err = scanText(src, i)
	case r == '#' && hasAt(src, i+1, '"'):
		kind = TokQuotedIdent
		i, err = scanText(src, i+1)
	case r == '#' && hasAt(src, i+1, '!') && hasAt(src, i+2, '"'):
		kind = TokVerbatim
		i, err = scanText(src, i+2)
	case r == '#' && i+1 < len(src) && isLetterByte(src[i+1]):
		kind = TokHashKeyword
		i++
		for i < len(src) && isLetterByte(src[i]) {
			i++
		}
	case isDigit(r) || (r == '.' && i+1 < len(src) && isDigitByte(src[i+1])):
		kind = TokNumber
		i = scanNumber(src, i)
	case isIdentStart(r):
		kind = TokIdent
		i = scanIdent(src, i)
	default:
		kind = TokOther
		i += w
		if n := punctLen(src, start); n > 0 {
			kind, i = TokPunct, start+n
		}
	}
	if err != nil {
		return tok{}, false, err
	}
	lx.i = i
	return tok{start: int32(start), end: int32(i), kind: uint8(kind)}, true, nil
}

// scanText scans a "..." literal whose opening quote is at q and returns the
// offset just past the closing quote. "" is an escaped quote.
func scanText(src string, q int) (int, error) {
	i := q + 1
	for i < len(src) {
		switch src[i] {
		case '"':
			if hasAt(src, i+1, '"') {
				i += 2
				continue
			}
			return i + 1, nil
		case '#':
			if hasAt(src, i+1, '(') {
				end, err := scanEscape(src, i)
				if err != nil {
					return 0, err
				}
				i = end
				continue
			}
		}
		i++
	}
	return 0, &LexError{Offset: q, Msg: "unterminated text literal"}
}

// scanEscape checks a #( ... ) escape at i and returns the offset past ')'.
func scanEscape(src string, i int) (int, error) {
	end := indexFrom(src, i+2, ")")
	if end < 0 {
		return 0, &LexError{Offset: i, Msg: "unterminated #( escape"}
	}
	if _, err := decodeEscapeList(src[i+2 : end]); err != nil {
		return 0, &LexError{Offset: i, Msg: err.Error()}
	}
	return end + 1, nil
}

func scanNumber(src string, i int) int {
	if src[i] == '0' && i+2 < len(src) && (src[i+1] == 'x' || src[i+1] == 'X') && isHexByte(src[i+2]) {
		i += 2
		for i < len(src) && isHexByte(src[i]) {
			i++
		}
		return i
	}
	for i < len(src) && isDigitByte(src[i]) {
		i++
	}
	// A '.' belongs to the number only when a digit follows, so 1..3 lexes as 1 .. 3.
	if i+1 < len(src) && src[i] == '.' && isDigitByte(src[i+1]) {
		i++
		for i < len(src) && isDigitByte(src[i]) {
			i++
		}
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < len(src) && isDigitByte(src[j]) {
			i = j
			for i < len(src) && isDigitByte(src[i]) {
				i++
			}
		}
	}
	return i
}

// scanIdent scans a regular identifier; a '.' continues it only when an
// identifier-start character follows (the spec's dotted regular-identifier).
func scanIdent(src string, i int) int {
	for {
		_, w := utf8.DecodeRuneInString(src[i:])
		i += w
		for i < len(src) {
			if c := src[i]; c < utf8.RuneSelf {
				if c != '_' && !isLetterByte(c) && !isDigitByte(c) {
					break
				}
				i++
				continue
			}
			r, w := utf8.DecodeRuneInString(src[i:])
			if !isIdentPart(r) {
				break
			}
			i += w
		}
		if i+1 < len(src) && src[i] == '.' {
			if r, _ := utf8.DecodeRuneInString(src[i+1:]); isIdentStart(r) {
				i++
				continue
			}
		}
		return i
	}
}

// Character classes from the M spec's lexical grammar.
func isIdentStart(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || isLetterByte(byte(r))
	}
	return r == '_' || unicode.In(r, unicode.Lu, unicode.Ll, unicode.Lt, unicode.Lm, unicode.Lo, unicode.Nl)
}

func isIdentPart(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || isLetterByte(byte(r)) || isDigitByte(byte(r))
	}
	return isIdentStart(r) || unicode.In(r, unicode.Nd, unicode.Pc, unicode.Mn, unicode.Mc, unicode.Cf)
}

func isWhitespace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x85, 0x2028, 0x2029:
		return true
	}
	return unicode.Is(unicode.Zs, r)
}

func isDigit(r rune) bool                { return r >= '0' && r <= '9' }
func isDigitByte(b byte) bool            { return b >= '0' && b <= '9' }
func isLetterByte(b byte) bool           { return (b|0x20) >= 'a' && (b|0x20) <= 'z' }
func isHexByte(b byte) bool              { return isDigitByte(b) || ((b|0x20) >= 'a' && (b|0x20) <= 'f') }
func hasAt(s string, i int, b byte) bool { return i < len(s) && s[i] == b }

func indexFrom(s string, from int, sub string) int {
	if from > len(s) {
		return -1
	}
	if j := strings.Index(s[from:], sub); j >= 0 {
		return from + j
	}
	return -1
}

// lineEnd returns the offset of the line break that ends the line holding i
// (or len(s)). M's new-line characters include CR, LF, NEL, LS and PS.
func lineEnd(s string, i int) int {
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if r == '\n' || r == '\r' || r == 0x85 || r == 0x2028 || r == 0x2029 {
			return i
		}
		i += w
	}
	return i
}
