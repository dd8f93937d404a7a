package cmd

import (
	"context"
	"fmt"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/doctor"
	"github.com/pqentra/pqentra/steps/m"
	"github.com/pqentra/pqentra/steps/safefile"
)

// fix plans the repair (engine changes for the app, a patch for the
// connector), shows all of it, asks, applies, and diagnoses again from a
// fresh read.
func (d *doctorSession) fix(ctx context.Context, in doctor.DiagnoseInput, fs []doctor.Finding) (doctor.DiagnoseInput, []doctor.Finding, error) {
	if in.Foreign() && in.ServicePrincipal == nil {
		return d.fixOnboard(ctx, in)
	}
	w, pal := d.human(), d.humanPalette()
	src := ""
	if d.file != nil {
		src = d.file.Text
	}
	opts := steps.Options{GraphBase: d.dir.GraphBase()}
	r, err := doctor.PlanRepair(in, fs, src, opts)
	if err != nil {
		return in, fs, err
	}
	if r.ConnectorErr != nil {
		fmt.Fprintf(w, "\n%s cannot be fixed automatically: %s\n", steps.Clean(in.Connector.Path), steps.Clean(r.ConnectorErr.Error()))
	}
	changes, newSrc, patch, ds := r.Changes, r.Connector, r.PatchesConnector(), r.Desired
	if r.Empty() {
		fmt.Fprintln(w, "\ndoctor cannot fix these by itself; each finding says what to do.")
		return in, fs, nil
	}
	if len(changes) > 0 {
		fmt.Fprintf(w, "\nThe fix sends %d request(s) to Microsoft Graph:\n\n%s", len(changes), steps.PreviewAll(changes))
	}
	if len(changes) > 0 && in.App != nil {
		// The can-I-register check: stop before the first write when this
		// user may not change the app.
		if _, err := checkAccess(ctx, newWarnings(d.opts.IO), d.dir, steps.Desired{AppID: in.App.AppID}, false); err != nil {
			return in, fs, err
		}
	}
	question := "Apply these changes?"
	if patch {
		// Refused before anything is sent, so the fix is not left half done.
		if err := d.file.CheckWritable(d.opts.Force); err != nil {
			return in, fs, fileError(err)
		}
		path := in.Connector.Path
		fmt.Fprintf(w, "\nChanges to %s:\n%s", steps.Clean(path), pal.diff(m.Diff(src, newSrc)))
		question = fmt.Sprintf("Apply these changes? The connector's original is kept as %s.", steps.Clean(d.file.NextBackup()))
	}
	if err := confirm(d.opts.IO, d.opts.Yes, question, "not changing anything"); err != nil {
		return in, fs, err
	}
	if len(ds) > 0 {
		if err := doctor.ApplyFix(ctx, d.dir, ds, opts); err != nil {
			return in, fs, fmt.Errorf("the fix failed (run the same command again to finish it): %w", err)
		}
		fmt.Fprintf(w, "%s Applied the changes to %s\n", pal.ok.Render("✓"), in.App.AppID)
	}
	conn := in.Connector
	if patch {
		// The file may change while the question waits: then the patch is
		// planned again from its new text and asked again.
		p := &connectorPatch{ios: d.opts.IO, w: w, pal: pal, yes: d.opts.Yes, force: d.opts.Force, mark: pal.ok.Render("✓") + " ",
			plan: func(src string) (string, error) { return doctor.FixConnector(src, in) }}
		if err := p.write(d.file, newSrc); err != nil {
			return in, fs, err
		}
		printNextSteps(w, d.opts.Project, "")
		after, err := safefile.Read(conn.Path)
		if err != nil {
			return in, fs, err
		}
		conn = readConnector(conn.Path, after.Text)
	}
	appID := ""
	if in.App != nil {
		appID = in.App.AppID
	}
	in, err = d.diagnoseInput(ctx, appID, conn)
	if err != nil {
		return in, fs, err
	}
	return in, doctor.Diagnose(in), nil
}

// fixOnboard is the fix of not-onboarded: what `pqentra onboard` does,
// previewed and confirmed like every fix, then the tenant diagnosed again.
func (d *doctorSession) fixOnboard(ctx context.Context, in doctor.DiagnoseInput) (doctor.DiagnoseInput, []doctor.Finding, error) {
	w, pal := d.human(), d.humanPalette()
	change := steps.OnboardChange(in.AppID, d.dir.GraphBase())
	fmt.Fprintf(w, "\nThe fix onboards app %s: it sends 1 request to Microsoft Graph:\n\n%s", in.AppID, steps.PreviewAll([]steps.Change{change}))
	if err := confirm(d.opts.IO, d.opts.Yes, "Apply these changes?", "not changing anything"); err != nil {
		return in, nil, err
	}
	spec := steps.OnboardSpec{AppID: in.AppID, LoginHost: in.LoginHost, Command: d.opts.Command}
	out, err := steps.Onboard(ctx, d.dir, spec, d.dir.GraphBase(), false, func(*steps.OnboardOutcome) error { return nil })
	if err != nil {
		return in, nil, err
	}
	if out.Status == steps.OnboardStatusOnboarded {
		fmt.Fprintf(w, "%s Onboarded %s\n", pal.ok.Render("✓"), spApp(out.ServicePrincipal, in.AppID))
	}
	in, err = d.diagnoseInput(ctx, in.AppID, in.Connector)
	if err != nil {
		return in, nil, err
	}
	return in, doctor.Diagnose(in), nil
}
