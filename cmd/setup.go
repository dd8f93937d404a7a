package cmd

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/m"
	"github.com/pqentra/pqentra/steps/service"
)

// SetupOptions is `pqentra setup`.
type SetupOptions struct {
	IO          *IOStreams
	Getenv      func(string) string
	Browser     func(url string) error
	OpenSession func(*Globals, SessionHooks) (*Session, error)
	Globals     *Globals

	NonInteractive bool
	DisplayName    string
	AppID          string
	Audience       string
	IdentifierURI  string
	Scope          string
	ScopeConsent   string
	Preauthorize   []string
	PreauthClients []string
	DryRun         bool
	Output         string
	Accessible     bool
	// Adopt configures an --app-id app that is not provably the user's
	// without asking.
	Adopt bool
	// warned is what the run has warned about so far (setupRun).
	warned *warnings
	// RestoreDeleted restores the app when it is in deleted items, and
	// finishes the setup (else setup stops there: setup_deleted.go).
	RestoreDeleted bool
	// Args are setup's own flags as given, for the commands a failure
	// prints (with Command's global flags).
	Args []string

	// Desired is what the flags ask for, checked before anything is sent.
	Desired steps.Desired
	// Customer is how the organizations that use a multitenant app run
	// pqentra (the onboarding command).
	Customer steps.Command
	// Command is how pqentra was started, for the commands it prints.
	Command steps.Command
}

// NewCmdSetup builds `pqentra setup`; runF replaces setupRun in tests.
func NewCmdSetup(f *Factory, runF func(*SetupOptions) error) *cobra.Command {
	opts := &SetupOptions{IO: f.IO, Getenv: f.Getenv, Browser: f.Browser, OpenSession: f.OpenSession, Globals: f.Globals}
	c := &cobra.Command{
		Use:   "setup",
		Short: "Register and configure the resource application (wizard, or --non-interactive)",
		Long: `setup does the quickstart "Configuring Microsoft Entra for a custom connector":
register the resource application (or use an existing one with --app-id) and its service
principal, set the Application ID URI, add a delegated scope that admins and users can
consent to, and preauthorize the Power Query clients for it.

Without --non-interactive it opens the wizard. With it, it plans the changes, applies
them (unless --dry-run) and reads the directory back to prove it matches. A re-run with
the same flags changes nothing; a run interrupted anywhere is finished by running it again.

Exit status: 0 success, 1 failed, 2 bad usage (nothing was sent), 130 interrupted.`,
		Example: `  pqentra setup --non-interactive --display-name "Contoso Connector"
  pqentra setup --non-interactive --app-id 00001111-aaaa-2222-bbbb-3333cccc4444 --dry-run
  pqentra --demo setup --non-interactive --display-name "Contoso Connector" --output json`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			// --scope '' is a mistake, not a request for the default Data.Read.
			// Under --output json even a bad value gets its JSON object.
			if err := requireValue(c, "scope", steps.ValidateScopeValue); err != nil {
				return opts.jsonFailure(err)
			}
			d, err := opts.desired()
			if err != nil {
				return opts.jsonFailure(badInput(err))
			}
			opts.Desired = d
			opts.Customer = customerCommand(c)
			opts.Command = fixCommand(c)
			if !opts.NonInteractive && (opts.DryRun || opts.Output == "json") {
				return usagef("--dry-run and --output json need --non-interactive")
			}
			if opts.Adopt && (opts.AppID == "" || !opts.NonInteractive) {
				return usagef("--adopt goes with --non-interactive --app-id GUID (it adopts that app on purpose)")
			}
			opts.Args = setupArgs(c)
			if runF != nil {
				return runF(opts)
			}
			return setupRun(c.Context(), opts)
		},
	}
	fl := c.Flags()
	fl.BoolVar(&opts.NonInteractive, "non-interactive", false, "no wizard: apply the flags and exit")
	fl.StringVar(&opts.DisplayName, "display-name", "", "display name of the resource application (required without --app-id)")
	fl.StringVar(&opts.AppID, "app-id", "", "work on this existing application (its Application (client) ID) instead of registering one")
	EnumFlag(c, false, &opts.Audience, "audience", "", "", "supported account types (default single for a new app)",
		Choice{Name: "single", Help: "accounts in this organization only", Aliases: []string{"AzureADMyOrg"}},
		Choice{Name: "multi", Help: "accounts in any organization", Aliases: []string{"AzureADMultipleOrgs"}})
	fl.StringVar(&opts.IdentifierURI, "identifier-uri", "", "Application ID URI (default api://{appId}; or https://<verified domain>/…)")
	fl.StringVar(&opts.Scope, "scope", steps.DefaultScopeValue, "delegated scope the connector uses")
	EnumFlag(c, false, &opts.ScopeConsent, "scope-consent", "", "users", "who can consent to the scope",
		Choice{Name: "users", Help: "admins and users (what Power Query needs)", Aliases: []string{"user", "admins-and-users"}},
		Choice{Name: "admins", Help: "admins only", Aliases: []string{"admin", "admins-only"}})
	fl.StringSliceVar(&opts.Preauthorize, "preauthorize", []string{"excel", "refresh"}, "Power Query clients to preauthorize: excel, refresh, powerapps")
	_ = c.RegisterFlagCompletionFunc("preauthorize", completeClientKeys)
	fl.StringArrayVar(&opts.PreauthClients, "preauthorize-client", nil, "another client app id to preauthorize (repeatable)")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print the plan (every request) and write nothing")
	EnumFlag(c, false, &opts.Output, "output", "o", "text", "output format", outputChoices...)
	fl.BoolVar(&opts.Accessible, "accessible", false, "plain prompts instead of the full-screen wizard")
	fl.BoolVar(&opts.RestoreDeleted, "restore-deleted", false, "if the app is in deleted items (where it keeps its name for 30 days), restore it and finish the setup")
	fl.BoolVar(&opts.Adopt, "adopt", false, "with --app-id: configure the app even if it is not provably yours (owned by someone else), without asking")
	return c
}

