// Package cmd is pqentra's command line: the global flags, the wizard
// entry point and the non-interactive commands (setup, snippet, doctor,
// logout). Commands get their streams and environment through IO.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pqentra/pqentra/steps"
)

// Version is set at build time with -ldflags "-X github.com/pqentra/pqentra/cmd.Version=…".
var Version = "0.1.0"

// wizardOptions is what the wizard starts from.
type wizardOptions struct {
	g          *globals
	accessible bool
	desired    steps.Desired
}

// NewRoot builds the command tree.
func NewRoot(io *IO) *cobra.Command {
	g := &globals{}
	var accessible bool
	root := &cobra.Command{
		Use:   "pqentra",
		Short: "Set up Microsoft Entra ID for a Power Query custom connector",
		Long: `pqentra takes a Power Query custom connector from nothing to a working Microsoft Entra ID
setup: it registers the resource application, sets its Application ID URI, adds a
delegated scope, preauthorizes the Power Query clients, and hands you the connector's
Aad record. Every Graph call is previewed before it is sent.

Run it without arguments for the wizard; add --demo to try it offline against a
built-in emulator of Entra and Microsoft Graph.`,
		Example: `  pqentra --demo                         # the wizard, offline
  pqentra                                # the wizard, in your tenant
  pqentra setup --non-interactive --display-name "Contoso Connector" --output json
  pqentra snippet --resource api://00001111-aaaa-2222-bbbb-3333cccc4444
  pqentra doctor --app-id 00001111-aaaa-2222-bbbb-3333cccc4444 --connector Contoso.pq`,
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return runWizard(c.Context(), io, wizardOptions{g: g, accessible: accessible})
		},
	}
	root.SetVersionTemplate("pqentra version {{.Version}}\n")
	pf := root.PersistentFlags()
	pf.StringVar(&g.tenant, "tenant", "", "tenant to sign in to: a tenant GUID or verified domain (default organizations)")
	pf.StringVar(&g.clientID, "client-id", "", "public client app to sign in with (default Microsoft Graph Command Line Tools)")
	pf.StringVar(&g.cloud, "cloud", "public", "Microsoft cloud: public, usgov or china")
	pf.StringVar(&g.authorityHost, "authority-host", "", "sign-in host override, e.g. https://login.microsoftonline.com (env AZURE_AUTHORITY_HOST)")
	pf.StringVar(&g.graphEndpoint, "graph-endpoint", "", "Graph host root override, e.g. https://graph.microsoft.com (env PQENTRA_GRAPH_ENDPOINT)")
	pf.BoolVar(&g.demo, "demo", false, "run offline against the built-in Entra/Graph emulator (sign-in approves itself)")
	pf.BoolVar(&g.noColor, "no-color", false, "no colours (also: NO_COLOR=1)")
	root.Flags().BoolVar(&accessible, "accessible", false, "plain prompts instead of the full-screen wizard (screen readers, dumb terminals)")

	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}
	})
	root.AddCommand(newSetupCmd(io, g), newSnippetCmd(io, g), newLogoutCmd(io, g), newDoctorCmd(io, g))
	return root
}

// Execute runs pqentra with args and returns the exit code.
func Execute(ctx context.Context, io *IO, args []string) int {
	root := NewRoot(io)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil {
		var s silentError
		if !errors.As(err, &s) {
			msg := err.Error()
			if e, ok := steps.AsError(err); ok {
				msg = e.Error()
			}
			if errors.Is(err, context.Canceled) {
				msg = "interrupted: nothing is half-made; run the same command again to finish"
			}
			fmt.Fprintln(io.Err, "error: "+steps.CleanMultiline(msg))
			if exitCode(err) == ExitUsage && !containsHelpHint(msg) {
				fmt.Fprintln(io.Err, "Run 'pqentra --help' for usage.")
			}
		}
		if errors.Is(err, context.Canceled) {
			return 130
		}
	}
	return exitCode(err)
}

func containsHelpHint(s string) bool { return strings.Contains(s, "--help") }
