package safefile

import (
	"strings"
	"testing"
)

func TestSplitPathBothSystems(t *testing.T) {
	for _, c := range []struct{ goos, path, dir, base string }{
		{"linux", "a.pq", "", "a.pq"},
		{"linux", "/a.pq", "/", "a.pq"},
		{"linux", "/home/me/a.pq", "/home/me", "a.pq"},
		{"linux", "dir//a.pq", "dir", "a.pq"},
		{"linux", "dir/", "dir", ""},
		{"linux", `C:\Users\me\a.pq`, "", `C:\Users\me\a.pq`}, // a backslash is a file name character on Unix
		{"darwin", "My Folder/a b.pq", "My Folder", "a b.pq"},
		{"windows", `C:\Users\me\My Connector.pq`, `C:\Users\me`, "My Connector.pq"},
		{"windows", `C:/Users/me/a.pq`, `C:/Users/me`, "a.pq"},
		{"windows", `C:\a.pq`, `C:\`, "a.pq"},
		{"windows", `C:a.pq`, `C:`, "a.pq"},
		{"windows", `a.pq`, "", "a.pq"},
		{"windows", `sub\dir\a.pq`, `sub\dir`, "a.pq"},
		{"windows", `sub/dir\a.pq`, `sub/dir`, "a.pq"},
		{"windows", `\\server\share\team\a.pq`, `\\server\share\team`, "a.pq"},
		{"windows", `\\server\share\a.pq`, `\\server\share\`, "a.pq"},
		{"windows", `C:\dir\`, `C:\dir`, ""},
	} {
		dir, base := splitPath(c.path, c.goos)
		if dir != c.dir || base != c.base {
			t.Errorf("%s: splitPath(%q) = %q, %q; want %q, %q", c.goos, c.path, dir, base, c.dir, c.base)
		}
	}
}

func TestLineEndingsBothSystems(t *testing.T) {
	text := "Aad = [\n    Scope = \".default\"\n]\n"
	if got := withLineEndings(text, lineEnding("windows")); got != "Aad = [\r\n    Scope = \".default\"\r\n]\r\n" {
		t.Errorf("windows: %q", got)
	}
	for _, g := range []string{"linux", "darwin"} {
		if got := withLineEndings(text, lineEnding(g)); got != text {
			t.Errorf("%s: %q", g, got)
		}
	}
	if got := withLineEndings("a\r\nb\n", "\r\n"); got != "a\r\nb\r\n" {
		t.Errorf("an existing CRLF was doubled: %q", got)
	}
}

func TestNameFromKeepsLettersOfAnyScript(t *testing.T) {
	for in, want := range map[string]string{
		"🚀 Données 東京 Connector": "Données東京Connector",
		"Contoso sales API":      "ContosoSalesAPI",
		"donne\u0301es":          "Donne\u0301es", // NFD: e + U+0301 keeps its accent
		"Привет мир":             "ПриветМир",
		"مرحبا 2":                "مرحبا2",
		"a<b>c:d\"e/f\\g|h?i*j":  "ABCDEFGHIJ",
		"tab\tnew\nline\x00nul":  "TabNewLineNul",
		"trailing dots...  ":     "TrailingDots",
		"🚀 ✨":                    "MyConnector",
		"":                       "MyConnector",
		"con":                    "ConMyConnector",
		"LPT1":                   "LPT1MyConnector",
		"nul":                    "NulMyConnector",
	} {
		if got := NameFrom(in, "MyConnector"); got != want {
			t.Errorf("NameFrom(%q) = %q, want %q", in, got, want)
		}
	}
	long := NameFrom(strings.Repeat("東", 200), "X")
	if len(long) > maxName {
		t.Errorf("%d bytes, want at most %d", len(long), maxName)
	}
}

func TestCheckNameBothSystems(t *testing.T) {
	for _, c := range []struct {
		goos, base string
		ok         bool
	}{
		{"linux", "CON.aad.pq", true},
		{"windows", "CON.aad.pq", false},
		{"windows", "con", false},
		{"windows", "COM1.pq", false},
		{"windows", "COM10.pq", true},
		{"windows", "Console.pq", true},
		{"windows", "a:b.pq", false},
		{"linux", "a:b.pq", true},
		{"windows", "a?.pq", false},
		{"windows", "name.", false},
		{"windows", "name ", false},
		{"linux", "name.", true},
		{"windows", "Données東京Connector.aad.pq", true},
		{"windows", "tab\there.pq", false},
	} {
		if why := checkName(c.base, c.goos); (why == "") != c.ok {
			t.Errorf("%s: checkName(%q) = %q, want ok=%v", c.goos, c.base, why, c.ok)
		}
	}
}
