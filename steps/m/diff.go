package m

import (
	"fmt"
	"strings"
)

// Diff returns a unified-style line diff of old and new for display
// ("--- before", "+++ after", @@ hunks with 3 lines of context). It returns
// "" when they are equal. Lines are split on "\n"; a trailing "\r" stays
// part of its line, so a line-ending change shows up as a change.
func Diff(old, new string) string {
	if old == new {
		return ""
	}
	// Only the changed lines and their context are split and compared: a
	// 50 MB connector with a 5-line patch costs two scans, not a diff of
	// 3 million lines. The common prefix and suffix are cut at line starts.
	p := 0
	for p < len(old) && p < len(new) && old[p] == new[p] {
		p++
	}
	pe := strings.LastIndexByte(old[:p], '\n') + 1
	s := 0
	for s < len(old)-pe && s < len(new)-pe && old[len(old)-1-s] == new[len(new)-1-s] {
		s++
	}
	// The suffix, moved forward to where it starts a line in both texts.
	oe, delta := len(old)-s, len(new)-len(old)
	lineStart := func(t string, i int) bool { return i == pe || t[i-1] == '\n' }
	if !lineStart(old, oe) || !lineStart(new, oe+delta) {
		if j := strings.IndexByte(old[oe:], '\n'); j >= 0 {
			oe += j + 1
		} else {
			oe = len(old)
		}
	}
	cs, ce := pe, oe // widened by the context lines
	for k := 0; k < diffContext && cs > 0; k++ {
		cs = strings.LastIndexByte(old[:cs-1], '\n') + 1
	}
	for k := 0; k < diffContext && ce < len(old); k++ {
		if j := strings.IndexByte(old[ce:], '\n'); j >= 0 {
			ce += j + 1
		} else {
			ce = len(old)
		}
	}
	return diffLines(old[cs:ce], new[cs:ce+delta], strings.Count(old[:cs], "\n"))
}

// diffContext is the number of unchanged lines shown around a change.
const diffContext = 3

// diffLines diffs two excerpts that start at line skip+1 of their files.
func diffLines(old, new string, skip int) string {
	a, b := splitLines(old), splitLines(new)
	ops := diffOps(a, b)
	const context = diffContext
	var out strings.Builder
	out.WriteString("--- before\n+++ after\n")
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		// A hunk: from context lines before the change to context lines
		// after the last change that is within 2*context of the previous.
		start := max(i-context, 0)
		end := i
		for j := i; j < len(ops); j++ {
			if ops[j].kind != ' ' {
				end = j
			} else if j-end > 2*context {
				break
			}
		}
		end = min(end+context+1, len(ops))
		oldStart, newStart := skip+ops[start].a+1, skip+ops[start].b+1
		var oldN, newN int
		for _, op := range ops[start:end] {
			if op.kind != '+' {
				oldN++
			}
			if op.kind != '-' {
				newN++
			}
		}
		fmt.Fprintf(&out, "@@ -%d,%d +%d,%d @@\n", oldStart, oldN, newStart, newN)
		for _, op := range ops[start:end] {
			line := b
			idx := op.b
			if op.kind == '-' {
				line, idx = a, op.a
			}
			out.WriteByte(op.kind)
			out.WriteString(line[idx])
			out.WriteByte('\n')
		}
		i = end
	}
	return out.String()
}

func splitLines(s string) []string {
	lines := strings.Split(s, "\n")
	if len(lines) > 1 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// diffOp is one line of the edit script: kind ' ', '-' or '+', with the
// line's index in a and in b (for '+' a is where it would go, and vice versa).
type diffOp struct {
	kind byte
	a, b int
}

// maxLCSCells bounds the LCS table (about 32 MB of ints).
const maxLCSCells = 4 << 20

// diffOps computes a shortest edit script. Common prefix and suffix are
// stripped first (patches touch a few lines of a file), then a longest
// common subsequence table handles the middle.
func diffOps(a, b []string) []diffOp {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if len(ma)*len(mb) > maxLCSCells {
		// Too large to align line by line: show it as replaced.
		ops := make([]diffOp, 0, len(a)+len(b))
		for i := range pre {
			ops = append(ops, diffOp{' ', i, i})
		}
		for i := range ma {
			ops = append(ops, diffOp{'-', pre + i, pre})
		}
		for j := range mb {
			ops = append(ops, diffOp{'+', pre + len(ma), pre + j})
		}
		for k := range suf {
			ops = append(ops, diffOp{' ', len(a) - suf + k, len(b) - suf + k})
		}
		return ops
	}
	// lcs[i][j] = LCS length of ma[i:], mb[j:].
	lcs := make([][]int, len(ma)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(mb)+1)
	}
	for i := len(ma) - 1; i >= 0; i-- {
		for j := len(mb) - 1; j >= 0; j-- {
			if ma[i] == mb[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []diffOp
	for i := 0; i < pre; i++ {
		ops = append(ops, diffOp{' ', i, i})
	}
	i, j := 0, 0
	for i < len(ma) || j < len(mb) {
		switch {
		case i < len(ma) && j < len(mb) && ma[i] == mb[j]:
			ops = append(ops, diffOp{' ', pre + i, pre + j})
			i++
			j++
		case i < len(ma) && (j == len(mb) || lcs[i+1][j] >= lcs[i][j+1]):
			// Deletions before insertions, as diff(1) prints them.
			ops = append(ops, diffOp{'-', pre + i, pre + j})
			i++
		default:
			ops = append(ops, diffOp{'+', pre + i, pre + j})
			j++
		}
	}
	for k := 0; k < suf; k++ {
		ops = append(ops, diffOp{' ', len(a) - suf + k, len(b) - suf + k})
	}
	return ops
}
