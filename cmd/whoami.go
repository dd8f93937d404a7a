package cmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pqentra/pqentra/graph"
	"github.com/pqentra/pqentra/steps"
)

// WhoamiOptions is `pqentra whoami`.
type WhoamiOptions struct {
	IO          *IOStreams
	OpenSession func(*Globals, SessionHooks) (*Session, error)
	Globals     *Globals

	AppID  string
	Output string
}

// NewCmdWhoami builds `pqentra whoami`; runF replaces whoamiRun in tests.
func NewCmdWhoami(f *Factory, runF func(*WhoamiOptions) error) *cobra.Command {
	opts := &WhoamiOptions{IO: f.IO, OpenSession: f.OpenSession, Globals: f.Globals}
	c := &cobra.Command{
		Use:   "whoami",
		Short: "Show who you are signed in as, how, and whether you may register applications",
		Long: `whoami signs in (silently when it can) and shows the user, the tenant, the sign-in method
and client, the Graph permissions of the token, your directory roles, and whether you may
register applications: yes, no, or unknown when a read was refused (the tenant setting needs
Policy.Read.All, asked for silently and only where already consented).

Exit status: 0 signed in, 1 sign-in failed, 2 bad usage.`,
		Example: `  pqentra whoami
  pqentra whoami --output json
  pqentra --sign-in azure-cli whoami --app-id 00001111-aaaa-2222-bbbb-3333cccc4444`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			// Under --output json every failure still prints one object.
			return withJSONError(&opts.IO, opts.Output, func() error {
				if opts.AppID != "" {
					if err := steps.ValidateGUID("--app-id", opts.AppID); err != nil {
						return asUsage(err)
					}
				}
				if runF != nil {
					return runF(opts)
				}
				return whoamiRun(c.Context(), opts)
			})
		},
	}
	c.Flags().StringVar(&opts.AppID, "app-id", "", "also tell whether you may change this application (owner or admin role)")
	EnumFlag(c, false, &opts.Output, "output", "o", "text", "output format", outputChoices...)
	return c
}

// signInJSON is the "signIn" object of whoami and setup --output json.
type signInJSON struct {
	Method   string `json:"method"`
	ClientID string `json:"clientId"`
}

type whoamiJSON struct {
	User struct {
		DisplayName       string `json:"displayName"`
		UserPrincipalName string `json:"userPrincipalName"`
		ID                string `json:"id"`
	} `json:"user"`
	Tenant struct {
		ID          string `json:"id"`
		DisplayName string `json:"displayName"`
	} `json:"tenant"`
	SignIn          signInJSON `json:"signIn"`
	Scopes          []string   `json:"scopes"`
	CanRegisterApps *bool      `json:"canRegisterApps"`
	Roles           []string   `json:"roles"`
}

func whoamiRun(ctx context.Context, opts *WhoamiOptions) error {
	s, err := openCLI(opts.IO, opts.OpenSession, opts.Globals)
	if err != nil {
		return err
	}
	defer s.Close()
	d := s.Dir
	facts, err := steps.ReadAccess(ctx, d, steps.AppQuery{AppID: opts.AppID})
	if err != nil {
		return err
	}
	scopes, err := d.GraphScopes(ctx)
	if err != nil {
		return err
	}
	access := steps.DecideAccess(facts)
	var out whoamiJSON
	out.User.DisplayName = steps.Clean(facts.User.DisplayName)
	out.User.UserPrincipalName = steps.Clean(facts.User.UserPrincipalName)
	out.User.ID = facts.User.ID
	if facts.Tenant != nil {
		out.Tenant.ID, out.Tenant.DisplayName = facts.Tenant.ID, steps.Clean(facts.Tenant.DisplayName)
	}
	out.SignIn = signInJSON{Method: d.SignInMethod(), ClientID: d.SignInClientID()}
	out.Scopes = nonNil(scopes)
	out.CanRegisterApps = access.Register.Bool()
	out.Roles = nonNil(facts.Roles)
	if opts.Output == "json" {
		for _, w := range access.Warnings(facts) {
			fmt.Fprintln(opts.IO.Err, steps.Clean(w))
		}
		return steps.WriteJSON(opts.IO.Out, out)
	}
	printWhoami(opts.IO, out, facts, access)
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func printWhoami(ios *IOStreams, w whoamiJSON, f steps.AccessFacts, a steps.Access) {
	o := ios.Out
	fmt.Fprintf(o, "Signed in as %s <%s> (id %s)\n", w.User.DisplayName, w.User.UserPrincipalName, w.User.ID)
	if w.Tenant.ID != "" {
		fmt.Fprintf(o, "Tenant:   %s (%s)\n", w.Tenant.DisplayName, w.Tenant.ID)
	}
	fmt.Fprintf(o, "Sign-in:  %s, client %s\n", methodWords(w.SignIn.Method), clientWords(w.SignIn.ClientID))
	fmt.Fprintf(o, "Scopes:   %s\n", orNone(w.Scopes))
	if f.RolesKnown {
		fmt.Fprintf(o, "Roles:    %s\n", orNone(w.Roles))
	} else {
		fmt.Fprintln(o, "Roles:    could not be read")
	}
	switch a.Register {
	case steps.Yes:
		fmt.Fprintln(o, "You may register applications.")
	case steps.No:
		fmt.Fprintln(o, steps.CleanMultiline(steps.RegisterRefusal("You")))
	default:
		fmt.Fprintln(o, "Whether you may register applications is unknown: "+f.UnknownWhy()+".")
	}
	if a.EditApp != "" {
		fmt.Fprintf(o, "You may change the application %s: %s.\n", f.AppID, a.EditApp)
	}
	for _, w := range a.Warnings(f) {
		if a.Register != steps.Unknown || !strings.HasPrefix(w, "Could not tell whether you may register") {
			fmt.Fprintln(o, steps.Clean(w))
		}
	}
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func methodWords(m string) string {
	switch m {
	case graph.MethodDevice:
		return "device code"
	case graph.MethodBrowser:
		return "browser"
	case graph.MethodAzureCLI:
		return "Azure CLI (az)"
	}
	return m
}

func clientWords(id string) string {
	switch id {
	case graph.DefaultClientID:
		return "Microsoft Graph Command Line Tools (" + id + ")"
	case graph.AzureCLIClientID:
		return "Microsoft Azure CLI (" + id + ")"
	}
	return id
}
