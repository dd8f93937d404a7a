package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The file guarantees (issue 10 F1, F2, F10; issue 9's file items), checked
// through the built binary: what is on disk, what is on stderr, exit codes.

const fileRes = "api://00001111-aaaa-2222-bbbb-3333cccc4444"

const connectorPQ = `section Contoso;

[DataSource.Kind="Contoso", Publish="Contoso.Publish"]
shared Contoso.Contents = (url as text) => Web.Contents(url);

Contoso = [
    Authentication = [
        Anonymous = []
    ],
    Label = "Contoso"
];
`

func patchArgs(path string, more ...string) []string {
	return append([]string{"snippet", "--resource", fileRes, "--patch", path}, more...)
}

func offlineEnv(t *testing.T) []string {
	return []string{"XDG_CACHE_HOME=" + t.TempDir(), "HOME=" + t.TempDir()}
}

func writeFile(t *testing.T, path, text string, perm os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil {
		t.Fatal(err)
	}
}

func fileText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func patched(text string) bool { return strings.Contains(text, `Resource = "`+fileRes+`"`) }

// F2: an existing .bak was overwritten; a planted link at the backup or the
// old temp name redirected the write.
func TestBinaryPatchBackupsAndPlantedLinks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "Contoso.pq")
	victim := filepath.Join(t.TempDir(), "victim.txt")
	writeFile(t, p, connectorPQ, 0o644)
	writeFile(t, p+".bak", "an older backup", 0o644)
	writeFile(t, victim, "victim", 0o644)
	for _, planted := range []string{p + ".bak.1", p + ".pqentra-tmp"} {
		if err := os.Symlink(victim, planted); err != nil {
			t.Fatal(err)
		}
	}
	r := runBinary(t, offlineEnv(t), patchArgs(p, "--yes")...)
	if r.code != 0 || !strings.Contains(r.stderr, "Updated "+p+" (original kept as "+p+".bak.2)") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if fileText(t, victim) != "victim" || fileText(t, p+".bak") != "an older backup" || fileText(t, p+".bak.2") != connectorPQ {
		t.Error("a backup was overwritten or the write followed a planted link")
	}
	if !patched(fileText(t, p)) {
		t.Error("not patched")
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"Contoso.pq", "Contoso.pq.bak", "Contoso.pq.bak.1", "Contoso.pq.bak.2", "Contoso.pq.pqentra-tmp"}) {
		t.Errorf("folder holds %v", got)
	}
}

// Issue 9: a patched file keeps its own line endings (CRLF from Windows
// editors here), and a UTF-8 byte order mark.
func TestBinaryPatchKeepsCRLFAndBOM(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "Contoso.pq")
	crlf := "\ufeff" + strings.ReplaceAll(connectorPQ, "\n", "\r\n")
	writeFile(t, p, crlf, 0o644)
	r := runBinary(t, offlineEnv(t), patchArgs(p, "--yes")...)
	text := fileText(t, p)
	if r.code != 0 || !patched(text) || !strings.HasPrefix(text, "\ufeffsection Contoso;\r\n") || strings.Contains(strings.ReplaceAll(text, "\r\n", ""), "\n") {
		t.Errorf("exit %d\n%q\n%s", r.code, text, r.stderr)
	}
}

// F2: a connector path that is a symlink had the link replaced while the
// real connector stayed untouched, and "Updated" was printed.
func TestBinaryPatchFollowsTheConnectorLink(t *testing.T) {
	t.Parallel()
	realDir, workDir := t.TempDir(), t.TempDir()
	real := filepath.Join(realDir, "Contoso.pq")
	link := filepath.Join(workDir, "Contoso.pq")
	writeFile(t, real, connectorPQ, 0o644)
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	r := runBinary(t, offlineEnv(t), patchArgs(link, "--yes")...)
	if r.code != 0 || !strings.Contains(r.stderr, "Updated "+real+" through the link "+link+" (original kept as "+real+".bak)") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if target, err := os.Readlink(link); err != nil || target != real {
		t.Errorf("the link is gone: %q %v", target, err)
	}
	if !patched(fileText(t, real)) || fileText(t, real+".bak") != connectorPQ {
		t.Error("the real connector was not patched, or its backup is wrong")
	}
}

// F10: 25 of 150 concurrent --patch --yes runs failed with "rename … no such
// file". Every run must succeed or fail cleanly; the file ends patched once,
// with one backup of the original.
func TestBinaryConcurrentPatches(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "Contoso.pq")
	// 50,000 members make each write take long enough for the
	// runs to overlap.
	var b strings.Builder
	b.WriteString(connectorPQ)
	for i := range 50_000 {
		fmt.Fprintf(&b, "M%07d = %d;\n", i, i)
	}
	original := b.String()
	writeFile(t, p, original, 0o644)
	env := offlineEnv(t)
	const n = 50
	results := make([]proc, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { results[i] = runBinary(t, env, patchArgs(p, "--yes")...) })
	}
	wg.Wait()
	for i, r := range results {
		if r.code != 0 || strings.Contains(r.stderr, "no such file") {
			t.Errorf("run %d: exit %d\n%s", i, r.code, r.stderr)
		}
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"Contoso.pq", "Contoso.pq.bak"}) {
		t.Errorf("folder holds %v", got)
	}
	if text := fileText(t, p); !patched(text) || strings.Count(text, "Aad = [") != 1 || fileText(t, p+".bak") != original {
		t.Errorf("after %d concurrent runs:\n%s", n, text)
	}
}