// completeClientKeys offers the known Power Query clients for
// --preauthorize, after the ones already typed (comma-separated).
func completeClientKeys(_ *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
	prefix := ""
	if i := strings.LastIndex(typed, ","); i >= 0 {
		prefix = typed[:i+1]
	}
	have := map[string]bool{}
	for _, k := range strings.Split(prefix, ",") {
		have[strings.ToLower(strings.TrimSpace(k))] = true
	}
	var out []string
	for _, k := range steps.KnownClients {
		if !have[k.Key] {
			out = append(out, prefix+k.Key+"\t"+k.Name)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// desired turns the flags into the engine's desired state, checking every
// value before anything is sent.
func (o *SetupOptions) desired() (steps.Desired, error) {
	d := steps.Desired{AppID: o.AppID, DisplayName: o.DisplayName, SignInAudience: o.Audience,
		IdentifierURI: o.IdentifierURI, Scope: steps.ScopeSpec{Value: o.Scope, Type: o.ScopeConsent}}
	clients, err := steps.ParseClientKeys(o.Preauthorize)
	if err != nil {
		return d, err
	}
	for _, id := range o.PreauthClients {
		if err := steps.ValidateGUID(steps.FieldClientAppID, strings.TrimSpace(id)); err != nil {
			return d, err
		}
		clients = append(clients, strings.TrimSpace(id))
	}
	d.Clients = clients
	if d.Clients == nil {
		d.Clients = []string{}
	}
	if o.NonInteractive || o.DisplayName != "" || o.AppID != "" {
		if o.NonInteractive && o.AppID == "" && strings.TrimSpace(o.DisplayName) == "" {
			return d, fmt.Errorf("give --display-name \"Your Service\" to register a new application, or --app-id GUID to configure an existing one")
		}
		if err := d.Normalize(); err != nil {
			return d, err
		}
	}
	return d, nil
}

func setupRun(ctx context.Context, opts *SetupOptions) error {
	if !opts.NonInteractive {
		return wizardRun(ctx, &WizardOptions{IO: opts.IO, Getenv: opts.Getenv, Browser: opts.Browser,
			OpenSession: opts.OpenSession, Globals: opts.Globals, Accessible: opts.Accessible, Desired: opts.Desired, Command: opts.Command})
	}
	s, err := openCLI(opts.IO, opts.OpenSession, opts.Globals)
	if err != nil {
		return opts.jsonFailure(err)
	}
	defer s.Close()
	warned := newWarnings(opts.IO)
	opts.warned = warned
	check, err := checkAccess(ctx, warned, s.Dir, opts.Desired, opts.DryRun)
	if err != nil {
		return opts.jsonFailure(err)
	}
	if opts.Desired.AppID != "" {
		if err := checkAdoption(ctx, opts.IO, warned, check.App, opts.Adopt, opts.DryRun); err != nil {
			return opts.jsonFailure(err)
		}
	}
	stepOpts := steps.Options{GraphBase: s.Dir.GraphBase(), RestoreDeleted: opts.RestoreDeleted, Command: opts.Command, Warn: warned.warn}
	if opts.IO.ErrTTY {
		stepOpts.Progress = progressPrinter(opts.IO, progressAfter)
	}
	out, runErr := steps.Converge(ctx, s.Dir, opts.Desired, stepOpts, opts.DryRun)
	runErr = withWaysOn(runErr, opts.Command, opts.Args)
	if out == nil {
		// It failed before planning (sign-in, reading the tenant, …), or
		// the plan was refused before any write.
		return opts.jsonFailure(planRefusal(runErr))
	}
	rep := steps.BuildReport(ctx, s.Dir, out, opts.DryRun)
	snippet := snippetFor(rep, opts.Globals)
	onboarding := onboardingFor(rep.AppID, rep.SignInAudience, opts.Globals, opts.Customer)
	if opts.Output == "json" {
		obj := setupResult{Report: rep, Warnings: warned.said, Snippet: snippet, Onboarding: onboarding}
		if !opts.DryRun && out.Known && out.Final.App != nil {
			sc := serviceConfig(ctx, s.Dir, opts.Globals, out.Final.Tenant, out.Final.App)
			obj.Service = &sc
		}
		obj.SignIn = &signInJSON{Method: s.Dir.SignInMethod(), ClientID: s.Dir.SignInClientID()}
		if runErr != nil {
			obj.Error = errorText(runErr)
		}
		if err := steps.WriteJSON(opts.IO.Out, obj); err != nil {
			return err
		}
	} else {
		printSetupText(opts.IO, out, rep, snippet, opts.DryRun, runErr != nil)
		if onboarding != nil && runErr == nil && !opts.DryRun {
			fmt.Fprintf(opts.IO.Out, "\n%s", onboarding.Text())
		}
	}
	return runErr
}

// planRefusal: an Application ID URI or audience the tenant's rules refuse
// (a multitenant app's URI) is bad usage like a malformed one (exit 2):
// found once the tenant was read, but before any write.
func planRefusal(err error) error {
	if ie, ok := steps.AsInputError(err); ok && (ie.Field == steps.FieldIdentifierURI || ie.Field == steps.FieldAudience) {
		return badInput(err)
	}
	return err
}

// setupResult is what `setup --output json` prints: always one object, with
// "error" when the run failed (README lists the fields).
type setupResult struct {
	steps.Report
	// Warnings are what the run warned about on stderr, each before any
	// write: an app found by name that carries what pqentra never sets,
	// an Application ID URI the tenant may refuse, what could not be
	// checked. Always a list, empty when there were none.
	Warnings []string `json:"warnings"`
	// Snippet is the Aad record, only when the app holds the Application
	// ID URI it names.
	Snippet string `json:"snippet,omitempty"`
	// Onboarding is what to send the organizations that use a
	// multitenant app (only for one).
	Onboarding *steps.Onboarding `json:"onboarding,omitempty"`
	// SignIn is how the user signed in (method and client).
	SignIn *signInJSON `json:"signIn,omitempty"`
	// Service is what the connector's service must accept (the object
	// `service-config --output json` prints), once the app is read back.
	Service *service.Config `json:"service,omitempty"`
	Error   string          `json:"error,omitempty"`
}

// jsonFailure prints, under --output json, the one JSON object a failure
// before planning still owes stdout: the error, and the fields empty. The
// error is returned as it was, for stderr and the exit code.
func (o *SetupOptions) jsonFailure(err error) error {
	if err == nil || o.Output != "json" || !o.NonInteractive {
		return err
	}
	obj := setupResult{Report: steps.Report{Changes: []steps.Change{}, PreAuthorizedApplications: []steps.ReportPreAuth{}, DryRun: o.DryRun},
		Warnings: []string{}, Error: errorText(err)}
	if o.warned != nil {
		obj.Warnings = o.warned.said
	}
	if werr := steps.WriteJSON(o.IO.Out, obj); werr != nil {
		return errors.Join(err, werr)
	}
	return err
}

// errorText is an error as the user reads it on stderr, on one object
// field: with its hint, terminal-safe.
func errorText(err error) string {
	if errors.Is(err, context.Canceled) {
		return "interrupted: nothing is half-made; run the same command again to finish"
	}
	return steps.CleanMultiline(err.Error())
}

// snippetFor is the Aad record for the app as it is, or "" when the app
// does not hold the Application ID URI the record would name: a record
// for a URI the app lacks fails at sign-in in Power Query.
func snippetFor(rep steps.Report, g *Globals) string {
	if rep.DryRun || rep.IdentifierURI == "" || rep.AppID == "" {
		return ""
	}
	snip, err := m.Generate(m.SnippetOptions{Resource: rep.IdentifierURI, LoginHost: loginHostFor(g)})
	if err != nil {
		return ""
	}
	return snip
}

func printSetupText(ios *IOStreams, out *steps.Outcome, rep steps.Report, snippet string, dryRun, failed bool) {
	w := ios.Out
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
		printSent(w, newPalette(w, ios.ColorOut()), rep.Changes, true)
	}
	fmt.Fprintln(w)
	if failed {
		if len(rep.Unknown) > 0 {
			fmt.Fprintln(w, "The application could not be read back after the failure; what is not shown is unknown.")
		} else {
			fmt.Fprintln(w, "The application as Graph holds it now:")
		}
	}
	line := func(label, v string) {
		if v == "" {
			v = "(none)"
			if slices.Contains(rep.Unknown, fieldOf[label]) {
				v = "(unknown)"
			}
		}
		fmt.Fprintf(w, "%-24s %s\n", label, v)
	}
	line("Application (client) ID:", rep.AppID)
	line("Directory (tenant) ID:", rep.TenantID)
	line("Display name:", steps.Clean(rep.DisplayName))
	line("Application ID URI:", steps.Clean(rep.IdentifierURI))
	scope := ""
	if rep.Scope.Value != "" {
		scope = fmt.Sprintf("%s (%s, %s)", steps.Clean(rep.Scope.Value), consentWords(rep.Scope.Type), enabledWord(rep.Scope.IsEnabled))
	}
	line("Scope:", scope)
	if len(rep.PreAuthorizedApplications) == 0 {
		line("Preauthorized:", "")
	}
	for i, p := range rep.PreAuthorizedApplications {
		label := "Preauthorized:"
		if i > 0 {
			label = ""
		}
		fmt.Fprintf(w, "%-24s %s (%s)\n", label, steps.Clean(p.DisplayName), p.AppID)
	}
	line("Service principal:", rep.ServicePrincipalID)
	if snippet != "" {
		fmt.Fprintf(w, "\nPaste this into your connector's data source kind record, inside Authentication = [ … ]:\n\n%s\n", snippet)
		if failed {
			fmt.Fprintln(w, "\nThe setup did not finish: run the same command again before you rely on this record.")
		}
	}
}

// fieldOf maps the text report's labels to the JSON fields Report.Unknown
// names.
var fieldOf = map[string]string{
	"Application (client) ID:": "appId", "Display name:": "displayName", "Application ID URI:": "identifierUri",
	"Scope:": "scope", "Preauthorized:": "preAuthorizedApplications", "Service principal:": "servicePrincipalId",
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
