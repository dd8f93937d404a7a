package sdkproject

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/pqentra/pqentra/steps/safefile"
)

// The settings the Power Query SDK for Visual Studio Code writes into a
// project's .vscode/settings.json. The current extension writes the
// default* keys; its first versions wrote the pqtest.* ones.
var (
	extensionKeys = []string{"powerquery.sdk.defaultExtension", "powerquery.sdk.pqtest.extension"}
	queryFileKeys = []string{"powerquery.sdk.defaultQueryFile", "powerquery.sdk.pqtest.queryFile"}
)

// settings is what pqentra reads from .vscode/settings.json, with the
// workspace variables expanded into paths under the project folder.
type settings struct {
	extension    string // the .mez, "" when not set
	extensionKey string // the key that named it
	queryFile    string
}

// readSettings reads dir/.vscode/settings.json. No file is (nil, ""); a
// file pqentra cannot use is (nil, a note saying why), and the search
// goes on as if there were none.
func readSettings(dir string) (*settings, string) {
	path := filepath.Join(dir, ".vscode", "settings.json")
	if !isFile(path) {
		return nil, ""
	}
	f, err := safefile.Read(path)
	if err != nil {
		return nil, fmt.Sprintf(".vscode/settings.json could not be read (%v)", err)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(stripJSONC(f.Text)), &raw); err != nil {
		return nil, ".vscode/settings.json is not valid JSON"
	}
	s := &settings{}
	var notes []string
	for _, k := range extensionKeys {
		if v, ok := raw[k].(string); ok && strings.TrimSpace(v) != "" {
			p, err := expand(dir, v)
			if err != nil {
				notes = append(notes, fmt.Sprintf("%s: %v", k, err))
				break
			}
			s.extension, s.extensionKey = p, k
			break
		}
	}
	for _, k := range queryFileKeys {
		if v, ok := raw[k].(string); ok && strings.TrimSpace(v) != "" {
			if p, err := expand(dir, v); err == nil {
				s.queryFile = p
			}
			break
		}
	}
	return s, strings.Join(notes, "; ")
}

// expand turns a settings path into a path under dir: ${workspaceFolder}
// is dir, ${workspaceFolderBasename} the folder's name, and both \ and /
// separate (the template writes Windows paths). Other variables (${env:…},
// ${userHome}, …) are not guessed at.
func expand(dir, v string) (string, error) {
	return expandOn(dir, v, runtime.GOOS)
}

func expandOn(dir, v, goos string) (string, error) {
	v = strings.TrimSpace(v)
	v = strings.ReplaceAll(v, "${workspaceFolderBasename}", folderBase(dir))
	rel, underWorkspace := strings.CutPrefix(v, "${workspaceFolder}")
	if strings.Contains(rel, "${") {
		return "", fmt.Errorf("%s uses a variable pqentra does not expand", v)
	}
	parts := strings.FieldsFunc(rel, func(r rune) bool { return r == '\\' || r == '/' })
	if !underWorkspace {
		switch {
		case isWindowsAbs(v) && goos != "windows":
			return "", fmt.Errorf("%s is a Windows path", v)
		case isWindowsAbs(v) || goos != "windows" && strings.HasPrefix(v, "/"):
			return filepath.Clean(v), nil
		}
	}
	return filepath.Join(append([]string{dir}, parts...)...), nil
}

// isWindowsAbs: C:\…, C:/… or \\server\share.
func isWindowsAbs(p string) bool {
	return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') || strings.HasPrefix(p, `\\`)
}

// stripJSONC turns VS Code's "JSON with comments" into JSON: // and /* */
// comments outside strings are dropped, and so are trailing commas before
// } or ]. Everything else is kept byte for byte.
func stripJSONC(s string) string {
	return dropTrailingCommas(dropComments(s))
}

func dropComments(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	inString := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inString:
			b.WriteByte(c)
			if c == '\\' && i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
			b.WriteByte(c)
		case c == '/' && i+1 < len(s) && s[i+1] == '/':
			for i+1 < len(s) && s[i+1] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return b.String() // unterminated: json.Unmarshal reports it
			}
			i += end + 3
			b.WriteByte(' ')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// dropTrailingCommas drops a comma (outside strings) that only blanks
// separate from the } or ] after it.
func dropTrailingCommas(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	inString := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inString:
			if c == '\\' && i+1 < len(s) {
				b.WriteByte(c)
				i++
				c = s[i]
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == ',':
			if t := strings.TrimLeft(s[i+1:], " \t\r\n"); t != "" && (t[0] == '}' || t[0] == ']') {
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}
