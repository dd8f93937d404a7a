package cmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/pqentra/pqentra/graph"
	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/doctor"
	"github.com/pqentra/pqentra/steps/m"
	"github.com/pqentra/pqentra/steps/safefile"
	"github.com/pqentra/pqentra/steps/sdkproject"
	"github.com/pqentra/pqentra/tui/clipboard"
	"github.com/spf13/cobra"
)

// SnippetOptions is `pqentra snippet`.
type SnippetOptions struct {
	IO          *IOStreams
	Getenv      func(string) string
	Clipboard   func(clipboard.Request) clipboard.Result
	OpenSession func(*Globals, SessionHooks) (*Session, error)
	Globals     *Globals

	Resource string
	AppID    string
	Scopes   []string
	AuthURI  string
	Shape    string
	Name     string
	Out      string
	Force    bool
	Copy     bool
	Patch    string
	Kind     string
	Yes      bool

	// Project is the SDK project the connector file is in, for the next
	// steps after the patch; nil outside one.
	Project *sdkproject.Project

	// Command is how snippet was started, for the Fix lines of warnings.
	Command steps.Command
}

// NewCmdSnippet builds `pqentra snippet`; runF replaces snippetRun in tests.
func NewCmdSnippet(f *Factory, runF func(*SnippetOptions) error) *cobra.Command {
	opts := &SnippetOptions{IO: f.IO, Getenv: f.Getenv, Clipboard: f.Clipboard, OpenSession: f.OpenSession, Globals: f.Globals}
	c := &cobra.Command{
		Use:   "snippet",
		Short: "Write the connector's Aad record (offline), or patch it into a connector file",
		Long: `snippet writes the Aad authentication record for your connector: AuthorizationUri,
Resource (the Application ID URI) and Scope (".default" unless you name scopes). The
output is valid M — unlike the quickstart's sample, which misses a comma.

It works offline with --resource. With --app-id it signs in and reads the Application ID
URI from Graph. --patch puts the record into an existing connector file, changing
nothing else in it. Given a Power Query SDK project folder (Visual Studio Code or a
legacy .mproj), --patch finds the connector file in it (never the *.query.pq test file),
and afterwards prints how to try the sign-in in Visual Studio Code and with PQTest.

Exit status: 0 success, 1 failed, 2 bad usage (nothing was written), 130 interrupted.`,
		Example: `  pqentra snippet --resource api://00001111-aaaa-2222-bbbb-3333cccc4444
  pqentra snippet --resource api://… --shape connector --name "Contoso" --out Contoso.pq
  pqentra snippet --resource api://… --authorization-uri tenant --tenant contoso.onmicrosoft.com
  pqentra snippet --resource api://… --patch MyConnector.pq --yes
  pqentra snippet --resource api://… --patch ./MyConnector --yes     # an SDK project folder`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := opts.check(c.Flags().Changed("shape")); err != nil {
				return err
			}
			// --scope '' is a mistake, not a request for .default.
			if c.Flags().Changed("scope") && strings.TrimSpace(strings.Join(opts.Scopes, " ")) == "" {
				return usagef("--scope is empty: leave it out to request .default (every preauthorized scope), or name scopes such as Data.Read")
			}
			opts.Command = fixCommand(c)
			if opts.Patch != "" {
				path, proj, err := connectorPath(c, "patch", opts.Patch)
				if err != nil {
					return err
				}
				if path != opts.Patch {
					fmt.Fprintf(opts.IO.Err, "Connector file: %s (%s)\n", steps.Clean(path), steps.Clean(proj.How))
				}
				opts.Patch, opts.Project = path, proj
			}
			if runF != nil {
				return runF(opts)
			}
			return snippetRun(c.Context(), opts)
		},
	}
	fl := c.Flags()
	fl.StringVar(&opts.Resource, "resource", "", "the Application ID URI, e.g. api://00001111-aaaa-2222-bbbb-3333cccc4444")
	fl.StringVar(&opts.AppID, "app-id", "", "read the Application ID URI of this app from Graph (signs in) instead of --resource")
	fl.StringSliceVar(&opts.Scopes, "scope", nil, "scopes to request, without the URI prefix (default .default: all preauthorized scopes)")
	EnumFlag(c, false, &opts.AuthURI, "authorization-uri", "", string(m.AuthCommon), "AuthorizationUri",
		Choice{Name: string(m.AuthCommon), Help: "/common: any organization"},
		Choice{Name: string(m.AuthTenant), Help: "your tenant: --tenant, or the app's with --app-id"},
		Choice{Name: string(m.AuthDynamic), Help: "B2B/guest: read from the service"})
	EnumFlag(c, false, &opts.Shape, "shape", "", string(m.ShapeRecord), "what to write",
		Choice{Name: string(m.ShapeRecord), Help: "Aad = [...]"},
		Choice{Name: string(m.ShapeKind), Help: "the data source kind record"},
		Choice{Name: string(m.ShapeConnector), Help: "a whole .pq"})
	fl.StringVar(&opts.Name, "name", "", "connector name for --shape kind|connector (default from the app's display name, else MyConnector)")
	fl.StringVar(&opts.Out, "out", "", "write to this file instead of the terminal")
	fl.BoolVar(&opts.Force, "force", false, "with --out, overwrite an existing file; with --patch, write a read-only file")
	fl.BoolVar(&opts.Copy, "copy", false, "copy the snippet to the clipboard (the system clipboard, and OSC 52 when stderr is a terminal)")
	fl.StringVar(&opts.Patch, "patch", "", "insert or update the Aad record in this connector .pq file, or in the connector of this SDK project folder")
	fl.StringVar(&opts.Kind, "kind", "", "with --patch, the data source kind record to patch when the file has several")
	fl.BoolVar(&opts.Yes, "yes", false, "with --patch, do not ask before writing")
	return c
}

