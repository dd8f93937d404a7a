package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/pqentra/pqentra/steps"
)

// UndoOptions is `pqentra undo`.
type UndoOptions struct {
	IO          *IOStreams
	OpenSession func(*Globals, SessionHooks) (*Session, error)
	Globals     *Globals

	AppID, DisplayName   string
	Scope, IdentifierURI string
	DryRun, Yes, Purge   bool
	Output               string

	// Spec is what the flags ask for, checked before anything is sent.
	Spec steps.UndoSpec
	// Command is how pqentra was started: the restore hint carries its
	// global flags.
	Command steps.Command
}

// NewCmdUndo builds `pqentra undo`; runF replaces undoRun in tests.
func NewCmdUndo(f *Factory, runF func(*UndoOptions) error) *cobra.Command {
	opts := &UndoOptions{IO: f.IO, OpenSession: f.OpenSession, Globals: f.Globals}
	c := &cobra.Command{
		Use:   "undo",
		Short: "Take away what setup made: delete the app pqentra registered, or remove the quickstart's changes",
		Long: `undo removes what the quickstart adds, with the same preview, rules and retries as setup.

An app pqentra registered (found by the uniqueName setup gives it) is deleted: its service
principal, then the app. Entra keeps it in deleted items for 30 days; ` + "`pqentra restore`" + ` brings
it back. --purge also deletes it permanently from deleted items, after a second confirmation.

On an app pqentra did not register, undo never deletes the app. It removes the Power Query
preauthorizations (Power Query for Excel, Power BI Data Refresh, Power Apps and Power
Automate); with --scope it disables that scope in one write and removes it in the next
(Entra's rule), and with --identifier-uri it removes that Application ID URI. Other scopes,
other preauthorized clients, owners, credentials and redirect URIs stay as they are.

Every write is shown before it is sent. Without --yes undo asks on the terminal, and refuses
(exit 2) when stdin is not one. A re-run after success sends nothing ("nothing to undo"); a
run cut short is finished by running it again.

Exit status: 0 success (also: nothing to undo), 1 failed, 2 bad usage or no confirmation
(nothing was sent), 130 interrupted.`,
		Example: `  pqentra undo --display-name "Contoso Connector"
  pqentra undo --app-id 00001111-aaaa-2222-bbbb-3333cccc4444 --dry-run
  pqentra undo --app-id 00001111-aaaa-2222-bbbb-3333cccc4444 --scope Data.Read --identifier-uri 'api://{appId}' --yes
  pqentra undo --display-name "Contoso Connector" --purge
  pqentra --demo undo --app-id 8a4d6f2e-1c3b-4e5a-9d7f-0b2c4e6a8d10 --scope Legacy.Read --yes --output json   # the demo's legacy app`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			// Under --output json every failure still prints one object.
			return withJSONError(&opts.IO, opts.Output, func() error {
				opts.Spec = steps.UndoSpec{AppID: opts.AppID, DisplayName: opts.DisplayName, Scope: opts.Scope,
					IdentifierURI: opts.IdentifierURI, Purge: opts.Purge}
				if err := opts.Spec.Normalize(); err != nil {
					return asUsage(err)
				}
				opts.Command = fixCommand(c)
				if opts.DryRun && opts.Yes {
					return usagef("--dry-run sends nothing, so --yes has nothing to confirm: give one of them")
				}
				if runF != nil {
					return runF(opts)
				}
				return undoRun(c.Context(), opts)
			})
		},
	}
	fl := c.Flags()
	fl.StringVar(&opts.AppID, "app-id", "", "the app's Application (client) ID")
	fl.StringVar(&opts.DisplayName, "display-name", "", "the display name pqentra registered the app with")
	fl.StringVar(&opts.Scope, "scope", "", "on an app pqentra did not register: disable, then remove this scope")
	fl.StringVar(&opts.IdentifierURI, "identifier-uri", "", "on an app pqentra did not register: remove this Application ID URI ('api://{appId}' names the default)")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print every request undo would send, and send nothing")
	fl.BoolVar(&opts.Yes, "yes", false, "do not ask before writing (also confirms --purge)")
	fl.BoolVar(&opts.Purge, "purge", false, "also delete the app permanently from deleted items (it can no longer be restored)")
	EnumFlag(c, false, &opts.Output, "output", "o", "text", "output format", outputChoices...)
	return c
}

