package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// A deleted application keeps its keys. Entra holds an app in deleted items
// for 30 days, and with it its uniqueName and Application ID URIs: no new
// app may take them meanwhile (Graph answers 400 "Another object with the
// same value for property uniqueName already exists."). So before setup
// registers an app under a name it looks in deleted items for an app
// holding that name's uniqueName (or, for --app-id, that id). Found, setup
// stops before any write and names the two ways on — restore it (and, with
// --restore-deleted, finish the setup in the same run), or purge it and
// start afresh — as whole commands.

// DeletedAppError stops a setup whose app is in deleted items.
type DeletedAppError struct {
	App DeletedApp
	// Command is how pqentra was started (its global flags), and SetupArgs
	// the setup command's own arguments as given (nil: the plain
	// non-interactive setup of App's name), so that the commands printed
	// work as printed.
	Command   Command
	SetupArgs []string
	// WaysOn replace the command-line ways on, in the words of the front
	// end that shows them (the wizard's keys).
	WaysOn []string
}

func (e *DeletedAppError) Error() string {
	a := e.App
	var b strings.Builder
	fmt.Fprintf(&b, "the application %q (appId %s) is in deleted items: it was deleted on %s, and Entra keeps it — with its unique name %s and its Application ID URIs — until %s, so setup cannot register a new app under that name. Nothing was changed.\n",
		Clean(a.DisplayName), a.AppID, a.DeletedAt.UTC().Format("2006-01-02 15:04 UTC"), Clean(a.UniqueName),
		a.DeletedAt.Add(RestoreWindow).UTC().Format("2006-01-02"))
	b.WriteString("Two ways on:\n")
	if len(e.WaysOn) > 0 {
		for _, w := range e.WaysOn {
			b.WriteString("  - " + w + "\n")
		}
		return strings.TrimSuffix(b.String(), "\n")
	}
	fmt.Fprintf(&b, "  - restore it and finish the setup in one run: %s\n", e.Command.Line(e.restoreArgs()...))
	fmt.Fprintf(&b, "    (or only restore it, with all its settings: %s)\n", e.Command.Line("restore", "--app-id", a.AppID))
	fmt.Fprintf(&b, "  - purge it and start afresh: %s, then %s (undo checks the app is yours, deletes and purges it), then run the setup again; or register under another --display-name",
		e.Command.Line("restore", "--app-id", a.AppID), e.Command.Line("undo", "--app-id", a.AppID, "--purge"))
	return b.String()
}

// restoreArgs are the setup command again, with --restore-deleted.
func (e *DeletedAppError) restoreArgs() []string {
	args := e.SetupArgs
	if args == nil {
		args = []string{"setup", "--non-interactive", "--display-name", e.App.DisplayName}
	}
	return append(append([]string{}, args...), "--restore-deleted")
}

// readDeleted looks in deleted items for the app a new registration would
// collide with: by the uniqueName derived from the display name, or by
// --app-id. A refusal to read deleted items (403) is not an error: Graph
// then refuses the registration itself, and that is explained.
func readDeleted(ctx context.Context, dir Directory, d Desired, st State) (State, error) {
	prop, key := "uniqueName", UniqueName(d.DisplayName)
	if d.AppID != "" {
		prop, key = "appId", d.AppID
	} else if strings.TrimSpace(d.DisplayName) == "" {
		return st, nil
	}
	del, err := dir.DeletedApplication(ctx, prop, key)
	if forbidden(err) {
		return st, nil
	}
	if err != nil || del == nil {
		return st, err
	}
	st.Deleted = del
	st.DeletedSP, err = dir.DeletedServicePrincipal(ctx, del.AppID)
	if forbidden(err) {
		err = nil
	}
	return st, err
}

func forbidden(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == 403
}

// diffRestore plans, for Options.RestoreDeleted, the restore of the
// deleted app (and its service principal) and then the rest of the setup
// against the app as it comes back: restore keeps every property and id.
func diffRestore(st State, d Desired, o Options) (*Plan, error) {
	del := st.Deleted
	rp, err := PlanRestore(UndoState{Tenant: st.Tenant, User: st.User, Deleted: del, DeletedSP: st.DeletedSP}, del.AppID, o.GraphBase)
	if err != nil {
		return nil, err
	}
	back := st
	app := del.App
	back.App = &app
	back.Deleted, back.DeletedSP = nil, nil
	// The restore plan brings back (or makes) the service principal.
	back.ServicePrincipal = &ServicePrincipal{AppID: del.AppID}
	if st.DeletedSP != nil {
		back.ServicePrincipal = st.DeletedSP
	}
	p, err := Diff(back, d, o)
	if err != nil {
		return nil, err
	}
	p.State = st
	p.Changes = append(rp.Changes, p.Changes...)
	return p, nil
}
