package tui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// An app in deleted items keeps its name for 30 days (steps/deletedkey.go):
// Register stops with *steps.DeletedAppError instead of creating an app
// Graph would refuse. The Register screen then shows the deleted app and
// both ways on: Enter again restores it (with all its settings) and goes
// on configuring it; or purge it first with the commands shown.

// noteDeleted remembers the deleted app a Register apply met (and gives
// its error the run's global flags), and forgets it once an apply went
// through.
func (f *flow) noteDeleted(o outcome) {
	var de *steps.DeletedAppError
	switch {
	case errors.As(o.err, &de):
		de.Command = f.opts.Command
		de.WaysOn = []string{
			"retry (enter) to restore it, with all its settings, and configure it here;",
			"or purge it and start afresh: " + f.opts.Command.Line("restore", "--app-id", de.App.AppID) + ", then " +
				f.opts.Command.Line("undo", "--app-id", de.App.AppID, "--purge") + " — or edit the application (e) and choose another display name.",
		}
		app := de.App
		f.deleted, f.deletedSP = &app, o.st.DeletedSP
	case o.err == nil && o.step == steps.StepRegister:
		f.deleted, f.deletedSP = nil, nil
	}
}

// restoreState is st with the deleted app met before, for a plan that
// restores it (the preview shows the restore Enter sends, not a create
// the name can no longer have).
func (f *flow) restoreState(st steps.State) steps.State {
	st.App, st.ServicePrincipal = nil, nil
	st.Deleted, st.DeletedSP = f.deleted, f.deletedSP
	return st
}

// deletedHolds reports whether d names the deleted app met before.
func (f *flow) deletedHolds(d steps.Desired) bool {
	del := f.deleted
	if del == nil {
		return false
	}
	if d.AppID != "" {
		return strings.EqualFold(d.AppID, del.AppID)
	}
	return strings.TrimSpace(d.DisplayName) != "" && strings.EqualFold(steps.UniqueName(d.DisplayName), del.UniqueName)
}

// deletedNotes are the Register screen's words about it.
func (f *flow) deletedNotes(a registerAnswers) []note {
	del := f.deleted
	if del == nil || a.mode != modeNew || !strings.EqualFold(steps.UniqueName(a.name), del.UniqueName) {
		return nil
	}
	return []note{
		{noteWarn, fmt.Sprintf("%q (appId %s) is in deleted items since %s: Entra keeps its name until %s, so a new app cannot take it.",
			steps.Clean(del.DisplayName), del.AppID, del.DeletedAt.UTC().Format("2006-01-02"), del.DeletedAt.Add(steps.RestoreWindow).UTC().Format("2006-01-02"))},
		{noteHint, "Press Enter to restore it, with all its settings, and configure it here."},
		{noteHint, "Or purge it and start afresh: " + f.opts.Command.Line("restore", "--app-id", del.AppID) + ", then " +
			f.opts.Command.Line("undo", "--app-id", del.AppID, "--purge") + "; or choose another display name."},
	}
}
