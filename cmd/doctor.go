package cmd

import (
	"context"
	"fmt"
	goio "io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/m"
)

type doctorFlags struct {
	appID, identifierURI, displayName string
	connector                         string
	fix, yes                          bool
	output                            string
}

// doctorDir is what doctor reads and writes: graph.Client.
type doctorDir interface {
	steps.Directory
	steps.Inspector
	ApplicationsByDisplayName(ctx context.Context, name string) ([]steps.App, error)
	GraphBase() string
}

func newDoctorCmd(io *IO, g *globals) *cobra.Command {
	f := &doctorFlags{}
	c := &cobra.Command{
		Use:   "doctor",
		Short: "Diagnose an existing app registration and connector, and fix what is wrong",
		Long: `doctor reads the resource application, its service principal and (with --connector) the
connector's Aad record, and reports what is wrong against the quickstart's troubleshooting:
each finding names the error users will see (AADSTS650057, AADSTS650053, "Need admin
approval", AADSTS500011, ...), why, and the fix.

--fix turns the findings into the same plan setup uses (every request previewed, nothing
dropped: other scopes and preauthorized clients stay), applies it after you confirm, patches
the connector file (showing the diff, keeping a .bak) and diagnoses again. Without --fix
nothing is written.

Exit status: 0 when no finding is an error (warnings and info do not fail), 1 when errors
remain (or the fix failed), 2 for bad flags.`,
		Example: `  pqentra doctor --app-id 00001111-aaaa-2222-bbbb-3333cccc4444
  pqentra doctor --connector Contoso.pq                 # finds the app by the connector's Resource
  pqentra doctor --display-name "Contoso Connector" --connector Contoso.pq --fix
  pqentra doctor --identifier-uri api://00001111-aaaa-2222-bbbb-3333cccc4444 --output json`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("doctor takes no arguments (got %q): name the app with --app-id, --identifier-uri or --display-name", args[0])
			}
			return nil
		},
		RunE: func(c *cobra.Command, _ []string) error { return runDoctor(c.Context(), io, g, f) },
	}
	fl := c.Flags()
	fl.StringVar(&f.appID, "app-id", "", "the application's Application (client) ID")
	fl.StringVar(&f.identifierURI, "identifier-uri", "", "find the application by its Application ID URI")
	fl.StringVar(&f.displayName, "display-name", "", "find the application by its display name")
	fl.StringVar(&f.connector, "connector", "", "also check this connector .pq file (alone: find the app by its Resource)")
	fl.BoolVar(&f.fix, "fix", false, "fix what doctor can: plan, preview, confirm, apply, diagnose again")
	fl.BoolVar(&f.yes, "yes", false, "with --fix, do not ask before writing")
	fl.StringVarP(&f.output, "output", "o", "text", "output format: text or json")
	return c
}

// check validates the flags before anything is read or sent.
func (f *doctorFlags) check() error {
	n := 0
	for _, s := range []string{f.appID, f.identifierURI, f.displayName} {
		if strings.TrimSpace(s) != "" {
			n++
		}
	}
	switch {
	case n > 1:
		return usagef("give only one of --app-id, --identifier-uri and --display-name")
	case n == 0 && f.connector == "":
		return usagef("say which app to check: --app-id GUID, --identifier-uri URI, --display-name NAME, or --connector FILE.pq (uses its Resource)")
	case f.output != "text" && f.output != "json":
		return usagef("--output %q: use text or json", f.output)
	case f.yes && !f.fix:
		return usagef("--yes only goes with --fix")
	}
	if f.appID != "" {
		return asUsage(steps.ValidateGUID("--app-id", strings.TrimSpace(f.appID)))
	}
	return nil
}

