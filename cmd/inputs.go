package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/pqentra/pqentra/steps"
)

// flagFor is the flag each steps input is given with. steps says what is
// wrong in plain words; the command line adds which flag it was.
var flagFor = map[steps.Field]string{
	steps.FieldAppID:         "--app-id",
	steps.FieldDisplayName:   "--display-name",
	steps.FieldAudience:      "--audience",
	steps.FieldIdentifierURI: "--identifier-uri",
	steps.FieldScope:         "--scope",
	steps.FieldScopeConsent:  "--scope-consent",
	steps.FieldClients:       "--preauthorize",
	steps.FieldClientAppID:   "--preauthorize-client",
	steps.FieldTenant:        "--tenant",
	steps.FieldSignInClient:  "--client-id",
	steps.FieldResource:      "--resource",
}

// badInput turns a refused input into bad usage (exit 2, nothing sent). A
// steps.InputError is prefixed with the flag it came from: "--display-name:
// the display name contains U+202E …".
func badInput(err error) error {
	if err == nil {
		return nil
	}
	if ie, ok := steps.AsInputError(err); ok {
		if flag, ok := flagFor[ie.Field]; ok {
			return usageError{fmt.Errorf("%s: %w", flag, err)}
		}
	}
	return asUsage(err)
}

// requireValue refuses a flag given explicitly with an empty value where
// empty would otherwise silently mean the default (--scope ” is not
// Data.Read).
func requireValue(c *cobra.Command, name string, validate func(string) error) error {
	if f := c.Flags().Lookup(name); f != nil && f.Changed && strings.TrimSpace(f.Value.String()) == "" {
		return badInput(validate(""))
	}
	return nil
}

// fixCommand is how this command line was started, for doctor's and
// snippet's Fix lines: the global flags as given (so --demo, --tenant and
// host overrides carry over), each as its own argument.
func fixCommand(c *cobra.Command, selector ...string) steps.Command {
	cmd := steps.Command{Selector: selector}
	globals := c.Root().PersistentFlags()
	c.Flags().Visit(func(f *pflag.Flag) {
		// --reset would wipe the demo tenant the printed command is about.
		if globals.Lookup(f.Name) == nil || f.Name == "no-color" || f.Name == "reset" {
			return
		}
		if f.Value.Type() == "bool" {
			if f.Value.String() == "true" {
				cmd.Globals = append(cmd.Globals, "--"+f.Name)
			}
			return
		}
		cmd.Globals = append(cmd.Globals, "--"+f.Name, f.Value.String())
	})
	return cmd
}
