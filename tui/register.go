package tui

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/pqentra/pqentra/steps"
)

const (
	modeNew      = "new"
	modeExisting = "existing"
)

// registerScreen creates the resource application (or picks an existing
// one) and makes sure it has a service principal in the tenant.
type registerScreen struct {
	formScreen
	mode, name, audience string
	query, picked        string

	// searched is query as of the last form update. huh runs the options
	// function in its own goroutine while the form keeps writing query, so
	// the search reads this copy under the lock instead.
	mu       sync.Mutex
	searched string
}

// formUpdated runs on the program's goroutine after every form update,
// before any command the update returned can start.
func (s *registerScreen) formUpdated() {
	s.mu.Lock()
	s.searched = s.query
	s.mu.Unlock()
}

func (s *registerScreen) currentQuery() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.searched
}

func (s *registerScreen) step() string  { return steps.StepRegister }
func (s *registerScreen) label() string { return "Register" }

func (s *registerScreen) enter(m *Model) tea.Cmd {
	s.mode, s.name, s.audience = modeNew, m.desired.DisplayName, m.desired.SignInAudience
	if a := m.state.App; a != nil && m.done[steps.StepRegister] {
		s.name, s.audience = a.DisplayName, a.SignInAudience
	} else if m.desired.AppID != "" {
		s.mode, s.query = modeExisting, m.desired.AppID
	}
	s.formUpdated()
	if s.audience == "" {
		s.audience = steps.AudienceSingle
	}
	return s.build(m)
}

// build makes the form from the screen's current answers (also after an
// error, so 'e' keeps what the user typed).
func (s *registerScreen) build(m *Model) tea.Cmd {
	mode := huh.NewSelect[string]().Title("Resource application").
		Description("The app registration for the service your connector calls.").
		Options(modeOptions()...).Value(&s.mode)
	f := huh.NewForm(
		huh.NewGroup(mode),
		huh.NewGroup(
			huh.NewInput().Title("Display name").Placeholder("Contoso Connector").
				Description("What users see when they consent; you can rename it later.").
				Value(&s.name).Validate(steps.ValidateDisplayName),
			huh.NewSelect[string]().Title("Supported account types").
				Options(audienceOptions()...).
				Description("This organization only if the service is internal; any organization for a public, multitenant service.").
				Value(&s.audience),
		).WithHideFunc(func() bool { return s.mode != modeNew }),
		huh.NewGroup(
			huh.NewInput().Title("Find the application").Placeholder("type a name, or paste the Application (client) ID").
				Value(&s.query),
			huh.NewSelect[string]().Title("Application").Value(&s.picked).Height(6).
				OptionsFunc(func() []huh.Option[string] { return s.search(m) }, &s.query),
		).WithHideFunc(func() bool { return s.mode != modeExisting }),
	)
	return s.setForm(m, f, mode)
}

// search asks the tenant for apps whose name starts with the query (or the
// one app with that id). It waits a moment first and gives up if the user
// typed on: a cheap debounce, since huh runs this for every keystroke.
func (s *registerScreen) search(m *Model) []huh.Option[string] {
	q := s.currentQuery()
	time.Sleep(250 * time.Millisecond)
	if q != s.currentQuery() {
		return nil
	}
	apps, err := m.searchApps(q)
	if err != nil {
		return []huh.Option[string]{huh.NewOption("(search failed: "+firstLine(err)+")", "")}
	}
	if len(apps) == 0 {
		return []huh.Option[string]{huh.NewOption("(no application found; try another name or the appId)", "")}
	}
	var opts []huh.Option[string]
	for _, a := range apps {
		opts = append(opts, appOption(a))
	}
	return opts
}

func firstLine(err error) string {
	s := steps.Clean(strings.SplitN(err.Error(), "\n", 2)[0])
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return s
}

func (s *registerScreen) desired(m *Model) steps.Desired {
	d := m.desired
	if s.mode == modeExisting {
		d.AppID, d.DisplayName, d.SignInAudience = s.picked, "", ""
		return d
	}
	if !m.done[steps.StepRegister] || m.state.App == nil {
		d.AppID = ""
	}
	d.DisplayName, d.SignInAudience = s.name, s.audience
	return d
}

// previewNote: an existing app's state is only read once it is picked.
func (s *registerScreen) previewNote(m *Model) string {
	if s.mode != modeExisting || (m.state.App != nil && m.state.App.AppID == s.picked) {
		return ""
	}
	return "Enter reads the application you picked, then creates its service principal\n" +
		"(PATCH /servicePrincipals(appId='…'), Prefer: create-if-missing) if it has none.\nNothing else on the app changes at this step."
}

func (s *registerScreen) submit(m *Model) tea.Cmd {
	d := s.desired(m)
	if s.mode == modeExisting && !steps.IsGUID(d.AppID) {
		m.failed = fmt.Errorf("no application picked: type part of its name (or paste its Application (client) ID) and choose it from the list")
		return nil
	}
	if err := d.Normalize(); err != nil {
		m.failed = err
		return nil
	}
	reread := m.state.App == nil || !strings.EqualFold(m.state.App.AppID, d.AppID)
	return m.startApply("Registering the application…", d, reread)
}

func (s *registerScreen) extra(m *Model) string {
	if m.busy != "" || m.failed != nil {
		return ""
	}
	return m.st.faint.Render("No redirect URI is needed: Power Query's own client apps sign users in.")
}

func (s *registerScreen) bindings(m *Model) []key.Binding { return []key.Binding{m.keys.Apply} }
