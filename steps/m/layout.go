package m

import "strings"

// layout is the line ending and default indent step of a document, so text
// inserted by Patch looks like the code around it.
type layout struct {
	nl   string // "\n" or "\r\n"
	tabs bool   // the document indents with tabs
}

func detectLayout(src string) layout {
	crlf := strings.Count(src, "\r\n")
	lf := strings.Count(src, "\n")
	tabLines := strings.Count(src, "\n\t")
	spaceLines := strings.Count(src, "\n ")
	l := layout{nl: "\n", tabs: tabLines > spaceLines}
	if crlf > 0 && crlf*2 >= lf {
		l.nl = "\r\n"
	}
	return l
}

// defaultUnit is the indent step when nothing nearby shows one.
func (l layout) defaultUnit(base string) string {
	if l.tabs || strings.Contains(base, "\t") {
		return "\t"
	}
	return "    "
}

// render re-lays generated M (written with "\n" and 4-space steps) using
// the document's line ending, with every line after the first indented by
// base plus one unit per generated step. Generated text literals never hold
// raw line breaks, so splitting on "\n" is safe.
func (l layout) render(gen, base, unit string) string {
	lines := strings.Split(gen, "\n")
	for i := 1; i < len(lines); i++ {
		trimmed := strings.TrimLeft(lines[i], " ")
		steps := (len(lines[i]) - len(trimmed)) / 4
		lines[i] = base + strings.Repeat(unit, steps) + trimmed
	}
	return strings.Join(lines, l.nl)
}

// lineStart returns the offset where the line holding i starts.
func lineStart(s string, i int) int {
	for i > 0 && s[i-1] != '\n' && s[i-1] != '\r' {
		i--
	}
	return i
}

// lineIndent is the run of spaces and tabs that starts the line holding i.
func lineIndent(s string, i int) string {
	st := lineStart(s, i)
	e := st
	for e < len(s) && (s[e] == ' ' || s[e] == '\t') {
		e++
	}
	return s[st:e]
}

// startsLine reports whether only spaces and tabs precede i on its line.
func startsLine(s string, i int) bool {
	return strings.Trim(s[lineStart(s, i):i], " \t") == ""
}

// stepBetween is the extra indentation of the line holding child relative to
// parent indentation, when child starts its line and is indented further
// with the same prefix; else "".
func stepBetween(s, parent string, child int) string {
	if !startsLine(s, child) {
		return ""
	}
	ci := lineIndent(s, child)
	if len(ci) > len(parent) && strings.HasPrefix(ci, parent) {
		return ci[len(parent):]
	}
	return ""
}

func hasLineBreak(s string) bool { return strings.ContainsAny(s, "\r\n") }

// lineBreakLen is the length of the line break at i (0 at end of text).
func lineBreakLen(s string, i int) int {
	switch {
	case strings.HasPrefix(s[i:], "\r\n"):
		return 2
	case i < len(s) && (s[i] == '\n' || s[i] == '\r'):
		return 1
	}
	return 0
}
