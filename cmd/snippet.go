package cmd

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pqentra/pqentra/graph"
	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/m"
	"github.com/pqentra/pqentra/tui/clipboard"
)

type snippetFlags struct {
	resource string
	appID    string
	scopes   []string
	authURI  string
	shape    string
	name     string
	out      string
	force    bool
	copy     bool
	patch    string
	kind     string
	yes      bool
}

func newSnippetCmd(io *IO, g *globals) *cobra.Command {
	f := &snippetFlags{}
	c := &cobra.Command{
		Use:   "snippet",
		Short: "Write the connector's Aad record (offline), or patch it into a connector file",
		Long: `snippet writes the Aad authentication record for your connector: AuthorizationUri,
Resource (the Application ID URI) and Scope (".default" unless you name scopes). The
output is valid M — unlike the quickstart's sample, which misses a comma.

It works offline with --resource. With --app-id it signs in and reads the Application ID
URI from Graph. --patch puts the record into an existing connector file, changing
nothing else in it.`,
		Example: `  pqentra snippet --resource api://00001111-aaaa-2222-bbbb-3333cccc4444
  pqentra snippet --resource api://… --shape connector --name "Contoso" --out Contoso.pq
  pqentra snippet --resource api://… --authorization-uri tenant --tenant contoso.onmicrosoft.com
  pqentra snippet --resource api://… --patch MyConnector.pq --yes`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runSnippet(c, io, g, f) },
	}
	fl := c.Flags()
	fl.StringVar(&f.resource, "resource", "", "the Application ID URI, e.g. api://00001111-aaaa-2222-bbbb-3333cccc4444")
	fl.StringVar(&f.appID, "app-id", "", "read the Application ID URI of this app from Graph (signs in) instead of --resource")
	fl.StringSliceVar(&f.scopes, "scope", nil, "scopes to request, without the URI prefix (default .default: all preauthorized scopes)")
	fl.StringVar(&f.authURI, "authorization-uri", "common", "AuthorizationUri: common, tenant (uses --tenant) or dynamic (B2B/guest: read from the service)")
	fl.StringVar(&f.shape, "shape", "record", "what to write: record (Aad = [...]), kind (the data source kind record) or connector (a whole .pq)")
	fl.StringVar(&f.name, "name", "", "connector name for --shape kind|connector (default from the app's display name, else MyConnector)")
	fl.StringVar(&f.out, "out", "", "write to this file instead of the terminal")
	fl.BoolVar(&f.force, "force", false, "with --out, overwrite an existing file")
	fl.BoolVar(&f.copy, "copy", false, "copy the snippet to the clipboard (OSC 52 and the system clipboard)")
	fl.StringVar(&f.patch, "patch", "", "insert or update the Aad record in this connector .pq file")
	fl.StringVar(&f.kind, "kind", "", "with --patch, the data source kind record to patch when the file has several")
	fl.BoolVar(&f.yes, "yes", false, "with --patch, do not ask before writing")
	return c
}

func runSnippet(c *cobra.Command, io *IO, g *globals, f *snippetFlags) error {
	mode := m.AuthorizationURIMode(strings.ToLower(f.authURI))
	switch mode {
	case m.AuthCommon, m.AuthTenant, m.AuthDynamic:
	default:
		return usagef("--authorization-uri %q: use common, tenant or dynamic", f.authURI)
	}
	shape := m.Shape(strings.ToLower(f.shape))
	switch shape {
	case m.ShapeRecord, m.ShapeKind, m.ShapeConnector:
	default:
		return usagef("--shape %q: use record, kind or connector", f.shape)
	}
	if (f.resource == "") == (f.appID == "") {
		return usagef("give exactly one of --resource api://… (offline) or --app-id GUID (reads it from Graph)")
	}
	if mode == m.AuthTenant && g.tenant == "" {
		return usagef("--authorization-uri tenant needs --tenant (your tenant id or domain)")
	}
	if f.patch != "" && (f.out != "" || shape != m.ShapeRecord && c.Flags().Changed("shape")) {
		return usagef("--patch edits a connector file in place; it does not combine with --out or --shape")
	}
	if f.appID != "" {
		if err := steps.ValidateGUID("--app-id", f.appID); err != nil {
			return asUsage(err)
		}
	}
	o := m.SnippetOptions{Resource: f.resource, Scopes: f.scopes, AuthorizationURI: mode, Tenant: g.tenant,
		LoginHost: loginHostFor(g), Shape: shape, Name: f.name}
	if f.appID != "" {
		app, err := readAppForSnippet(c, io, g, f.appID)
		if err != nil {
			return err
		}
		if len(app.IdentifierURIs) == 0 {
			return fmt.Errorf("the application %s has no Application ID URI yet: run `pqentra setup --non-interactive --app-id %s` first", f.appID, f.appID)
		}
		o.Resource = app.IdentifierURIs[0]
		if o.Name == "" {
			o.Name = app.DisplayName
		}
		if warn := scopeWarning(app, f.scopes); warn != "" {
			fmt.Fprintln(io.Err, "warning: "+warn)
		}
	}
	if f.patch != "" {
		return patchConnector(io, f, o)
	}
	text, err := m.Generate(o)
	if err != nil {
		return asUsage(err)
	}
	if f.out != "" {
		if err := writeNew(f.out, text+"\n", f.force); err != nil {
			return err
		}
		fmt.Fprintf(io.Err, "Wrote %s\n", f.out)
	} else {
		fmt.Fprintln(io.Out, text)
	}
	if f.copy {
		methods, err := clipboard.Copy(io.Err, text, io.Getenv)
		if err != nil {
			return fmt.Errorf("could not copy to the clipboard: %w", err)
		}
		fmt.Fprintf(io.Err, "Copied to the clipboard (%s)\n", strings.Join(methods, ", "))
	}
	return nil
}

