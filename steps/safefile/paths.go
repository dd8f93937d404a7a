package safefile

import (
	"runtime"
	"strings"
)

// The few places where Windows and Unix differ are written as functions of
// goos (runtime.GOOS at the call sites), so both sides are unit-tested on
// any machine.

// goos is the system this binary runs on; functions that differ take it as
// a parameter so tests can pass the other one.
var goos = runtime.GOOS

// splitPath splits path into its folder and its last element, the way
// filepath.Split does on goos: on Windows both \ and / separate, and a
// volume ("C:", `\\server\share`) stays with the folder. The folder has no
// trailing separator unless it is a root; "" means the current folder.
func splitPath(path, goos string) (dir, base string) {
	isSep := func(c byte) bool { return c == '/' || (goos == "windows" && c == '\\') }
	vol := 0
	if goos == "windows" {
		vol = volumeLen(path)
	}
	i := len(path) - 1
	for i >= vol && !isSep(path[i]) {
		i--
	}
	dir, base = path[:i+1], path[i+1:]
	// Drop trailing separators, but keep a root ("/", `C:\`).
	j := len(dir)
	for j > vol+1 && isSep(dir[j-1]) {
		j--
	}
	return dir[:j], base
}

// volumeLen is the length of a Windows volume name at the start of path:
// a drive letter ("C:") or a UNC share (`\\server\share`).
func volumeLen(path string) int {
	if len(path) >= 2 && path[1] == ':' && isASCIILetter(path[0]) {
		return 2
	}
	sep := func(c byte) bool { return c == '\\' || c == '/' }
	if len(path) >= 5 && sep(path[0]) && sep(path[1]) && !sep(path[2]) {
		// \\server\share: up to the separator after the share.
		n := 3
		for n < len(path) && !sep(path[n]) {
			n++
		}
		if n >= len(path)-1 {
			return 0
		}
		n++
		for n < len(path) && !sep(path[n]) {
			n++
		}
		return n
	}
	return 0
}

func isASCIILetter(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

// displayDir is how a folder is named in a message: "" is the current
// folder.
func displayDir(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// lineEnding is the line break new text files get on goos: Windows
// editors and the Power Query SDK write CRLF.
func lineEnding(goos string) string {
	if goos == "windows" {
		return "\r\n"
	}
	return "\n"
}

// withLineEndings returns text (written with "\n") using nl. A "\r\n"
// already in text is kept as it is, never doubled.
func withLineEndings(text, nl string) string {
	if nl == "\n" {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + strings.Count(text, "\n"))
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' && (i == 0 || text[i-1] != '\r') {
			b.WriteString(nl)
			continue
		}
		b.WriteByte(text[i])
	}
	return b.String()
}
