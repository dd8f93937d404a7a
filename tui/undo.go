package tui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/pqentra/pqentra/steps"
)

// undoOffer is the final screen's `u`: undo the run just made, with the
// same preview and a confirmation, as `pqentra undo --app-id` does. The
// plan is read and shown first; what is sent is exactly that plan.
type undoOffer struct {
	plan   *steps.UndoPlan
	yes    bool
	asking bool // the confirmation form is up
	done   bool
	status string
}

// undoPlannedMsg: the undo plan for the app, read and planned.
type undoPlannedMsg struct {
	plan *steps.UndoPlan
	err  error
}

// undoneMsg: the undo was sent (or failed part-way).
type undoneMsg struct {
	out *steps.UndoOutcome
	err error
}

// available: there is an app to undo.
func (u *undoOffer) available(m *Model) bool {
	return !u.done && m.flow.appID() != ""
}

// start reads and plans the undo, off the UI goroutine.
func (u *undoOffer) start(m *Model) tea.Cmd {
	dir := m.opts.Client
	ctx, spec, base := m.ctx, steps.UndoSpec{AppID: m.flow.appID()}, m.opts.Client.GraphBase()
	u.status = ""
	return m.startBusy("Planning the undo…", func() tea.Msg {
		st, err := steps.ReadUndo(ctx, dir, spec)
		if err != nil {
			return undoPlannedMsg{err: err}
		}
		p, err := steps.PlanUndo(st, spec, base)
		return undoPlannedMsg{plan: p, err: err}
	})
}

// planned shows the plan in the preview pane and asks.
func (u *undoOffer) planned(m *Model, s *snippetScreen, msg undoPlannedMsg) tea.Cmd {
	m.busy = ""
	switch {
	case msg.err != nil:
		u.status = "Cannot plan the undo: " + steps.Clean(msg.err.Error())
		return nil
	case msg.plan.Empty():
		u.status = "Nothing to undo."
		return nil
	}
	u.plan, u.yes, u.asking = msg.plan, false, true
	what := "Undo: delete this app and its service principal?"
	if !msg.plan.Registered {
		what = "Undo: remove the Power Query preauthorizations from this app (the app stays)?"
	}
	c := huh.NewConfirm().Title(what).
		Description(fmt.Sprintf("The preview shows the %d request(s) undo sends.", len(msg.plan.Changes))).
		Affirmative("Undo").Negative("Keep").Value(&u.yes)
	return s.setForm(m, huh.NewForm(huh.NewGroup(c)), c)
}

// answered sends the plan when the user said yes.
func (u *undoOffer) answered(m *Model, s *snippetScreen) tea.Cmd {
	u.asking, s.f = false, nil
	if !u.yes {
		u.plan, u.status = nil, "Nothing undone."
		return nil
	}
	dir := m.opts.Client
	ctx, p, base := m.ctx, u.plan, m.opts.Client.GraphBase()
	m.applying, m.failed, m.notice = true, nil, ""
	return m.startBusy("Undoing…", func() tea.Msg {
		out, err := steps.ApplyUndoPlan(ctx, dir, p, base)
		return undoneMsg{out: out, err: err}
	})
}

// finished says what happened; the summary printed on quitting says it too,
// and no longer hands over a snippet for an app that is gone.
func (u *undoOffer) finished(m *Model, msg undoneMsg) tea.Cmd {
	m.busy, m.applying = "", false
	p := u.plan
	u.plan = nil
	appID := p.State.AppID()
	if msg.err != nil {
		u.status = fmt.Sprintf("The undo stopped part-way: %s. Run `pqentra undo --app-id %s` to finish it.", steps.Clean(msg.err.Error()), appID)
		return nil
	}
	u.done = true
	var b strings.Builder
	if p.Registered {
		fmt.Fprintf(&b, "Undone: deleted the app (appId %s) and its service principal. Entra keeps them in deleted items for 30 days; to bring them back: pqentra restore --app-id %s", appID, appID)
		m.snippet, m.result.Snippet = "", ""
	} else {
		fmt.Fprintf(&b, "Undone: removed from the app (appId %s): %s.", appID, strings.Join(p.Removed, "; "))
	}
	u.status = b.String()
	m.result.Summary = u.status
	return nil
}

// view is the undo's status line, under the snippet.
func (u *undoOffer) view(m *Model, w int) string {
	if u.status == "" {
		return ""
	}
	st := m.st.ok
	if !u.done {
		st = m.st.warn
	}
	return st.Render(wrap(steps.Clean(u.status), w))
}

// preview is the pane's text while the question is up: the exact requests.
func (u *undoOffer) preview(m *Model) string {
	if u.plan == nil || !u.asking {
		return ""
	}
	base := m.opts.Client.GraphBase()
	var b strings.Builder
	for i, c := range u.plan.Changes {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(m.st.paneTitle.Render("# "+steps.Clean(c.Summary)) + "\n")
		b.WriteString(strings.ReplaceAll(steps.CleanMultiline(c.Preview()), base, ""))
	}
	return strings.TrimRight(b.String(), "\n")
}

// handleMsg takes the undo's results on the final screen.
func (s *snippetScreen) handleMsg(m *Model, msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case undoPlannedMsg:
		return s.undo.planned(m, s, msg), true
	case undoneMsg:
		return s.undo.finished(m, msg), true
	}
	return nil, false
}
