package tui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/pqentra/pqentra/steps"
)

// TestSnippetWriteNeverOverwritesSilently: w writes a new file; a second w
// to the same name asks, and keeping it (the default) writes nothing.
func TestSnippetWriteNeverOverwritesSilently(t *testing.T) {
	dir := t.TempDir()
	var writes []string
	mo := New(context.Background(), Options{Client: offlineClient(t), Snippet: snippetFor,
		WriteFile: func(p, text string, force bool) error {
			writes = append(writes, p)
			return os.WriteFile(p, []byte(text), 0o644)
		}})
	mo.flow.state.App = &steps.App{AppID: "00001111-aaaa-2222-bbbb-3333cccc4444", DisplayName: "Contoso Connector"}
	mo.goToStep(steps.StepSnippet)
	s := mo.screen().(*snippetScreen)
	path := filepath.Join(dir, "out.aad.pq")
	write := func() {
		s.path = path
		s.exists, s.overwrite = false, false
		s.f = huh.NewForm(huh.NewGroup(huh.NewInput().Value(&s.path)))
		mo.Update(tea.KeyMsg{}) // no-op
		s.submit(mo)
	}
	write()
	if len(writes) != 1 || !strings.Contains(s.status, "Wrote") {
		t.Fatalf("first write: %v %q", writes, s.status)
	}
	write()
	if s.f == nil || !s.exists {
		t.Fatal("did not ask before replacing")
	}
	s.submit(mo) // the confirm answered with its default: keep
	if len(writes) != 1 || !strings.Contains(s.status, "Kept") {
		t.Fatalf("replaced without a yes: %v %q", writes, s.status)
	}
	if defaultPath("Contoso Connector") != "ContosoConnector.aad.pq" {
		t.Errorf("default path %q", defaultPath("Contoso Connector"))
	}
}

// TestSnippetWriteRefusesAFolder (issue 9): w with a folder as the target
// says so and how to fix it, instead of asking to replace it.
func TestSnippetWriteRefusesAFolder(t *testing.T) {
	dir := t.TempDir()
	f := newFlow(Options{Client: offlineClient(t), Snippet: snippetFor})
	f.state.App = &steps.App{AppID: "00001111-aaaa-2222-bbbb-3333cccc4444", DisplayName: "Contoso Connector"}
	err := f.writeSnippet(dir, "Aad = []", false)
	if err == nil || errors.Is(err, errFileExists) || !strings.Contains(err.Error(), "is a folder: name a file in it, e.g. "+filepath.Join(dir, "ContosoConnector.aad.pq")) {
		t.Fatalf("writing to a folder: %v", err)
	}
	if err := f.checkSnippetPath(dir); err == nil {
		t.Fatal("the file-name field accepts a folder")
	}
	path := filepath.Join(dir, "out.aad.pq")
	if err := f.writeSnippet(path, "Aad = []", false); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "Aad = []\n" {
		t.Fatalf("wrote %q", b)
	}
	if err := f.writeSnippet(path, "Aad = [x]", false); !errors.Is(err, errFileExists) {
		t.Fatalf("second write without force: %v", err)
	}
}
