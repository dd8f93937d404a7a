package tui

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
)

// formScreen is the part every form screen shares: its huh form and the
// form's first field (shift+tab there goes to the previous step).
type formScreen struct {
	f     *huh.Form
	first huh.Field
}

func (s *formScreen) form() *huh.Form       { return s.f }
func (s *formScreen) firstField() huh.Field { return s.first }

// setForm themes and sizes a new form. huh's own submit/quit commands are
// replaced: the root model notices completion and Ctrl-C itself.
func (s *formScreen) setForm(m *Model, f *huh.Form, first huh.Field) tea.Cmd {
	f.SubmitCmd = nil
	f.CancelCmd = nil
	f.WithTheme(m.st.form).WithShowHelp(false).WithWidth(m.formWidth())
	s.f, s.first = f, first
	cmd := f.Init()
	fitForm(f, m)
	return cmd
}

// fitForm tells the form its size, so huh measures each group's height
// with the real width (wrapped descriptions included) and no line of a
// field is cut off.
func fitForm(f *huh.Form, m *Model) {
	f.Update(tea.WindowSizeMsg{Width: m.formWidth(), Height: m.height})
}
