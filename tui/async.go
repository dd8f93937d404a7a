package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pqentra/pqentra/steps"
)

// The flow's directory calls, wrapped as tea.Cmds so the screen keeps
// drawing (spinner, resize, Ctrl-C) while a call is out. Each wrapper only
// moves a flow call off the UI goroutine and its result back as a message.

// signedInMsg: a token is in hand (from the cache or a device code).
type signedInMsg struct{ err error }

// readMsg: the directory's state after sign-in.
type readMsg struct {
	st  steps.State
	err error
}

// appliedMsg: a step's changes were sent (or failed), and the state read back.
type appliedMsg outcome

// clientLookupMsg: the display name of a client app about to be trusted.
type clientLookupMsg struct {
	appID, name string
	err         error
}

// searchTickMsg fires once the user has stopped typing a search for a
// moment; seq says which keystroke it was for.
type searchTickMsg struct{ seq int }

// searchResultMsg: the apps found for the search numbered seq.
type searchResultMsg struct {
	seq  int
	apps []steps.App
	err  error
}

// searchDelay is the debounce: a search starts once typing pauses this long.
const searchDelay = 250 * time.Millisecond

func (m *Model) readCmd() tea.Cmd {
	ctx, f := m.ctx, m.flow
	return func() tea.Msg {
		st, err := f.readTenant(ctx)
		return readMsg{st: st, err: err}
	}
}

func (m *Model) applyCmd(r applyRequest) tea.Cmd {
	ctx := m.ctx
	return func() tea.Msg { return appliedMsg(r.run(ctx)) }
}

func (m *Model) lookupClientCmd(appID string) tea.Cmd {
	ctx, f := m.ctx, m.flow
	return func() tea.Msg {
		name, err := f.lookupClient(ctx, appID)
		return clientLookupMsg{appID: appID, name: name, err: err}
	}
}

func searchTick(seq int) tea.Cmd {
	return tea.Tick(searchDelay, func(time.Time) tea.Msg { return searchTickMsg{seq: seq} })
}

func (m *Model) searchCmd(seq int, query string) tea.Cmd {
	ctx, f := m.ctx, m.flow
	return func() tea.Msg {
		apps, err := f.searchApps(ctx, query)
		return searchResultMsg{seq: seq, apps: apps, err: err}
	}
}
