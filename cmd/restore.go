package cmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pqentra/pqentra/steps"
)

// RestoreOptions is `pqentra restore`.
type RestoreOptions struct {
	IO          *IOStreams
	OpenSession func(*Globals, SessionHooks) (*Session, error)
	Globals     *Globals

	AppID  string
	DryRun bool
	Output string
	// Command is how pqentra was started: the doctor hint carries its
	// global flags.
	Command steps.Command
}

// NewCmdRestore builds `pqentra restore`; runF replaces restoreRun in tests.
func NewCmdRestore(f *Factory, runF func(*RestoreOptions) error) *cobra.Command {
	opts := &RestoreOptions{IO: f.IO, OpenSession: f.OpenSession, Globals: f.Globals}
	c := &cobra.Command{
		Use:   "restore",
		Short: "Bring back an app that undo deleted (within 30 days)",
		Long: `restore brings back an application that ` + "`pqentra undo`" + ` (or anyone) deleted, from Entra's
deleted items, with all its settings: Application ID URI, scopes, preauthorized clients.
Graph restores an app's service principal separately; restore does both (or creates a
new service principal when the old one is gone). Entra keeps deleted apps for 30 days;
an app deleted with --purge cannot come back.

Exit status: 0 success (also: nothing to restore), 1 failed, 2 bad usage, 130 interrupted.`,
		Example: `  pqentra restore --app-id 00001111-aaaa-2222-bbbb-3333cccc4444
  pqentra restore --app-id 00001111-aaaa-2222-bbbb-3333cccc4444 --dry-run
  pqentra --demo restore --app-id 00001111-aaaa-2222-bbbb-3333cccc4444 --output json`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			// Under --output json every failure still prints one object.
			return withJSONError(&opts.IO, opts.Output, func() error {
				opts.AppID = strings.ToLower(strings.TrimSpace(opts.AppID))
				if opts.AppID == "" {
					return usagef("say which app to restore: --app-id GUID (the Application (client) ID undo printed)")
				}
				if err := steps.ValidateGUID(steps.FieldAppID, opts.AppID); err != nil {
					return asUsage(err)
				}
				opts.Command = fixCommand(c)
				if runF != nil {
					return runF(opts)
				}
				return restoreRun(c.Context(), opts)
			})
		},
	}
	fl := c.Flags()
	fl.StringVar(&opts.AppID, "app-id", "", "the deleted app's Application (client) ID")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print every request restore would send, and send nothing")
	EnumFlag(c, false, &opts.Output, "output", "o", "text", "output format", outputChoices...)
	return c
}

func restoreRun(ctx context.Context, opts *RestoreOptions) error {
	s, err := openCLI(opts.IO, opts.OpenSession, opts.Globals)
	if err != nil {
		return err
	}
	defer s.Close()
	dir := s.Dir
	out, runErr := steps.Restore(ctx, dir, opts.AppID, s.Dir.GraphBase(), opts.DryRun)
	if out == nil {
		return runErr
	}
	p := out.Plan
	if opts.Output == "json" {
		reqs := p.Changes
		if reqs == nil {
			reqs = []steps.Change{}
		}
		obj := struct {
			AppID    string         `json:"appId"`
			Restored bool           `json:"restored"`
			Requests []steps.Change `json:"requests"`
			Error    string         `json:"error,omitempty"`
		}{opts.AppID, runErr == nil && !opts.DryRun && out.Final.App != nil && out.Final.ServicePrincipal != nil, reqs, ""}
		if runErr != nil {
			obj.Error = errorText(runErr)
		}
		if err := steps.WriteJSON(opts.IO.Out, obj); err != nil {
			return err
		}
		return runErr
	}
	w := opts.IO.Out
	st := p.State
	if st.User != nil && st.Tenant != nil {
		fmt.Fprintf(w, "Signed in as %s to %s (tenant %s)\n\n", steps.Clean(st.User.UserPrincipalName), steps.Clean(st.Tenant.DisplayName), st.Tenant.ID)
	}
	name := steps.Clean(undoAppName(st))
	switch {
	case p.Empty():
		fmt.Fprintf(w, "Nothing to restore: %q (appId %s) and its service principal are live.\n", name, opts.AppID)
		return nil
	case opts.DryRun:
		fmt.Fprintf(w, "Dry run: %d request(s) would be sent, nothing was written.\n\n%s", len(p.Changes), steps.PreviewAll(p.Changes))
		return nil
	}
	fmt.Fprintf(w, "restore sends %d request(s) to Microsoft Graph:\n\n%s\n", len(p.Changes), steps.PreviewAll(p.Changes))
	printSent(w, newPalette(w, opts.IO.ColorOut()), p.Changes, runErr != nil)
	if runErr == nil {
		fmt.Fprintf(w, "\nRestored %q (appId %s) with its service principal. Check it with:\n  %s\n", name, opts.AppID, opts.Command.Line("doctor", "--app-id", opts.AppID))
	}
	return runErr
}