func runDoctor(ctx context.Context, io *IO, g *globals, f *doctorFlags) error {
	if err := f.check(); err != nil {
		return err
	}
	var src string
	var conn *steps.ConnectorInput
	if f.connector != "" {
		b, err := os.ReadFile(f.connector)
		if err != nil {
			return usagef("cannot read --connector: %v", err)
		}
		src = string(b)
		conn = readConnector(f.connector, src)
	}
	s, err := g.openCLI(io)
	if err != nil {
		return err
	}
	defer s.Close()
	d := &doctor{io: io, g: g, f: f, dir: s.client}
	in, err := d.diagnoseInput(ctx, "", conn)
	if err != nil {
		return err
	}
	fs := steps.Diagnose(in)
	if !f.fix || steps.Healthy(fs) {
		if f.fix {
			fmt.Fprintln(d.human(), "Nothing to fix.")
		}
		return d.report(in, fs)
	}
	d.printText(d.human(), in, fs)
	if in, fs, err = d.fix(ctx, in, fs, src); err != nil {
		return err
	}
	fmt.Fprintln(d.human(), "\nAfter the fix:")
	return d.report(in, fs)
}

func readConnector(path, src string) *steps.ConnectorInput {
	fs, err := m.ReadAad(src)
	return &steps.ConnectorInput{Path: path, Aad: fs, Err: err}
}

// doctor is one run.
type doctor struct {
	io  *IO
	g   *globals
	f   *doctorFlags
	dir doctorDir
}

// human is where text for people goes: stdout, unless stdout is JSON.
func (d *doctor) human() goio.Writer {
	if d.f.output == "json" {
		return d.io.Err
	}
	return d.io.Out
}

// diagnoseInput reads the tenant, finds the app (by appID once known,
// else by the flags) and gathers the rest.
func (d *doctor) diagnoseInput(ctx context.Context, appID string, conn *steps.ConnectorInput) (steps.DiagnoseInput, error) {
	tenant, err := d.dir.Organization(ctx)
	if err != nil {
		return steps.DiagnoseInput{}, err
	}
	var app *steps.App
	what := "the app id " + appID
	if appID != "" {
		app, err = d.dir.ApplicationByAppID(ctx, appID)
	} else {
		app, what, err = d.findApp(ctx, conn)
	}
	if err != nil {
		return steps.DiagnoseInput{}, err
	}
	in, err := steps.Gather(ctx, d.dir, d.dir, tenant, app)
	if err != nil {
		return in, err
	}
	in.Connector, in.LoginHost, in.Selector = conn, loginHostFor(d.g), what
	return in, nil
}

// findApp applies the selector; with only --connector, the connector's
// Resource (an identifier URI, or the app id itself).
func (d *doctor) findApp(ctx context.Context, conn *steps.ConnectorInput) (*steps.App, string, error) {
	f := d.f
	byURI := func(uri string) (*steps.App, error) {
		apps, err := d.dir.ApplicationsByIdentifierURI(ctx, uri)
		if err != nil || len(apps) == 0 {
			return nil, err
		}
		return &apps[0], nil
	}
	switch {
	case f.appID != "":
		app, err := d.dir.ApplicationByAppID(ctx, strings.ToLower(strings.TrimSpace(f.appID)))
		return app, "the app id " + f.appID, err
	case f.identifierURI != "":
		app, err := byURI(strings.TrimSpace(f.identifierURI))
		return app, "the Application ID URI " + f.identifierURI, err
	case f.displayName != "":
		apps, err := d.dir.ApplicationsByDisplayName(ctx, strings.TrimSpace(f.displayName))
		if err != nil || len(apps) == 0 {
			return nil, "the display name " + f.displayName, err
		}
		if len(apps) > 1 {
			var list []string
			for _, a := range apps {
				list = append(list, a.AppID)
			}
			return nil, "", usagef("%d applications are named %q (%s): pick one with --app-id", len(apps), steps.Clean(f.displayName), strings.Join(list, ", "))
		}
		return &apps[0], "", nil
	}
	res := ""
	for _, a := range conn.Aad {
		if a.IsRecord && a.Resource.Kind == m.ValueText && strings.TrimSpace(a.Resource.Text) != "" {
			res = strings.TrimSpace(a.Resource.Text)
			break
		}
	}
	if res == "" {
		return nil, "", usagef("%s names no Resource to find the app by: add --app-id GUID (or --identifier-uri, --display-name)", f.connector)
	}
	what := "the connector's Resource " + res
	if steps.IsGUID(res) {
		app, err := d.dir.ApplicationByAppID(ctx, strings.ToLower(res))
		return app, what, err
	}
	app, err := byURI(res)
	return app, what, err
}
