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
		Args:    noArgs,
	}
	c.AddCommand(NewCmdTokenInspect(f, nil))
	return c
}