// F10: a UTF-16 connector was refused as "no data source kind record found".
func TestBinaryUTF16IsRefusedAsUTF16(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "Contoso.pq")
	b := []byte{0xff, 0xfe}
	for _, c := range connectorPQ {
		b = append(b, byte(c), 0)
	}
	writeFile(t, p, string(b), 0o644)
	r := runBinary(t, offlineEnv(t), patchArgs(p, "--yes")...)
	if r.code != 1 || !strings.Contains(r.stderr, "the file is UTF-16; save it as UTF-8") || fileText(t, p) != string(b) {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
}

// Issue 9: --out errors showed the temp file (`open …a.pq.pqentra-tmp`,
// `rename d1.pqentra-tmp d1: file exists`).
func TestBinaryOutErrorsNameTheProblem(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--out", "/nonexistent/a.pq"}, "the folder /nonexistent doesn't exist"},
		{[]string{"--out", dir}, dir + " is a directory"},
		{[]string{"--out", dir, "--force"}, dir + " is a directory"},
	} {
		r := runBinary(t, offlineEnv(t), append([]string{"snippet", "--resource", fileRes}, c.args...)...)
		if r.code != 1 || !strings.Contains(r.stderr, c.want) || strings.Contains(r.stderr, "pqentra-tmp") {
			t.Errorf("%v: exit %d, want %q\n%s", c.args, r.code, c.want, r.stderr)
		}
	}
	if got := dirNames(t, dir); len(got) != 0 {
		t.Errorf("left behind: %v", got)
	}
}

// Issue 9: patch errors said "m: … offset 25"; several kind records did not
// say how to pick one; a kind record without Authentication was "no data
// source kind record found".
func TestBinaryPatchErrorsSayWhereAndHow(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, c := range []struct {
		src, want string
	}{
		{"section X;\nX = [\n  Authentication = [ Anonymous = [] ],\n  Label = \"oops ];\n",
			"X.pq:4:11: unterminated text literal"},
		{"section X;\nA = [ Authentication = [] ];\n\"B C\" = 1;\n#\"B C\" = [ Authentication = [] ];\n",
			`several data source kind records (A, B C); pick one with --kind A or --kind "B C"`},
		{connectorPQ[:strings.Index(connectorPQ, "Contoso = [")] + "Contoso = [\n    Label = \"Contoso\"\n];\n",
			"X.pq:6:1: the data source kind record Contoso has no Authentication record; add Authentication = [] to it and run again"},
	} {
		p := filepath.Join(dir, "X.pq")
		writeFile(t, p, c.src, 0o644)
		r := runBinary(t, offlineEnv(t), patchArgs(p, "--yes")...)
		if r.code != 1 || !strings.Contains(r.stderr, c.want) || strings.Contains(r.stderr, "m:") || strings.Contains(r.stderr, "offset") {
			t.Errorf("exit %d, want %q\n%s", r.code, c.want, r.stderr)
		}
		if fileText(t, p) != c.src {
			t.Error("a refused patch changed the file")
		}
	}
}

// F1: an edit saved while the confirmation waited was lost. In a real
// terminal: answer y after the file changed; pqentra must show the change
// against the new text and ask again, and the edit must survive.
func TestBinaryEditWhileConfirmingIsKept(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is required in CI (.ci/run installs it)")
		}
		t.Skip("tmux not installed")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "Contoso.pq")
	writeFile(t, p, connectorPQ, 0o644)
	sock := fmt.Sprintf("pqentra-files-%d", os.Getpid())
	tmux := func(args ...string) string {
		out, _ := exec.Command("tmux", append([]string{"-L", sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
		return string(out)
	}
	t.Cleanup(func() { tmux("kill-server") })
	script := fmt.Sprintf("env XDG_CACHE_HOME=%s %s snippet --resource %s --patch %s; echo EXIT=$?; sleep 60", dir, binary, fileRes, p)
	tmux("new-session", "-d", "-x", "140", "-y", "50", "-s", "pq", "sh", "-c", script)
	// waitFor returns the pane once done says so.
	waitFor := func(what string, done func(pane string) bool) string {
		t.Helper()
		var s string
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if s = tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", "pq"); done(s) {
				return s
			}
		}
		t.Fatalf("waiting for %s; the pane shows:\n%s", what, s)
		return ""
	}
	questions := func(n int) func(string) bool {
		return func(s string) bool { return strings.Count(s, "[y/N]") >= n || strings.Contains(s, "EXIT=") }
	}
	waitFor("the question", questions(1))
	edited := strings.Replace(connectorPQ, `Label = "Contoso"`, `Label = "Contoso (edited while pqentra waited)"`, 1)
	writeFile(t, p, edited, 0o644)
	tmux("send-keys", "-t", "pq", "y", "Enter")
	s := waitFor("the question again, or the end", questions(2))
	if !strings.Contains(s, "changed while waiting") || !strings.Contains(s, "(edited while pqentra waited)") || strings.Contains(s, "EXIT=") {
		t.Fatalf("no new diff against the edited file, or no second question; the file now holds:\n%s\nthe pane:\n%s", fileText(t, p), s)
	}
	tmux("send-keys", "-t", "pq", "y", "Enter")
	s = waitFor("the end", func(s string) bool { return strings.Contains(s, "EXIT=") })
	if !strings.Contains(s, "EXIT=0") {
		t.Fatalf("exit:\n%s", s)
	}
	if text := fileText(t, p); !patched(text) || !strings.Contains(text, "(edited while pqentra waited)") || fileText(t, p+".bak") != edited {
		t.Errorf("the edit was lost:\n%s\nbackup:\n%s", text, fileText(t, p+".bak"))
	}
}
