package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/doctor"
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

func (s *appIDURIScreen) extra(m *Model, w int) string {
	if m.busy != "" || m.failed != nil {
		return ""
	}
	return m.st.faint.Render(wrap("This URI becomes Resource in your connector's Aad record.", w)) + m.findingsView(w)
}

// findingsView lists what the doctor found on an existing app (errors and
// warnings only): the steps ahead are what fixes them.
func (m *Model) findingsView(w int) string {
	var lines []string
	for _, f := range m.flow.findings {
		if f.Severity == doctor.SeverityInfo || len(lines) == 5 {
			continue
		}
		mark := m.st.warn.Render("!")
		if f.Severity == doctor.SeverityError {
			mark = m.st.bad.Render("✗")
		}
		lines = append(lines, mark+" "+wrap(steps.Clean(f.Message), w-2))
	}
	if len(lines) == 0 {
		return ""
	}
	return "\n\n" + m.st.paneTitle.Render(wrap("What the doctor found on this app (the next steps fix these):", w)) + "\n" + strings.Join(lines, "\n")
}

func (s *appIDURIScreen) bindings(m *Model) []key.Binding {
	return []key.Binding{m.keys.Apply, m.keys.Back}
}
