package tui

import (
	"bufio"
	"context"
	"io"
	"strings"
)

// lineReader hands out stdin one line at a time without ever blocking the
// wizard: a goroutine reads, and readLine waits for the next line or for
// the context to end. So Ctrl-C (which cancels the context) stops a plain
// prompt at once instead of after the next Enter.
type lineReader struct {
	lines chan string
	err   error // set before lines is closed
}

func newLineReader(in io.Reader) *lineReader {
	l := &lineReader{lines: make(chan string)}
	go func() {
		r := bufio.NewReader(in)
		for {
			s, err := r.ReadString('\n')
			if s != "" {
				l.lines <- strings.TrimRight(s, "\r\n")
			}
			if err != nil {
				l.err = err
				close(l.lines)
				return
			}
		}
	}()
	return l
}

// readLine returns the next line; errInputEnded once input is over, or the
// context's error once it ends.
func (l *lineReader) readLine(ctx context.Context) (string, error) {
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case s, ok := <-l.lines:
		if !ok {
			return "", errInputEnded
		}
		return s, nil
	}
}
