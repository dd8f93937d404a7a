package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/pqentra/pqentra/steps"
)

// appIDURIScreen sets the Application ID URI, the connector's Resource.
type appIDURIScreen struct {
	formScreen
	uri string
}

func (s *appIDURIScreen) step() string  { return steps.StepIdentifierURI }
func (s *appIDURIScreen) label() string { return "App ID URI" }

func (s *appIDURIScreen) appID(m *Model) string {
	if m.state.App == nil {
		return ""
	}
	return m.state.App.AppID
}

func (s *appIDURIScreen) enter(m *Model) tea.Cmd {
	s.uri = steps.ResolveURI(m.desired.IdentifierURI, s.appID(m))
	if a := m.state.App; a != nil && len(a.IdentifierURIs) > 0 && !m.done[steps.StepIdentifierURI] &&
		m.desired.IdentifierURI == steps.DefaultIdentifierURI {
		s.uri = a.IdentifierURIs[0] // an existing app keeps the URI it has
	}
	return s.build(m)
}

// build makes the form from the screen's current answers (also after an
// error, so 'e' keeps what the user typed).
func (s *appIDURIScreen) build(m *Model) tea.Cmd {
	in := huh.NewInput().Title("Application ID URI").
		Description("The default api://{appId} always works. A custom URI must use one of the tenant's verified domains.").
		Value(&s.uri).Validate(func(v string) error { return s.check(m, v) })
	return s.setForm(m, huh.NewForm(huh.NewGroup(in)), in)
}

// check validates as Graph will: syntax, then the tenant's URI policy.
func (s *appIDURIScreen) check(m *Model, v string) error {
	if err := steps.ValidateIdentifierURISyntax(v); err != nil {
		return err
	}
	return steps.CheckIdentifierURIPolicy(v, s.appID(m), m.state.Tenant)
}

func (s *appIDURIScreen) desired(m *Model) steps.Desired {
	d := m.desired
	d.IdentifierURI = s.uri
	return d
}

func (s *appIDURIScreen) submit(m *Model) tea.Cmd {
	d := s.desired(m)
	if err := d.Normalize(); err != nil {
		m.failed = err
		return nil
	}
	return m.startApply("Setting the Application ID URI…", d, false)
}

func (s *appIDURIScreen) extra(m *Model) string {
	if m.busy != "" || m.failed != nil {
		return ""
	}
	return m.st.faint.Render("This URI becomes Resource in your connector's Aad record.") + m.findingsView()
}

// findingsView lists what the doctor found on an existing app (errors and
// warnings only): the steps ahead are what fixes them.
func (m *Model) findingsView() string {
	var lines []string
	for _, f := range m.findings {
		if f.Severity == steps.SeverityInfo || len(lines) == 5 {
			continue
		}
		mark := m.st.warn.Render("!")
		if f.Severity == steps.SeverityError {
			mark = m.st.bad.Render("✗")
		}
		lines = append(lines, mark+" "+wrap(steps.Clean(f.Message), m.formWidthOrFull()-2))
	}
	if len(lines) == 0 {
		return ""
	}
	return "\n\n" + m.st.paneTitle.Render("What the doctor found on this app (the next steps fix these):") + "\n" + strings.Join(lines, "\n")
}

func (s *appIDURIScreen) bindings(m *Model) []key.Binding {
	return []key.Binding{m.keys.Apply, m.keys.Back}
}
