package tui

import (
	"fmt"
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// progress is the step line: finished steps ticked, the current one
// highlighted, so the user always knows how far along they are.
func (m *Model) progress() string {
	var parts []string
	for i, s := range m.screens {
		switch {
		case i == m.cur:
			parts = append(parts, m.st.stepNow.Render(s.label()))
		case m.done[s.step()]:
			parts = append(parts, m.st.stepDone.Render("✓ "+s.label()))
		default:
			parts = append(parts, m.st.stepTodo.Render(s.label()))
		}
	}
	return strings.Join(parts, m.st.sep.Render(" › "))
}

// identity says who is signed in to which tenant, on every screen after
// sign-in, so nobody writes to the wrong directory. Server strings are
// cleaned before they reach the terminal.
func (m *Model) identity() string {
	if !m.signedIn || m.state.User == nil || m.state.Tenant == nil {
		return ""
	}
	u, t := m.state.User, m.state.Tenant
	who := steps.Clean(u.UserPrincipalName)
	if u.DisplayName != "" {
		who = steps.Clean(u.DisplayName) + " <" + who + ">"
	}
	return m.st.identity.Render(fmt.Sprintf("%s · %s (tenant %s)", who, steps.Clean(t.DisplayName), steps.Clean(t.ID)))
}

// facts are the values the quickstart says to note down, once they exist.
func (m *Model) facts() string {
	a := m.state.App
	if a == nil || !m.done[steps.StepRegister] {
		return ""
	}
	tenant := ""
	if m.state.Tenant != nil {
		tenant = m.state.Tenant.ID
	}
	return m.st.faint.Render(fmt.Sprintf("App %q · Application (client) ID %s · Directory (tenant) ID %s",
		steps.Clean(a.DisplayName), steps.Clean(a.AppID), steps.Clean(tenant)))
}

// resultLine is what a finished step reports on the next screen.
func resultLine(msg appliedMsg) string {
	n := 0
	if msg.plan != nil {
		n = len(msg.plan.Changes)
	}
	what := map[string]string{
		steps.StepRegister:      "Application registered, service principal in place",
		steps.StepIdentifierURI: "Application ID URI set",
		steps.StepScope:         "Scope saved",
		steps.StepPreauthorize:  "Clients preauthorized",
	}[msg.step]
	if n == 0 {
		return "✓ " + what + " (nothing needed changing)"
	}
	return fmt.Sprintf("✓ %s (%d request%s sent)", what, n, plural(n))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
