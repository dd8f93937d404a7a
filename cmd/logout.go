package cmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pqentra/pqentra/graph"
)

// LogoutOptions is `pqentra logout`.
type LogoutOptions struct {
	IO     *IOStreams
	Getenv func(string) string
}

// NewCmdLogout builds `pqentra logout`; runF replaces logoutRun in tests.
func NewCmdLogout(f *Factory, runF func(*LogoutOptions) error) *cobra.Command {
	opts := &LogoutOptions{IO: f.IO, Getenv: f.Getenv}
	return &cobra.Command{
		Use:   "logout",
		Short: "Forget the cached sign-in (deletes the token cache)",
		Args:  noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return logoutRun(c.Context(), opts)
		},
	}
}

func logoutRun(_ context.Context, opts *LogoutOptions) error {
	path, err := graph.CacheFile(opts.Getenv)
	if err != nil {
		return err
	}
	had, err := graph.ClearCache(path)
	if err != nil {
		return fmt.Errorf("cannot delete %s: %w", path, err)
	}
	if had {
		fmt.Fprintf(opts.IO.Out, "Signed out: removed %s\n", path)
	} else {
		fmt.Fprintln(opts.IO.Out, "Not signed in: no token cache to remove.")
	}
	return nil
}
