package cmd

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/m"
)

type setupFlags struct {
	nonInteractive bool
	displayName    string
	appID          string
	audience       string
	identifierURI  string
	scope          string
	scopeConsent   string
	preauthorize   []string
	preauthClients []string
	dryRun         bool
	output         string
	accessible     bool
}

func newSetupCmd(io *IO, g *globals) *cobra.Command {
	f := &setupFlags{}
	c := &cobra.Command{
		Use:   "setup",
		Short: "Register and configure the resource application (wizard, or --non-interactive)",
		Long: `setup does the quickstart "Configuring Microsoft Entra for a custom connector":
register the resource application (or use an existing one with --app-id) and its service
principal, set the Application ID URI, add a delegated scope that admins and users can
consent to, and preauthorize the Power Query clients for it.

Without --non-interactive it opens the wizard. With it, it plans the changes, applies
them (unless --dry-run) and reads the directory back to prove it matches. A re-run with
the same flags changes nothing; a run interrupted anywhere is finished by running it again.`,
		Example: `  pqentra setup --non-interactive --display-name "Contoso Connector"
  pqentra setup --non-interactive --app-id 00001111-aaaa-2222-bbbb-3333cccc4444 --dry-run
  pqentra --demo setup --non-interactive --display-name "Contoso Connector" --output json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			d, err := f.desired(c)
			if err != nil {
				return asUsage(err)
			}
			if f.output != "text" && f.output != "json" {
				return usagef("--output %q: use text or json", f.output)
			}
			if !f.nonInteractive {
				if f.dryRun || f.output == "json" {
					return usagef("--dry-run and --output json need --non-interactive")
				}
				return runWizard(c.Context(), io, wizardOptions{g: g, accessible: f.accessible, desired: d})
			}
			return runSetup(c, io, g, f, d)
		},
	}
	fl := c.Flags()
	fl.BoolVar(&f.nonInteractive, "non-interactive", false, "no wizard: apply the flags and exit")
	fl.StringVar(&f.displayName, "display-name", "", "display name of the resource application (required without --app-id)")
	fl.StringVar(&f.appID, "app-id", "", "work on this existing application (its Application (client) ID) instead of registering one")
	fl.StringVar(&f.audience, "audience", "", "supported account types: single (this organization only, default) or multi (any organization)")
	fl.StringVar(&f.identifierURI, "identifier-uri", "", "Application ID URI (default api://{appId}; or https://<verified domain>/…)")
	fl.StringVar(&f.scope, "scope", steps.DefaultScopeValue, "delegated scope the connector uses")
	fl.StringVar(&f.scopeConsent, "scope-consent", "users", "who can consent to the scope: users (admins and users) or admins")
	fl.StringSliceVar(&f.preauthorize, "preauthorize", []string{"excel", "refresh"}, "Power Query clients to preauthorize: excel, refresh, powerapps")
	fl.StringArrayVar(&f.preauthClients, "preauthorize-client", nil, "another client app id to preauthorize (repeatable)")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the plan (every request) and write nothing")
	fl.StringVarP(&f.output, "output", "o", "text", "output format: text or json")
	fl.BoolVar(&f.accessible, "accessible", false, "plain prompts instead of the full-screen wizard")
	return c
}

// desired turns the flags into the engine's desired state, checking every
// value before anything is sent.
func (f *setupFlags) desired(c *cobra.Command) (steps.Desired, error) {
	d := steps.Desired{AppID: f.appID, DisplayName: f.displayName, SignInAudience: f.audience,
		IdentifierURI: f.identifierURI, Scope: steps.ScopeSpec{Value: f.scope, Type: f.scopeConsent}}
	clients, err := steps.ParseClientKeys(f.preauthorize)
	if err != nil {
		return d, err
	}
	for _, id := range f.preauthClients {
		if err := steps.ValidateGUID("--preauthorize-client", strings.TrimSpace(id)); err != nil {
			return d, err
		}
		clients = append(clients, strings.TrimSpace(id))
	}
	d.Clients = clients
	if d.Clients == nil {
		d.Clients = []string{}
	}
	if f.nonInteractive || f.displayName != "" || f.appID != "" {
		if f.nonInteractive && f.appID == "" && strings.TrimSpace(f.displayName) == "" {
			return d, fmt.Errorf("give --display-name \"Your Service\" to register a new application, or --app-id GUID to configure an existing one")
		}
		if err := d.Normalize(); err != nil {
			return d, err
		}
	}
	return d, nil
}

func runSetup(c *cobra.Command, io *IO, g *globals, f *setupFlags, d steps.Desired) error {
	ctx := c.Context()
	s, err := g.openCLI(io)
	if err != nil {
		return err
	}
	defer s.Close()
	opts := steps.Options{GraphBase: s.client.GraphBase()}
	out, runErr := steps.Converge(ctx, s.client, d, opts, f.dryRun)
	if out == nil {
		return runErr
	}
	rep := steps.BuildReport(ctx, s.client, out, f.dryRun)
	if f.output == "json" {
		obj := struct {
			steps.Report
			Error string `json:"error,omitempty"`
		}{Report: rep}
		if runErr != nil {
			obj.Error = steps.CleanMultiline(runErr.Error())
		}
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(obj); err != nil {
			return err
		}
	} else {
		printSetupText(io, g, out, rep, f.dryRun)
	}
	return runErr
}

func printSetupText(io *IO, g *globals, out *steps.Outcome, rep steps.Report, dryRun bool) {
	w := io.Out
	st := out.Final
	if st.User != nil && st.Tenant != nil {
		fmt.Fprintf(w, "Signed in as %s to %s (tenant %s)\n\n", steps.Clean(st.User.UserPrincipalName), steps.Clean(st.Tenant.DisplayName), st.Tenant.ID)
	}
	switch {
	case len(rep.Changes) == 0:
		fmt.Fprintln(w, "Nothing to change: the application already matches the quickstart.")
	case dryRun:
		fmt.Fprintf(w, "Dry run: %d request(s) would be sent, nothing was written.\n\n", len(rep.Changes))
		fmt.Fprint(w, steps.PreviewAll(rep.Changes))
		return
	default:
		for _, ch := range rep.Changes {
			mark := "✓"
			if !ch.Applied {
				mark = "✗"
			}
			fmt.Fprintf(w, "%s %s\n  %s %s\n", mark, ch.Summary, ch.Method, ch.URL)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Application (client) ID: %s\n", rep.AppID)
	fmt.Fprintf(w, "Directory (tenant) ID:   %s\n", rep.TenantID)
	fmt.Fprintf(w, "Display name:            %s\n", steps.Clean(rep.DisplayName))
	fmt.Fprintf(w, "Application ID URI:      %s\n", steps.Clean(rep.IdentifierURI))
	fmt.Fprintf(w, "Scope:                   %s (%s, %s)\n", steps.Clean(rep.Scope.Value), consentWords(rep.Scope.Type), enabledWord(rep.Scope.IsEnabled))
	for i, p := range rep.PreAuthorizedApplications {
		label := "Preauthorized:"
		if i > 0 {
			label = ""
		}
		fmt.Fprintf(w, "%-24s %s (%s)\n", label, steps.Clean(p.DisplayName), p.AppID)
	}
	fmt.Fprintf(w, "Service principal:       %s\n", rep.ServicePrincipalID)
	if rep.IdentifierURI != "" && rep.AppID != "" {
		snip, err := m.Generate(m.SnippetOptions{Resource: rep.IdentifierURI, LoginHost: loginHostFor(g)})
		if err == nil {
			fmt.Fprintf(w, "\nPaste this into your connector's data source kind record, inside Authentication = [ … ]:\n\n%s\n", snip)
		}
	}
}

// consentWords is the scope line's consent part: "admins and users can
// consent" or "admins only".
func consentWords(t string) string {
	if t == steps.ConsentAdmins {
		return steps.ConsentLabel(t)
	}
	return steps.ConsentLabel(t) + " can consent"
}

func enabledWord(b bool) string {
	if b {
		return "enabled"
	}
	return "disabled"
}
