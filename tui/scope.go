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
	value, consent string
	editTexts      bool
	texts          steps.ScopeTexts
}

func (s *scopeScreen) step() string  { return steps.StepScope }
func (s *scopeScreen) label() string { return "Scope" }

func (s *scopeScreen) appName(m *Model) string {
	if m.state.App != nil {
		return m.state.App.DisplayName
	}
	return m.desired.DisplayName
}

func (s *scopeScreen) enter(m *Model) tea.Cmd {
	s.value, s.consent, s.editTexts = m.desired.Scope.Value, m.desired.Scope.Type, false
	if t := m.desired.Scope.Texts; t != nil {
		s.texts = *t
	} else if cur := m.state.App.ScopeByValue(s.value); cur != nil {
		s.texts = steps.ScopeTexts{AdminConsentDisplayName: cur.AdminConsentDisplayName, AdminConsentDescription: cur.AdminConsentDescription,
			UserConsentDisplayName: cur.UserConsentDisplayName, UserConsentDescription: cur.UserConsentDescription}
	} else {
		s.texts = steps.DefaultScopeTexts(s.value, steps.Clean(s.appName(m)))
	}
	return s.build(m)
}

// build makes the form from the screen's current answers (also after an
// error, so 'e' keeps what the user typed).
func (s *scopeScreen) build(m *Model) tea.Cmd {
	val := huh.NewInput().Title("Scope name").Description("The quickstart uses Data.Read.").
		Value(&s.value).Validate(steps.ValidateScopeValue)
	nonEmpty := func(v string) error {
		if v == "" {
			return errEmptyText
		}
		return nil
	}
	f := huh.NewForm(
		huh.NewGroup(
			val,
			huh.NewSelect[string]().Title("Who can consent").
				Options(consentOptions()...).
				Value(&s.consent),
			huh.NewConfirm().Title("Edit the consent texts?").Affirmative("Edit").Negative("Keep").Value(&s.editTexts),
		),
		huh.NewGroup(
			huh.NewInput().Title("Admin consent display name").Value(&s.texts.AdminConsentDisplayName).Validate(nonEmpty),
			huh.NewInput().Title("Admin consent description").Value(&s.texts.AdminConsentDescription).Validate(nonEmpty),
			huh.NewInput().Title("User consent display name").Value(&s.texts.UserConsentDisplayName),
			huh.NewInput().Title("User consent description").Value(&s.texts.UserConsentDescription),
		).WithHideFunc(func() bool { return !s.editTexts }),
	)
	return s.setForm(m, f, val)
}

func (s *scopeScreen) desired(m *Model) steps.Desired {
	d := m.desired
	d.Scope.Value, d.Scope.Type = s.value, s.consent
	d.Scope.Texts = nil
	if s.editTexts {
		t := s.texts
		d.Scope.Texts = &t
	}
	return d
}

func (s *scopeScreen) submit(m *Model) tea.Cmd {
	d := s.desired(m)
	if err := d.Normalize(); err != nil {
		m.failed = err
		return nil
	}
	return m.startApply("Saving the scope…", d, false)
}

func (s *scopeScreen) extra(m *Model) string {
	if m.busy != "" || m.failed != nil {
		return ""
	}
	if s.consent == steps.ConsentAdmins {
		return m.st.warn.Render("Admins only: users who connect will see \"Need admin approval\" unless an admin consents for the whole tenant. Power Query connectors normally use Admins and users.")
	}
	return m.st.faint.Render("The scope is saved enabled. Preauthorizing the Power Query clients (next) spares users the consent prompt.")
}

func (s *scopeScreen) bindings(m *Model) []key.Binding {
	return []key.Binding{m.keys.Apply, m.keys.Back}
}
