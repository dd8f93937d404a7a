package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/pqentra/pqentra/steps"
)

// scopeScreen defines the delegated scope the connector asks for. The
// consent texts are prefilled and only shown on request, so the quickstart's
// defaults cost one keypress per field that matters.
type scopeScreen struct {
	formScreen
	a scopeAnswers
}

func (s *scopeScreen) step() string { return steps.StepScope }

func (s *scopeScreen) enter(m *Model) tea.Cmd {
	s.a = m.flow.scopeStart()
	return s.build(m)
}

func (s *scopeScreen) build(m *Model) tea.Cmd {
	var groups []*huh.Group
	var first huh.Field
	for i, g := range scopeGroups(&s.a) {
		grp, f := g.huhGroup()
		if i == 0 {
			first = f
		}
		groups = append(groups, grp)
	}
	return s.setForm(m, huh.NewForm(groups...), first)
}

func (s *scopeScreen) desired(m *Model) (steps.Desired, error) { return m.flow.scopeDesired(s.a) }

func (s *scopeScreen) submit(m *Model) tea.Cmd { return m.apply("Saving the scope…") }

func (s *scopeScreen) extra(m *Model, w int) string { return m.notesView(m.flow.scopeNotes(s.a), w) }

func (s *scopeScreen) bindings(m *Model) []key.Binding {
	return []key.Binding{m.keys.Apply, m.keys.Back}
}
