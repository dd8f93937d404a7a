package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pqentra/pqentra/graph"
	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/export"
	"github.com/pqentra/pqentra/steps/safefile"
)

// ExportOptions is `pqentra export`.
type ExportOptions struct {
	IO          *IOStreams
	OpenSession func(*Globals, SessionHooks) (*Session, error)
	Globals     *Globals
	Now         func() time.Time

	AppID, DisplayName string
	Format             string
	Out                string
	Force              bool
	SetUniqueName      bool
	Yes                bool
}

var formatChoices = []Choice{
	{Name: "terraform", Help: "hashicorp/azuread 3.x resources with import blocks"},
	{Name: "bicep", Help: "Microsoft Graph Bicep extension (v1.0 types)"},
	{Name: "az", Help: "bash script for the Azure CLI"},
}

// NewCmdExport builds `pqentra export`; runF replaces exportRun in tests.
func NewCmdExport(f *Factory, runF func(*ExportOptions) error) *cobra.Command {
	opts := &ExportOptions{IO: f.IO, OpenSession: f.OpenSession, Globals: f.Globals, Now: f.Now}
	c := &cobra.Command{
		Use:   "export",
		Short: "Write an app's connector setup as Terraform, Bicep or an az script",
		Long: `export reads an app's Power Query connector setup — name and audience, Application ID
URI, scopes (ids, values, type, consent texts, enabled), preauthorized clients and service
principal — and writes code that reproduces exactly that and adopts the existing objects:

  terraform  hashicorp/azuread >= 3.0 split resources (azuread_application_registration,
             _identifier_uri, _permission_scope, _pre_authorized, azuread_service_principal)
             with import blocks (Terraform >= 1.5) holding the real object ids, so
             ` + "`terraform plan`" + ` on the tenant shows no changes
  bicep      the Microsoft Graph Bicep extension: Microsoft.Graph/applications@v1.0 keyed
             by the app's uniqueName, Microsoft.Graph/servicePrincipals@v1.0 by appId
  az         an idempotent bash script: az rest PATCH with Prefer: create-if-missing, the
             scopes before the preauthorizations, then az ad sp create unless it exists

Every file starts with a comment naming the tenant, the app and the date, holds no secret
and no token, and escapes every value from the directory for its language.

Bicep needs the app to have a uniqueName. For an app without one, export says so and shows
the one-time PATCH; --set-unique-name sends it (after showing it and asking).

Exit status: 0 success, 1 failed, 2 bad usage, 130 interrupted.`,
		Example: `  pqentra export --display-name "Contoso Connector" --format terraform --out main.tf
  pqentra export --app-id 00001111-aaaa-2222-bbbb-3333cccc4444 --format bicep > main.bicep
  pqentra export --app-id 00001111-aaaa-2222-bbbb-3333cccc4444 --format bicep --set-unique-name
  pqentra --demo export --display-name "Contoso Legacy API" --format az`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			opts.AppID = strings.ToLower(strings.TrimSpace(opts.AppID))
			opts.DisplayName = strings.TrimSpace(opts.DisplayName)
			switch {
			case opts.AppID != "" && opts.DisplayName != "":
				return usagef("give --app-id or --display-name, not both")
			case opts.AppID == "" && opts.DisplayName == "":
				return usagef("say which app to export: --app-id GUID or --display-name NAME")
			case opts.AppID != "":
				if err := steps.ValidateGUID(steps.FieldAppID, opts.AppID); err != nil {
					return asUsage(err)
				}
			}
			if !c.Flags().Changed("format") {
				return usagef("say which format: --format terraform, --format bicep or --format az")
			}
			if opts.SetUniqueName && opts.Format != "bicep" {
				return usagef("--set-unique-name is for --format bicep (Terraform and the az script do not need a uniqueName)")
			}
			if opts.Yes && !opts.SetUniqueName {
				return usagef("--yes only goes with --set-unique-name (export itself writes nothing to the directory)")
			}
			if runF != nil {
				return runF(opts)
			}
			return exportRun(c.Context(), opts)
		},
	}
	fl := c.Flags()
	fl.StringVar(&opts.AppID, "app-id", "", "the app's Application (client) ID")
	fl.StringVar(&opts.DisplayName, "display-name", "", "the app's display name")
	EnumFlag(c, false, &opts.Format, "format", "", "", "what to write (required)", formatChoices...)
	fl.StringVar(&opts.Out, "out", "", "write to this file instead of stdout (an existing file needs --force)")
	fl.BoolVar(&opts.Force, "force", false, "with --out, replace an existing file")
	fl.BoolVar(&opts.SetUniqueName, "set-unique-name", false, "bicep: give an app without a uniqueName one first (a one-time PATCH)")
	fl.BoolVar(&opts.Yes, "yes", false, "with --set-unique-name, do not ask before sending it")
	return c
}

