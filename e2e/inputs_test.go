package e2e

import (
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
)

// Issue 10 F6 and issue 9's snippet --resource: input that hides text, is
// not UTF-8, or cannot be what it claims is refused with exit 2, a message
// that names the flag and says what to do, and not one request — not even
// the sign-in.
func TestBinaryRefusesBadInputBeforeSignIn(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{})
	hosts := []string{"--authority-host", emu.URL(), "--graph-endpoint", emu.URL()}
	setup := func(args ...string) []string {
		return append([]string{"setup", "--non-interactive"}, args...)
	}
	cases := []struct {
		name string
		args []string
		want []string // in stderr
	}{
		{"display name RLO", setup("--display-name", "Contoso\u202eIPA"), []string{"--display-name", "U+202E"}},
		{"display name LRE", setup("--display-name", "a\u202ab"), []string{"--display-name", "U+202A"}},
		{"display name isolate", setup("--display-name", "a\u2067b"), []string{"--display-name", "U+2067"}},
		{"display name ZWSP", setup("--display-name", "Con\u200btoso"), []string{"--display-name", "U+200B"}},
		{"display name BOM", setup("--display-name", "\ufeffContoso"), []string{"--display-name", "U+FEFF"}},
		{"display name control", setup("--display-name", "a\x07b"), []string{"--display-name", "U+0007"}},
		{"display name bad UTF-8", setup("--display-name", "Bad\xff\xfeName"), []string{"--display-name", "not valid UTF-8"}},
		{"identifier URI RLO", setup("--display-name", "X", "--identifier-uri", "https://contoso.example/a\u202eb"), []string{"--identifier-uri", "U+202E"}},
		{"identifier URI ZWSP", setup("--display-name", "X", "--identifier-uri", "api://a\u200bb"), []string{"--identifier-uri", "U+200B"}},
		{"identifier URI bad UTF-8", setup("--display-name", "X", "--identifier-uri", "api://a\xffb"), []string{"--identifier-uri", "not valid UTF-8"}},
		{"identifier URI quote", setup("--display-name", "X", "--identifier-uri", `api://x"y`), []string{"--identifier-uri", `'"'`, "api://{appId}"}},
		{"identifier URI with app id", setup("--app-id", "00001111-aaaa-2222-bbbb-3333cccc4444", "--identifier-uri", "api://x<y"), []string{"--identifier-uri", "'<'"}},
		{"empty scope", setup("--display-name", "X", "--scope", ""), []string{"--scope", "empty", "Data.Read"}},
		{"blank scope", setup("--display-name", "X", "--scope", "  "), []string{"--scope", "empty"}},
		{"scope RLO", setup("--display-name", "X", "--scope", "Data\u202e.Read"), []string{"--scope", "U+202E"}},
		{"bad app id", setup("--app-id", "nope"), []string{"--app-id", "not a GUID"}},
		{"bad client", setup("--display-name", "X", "--preauthorize-client", "nope"), []string{"--preauthorize-client", "not a GUID"}},
		{"tenant ZWSP", setup("--display-name", "X", "--tenant", "contoso\u200b.com"), []string{"--tenant", "U+200B"}},
		{"tenant junk", setup("--display-name", "X", "--tenant", "not a tenant"), []string{"--tenant", "neither a tenant GUID nor a domain"}},
		{"doctor display name RLO", []string{"doctor", "--display-name", "Contoso\u202e"}, []string{"--display-name", "U+202E"}},
		{"doctor identifier URI", []string{"doctor", "--identifier-uri", "api://a\u2066b"}, []string{"--identifier-uri", "U+2066"}},
		{"snippet resource foo", []string{"snippet", "--resource", "foo"}, []string{"--resource", "api://00001111-aaaa-2222-bbbb-3333cccc4444"}},
		{"snippet resource http", []string{"snippet", "--resource", "http://contoso.com/x"}, []string{"--resource", "neither an api:// URI"}},
		{"snippet resource RLO", []string{"snippet", "--resource", "api://a\u202eb"}, []string{"--resource", "U+202E"}},
		{"snippet app id", []string{"snippet", "--app-id", "nope"}, []string{"--app-id", "not a GUID"}},
		{"snippet empty scope", []string{"snippet", "--app-id", "00001111-aaaa-2222-bbbb-3333cccc4444", "--scope", ""}, []string{"--scope is empty", ".default"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			emu.ResetLog()
			p := runBinary(t, env, append(c.args, hosts...)...)
			if p.code != 2 {
				t.Errorf("exit %d, want 2\n%s", p.code, p.stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(p.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, p.stderr)
				}
			}
			if strings.ContainsAny(p.stderr, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\ufeff\x07") {
				t.Errorf("stderr echoes the hidden character: %q", p.stderr)
			}
			if strings.Contains(p.stderr, "enter the code") {
				t.Error("asked to sign in before refusing")
			}
			if n := len(emu.Log()); n != 0 {
				t.Errorf("%d requests reached the emulator, want none (first: %s %s)", n, emu.Log()[0].Method, emu.Log()[0].Path)
			}
			if n := len(emu.Applications()); n != 0 {
				t.Errorf("%d applications exist", n)
			}
		})
	}
	// Good input still works, and a resource may be a GUID or https://.
	for _, res := range []string{"00001111-aaaa-2222-bbbb-3333cccc4444", "https://api.contoso.com/connector", "api://00001111-aaaa-2222-bbbb-3333cccc4444"} {
		if p := runBinary(t, env, "snippet", "--resource", res); p.code != 0 || !strings.Contains(p.stdout, `Resource = "`+res+`"`) {
			t.Errorf("snippet --resource %s: exit %d\n%s%s", res, p.code, p.stdout, p.stderr)
		}
	}
}