// undoJSON is what `undo --output json` prints: these four fields, and
// "error" when the run failed or was refused.
type undoJSON struct {
	AppID    string         `json:"appId"`
	Deleted  bool           `json:"deleted"`
	Removed  []string       `json:"removed"`
	Requests []steps.Change `json:"requests"`
	// Found is false when no such app exists, live or in deleted items
	// (then appId is the id asked for, if any): a mistyped id says so.
	Found bool   `json:"found"`
	Error string `json:"error,omitempty"`
}

func undoRun(ctx context.Context, opts *UndoOptions) error {
	s, err := openCLI(opts.IO, opts.OpenSession, opts.Globals)
	if err != nil {
		return err
	}
	defer s.Close()
	dir := s.Dir
	// People read the plan and answer on the terminal; with --output json
	// all of that goes to stderr, keeping stdout for the one object.
	human := opts.IO.Out
	if opts.Output == "json" {
		human = opts.IO.Err
	}
	confirmed := false
	confirmPlan := func(p *steps.UndoPlan) error {
		printUndoPlan(human, p)
		what := "not deleting or changing anything"
		if err := confirm(opts.IO, opts.Yes, fmt.Sprintf("Send these %d request(s)?", len(p.Changes)), what); err != nil {
			return err
		}
		if opts.Spec.Purge && p.Registered && !opts.Yes {
			if err := confirm(opts.IO, false, fmt.Sprintf("--purge deletes %q permanently: it can never be restored. Really delete it for good?", steps.Clean(undoAppName(p.State))), what); err != nil {
				return err
			}
		}
		confirmed = true
		return nil
	}
	out, runErr := steps.Undo(ctx, dir, opts.Spec, s.Dir.GraphBase(), opts.DryRun, confirmPlan)
	if pe := (*steps.PurgeDeletedError)(nil); errors.As(runErr, &pe) {
		pe.Command = opts.Command // its ways on are printed commands
	}
	if out == nil {
		return undoError(runErr)
	}
	if opts.Output == "json" {
		if err := writeUndoJSON(opts.IO.Out, out, runErr); err != nil {
			return err
		}
	} else {
		printUndoResult(opts.IO.Out, out, opts.DryRun, confirmed, runErr, opts.Command)
	}
	return undoError(runErr)
}

// undoError maps --purge on a foreign app to bad usage (nothing was sent).
func undoError(err error) error {
	if errors.Is(err, steps.ErrNotRegistered) {
		return usagef("--purge: %v. Leave out --purge", err)
	}
	return err
}

func undoAppName(st steps.UndoState) string {
	switch {
	case st.App != nil:
		return st.App.DisplayName
	case st.Deleted != nil:
		return st.Deleted.DisplayName
	}
	return ""
}

// printUndoPlan shows what will be sent, before it is.
func printUndoPlan(w io.Writer, p *steps.UndoPlan) {
	st := p.State
	if st.User != nil && st.Tenant != nil {
		fmt.Fprintf(w, "Signed in as %s to %s (tenant %s)\n\n", steps.Clean(st.User.UserPrincipalName), steps.Clean(st.Tenant.DisplayName), st.Tenant.ID)
	}
	name := steps.Clean(undoAppName(st))
	switch {
	case p.Registered && st.App != nil:
		fmt.Fprintf(w, "pqentra registered %q (appId %s), so undo deletes it.\n", name, st.AppID())
	case st.App != nil:
		fmt.Fprintf(w, "pqentra did not register %q (appId %s): undo keeps the app and removes only what the quickstart added.\n", name, st.AppID())
	}
	for _, n := range p.Notes {
		fmt.Fprintln(w, steps.Clean(n))
	}
	fmt.Fprintf(w, "\nundo sends %d request(s) to Microsoft Graph:\n\n%s\n", len(p.Changes), steps.PreviewAll(p.Changes))
}

