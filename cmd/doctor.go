package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/doctor"
	"github.com/pqentra/pqentra/steps/m"
	"github.com/pqentra/pqentra/steps/safefile"
	"github.com/pqentra/pqentra/steps/sdkproject"
	"github.com/spf13/cobra"
)

// DoctorOptions is `pqentra doctor`.
type DoctorOptions struct {
	IO          *IOStreams
	OpenSession func(*Globals, SessionHooks) (*Session, error)
	Globals     *Globals

	AppID, IdentifierURI, DisplayName string
	Connector                         string
	Fix, Yes, Force                   bool
	Output                            string
	// Project is the SDK project the connector file is in (nil outside
	// one), for the next steps after --fix patches it.
	Project *sdkproject.Project
	// Error is --error: explain this sign-in error (nothing is read).
	Error      string
	errorGiven bool
	// Command is how doctor was started, for the Fix lines.
	Command steps.Command
}

// NewCmdDoctor builds `pqentra doctor`; runF replaces doctorRun in tests.
func NewCmdDoctor(f *Factory, runF func(*DoctorOptions) error) *cobra.Command {
	opts := &DoctorOptions{IO: f.IO, OpenSession: f.OpenSession, Globals: f.Globals}
	c := &cobra.Command{
		Use:   "doctor",
		Short: "Diagnose an existing app registration and connector, and fix what is wrong",
		Long: `doctor reads the resource application, its service principal and (with --connector) the
connector's Aad record (--connector takes the .pq file or the Power Query SDK project
folder), and reports what is wrong against the quickstart's troubleshooting:
each finding names the error users will see (AADSTS650057, AADSTS650053, "Need admin
approval", AADSTS500011, ...), why, and the fix.

--fix turns the findings into the same plan setup uses (every request previewed, nothing
dropped: other scopes and preauthorized clients stay), applies it after you confirm, patches
the connector file (showing the diff, keeping a .bak) and diagnoses again. Without --fix
nothing is written.

--error explains a sign-in error the connector's users meet (AADSTS500011, 650052, 65001,
90094 "Need admin approval", 650057, 650053, 90072, 50020, 700016, 53003): its cause and the
pqentra command that fixes it, for the app given with --app-id (or named in the message). It
reads nothing and needs no sign-in.

Exit status: 0 when no finding is an error (warnings and info do not fail), 1 when errors
remain (or the fix failed), 2 for bad flags, 130 interrupted.`,
		Example: `  pqentra doctor --app-id 00001111-aaaa-2222-bbbb-3333cccc4444
  pqentra doctor --connector Contoso.pq                 # finds the app by the connector's Resource
  pqentra doctor --display-name "Contoso Connector" --connector ./Contoso --fix   # an SDK project folder
  pqentra doctor --identifier-uri api://00001111-aaaa-2222-bbbb-3333cccc4444 --output json
  pqentra doctor --error 'AADSTS650052: The app is trying to access a service …' --app-id 00001111-aaaa-2222-bbbb-3333cccc4444`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return asParseError(usagef("doctor takes no arguments (got %q): name the app with --app-id, --identifier-uri or --display-name", args[0]))
			}
			return nil
		},
		RunE: func(c *cobra.Command, _ []string) error {
			// Under --output json every failure still prints one object.
			opts.errorGiven = c.Flags().Changed("error")
			return withJSONError(&opts.IO, opts.Output, func() error {
				if err := opts.check(); err != nil {
					return err
				}
				if opts.Connector != "" {
					path, proj, err := connectorPath(c, "connector", opts.Connector)
					if err != nil {
						return err
					}
					if path != opts.Connector {
						fmt.Fprintf(opts.IO.Err, "Connector file: %s (%s)\n", steps.Clean(path), steps.Clean(proj.How))
					}
					opts.Connector, opts.Project = path, proj
				}
				opts.Command = fixCommand(c, opts.selector()...)
				if runF != nil {
					return runF(opts)
				}
				if opts.errorGiven {
					return doctorExplain(opts)
				}
				return doctorRun(c.Context(), opts)
			})
		},
	}
	fl := c.Flags()
	fl.StringVar(&opts.AppID, "app-id", "", "the application's Application (client) ID")
	fl.StringVar(&opts.IdentifierURI, "identifier-uri", "", "find the application by its Application ID URI")
	fl.StringVar(&opts.DisplayName, "display-name", "", "find the application by its display name")
	fl.StringVar(&opts.Connector, "connector", "", "also check this connector .pq file or SDK project folder (alone: find the app by its Resource)")
	fl.BoolVar(&opts.Fix, "fix", false, "fix what doctor can: plan, preview, confirm, apply, diagnose again")
	fl.BoolVar(&opts.Yes, "yes", false, "with --fix, do not ask before writing")
	fl.BoolVar(&opts.Force, "force", false, "with --fix --connector, write the connector file even if it is read-only")
	fl.StringVar(&opts.Error, "error", "", "explain a sign-in error users see (e.g. 'AADSTS650052: …' or 650052) for the app at hand; reads nothing")
	EnumFlag(c, false, &opts.Output, "output", "o", "text", "output format", outputChoices...)
	return c
}

