package cmd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Choice is one value of an enum flag: its name (what completion offers and
// what the flag holds once set), a short description for completion, and
// other spellings accepted for it (not offered).
type Choice struct {
	Name    string
	Help    string
	Aliases []string
}

// enumValue is a pflag.Value that accepts only its choices, case-insensitively,
// and stores the choice's Name. A wrong value fails flag parsing, so every
// enum flag exits 2 with the same message in every command, before anything
// is read or sent.
type enumValue struct {
	p       *string
	choices []Choice
}

func (e *enumValue) String() string { return *e.p }
func (e *enumValue) Type() string   { return "string" }

func (e *enumValue) Set(s string) error {
	v := strings.ToLower(strings.TrimSpace(s))
	for _, c := range e.choices {
		if v == strings.ToLower(c.Name) {
			*e.p = c.Name
			return nil
		}
		for _, a := range c.Aliases {
			if v == strings.ToLower(a) {
				*e.p = c.Name
				return nil
			}
		}
	}
	return enumError{choices: e.choices}
}

// enumError is a value outside the choices; flagError turns it into
// `--name "value": use a, b or c`.
type enumError struct{ choices []Choice }

func (e enumError) Error() string { return "use " + orList(choiceNames(e.choices)) }

// flagError is the root's flag error function: every flag mistake exits 2,
// and a wrong enum value reads the same in every command.
func flagError(c *cobra.Command, err error) error {
	// `pqentra snipet --resource …`: the root parsed the flags of a
	// command it does not know; the mistyped command is the error to show.
	if !c.HasParent() && len(c.Flags().Args()) > 0 {
		return asParseError(unknownCommand(c, c.Flags().Args()[0]))
	}
	var inv *pflag.InvalidValueError
	var enum enumError
	if errors.As(err, &inv) && errors.As(err, &enum) {
		err = fmt.Errorf("--%s %q: %w", inv.GetFlag().Name, inv.GetValue(), enum)
	}
	return parseError{usageError{fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}}
}

func choiceNames(cs []Choice) []string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	return names
}

// orList is "a, b or c".
func orList(s []string) string {
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// EnumFlag defines --name on c (a persistent flag when persistent is true)
// that takes one of choices: shell completion offers them, with their help,
// and any other value exits 2 naming them. The usage gets "{a|b|c}" added.
func EnumFlag(c *cobra.Command, persistent bool, p *string, name, shorthand, def, usage string, choices ...Choice) {
	*p = def
	fs := c.Flags()
	if persistent {
		fs = c.PersistentFlags()
	}
	fs.VarP(&enumValue{p: p, choices: choices}, name, shorthand, fmt.Sprintf("%s {%s}", usage, strings.Join(choiceNames(choices), "|")))
	_ = c.RegisterFlagCompletionFunc(name, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		out := make([]string, len(choices))
		for i, ch := range choices {
			out[i] = ch.Name
			if ch.Help != "" {
				out[i] += "\t" + ch.Help
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
}

// outputChoices are --output's values, the same in every command.
var outputChoices = []Choice{{Name: "text", Help: "for people"}, {Name: "json", Help: "one JSON object on stdout"}}
