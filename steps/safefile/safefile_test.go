package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

const orig = "section C;\nC = [ Authentication = [ Anonymous = [] ] ];\n"
const patched = "section C;\nC = [ Authentication = [ Aad = [], Anonymous = [] ] ];\n"

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func content(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// names lists a folder, so a test sees every file a write left behind.
func names(t *testing.T, dir string) []string {
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

func readReplace(t *testing.T, path, text string, force bool) (Written, error) {
	t.Helper()
	f, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return f.Replace(text, force)
}

func TestReplaceKeepsABackupAndLeavesNothingElse(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "C.pq")
	write(t, p, orig)
	w, err := readReplace(t, p, patched, false)
	if err != nil {
		t.Fatal(err)
	}
	if content(t, p) != patched || content(t, p+".bak") != orig || w.Backup != p+".bak" || w.Path != p {
		t.Errorf("got %+v", w)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"C.pq", "C.pq.bak"}) {
		t.Errorf("left behind: %v", got)
	}
}

// Issue 10 F2: an existing .bak was overwritten.
func TestBackupsAreNeverOverwritten(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "C.pq")
	write(t, p, orig)
	write(t, p+".bak", "older backup")
	write(t, p+".bak.1", "even older")
	w, err := readReplace(t, p, patched, false)
	if err != nil {
		t.Fatal(err)
	}
	if w.Backup != p+".bak.2" || content(t, p+".bak.2") != orig || content(t, p+".bak") != "older backup" || content(t, p+".bak.1") != "even older" {
		t.Errorf("backup %q; .bak %q", w.Backup, content(t, p+".bak"))
	}
}

// Issue 10 F2: symlinks planted at the predictable temp and backup names
// redirected the write to the victim.
func TestPlantedSymlinksAreNotFollowed(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "C.pq")
	victim := filepath.Join(t.TempDir(), "victim")
	write(t, p, orig)
	write(t, victim, "victim")
	for _, planted := range []string{p + ".bak", p + ".pqentra-tmp"} {
		if err := os.Symlink(victim, planted); err != nil {
			t.Fatal(err)
		}
	}
	w, err := readReplace(t, p, patched, false)
	if err != nil {
		t.Fatal(err)
	}
	if content(t, victim) != "victim" {
		t.Error("the write went through a planted link")
	}
	if w.Backup != p+".bak.1" || content(t, p) != patched {
		t.Errorf("got %+v", w)
	}
	for _, planted := range []string{p + ".bak", p + ".pqentra-tmp"} {
		if fi, err := os.Lstat(planted); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("%s is no longer the planted link", planted)
		}
	}
	if fi, _ := os.Lstat(p); fi.Mode()&fs.ModeSymlink != 0 {
		t.Error("C.pq became a link")
	}
}

// Issue 10 F2: a connector path that is a symlink (SDK workspaces) had the
// link replaced by a regular file while the real connector was untouched.
func TestSymlinkedConnectorPatchesTheRealFileAndKeepsTheLink(t *testing.T) {
	realDir, linkDir := t.TempDir(), t.TempDir()
	real := filepath.Join(realDir, "Real.pq")
	link := filepath.Join(linkDir, "C.pq")
	write(t, real, orig)
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	f, err := Read(link)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Link || f.Real != real {
		t.Errorf("Read: %+v", f)
	}
	w, err := f.Replace(patched, false)
	if err != nil {
		t.Fatal(err)
	}
	if content(t, real) != patched || w.Path != real || w.Backup != real+".bak" {
		t.Errorf("got %+v, real file %q", w, content(t, real))
	}
	if target, err := os.Readlink(link); err != nil || target != real {
		t.Errorf("the link was replaced: %q %v", target, err)
	}
	if got := names(t, linkDir); !slices.Equal(got, []string{"C.pq"}) {
		t.Errorf("written next to the link: %v", got)
	}
}

// Issue 10 F1: an edit saved while the confirmation waited was lost.
func TestAnEditAfterReadingIsNeverLost(t *testing.T) {
	for name, edit := range map[string]string{
		"same size":  strings.Replace(orig, "Anonymous", "Anonymoux", 1),
		"other size": orig + "// a comment\n",
	} {
		dir := t.TempDir()
		p := filepath.Join(dir, "C.pq")
		write(t, p, orig)
		f, err := Read(p)
		if err != nil {
			t.Fatal(err)
		}
		write(t, p, edit) // the user saves in the editor meanwhile
		_, err = f.Replace(patched, true)
		if !errors.Is(err, ErrChanged) || !strings.HasPrefix(err.Error(), "the file changed while waiting; nothing written") {
			t.Errorf("%s: %v", name, err)
		}
		if content(t, p) != edit || !slices.Equal(names(t, dir), []string{"C.pq"}) {
			t.Errorf("%s: the edit was touched or files were left: %v", name, names(t, dir))
		}
	}
}

// A file swapped for a link to another file is a change too.
func TestARetargetedLinkIsAChange(t *testing.T) {
	dir := t.TempDir()
	a, b, link := filepath.Join(dir, "a.pq"), filepath.Join(dir, "b.pq"), filepath.Join(dir, "C.pq")
	write(t, a, orig)
	write(t, b, orig)
	os.Symlink(a, link)
	f, _ := Read(link)
	os.Remove(link)
	os.Symlink(b, link)
	if _, err := f.Replace(patched, false); !errors.Is(err, ErrChanged) {
		t.Errorf("got %v", err)
	}
}

