package tui

import (
	"fmt"
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/pqentra/pqentra/steps"
)

// preauthScreen preauthorizes client apps for the scope. Preauthorizing
// skips consent, so another client ID is looked up and shown by name, and
// must be confirmed, before it is added.
type preauthScreen struct {
	formScreen
	a preauthAnswers
	// confirm is the other client waiting for y/n.
	confirm *clientLookupMsg
	// refused says why the last key did not uncheck a kept client.
	refused string
}

func (s *preauthScreen) step() string { return steps.StepPreauthorize }

func (s *preauthScreen) enter(m *Model) tea.Cmd {
	s.a, s.confirm = m.flow.preauthStart(), nil
	return s.build(m)
}

func (s *preauthScreen) build(m *Model) tea.Cmd {
	grp, first := clientGroup(&s.a).huhGroup()
	return s.setForm(m, huh.NewForm(grp), first)
}

func (s *preauthScreen) desired(m *Model) (steps.Desired, error) { return m.flow.preauthDesired(s.a) }

func (s *preauthScreen) submit(m *Model) tea.Cmd {
	if other := s.a.untrusted(); other != "" {
		return m.startBusy("Looking up "+other+"…", m.lookupClientCmd(other))
	}
	return m.apply("Preauthorizing the clients…")
}

// handleMsg shows who the other client is and asks before trusting it.
func (s *preauthScreen) handleMsg(m *Model, msg tea.Msg) (tea.Cmd, bool) {
	r, ok := msg.(clientLookupMsg)
	if !ok {
		return nil, false
	}
	m.busy = ""
	if r.err != nil {
		m.fail(r.err)
		return nil, true
	}
	s.confirm = &r
	return nil, true
}

func (s *preauthScreen) handleKey(m *Model, k tea.KeyMsg) (tea.Cmd, bool) {
	if s.confirm == nil {
		return nil, s.keepsKept(k)
	}
	switch k.String() {
	case "y", "Y":
		s.a.trusted, s.confirm = s.confirm.appID, nil
		return m.apply("Preauthorizing the clients…"), true
	case "n", "N", "esc":
		s.confirm = nil
		return s.build(m), true
	}
	return nil, true
}

// keepsKept swallows a key that would uncheck a client the app already
// preauthorizes (space or x on it, or ctrl+a selecting none), and says
// why: the wizard only adds, so the checklist never shows a removal it
// would not send. The plain wizard refuses the same (field.keepsFixed).
func (s *preauthScreen) keepsKept(k tea.KeyMsg) bool {
	s.refused = ""
	ms, ok := s.first.(*huh.MultiSelect[string])
	if !ok || len(s.a.kept) == 0 || s.f == nil || s.f.GetFocusedField() != s.first || ms.GetFiltering() {
		return false
	}
	var off string
	switch k.String() {
	case " ", "x":
		if v, ok := ms.Hovered(); ok && slices.Contains(s.a.kept, v) && slices.Contains(s.a.known, v) {
			off = v
		}
	case "ctrl+a":
		if len(s.a.known) == len(steps.KnownClients) { // selecting none
			off = s.a.kept[0]
		}
	}
	if off == "" {
		return false
	}
	s.refused = keptClient(off).Error() + "."
	return true
}

func (s *preauthScreen) form() *huh.Form {
	if s.confirm != nil {
		return nil
	}
	return s.f
}

func (s *preauthScreen) extra(m *Model, w int) string {
	if c := s.confirm; c != nil {
		return m.st.warn.Render(wrap(trustQuestion(c.name, c.appID), w)) + "\n" +
			wrap(trustWarning, w) + "\n\n" + m.st.key.Render("y") + ": add it · " + m.st.key.Render("n") + ": go back"
	}
	if s.refused != "" {
		return m.st.warn.Render(wrap(s.refused, w))
	}
	return m.st.faint.Render("space/x toggles a client; enter confirms.")
}

const trustWarning = "A preauthorized client gets tokens for your scope without asking the user. Only add applications you own or know."

func trustQuestion(name, appID string) string {
	if name == "" {
		name = "an application not found in this tenant (no service principal)"
	}
	return fmt.Sprintf("Trust %s (%s)?", name, appID)
}

func (s *preauthScreen) bindings(m *Model) []key.Binding {
	return []key.Binding{m.keys.Apply, m.keys.Back}
}
