package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/pqentra/pqentra/steps"
)

// OnboardOptions is `pqentra onboard`.
type OnboardOptions struct {
	IO          *IOStreams
	OpenSession func(*Globals, SessionHooks) (*Session, error)
	Globals     *Globals

	AppID       string
	Remove      bool
	DryRun, Yes bool
	Output      string
	Spec        steps.OnboardSpec
}

// NewCmdOnboard builds `pqentra onboard`; runF replaces onboardRun in tests.
func NewCmdOnboard(f *Factory, runF func(*OnboardOptions) error) *cobra.Command {
	opts := &OnboardOptions{IO: f.IO, OpenSession: f.OpenSession, Globals: f.Globals}
	c := &cobra.Command{
		Use:   "onboard",
		Short: "Let your organization's users sign in to a publisher's multitenant connector app (run by an admin of your tenant)",
		Long: `onboard is for the organizations that use a published connector: run by an admin of such an
organization, signed in to its tenant, it creates the service principal of the publisher's
multitenant resource app there. Without it the connector's users meet AADSTS500011 or
AADSTS650052 in Power Query.

It reads first and writes nothing when the service principal exists ("already onboarded"),
or when the app is registered in this very tenant (its home tenant). Otherwise it shows the
one request (POST /servicePrincipals) and, on a terminal, asks before sending it; --yes
confirms for scripts, and without a terminal or --yes it refuses (exit 2). --remove deletes
the service principal of another organization's app again (off-boarding), with the same
preview and confirmation.

Graph cannot read another tenant's app before its service principal exists, so only
afterwards can onboard say whose app it let in (its name and the publisher's tenant). To
see both before anything is created, open the admin-consent URL --dry-run prints.

Creating or deleting another organization's app's service principal takes a Cloud
Application Administrator, Application Administrator or Global Administrator.

Exit status: 0 success (also: already onboarded, home tenant, nothing to remove), 1 refused
or failed (nothing was changed), 2 bad usage or no confirmation (nothing was sent),
130 interrupted.`,
		Example: `  pqentra onboard --app-id 00001111-aaaa-2222-bbbb-3333cccc4444 --dry-run
  pqentra onboard --app-id 00001111-aaaa-2222-bbbb-3333cccc4444
  pqentra onboard --app-id 00001111-aaaa-2222-bbbb-3333cccc4444 --yes --output json
  pqentra onboard --app-id 00001111-aaaa-2222-bbbb-3333cccc4444 --remove
  pqentra --demo --demo-tenant customer onboard --app-id <the demo publisher's app id>`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			opts.Spec = steps.OnboardSpec{AppID: opts.AppID, Remove: opts.Remove, LoginHost: loginHostFor(opts.Globals),
				Command: fixCommand(c)}
			if err := opts.Spec.Normalize(); err != nil {
				return opts.jsonFailure(badInput(err))
			}
			if opts.DryRun && opts.Yes {
				return opts.jsonFailure(usagef("--dry-run sends nothing, so --yes has nothing to confirm: give one of them"))
			}
			if runF != nil {
				return runF(opts)
			}
			return onboardRun(c.Context(), opts)
		},
	}
	fl := c.Flags()
	fl.StringVar(&opts.AppID, "app-id", "", "the publisher's multitenant app: its Application (client) ID")
	fl.BoolVar(&opts.Remove, "remove", false, "off-board: delete the service principal of another organization's app from this tenant")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print the request onboard would send, and send nothing")
	fl.BoolVar(&opts.Yes, "yes", false, "do not ask before writing")
	EnumFlag(c, false, &opts.Output, "output", "o", "text", "output format", outputChoices...)
	return c
}

// onboardResult is what `onboard --output json` prints: always one object,
// setup's fields where they mean the same, "error" when it failed.
type onboardResult struct {
	steps.OnboardReport
	SignIn *signInJSON `json:"signIn,omitempty"`
	Error  string      `json:"error,omitempty"`
}

