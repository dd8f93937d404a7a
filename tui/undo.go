package tui

import (
	"context"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/pqentra/pqentra/steps"
)

// "Undo this run": the last step's offer, in both wizards. The flow keeps a
// record of every change the run applied (flow.record); undo reads the app
// again, plans the inverse of exactly those changes (steps.PlanRevert),
// shows it and sends it once confirmed. `pqentra undo`, which knows no
// run, keeps its own rules.

// undoRequest is one undo, copied out of the flow so it can run off the UI
// goroutine.
type undoRequest struct {
	rec    steps.RunRecord
	client Directory
}

// undoRequest is the undo of the app in hand; false when this run changed
// nothing on it (or was undone already).
func (f *flow) undoRequest() (undoRequest, bool) {
	r := f.runs[strings.ToLower(f.appID())]
	if f.reverted || r.Empty() {
		return undoRequest{}, false
	}
	return undoRequest{rec: *r, client: f.opts.Client}, true
}

// plan reads the app again and plans the inverse of what the run applied.
func (u undoRequest) plan(ctx context.Context) (*steps.UndoPlan, error) {
	now, err := steps.ReadRevert(ctx, u.client, &u.rec)
	if err != nil {
		return nil, err
	}
	return steps.PlanRevert(&u.rec, now, u.client.GraphBase())
}

// send sends the plan made by plan, and checks nothing of the run is left.
func (u undoRequest) send(ctx context.Context, p *steps.UndoPlan) error {
	_, err := steps.ApplyRevert(ctx, u.client, &u.rec, p, u.client.GraphBase())
	return err
}

// undoQuestion asks about a plan, in the words both wizards use.
func undoQuestion(p *steps.UndoPlan) string {
	if p.Registered {
		return "Undo: delete this app and its service principal?"
	}
	return "Undo: take back what this run changed on the app (the app, and all else on it, stays)?"
}

// undone takes the result of an undo into the flow and says what happened.
// After a full undo there is no snippet to hand over: the Resource it names
// may be gone.
func (f *flow) undone(p *steps.UndoPlan, err error) (status string, ok bool) {
	appID := p.State.AppID()
	if err != nil {
		again := "Press u to finish it."
		if p.Registered {
			again = "Press u to finish it, or run `" + f.opts.Command.Line("undo", "--app-id", appID) + "`."
		}
		return fmt.Sprintf("The undo stopped part-way: %s. %s", steps.Clean(err.Error()), again), false
	}
	delete(f.runs, strings.ToLower(appID))
	f.reverted = true
	if p.Registered {
		return fmt.Sprintf("Undone: deleted the app (appId %s) and its service principal. Entra keeps them in deleted items for 30 days; to bring them back: %s",
			appID, f.opts.Command.Line("restore", "--app-id", appID)), true
	}
	if len(p.Removed) == 0 {
		return fmt.Sprintf("Undone: nothing of this run was left on the app (appId %s).", appID), true
	}
	return fmt.Sprintf("Undone: took back from the app (appId %s): %s. Everything else on the app is as it was.", appID, strings.Join(p.Removed, "; ")), true
}

// undoOffer is the full-screen wizard's u on the last screen: the plan in
// the preview pane, a question, then the result under the snippet.
type undoOffer struct {
	req    undoRequest
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
type undoneMsg struct{ err error }

// available: this run changed something that can be taken back.
func (u *undoOffer) available(m *Model) bool {
	_, ok := m.flow.undoRequest()
	return ok
}

// start reads and plans the undo, off the UI goroutine.
func (u *undoOffer) start(m *Model) tea.Cmd {
	req, _ := m.flow.undoRequest()
	ctx := m.ctx
	u.req, u.status = req, ""
	return m.startBusy("Reading the app and planning the undo…", func() tea.Msg {
		p, err := req.plan(ctx)
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
		u.status = "Nothing to undo: what this run changed is no longer on the app."
		return nil
	}
	u.plan, u.yes, u.asking = msg.plan, false, true
	c := huh.NewConfirm().Title(undoQuestion(msg.plan)).
		Description(fmt.Sprintf("The preview shows the %d %s undo sends.", len(msg.plan.Changes), steps.Plural(len(msg.plan.Changes), "request", "requests"))).
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
	ctx, p, req := m.ctx, u.plan, u.req
	m.applying, m.failed, m.notice = true, nil, ""
	return m.startBusy("Undoing…", func() tea.Msg { return undoneMsg{err: req.send(ctx, p)} })
}

// cancel closes the question without sending anything.
func (u *undoOffer) cancel() {
	u.asking, u.plan, u.status = false, nil, "Nothing undone."
}

// finished says what happened; the summary printed on quitting says it too,
// and no longer hands over a snippet.
func (u *undoOffer) finished(m *Model, msg undoneMsg) tea.Cmd {
	m.busy, m.applying = "", false
	p := u.plan
	u.plan = nil
	status, ok := m.flow.undone(p, msg.err)
	u.status, u.done = status, ok
	if ok {
		m.snippet, m.result.Snippet = "", ""
		m.result.Summary = status
	}
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
	return m.requestsView(u.plan.Changes)
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
