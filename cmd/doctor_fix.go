package cmd

import (
	"context"
	"fmt"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/m"
)

// fix plans the repair (engine changes for the app, a patch for the
// connector), shows all of it, asks, applies, and diagnoses again from a
// fresh read.
func (d *doctor) fix(ctx context.Context, in steps.DiagnoseInput, fs []steps.Finding, src string) (steps.DiagnoseInput, []steps.Finding, error) {
	w := d.human()
	ds, err := steps.PlanFix(in, fs)
	if err != nil {
		return in, fs, fmt.Errorf("cannot plan the fix: %w", err)
	}
	opts := steps.Options{GraphBase: d.dir.GraphBase()}
	changes, err := steps.PreviewFix(steps.State{Tenant: in.Tenant, App: in.App, ServicePrincipal: in.ServicePrincipal}, ds, opts)
	if err != nil {
		return in, fs, fmt.Errorf("cannot plan the fix: %w", err)
	}
	newSrc := src
	if c := in.Connector; c != nil && c.Err == nil {
		if newSrc, err = steps.FixConnector(src, in); err != nil {
			fmt.Fprintf(w, "\n%s cannot be fixed automatically: %s\n", steps.Clean(c.Path), steps.Clean(err.Error()))
			newSrc = src
		}
	}
	patch := newSrc != src
	if len(changes) == 0 && !patch {
		fmt.Fprintln(w, "\ndoctor cannot fix these by itself; each finding says what to do.")
		return in, fs, nil
	}
	if len(changes) > 0 {
		fmt.Fprintf(w, "\nThe fix sends %d request(s) to Microsoft Graph:\n\n%s", len(changes), steps.PreviewAll(changes))
	}
	question := "Apply these changes?"
	if patch {
		path := in.Connector.Path
		fmt.Fprintf(w, "\nChanges to %s:\n%s", steps.Clean(path), m.Diff(src, newSrc))
		question = fmt.Sprintf("Apply these changes? A copy of the connector is kept as %s.bak.", steps.Clean(path))
	}
	if err := confirm(d.opts.IO, d.opts.Yes, question, "not changing anything"); err != nil {
		return in, fs, err
	}
	if len(ds) > 0 {
		if err := steps.ApplyFix(ctx, d.dir, ds, opts); err != nil {
			return in, fs, fmt.Errorf("the fix failed (run the same command again to finish it): %w", err)
		}
		fmt.Fprintf(w, "✓ Applied the changes to %s\n", in.App.AppID)
	}
	conn := in.Connector
	if patch {
		if err := writeWithBackup(conn.Path, src, newSrc); err != nil {
			return in, fs, err
		}
		fmt.Fprintf(w, "✓ Updated %s (original kept as %s.bak)\n", steps.Clean(conn.Path), steps.Clean(conn.Path))
		conn = readConnector(conn.Path, newSrc)
	}
	appID := ""
	if in.App != nil {
		appID = in.App.AppID
	}
	in, err = d.diagnoseInput(ctx, appID, conn)
	if err != nil {
		return in, fs, err
	}
	return in, steps.Diagnose(in), nil
}