func onboardRun(ctx context.Context, opts *OnboardOptions) error {
	s, err := openCLI(opts.IO, opts.OpenSession, opts.Globals)
	if err != nil {
		return opts.jsonFailure(err)
	}
	defer s.Close()
	human := opts.IO.Out
	if opts.Output == "json" {
		human = opts.IO.Err
	}
	confirmIt := func(o *steps.OnboardOutcome) error {
		printSignedIn(human, o.Tenant, o.User)
		fmt.Fprintf(human, "onboard sends 1 request to Microsoft Graph:\n\n%s\n", steps.PreviewAll(o.Changes))
		q, refusal := fmt.Sprintf("Create the service principal of app %s in %s?", o.AppID, steps.Clean(o.Tenant.DisplayName)), "not creating anything"
		if opts.Remove {
			q, refusal = fmt.Sprintf("Delete the service principal of app %s from %s?", o.AppID, steps.Clean(o.Tenant.DisplayName)), "not deleting anything"
		}
		return confirm(opts.IO, opts.Yes, q, refusal)
	}
	out, runErr := steps.Onboard(ctx, s.Dir, opts.Spec, s.Dir.GraphBase(), opts.DryRun, confirmIt)
	if out == nil {
		return opts.jsonFailure(runErr)
	}
	if opts.Output == "json" {
		obj := onboardResult{OnboardReport: out.Report(opts.DryRun)}
		obj.SignIn = &signInJSON{Method: s.Dir.SignInMethod(), ClientID: s.Dir.SignInClientID()}
		if runErr != nil {
			obj.Error = errorText(runErr)
		}
		if err := steps.WriteJSON(opts.IO.Out, obj); err != nil {
			return err
		}
	} else {
		printOnboardResult(opts.IO, out, opts.DryRun, runErr)
	}
	return runErr
}

// jsonFailure prints, under --output json, the one object a failure before
// the tenant was read still owes stdout.
func (o *OnboardOptions) jsonFailure(err error) error {
	if err == nil || o.Output != "json" {
		return err
	}
	obj := onboardResult{OnboardReport: steps.OnboardReport{AppID: o.Spec.AppID, Changes: []steps.Change{}, DryRun: o.DryRun}, Error: errorText(err)}
	if werr := steps.WriteJSON(o.IO.Out, obj); werr != nil {
		return errors.Join(err, werr)
	}
	return err
}

func printSignedIn(w io.Writer, t *steps.Tenant, u *steps.User) {
	if t != nil && u != nil {
		fmt.Fprintf(w, "Signed in as %s to %s (tenant %s)\n\n", steps.Clean(u.UserPrincipalName), steps.Clean(t.DisplayName), t.ID)
	}
}

