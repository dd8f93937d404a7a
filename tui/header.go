package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/pqentra/pqentra/steps"
)

// progress is the step line: finished steps ticked, the current one marked
// with › (and highlighted where there is colour), so the user always knows
// how far along they are, with or without colour.
func (m *Model) progress() string {
	var parts []string
	for i, s := range wizardSteps {
		switch {
		case i == m.cur:
			parts = append(parts, m.st.stepNow.Render("› "+s.label))
		case m.flow.done[s.id]:
			parts = append(parts, m.st.stepDone.Render("✓ "+s.label))
		default:
			parts = append(parts, m.st.stepTodo.Render(s.label))
		}
	}
	return strings.Join(parts, m.st.sep.Render(" · "))
}

// identity says who is signed in to which tenant, on every screen after
// sign-in, so nobody writes to the wrong directory. Server strings are
// cleaned before they reach the terminal, and long names shortened so the
// line keeps its place in the header.
func (m *Model) identity(w int) string {
	u, t := m.flow.state.User, m.flow.state.Tenant
	if !m.signedIn || u == nil || t == nil {
		return ""
	}
	part := max(12, w/3)
	upn, tenant := ellipsize(steps.Clean(u.UserPrincipalName), part), ellipsize(steps.Clean(t.DisplayName), part)
	where := fmt.Sprintf(" · %s · tenant %s", tenant, steps.Clean(t.ID))
	line := upn + where
	if u.DisplayName != "" {
		// The display name only where it fits on the one line.
		if full := ellipsize(steps.Clean(u.DisplayName), part) + " <" + upn + ">" + where; ansi.StringWidth(full) <= w {
			line = full
		}
	}
	return m.st.identity.Render(wrap(line, w))
}

// facts are the values the quickstart says to note down, once they exist
// (the tenant id is on the identity line).
func (m *Model) facts(w int) string {
	a := m.flow.state.App
	if a == nil || !m.flow.done[steps.StepRegister] {
		return ""
	}
	name := ellipsize(steps.Clean(a.DisplayName), max(12, w/3))
	return m.st.faint.Render(wrap(fmt.Sprintf("App %q · Application (client) ID %s", name, steps.Clean(a.AppID)), w))
}
