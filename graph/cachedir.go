package graph

import (
	"errors"
	"runtime"
	"strings"
)

// CacheDir is the folder for pqentra's token cache, with the environment
// read through getenv:
//   - $XDG_CACHE_HOME/pqentra when it is set to an absolute path (any OS);
//   - on Windows %LOCALAPPDATA%\pqentra (per user, not roaming: tokens are
//     tied to the machine), else %USERPROFILE%\AppData\Local\pqentra;
//   - elsewhere $HOME/.cache/pqentra.
func CacheDir(getenv func(string) string) (string, error) {
	return cacheDirFor(runtime.GOOS, getenv)
}

// cacheDirFor is CacheDir for goos, so both rules are tested on any OS.
// Paths are joined with goos's separator, not the host's.
func cacheDirFor(goos string, getenv func(string) string) (string, error) {
	sep := "/"
	if goos == "windows" {
		sep = `\`
	}
	join := func(parts ...string) string {
		for i := range parts[:len(parts)-1] {
			parts[i] = strings.TrimRight(parts[i], `/\`)
		}
		return strings.Join(parts, sep)
	}
	if d := getenv("XDG_CACHE_HOME"); d != "" && isAbsFor(goos, d) {
		return join(d, "pqentra"), nil
	}
	if goos == "windows" {
		if d := getenv("LOCALAPPDATA"); d != "" && isAbsFor(goos, d) {
			return join(d, "pqentra"), nil
		}
		if p := getenv("USERPROFILE"); p != "" && isAbsFor(goos, p) {
			return join(p, "AppData", "Local", "pqentra"), nil
		}
		return "", errors.New(`cannot find a cache folder: set LOCALAPPDATA (normally C:\Users\<you>\AppData\Local)`)
	}
	if h := getenv("HOME"); h != "" && isAbsFor(goos, h) {
		return join(h, ".cache", "pqentra"), nil
	}
	return "", errors.New("cannot find a cache folder: set XDG_CACHE_HOME or HOME")
}

// isAbsFor reports whether p is an absolute path on goos: C:\… or \\server\…
// on Windows, /… elsewhere.
func isAbsFor(goos, p string) bool {
	if goos != "windows" {
		return strings.HasPrefix(p, "/")
	}
	if strings.HasPrefix(p, `\\`) || strings.HasPrefix(p, "//") {
		return true
	}
	return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') &&
		(p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z')
}