func printOnboardResult(ios *IOStreams, o *steps.OnboardOutcome, dryRun bool, runErr error) {
	w := ios.Out
	tenant := steps.Clean(o.Tenant.DisplayName)
	if len(o.Changes) == 0 || dryRun {
		printSignedIn(w, o.Tenant, o.User)
	}
	if runErr != nil {
		// The error (on stderr) says what stopped it; stdout keeps what
		// was sent, if anything.
		for _, ch := range o.Changes {
			if ch.Applied {
				fmt.Fprintf(w, "✓ %s\n", steps.Clean(ch.Summary))
			}
		}
		return
	}
	sp := o.ServicePrincipal
	switch o.Status {
	case steps.OnboardStatusPlanned:
		fmt.Fprintf(w, "Dry run: 1 request would be sent, nothing was written.\n\n%s\n", steps.PreviewAll(o.Changes))
		if !o.Changes[0].Applied && o.Changes[0].Kind == steps.OpCreateSP {
			fmt.Fprintln(w, "Graph cannot read another organization's app before its service principal exists here, so pqentra")
			fmt.Fprintln(w, "cannot tell you yet whose app this is. To see the app's name and publisher first, an admin can open")
			fmt.Fprintln(w, "the admin-consent page instead (accepting it creates the same service principal):")
			fmt.Fprintf(w, "  %s\n", o.AdminConsentURL)
		}
		fmt.Fprintf(w, "This takes a %s.\n", steps.OnboardRolesText())
	case steps.OnboardStatusOnboarded:
		printApplied(ios, o)
		fmt.Fprintf(w, "\nOnboarded %s, published by tenant %s: users of %s can now sign in to it from Power Query.\n",
			spApp(sp, o.AppID), orUnknown(sp.AppOwnerOrganizationID), tenant)
		fmt.Fprintf(w, "%-19s %s\n", "Service principal:", sp.ID)
	case steps.OnboardStatusAlready:
		fmt.Fprintf(w, "Already onboarded: %s, published by tenant %s, has its service principal %s in %s. Nothing to do.\n",
			spApp(sp, o.AppID), orUnknown(sp.AppOwnerOrganizationID), sp.ID, tenant)
		if sp.Disabled {
			fmt.Fprintln(w, "It is disabled (accountEnabled is false), so nobody here can sign in to it: an admin enables it in the")
			fmt.Fprintln(w, "Entra admin center > Enterprise applications > (the app) > Properties > Enabled for users to sign in.")
		}
	case steps.OnboardStatusHome:
		name := o.AppID
		if o.Home != nil {
			name = fmt.Sprintf("%q (%s)", steps.Clean(o.Home.DisplayName), o.AppID)
		}
		fmt.Fprintf(w, "%s is registered in this tenant: this is the app's home tenant, so there is nothing to onboard.\n", name)
		fmt.Fprintln(w, "onboard is for the other organizations that use the app; send them the command setup prints.")
		if sp == nil {
			fmt.Fprintf(w, "Its service principal is missing here, though: `%s` creates it.\n", o.Cmd.Line("doctor", "--app-id", o.AppID, "--fix"))
		}
	case steps.OnboardStatusRemoved:
		printApplied(ios, o)
		fmt.Fprintf(w, "\nRemoved app %s from %s: its users can no longer sign in to it. Entra keeps the service principal in\n", o.AppID, tenant)
		fmt.Fprintf(w, "deleted items for 30 days; `%s` adds the app again.\n", o.Cmd.Line("onboard", "--app-id", o.AppID))
	case steps.OnboardStatusNotPresent:
		fmt.Fprintf(w, "App %s has no service principal in %s: it is not onboarded, nothing to remove.\n", o.AppID, tenant)
	}
}

func printApplied(ios *IOStreams, o *steps.OnboardOutcome) {
	p := newPalette(ios.Out, ios.ColorOut())
	for _, ch := range o.Changes {
		fmt.Fprintf(ios.Out, "%s %s\n  %s %s\n", p.ok.Render("✓"), steps.Clean(ch.Summary), ch.Method, steps.Clean(ch.URL))
	}
}

func spApp(sp *steps.ServicePrincipal, appID string) string {
	name := sp.AppDisplayName
	if name == "" {
		name = sp.DisplayName
	}
	if name == "" {
		return "app " + appID
	}
	return fmt.Sprintf("%q (app %s)", steps.Clean(name), appID)
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

// customerCommand is how an organization that uses the publisher's app
// runs pqentra: with the run's cloud and host flags, but not its tenant,
// client or sign-in method (the customer signs in to their own tenant,
// as themselves); in the demo, as the demo's customer.
func customerCommand(c *cobra.Command) steps.Command { return customerOf(fixCommand(c)) }

// customerOf is customerCommand for a command line already read.
func customerOf(run steps.Command) steps.Command {
	given := run.Globals
	var out steps.Command
	for i := 0; i < len(given); i++ {
		switch a := given[i]; a {
		case "--demo":
			out.Globals = append(out.Globals, a, "--demo-tenant", demoCustomer)
		case "--reset":
		case "--tenant", "--client-id", "--sign-in", "--demo-tenant":
			i++ // and its value
		default:
			out.Globals = append(out.Globals, a)
			if i+1 < len(given) {
				out.Globals = append(out.Globals, given[i+1])
				i++
			}
		}
	}
	return out
}

// onboardingFor is what to send customers when the app is multitenant.
func onboardingFor(appID, audience string, g *Globals, cmd steps.Command) *steps.Onboarding {
	if appID == "" || !steps.IsMultitenant(audience) {
		return nil
	}
	o := steps.NewOnboarding(appID, g.RunCloud(), loginHostFor(g), cmd)
	return &o
}
