package cmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// doctorJSON is `pqentra doctor --output json`: exactly one object.
type doctorJSON struct {
	AppID    string          `json:"appId"`
	Healthy  bool            `json:"healthy"`
	Findings []steps.Finding `json:"findings"`
}

// report prints the diagnosis and turns it into the exit status: errors
// fail (1); warnings and info do not.
func (d *doctor) report(in steps.DiagnoseInput, fs []steps.Finding) error {
	if d.opts.Output == "json" {
		obj := doctorJSON{Healthy: steps.Healthy(fs), Findings: fs}
		if in.App != nil {
			obj.AppID = in.App.AppID
		}
		if obj.Findings == nil {
			obj.Findings = []steps.Finding{}
		}
		if err := steps.WriteJSON(d.opts.IO.Out, obj); err != nil {
			return err
		}
	} else {
		d.printText(d.opts.IO.Out, newPalette(d.opts.IO.Out, d.opts.IO.ColorOut()), in, fs)
	}
	if steps.Healthy(fs) {
		return nil
	}
	return silentError{code: ExitError}
}

// printText writes the findings grouped by severity. Every string that
// came from the server or the file goes through steps.Clean.
func (d *doctor) printText(w io.Writer, p palette, in steps.DiagnoseInput, fs []steps.Finding) {
	if in.App != nil {
		fmt.Fprintf(w, "Application: %s (%s)\n", steps.Clean(in.App.DisplayName), in.App.AppID)
	}
	if in.Tenant != nil {
		fmt.Fprintf(w, "Tenant:      %s (%s)\n", steps.Clean(in.Tenant.DisplayName), in.Tenant.ID)
	}
	if in.Connector != nil {
		fmt.Fprintf(w, "Connector:   %s\n", steps.Clean(in.Connector.Path))
	}
	groups := []struct {
		sev         steps.Severity
		title, mark string
	}{{steps.SeverityError, "Errors", p.fail.Render("✗")}, {steps.SeverityWarning, "Warnings", p.warn.Render("!")}, {steps.SeverityInfo, "Info", p.info.Render("·")}}
	count := map[steps.Severity]int{}
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
	switch n := count[steps.SeverityError]; {
	case n == 0 && count[steps.SeverityWarning] == 0:
		fmt.Fprintln(w, p.ok.Render("✓")+" Healthy: the app matches the quickstart.")
	case n == 0:
		fmt.Fprintf(w, "%s Healthy, with %s to look at.\n", p.ok.Render("✓"), plural(count[steps.SeverityWarning], "warning"))
	default:
		parts := []string{plural(n, "error")}
		if c := count[steps.SeverityWarning]; c > 0 {
			parts = append(parts, plural(c, "warning"))
		}
		fmt.Fprintf(w, "Found %s.", strings.Join(parts, " and "))
		if !d.opts.Fix {
			fmt.Fprint(w, " Run the same command with --fix to repair what doctor can (it previews and asks first).")
		}
		fmt.Fprintln(w)
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
