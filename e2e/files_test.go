package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// The file guarantees (issue 10 F1, F2, F10; issue 9's file items), checked
// through the built binary: what is on disk, what is on stderr, exit codes.
// Backups, links, --out and patch errors are scripts
// (testdata/script/snippet-*.txtar); here are the cases a script cannot
// write down: bytes a text file cannot hold (CRLF, UTF-16), fifty runs at
// once, and an edit made while pqentra waits in a terminal.

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

// F1: an edit saved while the confirmation waited was lost. In a real
// terminal: answer y after the file changed; pqentra must show the change
// against the new text and ask again, and the edit must survive.
func TestBinaryEditWhileConfirmingIsKept(t *testing.T) {
	t.Parallel()
	tm := newTmux(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "Contoso.pq")
	writeFile(t, p, connectorPQ, 0o644)
	script := fmt.Sprintf("env XDG_CACHE_HOME=%s %s snippet --resource %s --patch %s; echo EXIT=$?", dir, binary, fileRes, p)
	pane := tm.start(140, 50, "external", "sh", "-c", script)
	questions := func(n int) func(string) bool {
		return func(s string) bool { return strings.Count(s, "[y/N]") >= n || strings.Contains(s, "EXIT=") }
	}
	pane.waitUntil("the question", questions(1))
	edited := strings.Replace(connectorPQ, `Label = "Contoso"`, `Label = "Contoso (edited while pqentra waited)"`, 1)
	writeFile(t, p, edited, 0o644)
	pane.keys("y", "Enter")
	s := pane.waitUntil("the question again, or the end", questions(2))
	if !strings.Contains(s, "changed while waiting") || !strings.Contains(s, "(edited while pqentra waited)") || strings.Contains(s, "EXIT=") {
		t.Fatalf("no new diff against the edited file, or no second question; the file now holds:\n%s\nthe pane:\n%s", fileText(t, p), s)
	}
	pane.keys("y", "Enter")
	s = pane.waitUntil("the end", func(s string) bool { return strings.Contains(s, "EXIT=") })
	if !strings.Contains(s, "EXIT=0") {
		t.Fatalf("exit:\n%s", s)
	}
	if text := fileText(t, p); !patched(text) || !strings.Contains(text, "(edited while pqentra waited)") || fileText(t, p+".bak") != edited {
		t.Errorf("the edit was lost:\n%s\nbackup:\n%s", text, fileText(t, p+".bak"))
	}
}