// printUndoResult says what undo did. sent: the plan was confirmed, so
// its requests went out (up to a failure); otherwise none was sent.
func printUndoResult(w io.Writer, out *steps.UndoOutcome, dryRun, sent bool, runErr error, cmd steps.Command) {
	p := out.Plan
	st := p.State
	name := steps.Clean(undoAppName(st))
	if p.Empty() {
		if st.User != nil && st.Tenant != nil {
			fmt.Fprintf(w, "Signed in as %s to %s (tenant %s)\n\n", steps.Clean(st.User.UserPrincipalName), steps.Clean(st.Tenant.DisplayName), st.Tenant.ID)
		}
		for _, n := range p.Notes {
			fmt.Fprintln(w, steps.Clean(n))
		}
		switch {
		case st.App == nil && st.Deleted != nil:
			fmt.Fprintf(w, "Nothing to undo: %q (appId %s) is already in deleted items (deleted %s).\n", name, st.Deleted.AppID, st.Deleted.DeletedAt.UTC().Format("2006-01-02 15:04 UTC"))
			printRestoreHint(w, cmd, st.Deleted.AppID, st.Deleted.DeletedAt.Add(steps.RestoreWindow).UTC().Format("2006-01-02"))
			fmt.Fprintf(w, "To delete it for good, restore it and run `%s` (undo checks its owners first), or purge it in the admin center.\n", cmd.Line("undo", "--app-id", st.Deleted.AppID, "--purge"))
		case st.App == nil:
			fmt.Fprintf(w, "Nothing to undo: no application %s exists in this tenant, live or in deleted items.\n", undoKey(p.Spec))
			if p.Spec.AppID == "" {
				fmt.Fprintln(w, "--display-name finds the apps pqentra registered; for any other app, use --app-id.")
			}
			fmt.Fprintln(w, "If you expected one, check the name or id and that you signed in to the right tenant (--tenant).")
		default:
			fmt.Fprintf(w, "Nothing to undo: %q (appId %s) has nothing the quickstart added that undo removes.\n", name, st.AppID())
		}
		return
	}
	if dryRun {
		printUndoPlan(w, p)
		fmt.Fprintf(w, "Dry run: %d request(s) would be sent, nothing was written.\n", len(p.Changes))
		return
	}
	if !sent {
		// Refused before sending (no terminal to ask on, or "no"): the
		// plan above is all there is; nothing went out.
		fmt.Fprintf(w, "Nothing was sent: the %d %s above %s not sent.\n", len(p.Changes), steps.Plural(len(p.Changes), "request", "requests"), steps.Plural(len(p.Changes), "was", "were"))
		return
	}
	fmt.Fprintln(w)
	printSent(w, newPalette(w, false), p.Changes, runErr != nil)
	if runErr != nil {
		return
	}
	fmt.Fprintln(w)
	switch {
	case p.Registered && p.Spec.Purge:
		fmt.Fprintf(w, "Deleted %q (appId %s) for good: it can no longer be restored.\n", name, st.AppID())
	case p.Registered:
		fmt.Fprintf(w, "Deleted %q (appId %s). Entra keeps it in deleted items for 30 days.\n", name, st.AppID())
		printRestoreHint(w, cmd, st.AppID(), "")
	default:
		fmt.Fprintf(w, "Removed from %q (appId %s):\n", name, st.AppID())
		for _, r := range p.Removed {
			fmt.Fprintf(w, "  - %s\n", steps.Clean(r))
		}
		fmt.Fprintln(w, "The app itself, its other scopes and clients, owners, credentials and redirect URIs are as they were.")
	}
}

func printRestoreHint(w io.Writer, cmd steps.Command, appID, until string) {
	if until != "" {
		fmt.Fprintf(w, "It can be restored until %s:\n", until)
	} else {
		fmt.Fprintln(w, "To bring it back:")
	}
	fmt.Fprintf(w, "  %s\n", cmd.Line("restore", "--app-id", appID))
}

func undoKey(u steps.UndoSpec) string {
	if u.AppID != "" {
		return "with appId " + u.AppID
	}
	return fmt.Sprintf("registered by pqentra as %q", steps.Clean(u.DisplayName))
}

func writeUndoJSON(w io.Writer, out *steps.UndoOutcome, runErr error) error {
	p := out.Plan
	obj := undoJSON{AppID: p.State.AppID(), Deleted: out.Deleted(), Removed: []string{}, Requests: p.Changes,
		Found: p.State.App != nil || p.State.Deleted != nil}
	if !obj.Found {
		obj.AppID = p.Spec.AppID
	}
	if runErr != nil {
		obj.Error = errorText(undoError(runErr))
	}
	if obj.Requests == nil {
		obj.Requests = []steps.Change{}
	}
	allApplied := true
	for _, c := range p.Changes {
		allApplied = allApplied && c.Applied
	}
	switch {
	case allApplied:
		obj.Removed = append(obj.Removed, p.Removed...)
	case runErr != nil && p.Registered:
		// Deletes and purges are one request per removed object, in order.
		for i, c := range p.Changes {
			if c.Applied && i < len(p.Removed) {
				obj.Removed = append(obj.Removed, p.Removed[i])
			}
		}
	}
	if len(p.Changes) > 0 && !p.Changes[0].Applied {
		obj.Removed = []string{} // a dry run, or nothing got through
	}
	return steps.WriteJSON(w, obj)
}
