package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pqentra/pqentra/graph"
)

func newLogoutCmd(io *IO, g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Forget the cached sign-in (deletes the token cache)",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			path, err := graph.CacheFile(io.Getenv)
			if err != nil {
				return err
			}
			had, err := graph.ClearCache(path)
			if err != nil {
				return fmt.Errorf("cannot delete %s: %w", path, err)
			}
			if had {
				fmt.Fprintf(io.Out, "Signed out: removed %s\n", path)
			} else {
				fmt.Fprintln(io.Out, "Not signed in: no token cache to remove.")
			}
			return nil
		},
	}
}
