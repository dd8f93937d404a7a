// Package cmd is pqentra's command line, and only that: the global flags
// and session (root.go, session.go), the wizard's entry point (wizard.go,
// which hands over to tui/), and one file per command — setup, snippet,
// doctor, undo, restore, export, onboard, service-config, token inspect,
// whoami, logout — each shaped as in GitHub
// CLI: an Options struct (streams and factories), NewCmdX(f, runF) and
// xRun(ctx, opts). A command parses its flags, opens the session, calls
// steps/ and prints; what a step means, plans or refuses is decided in
// steps/, never here, so the CLI and both wizards cannot disagree.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pqentra/pqentra/graph"
	"github.com/pqentra/pqentra/steps"
)

// NewCmdRoot builds the command tree. Without a subcommand it opens the
// wizard; runF replaces the wizard in tests.
func NewCmdRoot(f *Factory, runF func(*WizardOptions) error) *cobra.Command {
	f.complete()
	g := f.Globals
	opts := newWizardOptions(f)
	root := &cobra.Command{
		Use:   "pqentra",
		Short: "Set up Microsoft Entra ID for a Power Query custom connector",
		Long: `pqentra takes a Power Query custom connector from nothing to a working Microsoft Entra ID
setup: it registers the resource application, sets its Application ID URI, adds a
delegated scope, preauthorizes the Power Query clients, and hands you the connector's
Aad record. Every Graph call is previewed before it is sent.

Run it without arguments for the wizard; add --demo to try it offline against a
built-in emulator of Entra and Microsoft Graph.

Exit status: 0 success, 1 failed, 2 bad usage (nothing was sent), 130 interrupted.`,
		Example: `  pqentra --demo                         # the wizard, offline
  pqentra                                # the wizard, in your tenant
  pqentra setup --non-interactive --display-name "Contoso Connector" --output json
  pqentra snippet --resource api://00001111-aaaa-2222-bbbb-3333cccc4444
  pqentra doctor --app-id 00001111-aaaa-2222-bbbb-3333cccc4444 --connector Contoso.pq`,
		Version:       versionString(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noArgs,
		PersistentPreRun: func(c *cobra.Command, _ []string) {
			f.IO.NoColor = f.IO.NoColor || g.NoColor || noColorEnv(f.Getenv)
			g.Run = fixCommand(c)
			g.Run.Wizard = !c.HasParent() // the root command runs the wizard
		},
		RunE: func(c *cobra.Command, _ []string) error {
			opts.Command = fixCommand(c)
			if runF != nil {
				return runF(opts)
			}
			return wizardRun(c.Context(), opts)
		},
	}
	root.SetVersionTemplate("pqentra version {{.Version}}\n")
	pf := root.PersistentFlags()
	pf.StringVar(&g.Tenant, "tenant", "", "tenant to sign in to: a tenant GUID or verified domain (default organizations)")
	pf.StringVar(&g.ClientID, "client-id", "", "public client app to sign in with (default Microsoft Graph Command Line Tools)")
	EnumFlag(root, true, &g.Cloud, "cloud", "", "public", "Microsoft cloud", cloudChoices()...)
	pf.StringVar(&g.AuthorityHost, "authority-host", "", "sign-in host override, e.g. https://login.microsoftonline.com (env AZURE_AUTHORITY_HOST)")
	pf.StringVar(&g.GraphEndpoint, "graph-endpoint", "", "Graph host root override, e.g. https://graph.microsoft.com (env PQENTRA_GRAPH_ENDPOINT)")
	EnumFlag(root, true, &g.SignIn, "sign-in", "", "", "how to sign in (default auto; env PQENTRA_SIGN_IN)", signInChoices()...)
	pf.BoolVar(&g.Demo, "demo", false, "run offline against the built-in Entra/Graph emulator (sign-in approves itself)")
	pf.BoolVar(&g.ResetDemo, "reset", false, "with --demo: start the demo tenant afresh (it is kept in $XDG_STATE_HOME/pqentra/demo.json)")
	EnumFlag(root, true, &g.DemoTenant, "demo-tenant", "", "", "with --demo: which side you play (default publisher)",
		Choice{Name: demoPublisher, Help: "Contoso, the connector's publisher (Adele Vance)"},
		Choice{Name: demoCustomer, Help: "Fabrikam, an organization that uses the connector (Megan Bowen, an admin)"})
	pf.BoolVar(&g.NoColor, "no-color", false, "no colours (also: NO_COLOR=1)")
	root.Flags().BoolVar(&opts.Accessible, "accessible", false, "plain prompts instead of the full-screen wizard (screen readers, dumb terminals)")

	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.Err)
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(NewCmdSetup(f, nil), NewCmdSnippet(f, nil), NewCmdLogout(f, nil), NewCmdWhoami(f, nil), NewCmdDoctor(f, nil))
	root.AddCommand(NewCmdUndo(f, nil), NewCmdRestore(f, nil), NewCmdExport(f, nil), NewCmdOnboard(f, nil))
	root.AddCommand(NewCmdServiceConfig(f, nil), NewCmdToken(f))
	strictCompletion(root)
	strictHelp(root)
	return root
}

// cloudChoices are the clouds graph knows, in a fixed order.
func cloudChoices() []Choice {
	var cs []Choice
	for _, name := range []string{"public", "usgov", "china"} {
		c := graph.Clouds[name]
		cs = append(cs, Choice{Name: name, Help: strings.TrimPrefix(c.LoginHost, "https://")})
	}
	return cs
}

// Execute runs pqentra with args and returns the exit code.
func Execute(ctx context.Context, f *Factory, args []string) int {
	f.IO.done = ctx // Ctrl-C ends a question's wait too
	// Output to a file or pipe is watched for lost writes. A terminal is
	// left as it is: the wizard needs the *os.File to size its screen.
	out := &outGuard{w: f.IO.Out}
	if !f.IO.OutTTY {
		f.IO.Out = out
		defer func() { f.IO.Out = out.w }()
	}
	root := NewCmdRoot(f, nil)
	root.SetArgs(args)
	ran, err := root.ExecuteContextC(ctx)
	if werr := out.failed(); err == nil && werr != nil {
		// The output is lost: that is no success.
		err = fmt.Errorf("cannot write the output (stdout is full or closed): %w", werr)
	}
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
			fmt.Fprintln(f.IO.Err, "error: "+steps.CleanMultiline(msg))
			writeParseErrorJSON(f, args, err, msg)
			if h := demoHint(err, f.demoState); h != "" {
				fmt.Fprintln(f.IO.Err, h)
			}
			if exitCode(err) == ExitUsage && !containsHelpHint(msg) {
				// The help of the command that refused, not the root's.
				path := "pqentra"
				if ran != nil {
					path = ran.CommandPath()
				}
				fmt.Fprintf(f.IO.Err, "Run '%s --help' for usage.\n", path)
			}
		}
		if errors.Is(err, context.Canceled) {
			return ExitInterrupted
		}
	}
	return exitCode(err)
}

func containsHelpHint(s string) bool { return strings.Contains(s, "--help") }