func readAppForSnippet(c *cobra.Command, io *IO, g *globals, appID string) (*steps.App, error) {
	s, err := g.openCLI(io)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	app, err := s.client.ApplicationByAppID(c.Context(), strings.ToLower(appID))
	if err != nil {
		return nil, err
	}
	if app == nil {
		return nil, fmt.Errorf("no application with appId %s in this tenant: check the id (Application (client) ID on the app's Overview page) and --tenant", appID)
	}
	return app, nil
}

// patchConnector shows the change to the connector file, asks, keeps a
// .bak of the original and writes the new text.
func patchConnector(io *IO, f *snippetFlags, o m.SnippetOptions) error {
	old, err := os.ReadFile(f.patch)
	if err != nil {
		return fmt.Errorf("cannot read the connector file: %w", err)
	}
	updated, err := m.Patch(string(old), f.kind, o)
	if err != nil {
		return fmt.Errorf("%s was left untouched: %w", f.patch, err)
	}
	if updated == string(old) {
		fmt.Fprintf(io.Err, "%s already has this Aad record; nothing to change.\n", f.patch)
		return nil
	}
	fmt.Fprint(io.Err, m.Diff(string(old), updated))
	question := fmt.Sprintf("Write these changes to %s? A copy of the original is kept as %s.bak", f.patch, f.patch)
	if err := confirm(io, f.yes, question, "not writing "+f.patch); err != nil {
		return err
	}
	if err := writeWithBackup(f.patch, string(old), updated); err != nil {
		return err
	}
	fmt.Fprintf(io.Err, "Updated %s (original kept as %s.bak)\n", f.patch, f.patch)
	return nil
}

// loginHostFor is the sign-in host a connector uses in the chosen cloud.
// The demo's emulator is never written into a snippet.
func loginHostFor(g *globals) string {
	if c, ok := graph.Clouds[strings.ToLower(g.cloud)]; ok {
		return c.LoginHost
	}
	return m.DefaultLoginHost
}

// scopeWarning checks the scopes the snippet will request against the app:
// ".default" only yields a token when some scope is enabled and the Power
// Query clients are preauthorized for it, and a named scope must exist.
func scopeWarning(app *steps.App, scopes []string) string {
	enabled := map[string]bool{}
	for _, s := range app.Scopes {
		if s.IsEnabled {
			enabled[strings.ToLower(s.Value)] = true
		}
	}
	fix := fmt.Sprintf("run `pqentra doctor --app-id %s --fix`", app.AppID)
	if len(enabled) == 0 {
		return fmt.Sprintf("the app has no enabled scope, so Power Query's sign-in will fail (AADSTS650053/650057); %s", fix)
	}
	for _, raw := range scopes {
		for _, v := range strings.Fields(raw) {
			if v != ".default" && !enabled[strings.ToLower(v[strings.LastIndex(v, "/")+1:])] {
				return fmt.Sprintf("the app has no enabled scope %q; Power Query's sign-in will fail with AADSTS650053. Use --scope .default or one of the app's scopes", steps.Clean(v))
			}
		}
	}
	return ""
}
