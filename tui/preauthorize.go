package tui

import (
	"fmt"

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
		return nil, false
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
