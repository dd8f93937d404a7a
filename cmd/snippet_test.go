package cmd

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps/m"
)

const res = "api://00001111-aaaa-2222-bbbb-3333cccc4444"

func offline(t *testing.T) *cli {
	return &cli{t: t, env: map[string]string{"XDG_CACHE_HOME": t.TempDir()}}
}

func TestSnippetOfflineRecord(t *testing.T) {
	r := offline(t).run("snippet", "--resource", res)
	want := "Aad = [\n" +
		"    AuthorizationUri = \"https://login.microsoftonline.com/common/oauth2/authorize\",\n" +
		"    Resource = \"" + res + "\",\n" +
		"    Scope = \".default\"\n" +
		"]\n"
	if r.code != 0 || r.stdout != want {
		t.Errorf("exit %d\n%s\nwant\n%s\nstderr %s", r.code, r.stdout, want, r.stderr)
	}
}

func TestSnippetModesAndClouds(t *testing.T) {
	c := offline(t)
	r := c.run("snippet", "--resource", res, "--authorization-uri", "tenant", "--tenant", "contoso.onmicrosoft.com", "--cloud", "usgov", "--scope", "Data.Read")
	if r.code != 0 || !strings.Contains(r.stdout, `"https://login.microsoftonline.us/contoso.onmicrosoft.com/oauth2/authorize"`) || !strings.Contains(r.stdout, `Scope = "Data.Read"`) {
		t.Errorf("tenant/usgov: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = c.run("snippet", "--resource", res, "--authorization-uri", "dynamic", "--shape", "connector", "--name", "Contoso Sales")
	if r.code != 0 || !strings.Contains(r.stdout, "section ContosoSales;") || !strings.Contains(r.stdout, "WWW-Authenticate") {
		t.Errorf("dynamic connector: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, bad := range [][]string{
		{"snippet"},
		{"snippet", "--resource", res, "--app-id", "00001111-aaaa-2222-bbbb-3333cccc4444"},
		{"snippet", "--resource", res, "--shape", "blob"},
		{"snippet", "--resource", res, "--authorization-uri", "somewhere"},
		{"snippet", "--resource", res, "--authorization-uri", "tenant"},
	} {
		if r := c.run(bad...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", bad, r.code, r.stderr)
		}
	}
}

func TestSnippetOutNeverOverwritesWithoutForce(t *testing.T) {
	c := offline(t)
	path := filepath.Join(t.TempDir(), "Contoso.aad.pq")
	if r := c.run("snippet", "--resource", res, "--out", path); r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	first, _ := os.ReadFile(path)
	if !strings.Contains(string(first), res) {
		t.Fatalf("file: %s", first)
	}
	r := c.run("snippet", "--resource", "api://other", "--out", path)
	if r.code != 1 || !strings.Contains(r.stderr, "--force") {
		t.Errorf("overwrite without --force: %d %s", r.code, r.stderr)
	}
	if now, _ := os.ReadFile(path); string(now) != string(first) {
		t.Error("file changed without --force")
	}
	if r := c.run("snippet", "--resource", "api://other", "--out", path, "--force"); r.code != 0 {
		t.Errorf("--force: %d %s", r.code, r.stderr)
	}
	if now, _ := os.ReadFile(path); !strings.Contains(string(now), "api://other") {
		t.Error("--force did not write")
	}
}

func TestSnippetCopySendsOSC52ToATerminal(t *testing.T) {
	c := offline(t)
	c.errTTY = true
	r := c.run("snippet", "--resource", res, "--copy")
	if r.code != 0 || !strings.Contains(r.stderr, "\x1b]52;c;") || !strings.Contains(r.stderr, "Sent to the terminal's clipboard (OSC 52).") {
		t.Errorf("copy: %d %q", r.code, r.stderr)
	}
}

func TestSnippetCopyToARedirectedStderrSaysNotCopied(t *testing.T) {
	r := offline(t).run("snippet", "--resource", res, "--copy")
	if r.code != 1 || strings.Contains(r.stderr, "\x1b") || !strings.Contains(r.stderr, "Not copied") {
		t.Errorf("copy: %d %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "Aad = [") {
		t.Errorf("the snippet is still printed: %q", r.stdout)
	}
}

const connectorPQ = `section Contoso;

// Keep this comment: Aad = [ is not a record here.
[DataSource.Kind="Contoso", Publish="Contoso.Publish"]
shared Contoso.Contents = (url as text) => Web.Contents(url);

Contoso = [
    Authentication = [
        Anonymous = [],
        UsernamePassword = [ Label = "Sign in ]" ]
    ],
    Label = "Contoso"
];
`

func TestSnippetPatchKeepsEverythingElse(t *testing.T) {
	c := offline(t)
	path := filepath.Join(t.TempDir(), "Contoso.pq")
	os.WriteFile(path, []byte(connectorPQ), 0o640)
	// Without a terminal and without --yes nothing is written.
	if r := c.run("snippet", "--resource", res, "--patch", path); r.code != 2 {
		t.Errorf("no --yes on a pipe: exit %d\n%s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(path); string(b) != connectorPQ {
		t.Fatal("file changed without confirmation")
	}
	r := c.run("snippet", "--resource", res, "--patch", path, "--yes")
	if r.code != 0 || !strings.Contains(r.stderr, "+") {
		t.Fatalf("patch: %d\n%s", r.code, r.stderr)
	}
	b, _ := os.ReadFile(path)
	found, err := m.ReadAad(string(b))
	if err != nil || len(found) != 1 || found[0].Resource.Text != res || found[0].Scope.Text != ".default" {
		t.Errorf("patched file: %v %+v\n%s", err, found, b)
	}
	for _, keep := range []string{"// Keep this comment: Aad = [ is not a record here.", `UsernamePassword = [ Label = "Sign in ]" ]`, "Anonymous = [],"} {
		if !strings.Contains(string(b), keep) {
			t.Errorf("lost %q", keep)
		}
	}
	if bak, _ := os.ReadFile(path + ".bak"); string(bak) != connectorPQ {
		t.Error("no faithful .bak")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode changed to %v", fi.Mode().Perm())
	}
	// A second patch changes nothing.
	if r := c.run("snippet", "--resource", res, "--patch", path, "--yes"); r.code != 0 || !strings.Contains(r.stderr, "nothing to change") {
		t.Errorf("second patch: %d %s", r.code, r.stderr)
	}
}

func TestSnippetPatchRefusesBrokenFile(t *testing.T) {
	c := offline(t)
	path := filepath.Join(t.TempDir(), "Broken.pq")
	broken := "section B;\nB = [ Authentication = [ Anonymous = [] ];\n"
	os.WriteFile(path, []byte(broken), 0o644)
	r := c.run("snippet", "--resource", res, "--patch", path, "--yes")
	if r.code != 1 || !strings.Contains(r.stderr, "left untouched") {
		t.Errorf("broken file: %d %s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(path); string(b) != broken {
		t.Error("broken file was changed")
	}
	if _, err := os.Stat(path + ".bak"); err == nil {
		t.Error("a .bak was left for a refused patch")
	}
}

func TestSnippetFromGraph(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	r := c.run("setup", "--non-interactive", "--display-name", "Graph Read", "--output", "json")
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	v := decodeSetup(t, r)
	r = c.run("snippet", "--app-id", v.AppID, "--shape", "kind")
	if r.code != 0 || !strings.Contains(r.stdout, `Resource = "api://`+v.AppID+`"`) || !strings.Contains(r.stdout, "GraphRead = [") {
		t.Errorf("snippet --app-id: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stderr, "warning") {
		t.Errorf("a configured app got a warning: %s", r.stderr)
	}
	r = c.run("snippet", "--app-id", v.AppID, "--scope", "Data.Write")
	if r.code != 0 || !strings.Contains(r.stderr, "This Aad record asks for Data.Write, which the app does not expose as an enabled scope") {
		t.Errorf("unknown scope not warned about: %d %s", r.code, r.stderr)
	}
	// The warning is a doctor.Diagnose finding whose Fix is a command that,
	// run as printed, fixes it.
	fix := regexp.MustCompile("run `pqentra ([^`]+)`").FindStringSubmatch(r.stderr)
	if fix == nil || !strings.Contains(fix[1], "setup --non-interactive --app-id "+v.AppID+" --scope Data.Write") {
		t.Fatalf("no runnable fix in %s", r.stderr)
	}
	if r := c.runLine(fix[1]); r.code != 0 {
		t.Fatalf("the fix failed: %d %s", r.code, r.stderr)
	}
	if r := c.run("snippet", "--app-id", v.AppID, "--scope", "Data.Write"); r.code != 0 || strings.Contains(r.stderr, "warning") {
		t.Errorf("still warned after the fix: %d %s", r.code, r.stderr)
	}
	if r := c.run("snippet", "--app-id", "00001111-aaaa-2222-bbbb-3333cccc4444"); r.code != 1 || !strings.Contains(r.stderr, "no application") {
		t.Errorf("unknown app: %d %s", r.code, r.stderr)
	}
}