func TestReplaceKeepsMode(t *testing.T) {
	p := filepath.Join(t.TempDir(), "C.pq")
	write(t, p, orig)
	os.Chmod(p, 0o640)
	if _, err := readReplace(t, p, patched, false); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v", fi.Mode())
	}
}

// Issue 10 F10: concurrent writers. Every writer either succeeds or is
// told the file changed; no update is lost (each success appended one
// line, and the file has exactly that many); no temporary file is left.
func TestConcurrentWritersNeverLoseAnUpdate(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "C.pq")
	write(t, p, orig)
	const n = 50
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			f, err := Read(p)
			if err != nil {
				errs[i] = err
				return
			}
			_, errs[i] = f.Replace(f.Text+fmt.Sprintf("// writer %d\n", i), false)
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, ErrChanged):
			t.Errorf("unclean failure: %v", err)
		}
	}
	if got := strings.Count(content(t, p), "// writer"); ok == 0 || got != ok {
		t.Errorf("%d writers succeeded but the file has %d of their lines", ok, got)
	}
	for _, name := range names(t, dir) {
		if strings.Contains(name, "tmp") {
			t.Errorf("left behind: %s", name)
		}
	}
}

func TestReadSaysWhatThePathIs(t *testing.T) {
	dir := t.TempDir()
	dangling := filepath.Join(dir, "dangling.pq")
	os.Symlink(filepath.Join(dir, "gone.pq"), dangling)
	for path, want := range map[string]string{
		dir:                           " is a directory, not a file",
		filepath.Join(dir, "none.pq"): " does not exist",
		"/nonexistent/a.pq":           "the folder /nonexistent doesn't exist",
		dangling:                      "is a symbolic link to " + filepath.Join(dir, "gone.pq") + ", which does not exist",
	} {
		if _, err := Read(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Read(%s) = %v, want %q", path, err, want)
		}
	}
}

func TestWriteNew(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "Données東京Connector.aad.pq")
	if w, err := WriteNew(p, "one\n", false); err != nil || w.Path != p || content(t, p) != "one\n" {
		t.Fatalf("%+v %v", w, err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != newFilePerm {
		t.Errorf("mode %v", fi.Mode())
	}
	if _, err := WriteNew(p, "two\n", false); !errors.Is(err, ErrExists) || err.Error() != p+" exists" {
		t.Errorf("got %v", err)
	}
	os.Chmod(p, 0o600)
	if w, err := WriteNew(p, "two\n", true); err != nil || content(t, p) != "two\n" || w.Backup != "" {
		t.Errorf("force: %+v %v", w, err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Errorf("force changed the mode: %v", fi.Mode())
	}
	if got := names(t, dir); len(got) != 1 {
		t.Errorf("left behind: %v", got)
	}
}

// Issue 9: --out /nonexistent/a.pq showed the temp file's name, and --out
// <dir> --force showed "rename d1.pqentra-tmp d1: file exists".
func TestWriteNewRefusalsNameTheProblem(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	write(t, victim, "victim")
	planted := filepath.Join(dir, "out.pq")
	os.Symlink(victim, planted)
	for _, force := range []bool{false, true} {
		for path, want := range map[string]struct {
			reason error
			msg    string
		}{
			"/nonexistent/a.pq": {ErrNoFolder, "the folder /nonexistent doesn't exist; create it first or choose another folder"},
			dir:                 {ErrIsDir, dir + " is a directory; name a file in it"},
			dir + "/":           {ErrIsDir, dir + "/ is a directory; name a file in it"},
		} {
			_, err := WriteNew(path, "x\n", force)
			if !errors.Is(err, want.reason) || err.Error() != want.msg {
				t.Errorf("WriteNew(%s, force %v) = %v, want %q", path, force, err, want.msg)
			}
			if err != nil && strings.Contains(err.Error(), "pqentra-tmp") {
				t.Errorf("the message shows a temp name: %v", err)
			}
		}
	}
	if _, err := WriteNew(planted, "x\n", false); !errors.Is(err, ErrExists) || content(t, victim) != "victim" {
		t.Errorf("a planted link at the target: %v", err)
	}
	if got := names(t, dir); len(got) != 2 {
		t.Errorf("left behind: %v", got)
	}
}

func TestNextBackupIsTheNameReplaceUses(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "C.pq")
	write(t, p, orig)
	write(t, p+".bak", "old")
	f, err := Read(p)
	if err != nil {
		t.Fatal(err)
	}
	next := f.NextBackup()
	w, err := f.Replace(patched, false)
	if err != nil || next != p+".bak.1" || w.Backup != next {
		t.Errorf("NextBackup %q, Replace wrote %q (%v)", next, w.Backup, err)
	}
}

// Issue 9: new files on Windows use CRLF. WriteNew takes the line ending
// from goos; here it is set to Windows.
func TestWriteNewUsesCRLFOnWindows(t *testing.T) {
	defer func(g string) { goos = g }(goos)
	for g, want := range map[string]string{"windows": "Aad = [\r\n    Scope = \".default\"\r\n]\r\n", "linux": "Aad = [\n    Scope = \".default\"\n]\n"} {
		goos = g
		p := filepath.Join(t.TempDir(), "a.aad.pq")
		if _, err := WriteNew(p, "Aad = [\n    Scope = \".default\"\n]\n", false); err != nil {
			t.Fatal(err)
		}
		if got := content(t, p); got != want {
			t.Errorf("%s: %q", g, got)
		}
	}
}
