package cmd

import (
	"errors"
	"slices"
	"testing"

	"github.com/spf13/cobra"

	"github.com/pqentra/pqentra/steps"
)

// fixCommand repeats the global flags given, before or after the command
// name, and nothing else: no local flags, no --no-color, no defaults.
func TestFixCommandRepeatsGivenGlobals(t *testing.T) {
	var got steps.Command
	root := &cobra.Command{Use: "pqentra"}
	pf := root.PersistentFlags()
	pf.Bool("demo", false, "")
	pf.String("tenant", "", "")
	pf.String("cloud", "public", "")
	pf.Bool("no-color", false, "")
	child := &cobra.Command{Use: "doctor", RunE: func(c *cobra.Command, _ []string) error {
		got = fixCommand(c, "--app-id", guid)
		return nil
	}}
	child.Flags().Bool("fix", false, "")
	root.AddCommand(child)
	root.SetArgs([]string{"--demo", "doctor", "--fix", "--tenant", "contoso.com", "--no-color"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Globals, []string{"--demo", "--tenant", "contoso.com"}) || !slices.Equal(got.Selector, []string{"--app-id", guid}) {
		t.Errorf("%+v", got)
	}
	if line := got.Line("doctor", "--fix"); line != "pqentra --demo --tenant contoso.com doctor --fix" {
		t.Errorf("line %q", line)
	}
}

// badInput adds the flag to a steps.InputError and makes it exit 2; other
// errors only become usage errors.
func TestBadInputNamesTheFlag(t *testing.T) {
	err := badInput(steps.ValidateDisplayName("a\u202eb"))
	if exitCode(err) != ExitUsage || err.Error()[:len("--display-name: ")] != "--display-name: " {
		t.Errorf("%v", err)
	}
	if _, ok := steps.AsInputError(err); !ok {
		t.Error("the InputError is not kept inside")
	}
	if err := badInput(errors.New("x")); exitCode(err) != ExitUsage || err.Error() != "x" {
		t.Errorf("%v", err)
	}
	if badInput(nil) != nil {
		t.Error("nil")
	}
}
