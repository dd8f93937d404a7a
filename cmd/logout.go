package cmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pqentra/pqentra/graph"
)

// LogoutOptions is `pqentra logout`.
type LogoutOptions struct {
	IO      *IOStreams
	Getenv  func(string) string
	Globals *Globals
}

// NewCmdLogout builds `pqentra logout`; runF replaces logoutRun in tests.
func NewCmdLogout(f *Factory, runF func(*LogoutOptions) error) *cobra.Command {
	opts := &LogoutOptions{IO: f.IO, Getenv: f.Getenv, Globals: f.Globals}
	return &cobra.Command{
		Use:   "logout",
		Short: "Forget the cached sign-in (deletes the token cache)",
		Long: `logout deletes pqentra's token cache, which holds the device code and browser sign-ins.
With --sign-in azure-cli pqentra holds no token: the Azure CLI keeps its own sign-in, and
` + "`az logout`" + ` ends it. With --demo there is nothing to remove: the demo keeps no sign-in, and
your own cache is left as it is.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return logoutRun(c.Context(), opts)
		},
	}
}

func logoutRun(_ context.Context, opts *LogoutOptions) error {
	if opts.Globals != nil && opts.Globals.Demo {
		// A command printed by a demo run carries --demo: run as printed,
		// it stays in the demo and never signs the user out of a tenant.
		fmt.Fprintln(opts.IO.Out, "The demo keeps no sign-in (it signs in afresh each run): nothing to remove. Your own sign-in cache is left as it is.")
		return nil
	}
	method := graph.MethodAuto
	if opts.Globals != nil {
		m, err := resolveSignIn(&Globals{SignIn: opts.Globals.SignIn}, opts.Getenv)
		if err != nil {
			return err
		}
		method = m
	}
	path, err := graph.CacheFile(opts.Getenv)
	if err != nil {
		return err
	}
	had, err := graph.ClearCache(path)
	if err != nil {
		return fmt.Errorf("cannot delete %s: %w", path, err)
	}
	if method == graph.MethodAzureCLI {
		fmt.Fprintln(opts.IO.Out, "pqentra holds no token for the Azure CLI sign-in: the Azure CLI keeps its own. Run `az logout` to sign the Azure CLI out.")
		if had {
			fmt.Fprintf(opts.IO.Out, "Also removed pqentra's cache of device code and browser sign-ins (%s).\n", path)
		}
		return nil
	}
	if had {
		fmt.Fprintf(opts.IO.Out, "Signed out: removed %s\n", path)
	} else {
		fmt.Fprintln(opts.IO.Out, "Not signed in: no token cache to remove.")
	}
	return nil
}
