package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The command-line conventions gh and az users expect, checked on the
// built binary: exit codes, stderr, completion.

func TestBinaryUnknownCommandsAndArgumentsExit2(t *testing.T) {
	env := []string{"XDG_CACHE_HOME=" + t.TempDir(), "HOME=" + t.TempDir()}
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"frobnicate"}, []string{`unknown command "frobnicate" for "pqentra"`}},
		{[]string{"setpu"}, []string{`unknown command "setpu"`, "Did you mean this?\n  setup"}},
		{[]string{"snipet", "--resource", "api://x"}, []string{"Did you mean this?\n  snippet"}},
		{[]string{"logout", "extra"}, []string{`logout takes no arguments (got "extra")`}},
		{[]string{"setup", "extra"}, []string{`setup takes no arguments (got "extra")`}},
		{[]string{"snippet", "--resource", "api://x", "extra"}, []string{"takes no arguments"}},
		{[]string{"doctor", "extra"}, []string{"doctor takes no arguments"}},
		{[]string{"completion", "tcsh"}, []string{`unknown command "tcsh" for "pqentra completion"`}},
		{[]string{"completion"}, []string{"name a shell"}},
		{[]string{"help", "frobnicate"}, []string{`unknown command "frobnicate"`}},
		{[]string{"--cloud", "mars", "snippet", "--resource", "api://x"}, []string{`--cloud "mars": use public, usgov or china`}},
		{[]string{"snippet", "--resource", "api://x", "--cloud", "mars"}, []string{`--cloud "mars": use public, usgov or china`}},
		{[]string{"setup", "--non-interactive", "--display-name", "X", "--cloud", "mars"}, []string{`--cloud "mars"`}},
		{[]string{"logout", "--cloud", "mars"}, []string{`--cloud "mars"`}},
		{[]string{"doctor", "--app-id", "00001111-aaaa-2222-bbbb-3333cccc4444", "--output", "yaml"}, []string{`--output "yaml": use text or json`}},
		{[]string{"setup", "--non-interactive", "--display-name", "X", "-o", "yaml"}, []string{`--output "yaml": use text or json`}},
		{[]string{"setup", "--audience", "everyone"}, []string{`--audience "everyone": use single or multi`}},
		{[]string{"setup", "--scope-consent", "nobody"}, []string{`--scope-consent "nobody": use users or admins`}},
		{[]string{"snippet", "--resource", "api://x", "--shape", "blob"}, []string{`--shape "blob": use record, kind or connector`}},
		{[]string{"snippet", "--resource", "api://x", "--authorization-uri", "x"}, []string{`--authorization-uri "x": use common, tenant or dynamic`}},
		{[]string{"--sign-in", "carrier-pigeon", "whoami"}, []string{`--sign-in "carrier-pigeon": use auto, device, browser or azure-cli`}},
		{[]string{"export", "--format", "yaml"}, []string{`--format "yaml": use terraform, bicep or az`}},
		{[]string{"whoami", "-o", "yaml"}, []string{`--output "yaml": use text or json`}},
		{[]string{"whoami", "extra"}, []string{"takes no arguments"}},
	}
	for _, c := range cases {
		p := runBinary(t, env, c.args...)
		if p.code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", c.args, p.code, p.stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(p.stderr, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", c.args, w, p.stderr)
			}
		}
		if p.stdout != "" {
			t.Errorf("%v: wrote to stdout: %q", c.args, p.stdout)
		}
	}
	for _, ok := range [][]string{{"completion", "bash"}, {"completion", "powershell"}, {"help", "setup"}, {"snippet", "--help"}} {
		if p := runBinary(t, env, ok...); p.code != 0 || p.stdout == "" {
			t.Errorf("%v: exit %d\n%s", ok, p.code, p.stderr)
		}
	}
}

func TestBinaryCompletesEveryEnumFlag(t *testing.T) {
	env := []string{"XDG_CACHE_HOME=" + t.TempDir()}
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"--cloud", ""}, []string{"public", "usgov", "china"}},
		{[]string{"snippet", "--cloud", ""}, []string{"public", "usgov", "china"}},
		{[]string{"setup", "--audience", ""}, []string{"single", "multi"}},
		{[]string{"setup", "--scope-consent", ""}, []string{"users", "admins"}},
		{[]string{"setup", "--output", ""}, []string{"text", "json"}},
		{[]string{"setup", "-o", ""}, []string{"text", "json"}},
		{[]string{"doctor", "--output", ""}, []string{"text", "json"}},
		{[]string{"snippet", "--shape", ""}, []string{"record", "kind", "connector"}},
		{[]string{"snippet", "--authorization-uri", ""}, []string{"common", "tenant", "dynamic"}},
		{[]string{"setup", "--preauthorize", ""}, []string{"excel", "refresh", "powerapps"}},
		{[]string{"setup", "--preauthorize", "excel,"}, []string{"excel,refresh", "excel,powerapps"}},
		{[]string{"--sign-in", ""}, []string{"auto", "device", "browser", "azure-cli"}},
		{[]string{"export", "--format", ""}, []string{"terraform", "bicep", "az"}},
		{[]string{"whoami", "--output", ""}, []string{"text", "json"}},
		{[]string{"undo", "--output", ""}, []string{"text", "json"}},
		{[]string{"restore", "-o", ""}, []string{"text", "json"}},
	}
	for _, c := range cases {
		p := runBinary(t, env, append([]string{"__complete"}, c.args...)...)
		if p.code != 0 {
			t.Fatalf("%v: exit %d\n%s", c.args, p.code, p.stderr)
		}
		var got []string
		for _, line := range strings.Split(p.stdout, "\n") {
			if line == "" || strings.HasPrefix(line, ":") {
				continue
			}
			got = append(got, strings.SplitN(line, "\t", 2)[0])
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%v completes %v, want %v", c.args, got, c.want)
		}
	}
}

// snippet --copy with stderr redirected to a file: no escape sequence in
// the file, and no claim that anything was copied.
func TestBinaryCopyIntoARedirectedStderr(t *testing.T) {
	errFile := filepath.Join(t.TempDir(), "err.txt")
	f, err := os.Create(errFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := binaryCmd([]string{"XDG_CACHE_HOME=" + t.TempDir(), "TERM=xterm-256color"}, "snippet", "--resource", "api://x", "--copy")
	cmd.Stderr = f
	var out strings.Builder
	cmd.Stdout = &out
	runErr := cmd.Run()
	b, _ := os.ReadFile(errFile)
	if strings.ContainsRune(string(b), '\x1b') {
		t.Errorf("escape sequence in the redirected stderr: %q", b)
	}
	if !strings.Contains(string(b), "Not copied: the output is not a terminal") || strings.Contains(string(b), "Copied") {
		t.Errorf("stderr: %q", b)
	}
	if code := exitOf(t, runErr); code != 1 {
		t.Errorf("exit %d, want 1 (the copy asked for did not happen)", code)
	}
	if !strings.Contains(out.String(), `Resource = "api://x"`) {
		t.Errorf("stdout: %q", out.String())
	}
}
