package cmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pqentra/pqentra/graph"
	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/service"
)

// ServiceConfigOptions is `pqentra service-config`.
type ServiceConfigOptions struct {
	IO          *IOStreams
	OpenSession func(*Globals, SessionHooks) (*Session, error)
	Globals     *Globals

	AppID, DisplayName string
	Format             string // text, json, env, aspnet
	Output             string // --output: text or json (json is --format json)
}

var serviceFormatChoices = []Choice{
	{Name: "text", Help: "each value with one line on what it is"},
	{Name: "json", Help: "one JSON object (the same as --output json)"},
	{Name: "env", Help: "KEY=value lines (ENTRA_…)"},
	{Name: "aspnet", Help: "an appsettings.json section for Microsoft.Identity.Web"},
}

// NewCmdServiceConfig builds `pqentra service-config`; runF replaces
// serviceConfigRun in tests.
func NewCmdServiceConfig(f *Factory, runF func(*ServiceConfigOptions) error) *cobra.Command {
	opts := &ServiceConfigOptions{IO: f.IO, OpenSession: f.OpenSession, Globals: f.Globals}
	c := &cobra.Command{
		Use:   "service-config",
		Short: "Print what the connector's service must accept: audiences, issuers, scopes, clients, keys",
		Long: `service-config reads the resource application from the directory and prints what the
service behind the connector needs to accept the tokens Power Query sends it:

  audiences       the Application ID URI(s) and the app id: v1 tokens (the default) carry
                  the URI the connector's Resource names, v2 tokens the app id
  issuers         https://sts.windows.net/{tenant}/ (v1) and
                  https://login.microsoftonline.com/{tenant}/v2.0 (v2), per cloud; for a
                  multitenant app the issuer names each user's tenant, so a template is given
  scopes          what the scp claim can hold
  allowedClients  the preauthorized clients: appid (v1) or azp (v2) of the tokens
  keys            the OpenID metadata and signing keys of the cloud

--format json (or --output json) prints one object with a stable schema (docs/service-config.md);
--format env prints ENTRA_… KEY=value lines; --format aspnet an appsettings.json "AzureAd"
section for Microsoft.Identity.Web with both audiences. Nothing is written to the directory.

Exit status: 0 success, 1 failed, 2 bad usage (nothing was sent), 130 interrupted.`,
		Example: `  pqentra service-config --app-id 00001111-aaaa-2222-bbbb-3333cccc4444 --format aspnet`,
		Args:    noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := opts.check(c.Flags().Changed("format")); err != nil {
				return opts.jsonFailure(err)
			}
			if runF != nil {
				return runF(opts)
			}
			return serviceConfigRun(c.Context(), opts)
		},
	}
	fl := c.Flags()
	fl.StringVar(&opts.AppID, "app-id", "", "the app's Application (client) ID")
	fl.StringVar(&opts.DisplayName, "display-name", "", "the app's display name")
	EnumFlag(c, false, &opts.Format, "format", "", "text", "what to print", serviceFormatChoices...)
	EnumFlag(c, false, &opts.Output, "output", "o", "text", "output format (json is --format json)", outputChoices...)
	return c
}

// check validates the flags before anything is read or sent.
func (o *ServiceConfigOptions) check(formatChanged bool) error {
	o.AppID = strings.ToLower(strings.TrimSpace(o.AppID))
	o.DisplayName = strings.TrimSpace(o.DisplayName)
	if o.Output == "json" {
		if formatChanged && o.Format != "json" {
			return usagef("--output json and --format %s disagree: give one of them", o.Format)
		}
		o.Format = "json"
	}
	switch {
	case o.AppID != "" && o.DisplayName != "":
		return usagef("give --app-id or --display-name, not both")
	case o.AppID == "" && o.DisplayName == "":
		return usagef("say which app: --app-id GUID or --display-name NAME")
	case o.AppID != "":
		return badInput(steps.ValidateGUID(steps.FieldAppID, o.AppID))
	}
	return badInput(steps.ValidateDisplayName(o.DisplayName))
}

// jsonFailure prints, with --format json, the one object a failure owes
// stdout, and returns err for stderr and the exit code.
func (o *ServiceConfigOptions) jsonFailure(err error) error {
	if err != nil && (o.Format == "json" || o.Output == "json") {
		_ = steps.WriteJSON(o.IO.Out, map[string]string{"error": errorText(err)})
	}
	return err
}

func serviceConfigRun(ctx context.Context, opts *ServiceConfigOptions) error {
	s, err := openCLI(opts.IO, opts.OpenSession, opts.Globals)
	if err != nil {
		return opts.jsonFailure(err)
	}
	defer s.Close()
	tenant, err := s.Dir.Organization(ctx)
	if err != nil {
		return opts.jsonFailure(err)
	}
	app, err := findAppByIDOrName(ctx, s.Dir, opts.AppID, opts.DisplayName)
	if err != nil {
		return opts.jsonFailure(err)
	}
	c := serviceConfig(ctx, s.Dir, opts.Globals, tenant, app)
	switch opts.Format {
	case "json":
		return steps.WriteJSON(opts.IO.Out, c)
	case "env":
		_, err = fmt.Fprint(opts.IO.Out, service.Env(c))
	case "aspnet":
		_, err = fmt.Fprint(opts.IO.Out, service.ASPNet(c))
	default:
		_, err = fmt.Fprint(opts.IO.Out, service.Text(c))
	}
	return err
}

// serviceConfig is the service configuration of app in tenant, for the
// run's cloud; clients are named as steps.ClientName names them (pqentra's
// name of a Power Query client, else its service principal's in the tenant). setup --output json and the
// wizard's last step show the same object.
func serviceConfig(ctx context.Context, dir steps.Reader, g *Globals, tenant *steps.Tenant, app *steps.App) service.Config {
	in := service.Input{App: *app, Cloud: serviceCloud(g), ClientName: func(id string) string {
		return steps.ClientName(ctx, dir, strings.ToLower(id))
	}}
	if tenant != nil {
		in.Tenant = *tenant
	}
	return service.Build(in)
}

// serviceCloud is the run's cloud as tokens name it. The demo's tenant
// stands in for the public cloud, and host overrides (a proxy, an
// emulator) do not change what real tokens carry.
func serviceCloud(g *Globals) service.Cloud {
	name := strings.ToLower(g.RunCloud())
	if _, ok := graph.Clouds[name]; !ok {
		name = "public"
	}
	c := graph.Clouds[name]
	return service.Cloud{Name: c.Name, LoginHost: c.LoginHost, V1Issuer: c.V1Issuer, V2Issuer: c.V2Issuer}
}