// check validates the flags before anything is read or sent.
func (f *DoctorOptions) check() error {
	n := 0
	for _, s := range []string{f.AppID, f.IdentifierURI, f.DisplayName} {
		if strings.TrimSpace(s) != "" {
			n++
		}
	}
	switch {
	case n > 1:
		return usagef("give only one of --app-id, --identifier-uri and --display-name")
	case f.Error != "" || f.errorGiven:
		return f.checkExplain()
	case n == 0 && f.Connector == "":
		return usagef("say which app to check: --app-id GUID, --identifier-uri URI, --display-name NAME, or --connector FILE.pq (uses its Resource)")
	case f.Yes && !f.Fix:
		return usagef("--yes only goes with --fix")
	case f.Force && (!f.Fix || f.Connector == ""):
		return usagef("--force only goes with --fix --connector FILE.pq (it writes a read-only connector file)")
	}
	switch {
	case f.AppID != "":
		return badInput(steps.ValidateGUID(steps.FieldAppID, strings.TrimSpace(f.AppID)))
	case f.DisplayName != "":
		return badInput(steps.ValidateDisplayName(f.DisplayName))
	case f.IdentifierURI != "":
		return badInput(steps.ValidateIdentifierURISyntax(strings.TrimSpace(f.IdentifierURI)))
	}
	return nil
}

// selector is the flag and value that pick the app, as given.
func (f *DoctorOptions) selector() []string {
	switch {
	case f.AppID != "":
		return []string{"--app-id", f.AppID}
	case f.IdentifierURI != "":
		return []string{"--identifier-uri", f.IdentifierURI}
	case f.DisplayName != "":
		return []string{"--display-name", f.DisplayName}
	}
	return nil
}

func doctorRun(ctx context.Context, opts *DoctorOptions) error {
	var file *safefile.File
	var conn *doctor.ConnectorInput
	if opts.Connector != "" {
		var err error
		if file, err = safefile.Read(opts.Connector); err != nil {
			return usagef("cannot read --connector: %v", err)
		}
		conn = readConnector(opts.Connector, file.Text)
		// Only --connector: the app is found by its Resource. Without one
		// that is bad usage, said before the sign-in (exit 2 sends nothing).
		if opts.selector() == nil && connectorResource(conn) == "" {
			return noResourceError(opts.Connector)
		}
	}
	s, err := openCLI(opts.IO, opts.OpenSession, opts.Globals)
	if err != nil {
		return err
	}
	defer s.Close()
	d := &doctorSession{opts: opts, dir: s.Dir, file: file}
	in, err := d.diagnoseInput(ctx, "", conn)
	if err != nil {
		return err
	}
	fs := doctor.Diagnose(in)
	if in.App == nil && s.DemoState != "" {
		fmt.Fprintln(opts.IO.Err, demoStateNote(s.DemoState))
	}
	if !opts.Fix || doctor.Healthy(fs) {
		if opts.Fix {
			fmt.Fprintln(d.human(), "Nothing to fix.")
		}
		return d.report(in, fs)
	}
	d.printText(d.human(), d.humanPalette(), in, fs)
	if in, fs, err = d.fix(ctx, in, fs); err != nil {
		return err
	}
	fmt.Fprintln(d.human(), "\nAfter the fix:")
	return d.report(in, fs)
}

func readConnector(path, src string) *doctor.ConnectorInput {
	fs, err := m.ReadAad(src)
	kinds, _ := m.Kinds(src)
	return &doctor.ConnectorInput{Path: path, Aad: fs, Err: err, Kinds: kinds}
}

// doctorSession is one run of doctor.
type doctorSession struct {
	opts *DoctorOptions
	dir  Directory
	file *safefile.File // the --connector file as read; nil without one
	// caution is what the app found by name carries that pqentra never
	// sets (steps.Provenance.CautionFacts), said again after a fix.
	caution, cautionAppID string
}