// check validates the flags' combinations before anything is read or sent.
func (o *SnippetOptions) check(shapeChanged bool) error {
	if (o.Resource == "") == (o.AppID == "") {
		return usagef("give exactly one of --resource api://… (offline) or --app-id GUID (reads it from Graph)")
	}
	if o.Resource != "" {
		if err := steps.ValidateResource(o.Resource); err != nil {
			return badInput(err)
		}
	}
	if o.AuthURI == string(m.AuthTenant) && o.Globals.Tenant == "" && o.AppID == "" {
		return usagef("--authorization-uri tenant needs --tenant (your tenant id or domain), or --app-id to read the app's tenant from Graph")
	}
	if o.Patch != "" && (o.Out != "" || shapeChanged && o.Shape != string(m.ShapeRecord)) {
		return usagef("--patch edits a connector file in place; it does not combine with --out or --shape")
	}
	if o.AppID != "" {
		if err := steps.ValidateGUID(steps.FieldAppID, o.AppID); err != nil {
			return badInput(err)
		}
	}
	return nil
}

func snippetRun(ctx context.Context, opts *SnippetOptions) error {
	g := opts.Globals
	o := m.SnippetOptions{Resource: opts.Resource, Scopes: opts.Scopes, AuthorizationURI: m.AuthorizationURIMode(opts.AuthURI),
		Tenant: g.Tenant, LoginHost: loginHostFor(g), Shape: m.Shape(opts.Shape), Name: opts.Name}
	if opts.AppID != "" {
		in, err := readAppForSnippet(ctx, opts)
		if err != nil {
			return err
		}
		app := in.App
		if len(app.IdentifierURIs) == 0 {
			return fmt.Errorf("the application %s has no Application ID URI yet: run `%s` first", opts.AppID,
				opts.Command.Line("setup", "--non-interactive", "--app-id", opts.AppID))
		}
		o.Resource = app.IdentifierURIs[0]
		if o.Name == "" {
			o.Name = app.DisplayName
		}
		if o.Tenant == "" && in.Tenant != nil {
			o.Tenant = in.Tenant.ID // --authorization-uri tenant: the app's tenant
		}
		// The same checks doctor makes, for the scopes this snippet asks for.
		in.Command = opts.Command
		for _, x := range doctor.DiagnoseSnippet(in, o.Resource, opts.Scopes) {
			fmt.Fprintf(opts.IO.Err, "warning: %s\n  Fix: %s\n", steps.Clean(x.Message), steps.Clean(x.Fix))
		}
	}
	if opts.Patch != "" {
		return patchConnector(opts, o)
	}
	text, err := m.Generate(o)
	if err != nil {
		return asUsage(err)
	}
	if opts.Out != "" {
		if err := writeNew(opts.Out, text+"\n", opts.Force); err != nil {
			return fileError(err)
		}
		fmt.Fprintf(opts.IO.Err, "Wrote %s\n", opts.Out)
	} else {
		fmt.Fprintln(opts.IO.Out, text)
	}
	if opts.Copy {
		r := opts.Clipboard(clipboard.Request{Text: text, Term: opts.IO.Err, TermIsTTY: opts.IO.ErrTTY, Getenv: opts.Getenv})
		if r.Err != nil {
			return r.Err
		}
		fmt.Fprintln(opts.IO.Err, r.Message)
	}
	return nil
}

// readAppForSnippet reads the app, its tenant and its service principal:
// what the snippet names and what DiagnoseSnippet checks.
func readAppForSnippet(ctx context.Context, opts *SnippetOptions) (doctor.DiagnoseInput, error) {
	var in doctor.DiagnoseInput
	appID := opts.AppID
	s, err := openCLI(opts.IO, opts.OpenSession, opts.Globals)
	if err != nil {
		return in, err
	}
	defer s.Close()
	if in.Tenant, err = s.Dir.Organization(ctx); err != nil {
		return in, err
	}
	if in.App, err = s.Dir.ApplicationByAppID(ctx, strings.ToLower(appID)); err != nil {
		return in, err
	}
	if in.App == nil {
		return in, fmt.Errorf("no application with appId %s in this tenant: check the id (Application (client) ID on the app's Overview page) and --tenant", appID)
	}
	in.ServicePrincipal, err = s.Dir.ServicePrincipalByAppID(ctx, in.App.AppID)
	return in, err
}

// patchConnector shows the change to the connector file, asks, keeps a
// backup of the original and writes the new text (see connectorPatch).
func patchConnector(opts *SnippetOptions, o m.SnippetOptions) error {
	file, err := safefile.Read(opts.Patch)
	if err != nil {
		return fmt.Errorf("cannot read the connector file: %w", err)
	}
	p := &connectorPatch{ios: opts.IO, w: opts.IO.Err, pal: newPalette(opts.IO.Err, opts.IO.ColorErr()), yes: opts.Yes, force: opts.Force,
		plan: func(src string) (string, error) { return m.Patch(src, opts.Kind, o) }}
	if err := p.askAndWrite(file); err != nil {
		return err
	}
	printNextSteps(opts.IO.Err, opts.Project, opts.Kind)
	return nil
}

// loginHostFor is the sign-in host a connector uses in the chosen cloud.
// The demo's emulator is never written into a snippet.
func loginHostFor(g *Globals) string {
	if c, ok := graph.Clouds[strings.ToLower(g.RunCloud())]; ok {
		return c.LoginHost
	}
	return m.DefaultLoginHost
}
