package tui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/pqentra/pqentra/steps"
)

// registerScreen creates the resource application (or picks an existing
// one) and makes sure it has a service principal in the tenant.
type registerScreen struct {
	formScreen
	a registerAnswers
	// The existing-app search: the query last searched for (or waiting
	// for its debounce tick), which keystroke that was, and the picker
	// whose options the results fill.
	searched string
	seq      int
	picker   *huh.Select[string]
}

func (s *registerScreen) step() string { return steps.StepRegister }

func (s *registerScreen) enter(m *Model) tea.Cmd {
	s.a = m.flow.registerStart()
	s.searched = ""
	return s.build(m)
}

// build makes the form from the screen's current answers.
func (s *registerScreen) build(m *Model) tea.Cmd {
	mode := modeField(&s.a).huhField()
	s.picker = huh.NewSelect[string]().Title("Application").Value(&s.a.picked).Height(6).
		Options(huh.NewOption("(type to search)", ""))
	existing := fieldGroup{fields: []field{appQueryField(&s.a)}, shown: func() bool { return s.a.mode == modeExisting }}
	newApp, _ := newAppGroup(&s.a).huhGroup()
	find, _ := existing.huhGroup(s.picker)
	f := huh.NewForm(huh.NewGroup(mode), newApp, find)
	return tea.Batch(s.setForm(m, f, mode), s.formUpdated(m))
}

// formUpdated starts the debounce when the query changed: the search runs
// once typing pauses (searchTickMsg), not on every keystroke.
func (s *registerScreen) formUpdated(m *Model) tea.Cmd {
	q := strings.TrimSpace(s.a.query)
	if s.a.mode != modeExisting || q == s.searched {
		return nil
	}
	s.searched = q
	s.seq++
	return searchTick(s.seq)
}

func (s *registerScreen) handleMsg(m *Model, msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case searchTickMsg:
		if msg.seq != s.seq {
			return nil, true // typed on since
		}
		return m.searchCmd(msg.seq, s.searched), true
	case searchResultMsg:
		if msg.seq != s.seq {
			return nil, true
		}
		s.showResults(m, msg)
		return nil, true
	}
	return nil, false
}

func (s *registerScreen) showResults(m *Model, r searchResultMsg) {
	// The pick stays when the new results still list it (first, because
	// huh's list of fixed height starts at its cursor: an app above it would
	// be out of sight); else it moves to the first app listed, or to none.
	// The cursor follows the pick: huh keeps its old position otherwise,
	// which may be past the new list's end — no cursor, Enter doing nothing,
	// and the preview naming an app no longer listed.
	apps := slices.Clone(r.apps)
	if i := slices.IndexFunc(apps, func(a steps.App) bool { return strings.EqualFold(a.AppID, s.a.picked) }); i > 0 {
		apps = append(append([]steps.App{apps[i]}, apps[:i]...), apps[i+1:]...)
	}
	s.a.picked = ""
	if len(apps) > 0 {
		s.a.picked = apps[0].AppID
	}
	var opts []huh.Option[string]
	switch {
	case r.err != nil:
		opts = append(opts, huh.NewOption("(search failed: "+firstLine(r.err)+")", ""))
	case len(apps) == 0:
		opts = append(opts, huh.NewOption("(no application found; try another word or the appId)", ""))
	}
	for _, a := range apps {
		c := appChoice(a, m.formWidth()-6) // the form's border and cursor
		opts = append(opts, huh.NewOption(c.label, c.value))
	}
	s.picker.Options(opts...)
	s.picker.Value(&s.a.picked)
	// huh draws a page when it updates: show the new options now.
	fitForm(s.f, m)
}

func firstLine(err error) string {
	s := steps.Clean(strings.SplitN(err.Error(), "\n", 2)[0])
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return s
}

func (s *registerScreen) desired(m *Model) (steps.Desired, error) { return m.flow.registerDesired(s.a) }

// previewNote: an existing app's state is only read once it is picked.
func (s *registerScreen) previewNote(m *Model) string {
	if s.a.mode == modeNew && strings.TrimSpace(s.a.name) == "" {
		return "The request shows here once the app has a display name."
	}
	if s.a.mode != modeExisting || strings.EqualFold(m.flow.appID(), s.a.picked) && s.a.picked != "" {
		return ""
	}
	picked := ""
	if steps.IsGUID(s.a.picked) {
		picked = " (" + s.a.picked + ")"
	}
	return "Enter reads the application you picked" + picked + ", then creates its service principal " +
		"(PATCH /servicePrincipals(appId='…'), Prefer: create-if-missing) if it has none. Nothing else on the app changes at this step."
}

func (s *registerScreen) submit(m *Model) tea.Cmd {
	label := "Registering the application…"
	if s.a.mode == modeExisting {
		label = "Reading the application…"
	}
	return m.apply(label)
}

func (s *registerScreen) extra(m *Model, w int) string {
	return m.notesView(m.flow.registerNotes(s.a), w)
}

func (s *registerScreen) bindings(m *Model) []key.Binding { return []key.Binding{m.keys.Apply} }
