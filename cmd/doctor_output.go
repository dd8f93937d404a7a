package cmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/doctor"
)

// doctorJSON is `pqentra doctor --output json`: exactly one object.
type doctorJSON struct {
	AppID    string           `json:"appId"`
	Healthy  bool             `json:"healthy"`
	Findings []doctor.Finding `json:"findings"`
}

// report prints the diagnosis and turns it into the exit status: errors
// fail (1); warnings and info do not.
func (d *doctorSession) report(in doctor.DiagnoseInput, fs []doctor.Finding) error {
	if d.opts.Output == "json" {
		obj := doctorJSON{Healthy: doctor.Healthy(fs), Findings: fs}
		if in.App != nil {
			obj.AppID = in.App.AppID
		} else if in.Foreign() && in.ServicePrincipal != nil {
			obj.AppID = in.AppID
		}
		if obj.Findings == nil {
			obj.Findings = []doctor.Finding{}
		}
		if err := steps.WriteJSON(d.opts.IO.Out, obj); err != nil {
			return err
		}
	} else {
		d.printText(d.opts.IO.Out, newPalette(d.opts.IO.Out, d.opts.IO.ColorOut()), in, fs)
	}
	if doctor.Healthy(fs) {
		return nil
	}
	return silentError{code: ExitError}
}

// printText writes the findings grouped by severity. Every string that
// came from the server or the file goes through steps.Clean.
func (d *doctorSession) printText(w io.Writer, p palette, in doctor.DiagnoseInput, fs []doctor.Finding) {
	if in.App != nil {
		fmt.Fprintf(w, "Application: %s (%s)\n", steps.Clean(in.App.DisplayName), in.App.AppID)
	} else if sp := in.ServicePrincipal; in.Foreign() && sp != nil {
		fmt.Fprintf(w, "Application: %s (%s), another organization's (tenant %s)\n", steps.Clean(sp.AppDisplayName), in.AppID, sp.AppOwnerOrganizationID)
	}
	if in.Tenant != nil {
		fmt.Fprintf(w, "Tenant:      %s (%s)\n", steps.Clean(in.Tenant.DisplayName), in.Tenant.ID)
	}
	if in.Connector != nil {
		fmt.Fprintf(w, "Connector:   %s\n", steps.Clean(in.Connector.Path))
	}
	groups := []struct {
		sev         doctor.Severity
		title, mark string
	}{{doctor.SeverityError, "Errors", p.fail.Render("✗")}, {doctor.SeverityWarning, "Warnings", p.warn.Render("!")}, {doctor.SeverityInfo, "Info", p.info.Render("·")}}
	count := map[doctor.Severity]int{}
	for _, g := range groups {
		first := true
		for _, f := range fs {
			if f.Severity != g.sev {
				continue
			}
			count[g.sev]++
			if first {
				fmt.Fprintf(w, "\n%s\n", g.title)
				first = false
			}
			head := f.ID
			if f.Error != "" {
				head += " — users see " + f.Error
			}
			fmt.Fprintf(w, "  %s %s\n    %s\n", g.mark, head, steps.Clean(f.Message))
			if f.Fix != "" {
				fmt.Fprintf(w, "    Fix: %s\n", steps.Clean(f.Fix))
			}
		}
	}
	fmt.Fprintln(w)
	switch n := count[doctor.SeverityError]; {
	case n == 0 && count[doctor.SeverityWarning] == 0 && in.Foreign():
		fmt.Fprintln(w, p.ok.Render("✓")+" Healthy: this tenant has onboarded the app, so its users can sign in.")
	case n == 0 && count[doctor.SeverityWarning] == 0:
		fmt.Fprintln(w, p.ok.Render("✓")+" Healthy: the app matches the quickstart.")
	case n == 0:
		fmt.Fprintf(w, "%s Healthy, with %s to look at.\n", p.ok.Render("✓"), countOf(count[doctor.SeverityWarning], "warning"))
	default:
		parts := []string{countOf(n, "error")}
		if c := count[doctor.SeverityWarning]; c > 0 {
			parts = append(parts, countOf(c, "warning"))
		}
		fmt.Fprintf(w, "Found %s.", strings.Join(parts, " and "))
		if !d.opts.Fix {
			fmt.Fprint(w, " Run the same command with --fix to repair what doctor can (it previews and asks first).")
		}
		fmt.Fprintln(w)
	}
}

// countOf is "1 error", "2 errors".
func countOf(n int, word string) string {
	return fmt.Sprintf("%d %s", n, steps.Plural(n, word, word+"s"))
}
