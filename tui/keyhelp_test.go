package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pqentra/pqentra/steps"
)

// TestKeyHelpIsWhole: the ? help lists every key whole at 80, 100 and 140
// columns. At 100 columns its last column ("? keys", "ctrl+c quit") was cut
// to "…" because the scroll key's description was too long for the row.
func TestKeyHelpIsWhole(t *testing.T) {
	app := steps.App{AppID: "2dbceeb9-4f7a-4e48-a9aa-77c971c099ae", ObjectID: "7c3e2a10-5b4d-4f6e-8a9b-0c1d2e3f4a5b",
		DisplayName: "Contoso Connector", IdentifierURIs: []string{"api://2dbceeb9-4f7a-4e48-a9aa-77c971c099ae"}}
	for _, w := range []int{80, 100, 140} {
		mo := snippetModel(t, w, 30, app, nil)
		mo.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("?")})
		v := mo.View()
		for _, want := range []string{"shift+tab", "previous field", "pgup/pgdn", "ctrl+c", "quit", "? ", "copy", "finish"} {
			if !strings.Contains(v, want) {
				t.Errorf("%d columns: the key help lacks %q:\n%s", w, want, v)
			}
		}
		for _, l := range strings.Split(v, "\n") {
			if strings.HasSuffix(strings.TrimRight(l, " "), "…") {
				t.Errorf("%d columns: the key help is cut: %q", w, l)
			}
		}
		fits(t, v, w, 30, "? help")
	}
}
