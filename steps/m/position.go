package m

import (
	"errors"
	"unicode/utf8"
)

// withPosition fills in the line and column of a *LexError from its byte
// offset in src. Every exported entry point passes its errors through it,
// so a user is told "line 12, column 5", which an editor can go to, and
// never a byte offset.
func withPosition(src string, err error) error {
	var le *LexError
	if errors.As(err, &le) && le.Line == 0 {
		le.Line, le.Col = lineCol(src, le.Offset)
	}
	return err
}

// lineCol converts a byte offset to a 1-based line and column. Lines end at
// LF, CRLF or a lone CR (all three occur in .pq files); the column counts
// characters, not bytes, so "é" is one column.
func lineCol(src string, off int) (line, col int) {
	off = min(max(off, 0), len(src))
	line, start := 1, 0
	for i := 0; i < off; i++ {
		switch src[i] {
		case '\n':
			line, start = line+1, i+1
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				continue // the LF that follows ends the line
			}
			line, start = line+1, i+1
		}
	}
	return line, utf8.RuneCountInString(src[start:off]) + 1
}
