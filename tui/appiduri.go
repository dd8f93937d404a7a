package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/pqentra/pqentra/steps"
)

// appIDURIScreen sets the Application ID URI, the connector's Resource.
type appIDURIScreen struct {
	formScreen
	a uriAnswers
}

func (s *appIDURIScreen) step() string { return steps.StepIdentifierURI }

func (s *appIDURIScreen) enter(m *Model) tea.Cmd {
	s.a = m.flow.uriStart()
	return s.build(m)
}

func (s *appIDURIScreen) build(m *Model) tea.Cmd {
	in := uriField(m.flow, &s.a).huhField()
	return s.setForm(m, huh.NewForm(huh.NewGroup(in)), in)
}

func (s *appIDURIScreen) desired(m *Model) (steps.Desired, error) { return m.flow.uriDesired(s.a) }

func (s *appIDURIScreen) submit(m *Model) tea.Cmd {
	return m.apply("Setting the Application ID URI…")
}

func (s *appIDURIScreen) extra(m *Model, w int) string { return m.notesView(m.flow.uriNotes(), w) }

func (s *appIDURIScreen) bindings(m *Model) []key.Binding {
	return []key.Binding{m.keys.Apply, m.keys.Back}
}
