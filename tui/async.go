package tui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pqentra/pqentra/steps"
)

// Everything that talks to the directory runs here, as tea.Cmds, so the
// screen keeps drawing (spinner, resize, Ctrl-C) while a call is out.

// signedInMsg: a token is in hand (from the cache or a device code).
type signedInMsg struct{ err error }

// readMsg: the directory's state for the desired app.
type readMsg struct {
	st  steps.State
	err error
}

// appliedMsg: a step's changes were sent (or failed), and the state read back.
type appliedMsg struct {
	step    string
	plan    *steps.Plan
	st      steps.State
	desired steps.Desired
	err     error
}

// clientLookupMsg: the display name of a client app about to be trusted.
type clientLookupMsg struct {
	appID, name string
	err         error
}

func (m *Model) signInCmd() tea.Cmd {
	ctx, c := m.ctx, m.opts.Client
	return func() tea.Msg {
		err := c.EnsureSignedIn(ctx)
		return signedInMsg{err: err}
	}
}

func (m *Model) readCmd(d steps.Desired) tea.Cmd {
	ctx, c := m.ctx, m.opts.Client
	return func() tea.Msg {
		st, err := steps.Read(ctx, c, d)
		return readMsg{st: st, err: err}
	}
}

// applyCmd plans the one step against the state the wizard already has
// (the same plan the preview showed), applies it, and reads the directory
// back so the next screen starts from the truth. A fresh Register reads
// first: an app with this name may exist from an earlier run, and the
// upsert key makes that safe either way.
func (m *Model) applyCmd(step string, d steps.Desired, st steps.State, reread bool) tea.Cmd {
	ctx, c, base, newID := m.applyCtx(), m.opts.Client, m.opts.Client.GraphBase(), m.newIDFunc()
	return func() tea.Msg {
		var err error
		if reread {
			if st, err = steps.Read(ctx, c, d); err != nil {
				return appliedMsg{step: step, st: st, desired: d, err: err}
			}
		}
		p, err := steps.Diff(st, d, steps.Options{GraphBase: base, Only: []string{step}, NewID: newID})
		if err != nil {
			return appliedMsg{step: step, st: st, desired: d, err: err}
		}
		if err := steps.Apply(ctx, c, p, base); err != nil {
			return appliedMsg{step: step, plan: p, st: st, desired: d, err: err}
		}
		if d.AppID == "" && p.State.App != nil {
			// From here on the app is addressed by its id: a rename on the
			// Register screen must not make the wizard lose it.
			d.AppID = p.State.App.AppID
		}
		after, err := steps.Read(ctx, c, d)
		if err != nil {
			return appliedMsg{step: step, plan: p, st: st, desired: d, err: err}
		}
		return appliedMsg{step: step, plan: p, st: after, desired: d}
	}
}

// lookupClientCmd finds the display name of a client application, from its
// service principal in this tenant, so the user sees what they trust.
func (m *Model) lookupClientCmd(appID string) tea.Cmd {
	ctx, c := m.ctx, m.opts.Client
	return func() tea.Msg {
		if k, ok := steps.KnownClientByAppID(appID); ok {
			return clientLookupMsg{appID: appID, name: k.Name}
		}
		sp, err := c.ServicePrincipalByAppID(ctx, appID)
		if err != nil {
			return clientLookupMsg{appID: appID, err: err}
		}
		if sp == nil {
			return clientLookupMsg{appID: appID}
		}
		return clientLookupMsg{appID: appID, name: steps.Clean(sp.DisplayName)}
	}
}

// searchApps backs the existing-app picker. It runs inside huh's own
// OptionsFunc command (off the UI goroutine) and returns labelled choices.
func (m *Model) searchApps(query string) ([]steps.App, error) {
	q := strings.TrimSpace(query)
	if steps.IsGUID(q) {
		a, err := m.opts.Client.ApplicationByAppID(m.ctx, strings.ToLower(q))
		if err != nil || a == nil {
			return nil, err
		}
		return []steps.App{*a}, nil
	}
	return m.opts.Client.SearchApplications(m.ctx, q)
}
