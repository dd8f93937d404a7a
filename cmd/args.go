package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// noArgs rejects arguments with exit 2. For a command that has
// subcommands the argument is taken as a mistyped command and cobra's
// "did you mean" suggestions are added.
func noArgs(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if c.HasAvailableSubCommands() {
		return asParseError(unknownCommand(c, args[0]))
	}
	return asParseError(usagef("%s takes no arguments (got %q); see '%s --help'", c.CommandPath(), args[0], c.CommandPath()))
}

func unknownCommand(c *cobra.Command, arg string) error {
	msg := fmt.Sprintf("unknown command %q for %q", arg, c.CommandPath())
	// Distance 2 also catches two swapped letters ("setpu").
	c.SuggestionsMinimumDistance = 3
	if s := c.SuggestionsFor(arg); len(s) > 0 {
		msg += "\n\nDid you mean this?\n  " + strings.Join(s, "\n  ") + "\n"
	}
	return usagef("%s\nRun '%s --help' for usage.", msg, c.CommandPath())
}

// strictHelp replaces cobra's help command, which shows the root's help
// and exits 0 for a topic it does not know, with one that exits 2 and
// suggests the command meant.
func strictHelp(root *cobra.Command) {
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		ValidArgsFunction: func(c *cobra.Command, args []string, typed string) ([]string, cobra.ShellCompDirective) {
			var names []string
			for _, s := range root.Commands() {
				if s.IsAvailableCommand() && strings.HasPrefix(s.Name(), typed) {
					names = append(names, s.Name())
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			target := root
			for _, a := range args {
				next := (*cobra.Command)(nil)
				for _, s := range target.Commands() {
					if s.Name() == a || s.HasAlias(a) {
						next = s
					}
				}
				if next == nil {
					return unknownCommand(target, a)
				}
				target = next
			}
			return target.Help()
		},
	})
}

// strictCompletion makes cobra's completion command refuse an unknown
// shell (exit 2, with suggestions) instead of printing help and exiting 0.
func strictCompletion(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		c.Args = noArgs
		c.RunE = func(c *cobra.Command, args []string) error {
			var shells []string
			for _, s := range c.Commands() {
				if s.IsAvailableCommand() {
					shells = append(shells, s.Name())
				}
			}
			return usagef("name a shell: %s completion %s", root.Name(), strings.Join(shells, "|"))
		}
	}
}
