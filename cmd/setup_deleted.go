package cmd

import (
	"errors"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/pqentra/pqentra/steps"
)

// A setup whose app is in deleted items stops with *steps.DeletedAppError,
// which prints the ways on as whole commands. They must work as printed:
// the run's global flags (fixCommand) and the setup command's own flags as
// given, with --restore-deleted added.

// setupArgs is `setup` and the flags this command line gave it (global
// flags left out: Command.Line puts them first).
func setupArgs(c *cobra.Command) []string {
	args := []string{"setup"}
	globals := c.Root().PersistentFlags()
	c.Flags().Visit(func(f *pflag.Flag) {
		if globals.Lookup(f.Name) != nil || f.Name == "restore-deleted" || f.Name == "output" {
			return
		}
		switch sv, ok := f.Value.(pflag.SliceValue); {
		case f.Value.Type() == "bool":
			if f.Value.String() == "true" {
				args = append(args, "--"+f.Name)
			}
		case ok:
			for _, v := range sv.GetSlice() {
				args = append(args, "--"+f.Name, v)
			}
		default:
			args = append(args, "--"+f.Name, f.Value.String())
		}
	})
	return args
}

// withWaysOn fills a *steps.DeletedAppError's commands from how this run
// was started; other errors pass through.
func withWaysOn(err error, cmd steps.Command, args []string) error {
	var de *steps.DeletedAppError
	if errors.As(err, &de) {
		de.Command, de.SetupArgs = cmd, args
	}
	return err
}