// human is where text for people goes: stdout, unless stdout is JSON.
func (d *doctorSession) human() io.Writer {
	if d.opts.Output == "json" {
		return d.opts.IO.Err
	}
	return d.opts.IO.Out
}

// humanPalette colours what goes to human().
func (d *doctorSession) humanPalette() palette {
	if d.opts.Output == "json" {
		return newPalette(d.opts.IO.Err, d.opts.IO.ColorErr())
	}
	return newPalette(d.opts.IO.Out, d.opts.IO.ColorOut())
}

// diagnoseInput reads the tenant, finds the app (by appID once known,
// else by the flags) and gathers the rest.
func (d *doctorSession) diagnoseInput(ctx context.Context, appID string, conn *doctor.ConnectorInput) (doctor.DiagnoseInput, error) {
	tenant, err := d.dir.Organization(ctx)
	if err != nil {
		return doctor.DiagnoseInput{}, err
	}
	var app *steps.App
	what := "the app id " + appID
	if appID != "" {
		app, err = d.dir.ApplicationByAppID(ctx, appID)
	} else {
		app, what, err = d.findApp(ctx, conn)
	}
	if err != nil {
		return doctor.DiagnoseInput{}, err
	}
	in, err := doctor.Gather(ctx, d.dir, tenant, app)
	if err != nil {
		return in, err
	}
	in.Connector, in.LoginHost, in.Selector, in.Command = conn, loginHostFor(d.opts.Globals), what, d.opts.Command
	if app != nil && strings.EqualFold(app.AppID, d.cautionAppID) {
		in.Caution = d.caution
	}
	if app == nil {
		// Not this tenant's app: perhaps another organization's, which
		// this tenant holds only a service principal of (customer.go).
		if id := d.askedAppID(appID, conn); id != "" {
			if in.ServicePrincipal, err = d.dir.ServicePrincipalByAppID(ctx, id); err != nil {
				return in, err
			}
			in.AppID = id
		}
	}
	return in, nil
}

// askedAppID is the app id the app was looked for by: --app-id, or the
// connector's Resource when it is the app id or api://{appId} (the default
// a publisher's setup gives a multitenant app).
func (d *doctorSession) askedAppID(appID string, conn *doctor.ConnectorInput) string {
	switch {
	case appID != "":
		return strings.ToLower(appID)
	case d.opts.AppID != "":
		return strings.ToLower(strings.TrimSpace(d.opts.AppID))
	case d.opts.IdentifierURI != "" || d.opts.DisplayName != "":
		return ""
	}
	for _, r := range doctor.ConnectorResources(conn) {
		if steps.IsGUID(r) {
			return strings.ToLower(r)
		}
		if id, ok := strings.CutPrefix(strings.ToLower(r), "api://"); ok && steps.IsGUID(id) {
			return id
		}
	}
	return ""
}

// connectorResource is the first Resource the connector's Aad record
// names ("" for none): what doctor finds the app by with only --connector.
func connectorResource(conn *doctor.ConnectorInput) string {
	if rs := doctor.ConnectorResources(conn); len(rs) > 0 {
		return rs[0]
	}
	return ""
}

func noResourceError(connector string) error {
	return usagef("%s names no Resource to find the app by: add --app-id GUID (or --identifier-uri, --display-name)", connector)
}

// findApp applies the selector through the one finder (steps.FindApp);
// with only --connector, the connector's Resource (an identifier URI, or
// the app id itself). An app found by --display-name is diagnosed only when
// it is provably the user's.
func (d *doctorSession) findApp(ctx context.Context, conn *doctor.ConnectorInput) (*steps.App, string, error) {
	f := d.opts
	q := steps.AppQuery{AppID: f.AppID, IdentifierURI: f.IdentifierURI, DisplayName: f.DisplayName, AnyApp: true}
	what := ""
	if q.AppID == "" && q.IdentifierURI == "" && strings.TrimSpace(q.DisplayName) == "" {
		res := connectorResource(conn)
		if res == "" {
			return nil, "", noResourceError(f.Connector)
		}
		what = "the connector's Resource " + res
		if steps.IsGUID(res) {
			q.AppID = res
		} else {
			q.IdentifierURI = res
		}
	}
	found, err := steps.FindApp(ctx, d.dir, q, nil)
	if err == nil && found.App != nil {
		d.caution, d.cautionAppID = found.Provenance.CautionFacts(found.App), found.App.AppID
	}
	var ae *steps.AmbiguousError
	if errors.As(err, &ae) {
		return nil, "", usagef("%v", ae)
	}
	switch {
	case what != "":
	case found.ByName():
		what = ""
	default:
		what = q.What()
	}
	return found.App, what, err
}
