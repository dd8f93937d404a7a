package tui

import (
	"context"
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