func exportRun(ctx context.Context, opts *ExportOptions) error {
	// A file that is there already (or a folder, or a missing folder) is
	// refused before the sign-in, so nothing is sent for a run that cannot
	// write its result.
	if opts.Out != "" {
		if err := safefile.CheckNew(opts.Out); err != nil && !(opts.Force && errors.Is(err, safefile.ErrExists)) {
			return fileError(err)
		}
	}
	s, err := openCLI(opts.IO, opts.OpenSession, opts.Globals)
	if err != nil {
		return err
	}
	defer s.Close()
	dir := s.Dir
	tenant, err := dir.Organization(ctx)
	if err != nil {
		return err
	}
	app, err := findAppByIDOrName(ctx, dir, opts.AppID, opts.DisplayName)
	if err != nil {
		return err
	}
	if opts.Format == "bicep" && app.UniqueName == "" {
		if app, err = giveUniqueName(ctx, opts, dir, app); err != nil {
			return err
		}
	}
	sp, err := dir.ServicePrincipalByAppID(ctx, app.AppID)
	if err != nil {
		return err
	}
	cloud := opts.Globals.Cloud
	if cloud == "" || opts.Globals.Demo {
		cloud = "public"
	}
	in := export.Input{Tenant: *tenant, App: *app, ServicePrincipal: sp, Cloud: cloud,
		GraphRoot: graph.Clouds[cloud].GraphRoot, Date: opts.Now(), Version: Version}
	text, err := export.Generate(opts.Format, in)
	if err != nil {
		return err
	}
	if opts.Out == "" {
		_, err := fmt.Fprint(opts.IO.Out, text)
		return err
	}
	if err := writeNew(opts.Out, text, opts.Force); err != nil {
		return fileError(err)
	}
	fmt.Fprintf(opts.IO.Err, "Wrote %s (%s) for %q (appId %s).\n", steps.Clean(opts.Out), opts.Format, steps.Clean(app.DisplayName), app.AppID)
	return nil
}

// findAppByIDOrName reads the app by appId, or by display name through the
// one finder: the app pqentra registered under that name (also after a
// rename), else any one app with exactly that name — and, found by name,
// only when it is provably the user's. export and service-config share it.
func findAppByIDOrName(ctx context.Context, dir Directory, appID, displayName string) (*steps.App, error) {
	found, err := steps.FindApp(ctx, dir, steps.AppQuery{AppID: appID, DisplayName: displayName, AnyApp: true}, nil)
	var ae *steps.AmbiguousError
	if errors.As(err, &ae) {
		return nil, usagef("%v", ae)
	}
	if err != nil {
		return nil, err
	}
	if found.App == nil {
		if appID != "" {
			return nil, fmt.Errorf("no application with appId %s in this tenant: check the id on the app's Overview page, and that you signed in to the right tenant (--tenant)", appID)
		}
		return nil, fmt.Errorf("no application named %q in this tenant: check the name, or use --app-id", steps.Clean(displayName))
	}
	return found.App, nil
}

// giveUniqueName: Bicep addresses an app by its uniqueName. Without one,
// say so and show the one-time PATCH; with --set-unique-name, send it.
func giveUniqueName(ctx context.Context, opts *ExportOptions, dir Directory, app *steps.App) (*steps.App, error) {
	name := export.SuggestUniqueName(*app)
	path := "/applications/" + app.ObjectID
	ch := steps.Change{Method: "PATCH", URL: dir.GraphBase() + path, Path: path,
		Body: steps.PatchJSON(steps.AppPatch{UniqueName: &name})}
	if !opts.SetUniqueName {
		return nil, fmt.Errorf("Bicep addresses an application by its uniqueName, and %q has none. Give it one, once "+
			"(Graph does not let a uniqueName change afterwards):\n\n%s\nor run the same command with --set-unique-name, which sends it for you after showing it",
			steps.Clean(app.DisplayName), ch.Preview())
	}
	fmt.Fprintf(opts.IO.Err, "Bicep needs a uniqueName; this request gives %q one (it cannot change afterwards):\n\n%s\n", steps.Clean(app.DisplayName), ch.Preview())
	if err := confirm(opts.IO, opts.Yes, "Send it?", "not setting the uniqueName"); err != nil {
		return nil, err
	}
	if err := dir.PatchApplication(ctx, app.ObjectID, steps.AppPatch{UniqueName: &name}); err != nil {
		return nil, err
	}
	fmt.Fprintf(opts.IO.Err, "✓ Set the uniqueName of %q to %s\n", steps.Clean(app.DisplayName), name)
	got, err := dir.ApplicationByAppID(ctx, app.AppID)
	if err == nil && (got == nil || got.UniqueName == "") {
		err = errors.New("the uniqueName was sent but cannot be read back yet: run the same command again in a minute")
	}
	return got, err
}
