package cmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
)

// doctor --fix --connector writes through the same safe writer as
// snippet --patch (issue 9: read-only; issue 10 F1: an edit made while the
// question waits; F2: links and backups).

// A read-only connector is refused before anything is sent to Graph, so
// the fix is not left half done; --force writes it and keeps its mode.
func TestDoctorFixRefusesAReadOnlyConnector(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	appID := c.seed(appSeed{name: "Contoso", noSP: true})
	file := connectorFile(t, `AuthorizationUri = "`+dCommon+`"`, `Resource = "https://wrong.contoso.com"`)
	orig, _ := os.ReadFile(file)
	os.Chmod(file, 0o444)
	_, writes := c.emu.Counts()
	r := c.run("doctor", "--app-id", appID, "--connector", file, "--fix", "--yes")
	want := file + " is read-only (checked in? check it out first) — use --force to write anyway"
	if r.code != 1 || !strings.Contains(r.stderr, want) {
		t.Fatalf("exit %d, want %q\n%s%s", r.code, want, r.stdout, r.stderr)
	}
	if _, w := c.emu.Counts(); w != writes {
		t.Errorf("sent %d write(s) before refusing the file", w-writes)
	}
	if got, _ := os.ReadFile(file); string(got) != string(orig) {
		t.Error("the read-only connector changed")
	}
	r = c.run("doctor", "--app-id", appID, "--connector", file, "--fix", "--yes", "--force")
	if r.code != 0 || !strings.Contains(r.stdout, "✓ Updated "+file+" (original kept as "+file+".bak)") {
		t.Fatalf("--force: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	fi, _ := os.Stat(file)
	if got, _ := os.ReadFile(file); !strings.Contains(string(got), `Resource = "api://`+appID+`"`) || fi.Mode().Perm() != 0o444 {
		t.Errorf("mode %v\n%s", fi.Mode().Perm(), got)
	}
	if r := c.run("doctor", "--app-id", appID, "--force"); r.code != 2 {
		t.Errorf("--force without --fix --connector: exit %d", r.code)
	}
}

// editingTerminal answers every question with y, and the first time it is
// asked, saves an edit to the file first, as a user in an editor would
// while pqentra waits.
type editingTerminal struct {
	path, edit string
	asked      int
}

func (e *editingTerminal) Read(p []byte) (int, error) {
	if e.asked++; e.asked == 1 {
		if err := os.WriteFile(e.path, []byte(e.edit), 0o644); err != nil {
			return 0, err
		}
	}
	return copy(p, "y\n"), nil
}

// F1: the edit survives; the patch is planned again from it and asked again.
func TestDoctorFixKeepsAnEditMadeWhileAsking(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	appID := c.seed(appSeed{name: "Contoso"})
	file := connectorFile(t, `AuthorizationUri = "`+dCommon+`"`, `Resource = "https://wrong.contoso.com"`)
	orig, _ := os.ReadFile(file)
	edit := strings.Replace(string(orig), `Label = "Contoso"`, `Label = "Contoso, edited meanwhile"`, 1)
	term := &editingTerminal{path: file, edit: edit}
	var out, errb bytes.Buffer
	f := &Factory{IO: &IOStreams{In: term, Out: &out, Err: &errb, InTTY: true},
		Getenv: func(k string) string { return c.env[k] }, Config: Config{TrustPEM: c.emu.CACertPEM()}}
	code := Execute(context.Background(), f, []string{"doctor", "--app-id", appID, "--connector", file, "--fix",
		"--authority-host", c.emu.URL(), "--graph-endpoint", c.emu.URL()})
	if code != 0 || term.asked != 2 || !strings.Contains(out.String(), "changed while waiting") {
		t.Fatalf("exit %d, asked %d time(s)\n%s%s", code, term.asked, out.String(), errb.String())
	}
	got, _ := os.ReadFile(file)
	if !strings.Contains(string(got), "edited meanwhile") || !strings.Contains(string(got), `Resource = "api://`+appID+`"`) {
		t.Errorf("the edit or the fix is missing:\n%s", got)
	}
	if bak, _ := os.ReadFile(file + ".bak"); string(bak) != edit {
		t.Errorf("the backup is not the text that was replaced:\n%s", bak)
	}
}

// F2: a connector that is a symlink is fixed through it.
func TestDoctorFixFollowsTheConnectorLink(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	appID := c.seed(appSeed{name: "Contoso"})
	real := connectorFile(t, `AuthorizationUri = "`+dCommon+`"`, `Resource = "https://wrong.contoso.com"`)
	link := filepath.Join(t.TempDir(), "Contoso.pq")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	r := c.run("doctor", "--app-id", appID, "--connector", link, "--fix", "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "✓ Updated "+real+" through the link "+link) {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if target, err := os.Readlink(link); err != nil || target != real {
		t.Errorf("the link was replaced: %q %v", target, err)
	}
}
