package cmd

import (
	"github.com/spf13/cobra"
)

// NewCmdToken builds `pqentra token`, the group of commands about the
// access tokens a connector sends its service.
func NewCmdToken(f *Factory) *cobra.Command {
	c := &cobra.Command{
		Use:   "token",
		Short: "Look at an access token the connector sent its service (token inspect)",
		Long: `token holds the commands about the access tokens Power Query sends the connector's
service. "token inspect" decodes one and says why a service would refuse it.`,
		Example: `  pqentra token inspect --app-id 00001111-aaaa-2222-bbbb-3333cccc4444 token.txt`,
		// A word after "token" that is no subcommand is a mistake (exit 2,
		// with suggestions), not a request for help.
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	c.AddCommand(NewCmdTokenInspect(f, nil))
	return c
}
