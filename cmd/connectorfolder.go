package cmd

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/m"
	"github.com/pqentra/pqentra/steps/safefile"
	"github.com/pqentra/pqentra/steps/sdkproject"
)

// connectorPath resolves what the user gave as a connector file (snippet
// --patch, doctor --connector): a file is taken as it is, a Power Query SDK
// project folder is searched for its connector file. The *.query.pq test
// file is refused. When the folder holds several candidates, each is listed
// as the whole command to run (c's command line with flag set to it); when
// it holds none, the error says what was looked for. Both are bad usage:
// nothing has been read from the directory or written.
func connectorPath(c *cobra.Command, flag, path string) (string, *sdkproject.Project, error) {
	if sdkproject.IsQueryFile(path) {
		return "", nil, usagef("%s is the SDK project's test query file, not the connector: give %s the connector file (%s), or the project folder",
			steps.Clean(path), "--"+flag, steps.Clean(strings.TrimSuffix(path[:len(path)-len(".pq")], ".query")+".pq"))
	}
	if !sdkproject.IsDir(path) {
		return path, sdkproject.ForFile(path), nil
	}
	p, err := sdkproject.Find(path)
	var several *sdkproject.SeveralError
	var none *sdkproject.NoneError
	switch {
	case errors.As(err, &several):
		var b strings.Builder
		fmt.Fprintf(&b, "%s holds %d possible connector files (%s); run the one you mean:", steps.Clean(several.Dir), len(several.Candidates), several.Why)
		for _, cand := range several.Candidates {
			b.WriteString("\n  " + commandLine(c, flag, cand))
		}
		b.WriteString("\nNothing was written.")
		return "", nil, usagef("%s", b.String())
	case errors.As(err, &none):
		return "", nil, usagef("%s has no connector file: looked for %s. Give --%s the connector .pq file itself. Nothing was written.",
			steps.Clean(none.Dir), steps.Clean(strings.Join(none.Looked, "; ")), flag)
	case err != nil:
		return "", nil, usagef("--%s %s: %v", flag, steps.Clean(path), err)
	}
	return p.Connector, p, nil
}

// commandLine is the command c as the user ran it (global flags, the
// command, its flags), with --flag set to value, quoted for a shell.
func commandLine(c *cobra.Command, flag, value string) string {
	globals := c.Root().PersistentFlags()
	var g, local []string
	c.Flags().Visit(func(f *pflag.Flag) {
		args := flagArgs(c.Flags(), f)
		if f.Name == flag {
			args = []string{"--" + flag, value}
		}
		if globals.Lookup(f.Name) != nil {
			g = append(g, args...)
		} else {
			local = append(local, args...)
		}
	})
	parts := []string{"pqentra"}
	for _, a := range g {
		parts = append(parts, steps.ShellQuote(a))
	}
	parts = append(parts, strings.Fields(strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" "))...)
	for _, a := range local {
		parts = append(parts, steps.ShellQuote(a))
	}
	return strings.Join(parts, " ")
}

// flagArgs are the arguments that give f its current value again.
func flagArgs(fs *pflag.FlagSet, f *pflag.Flag) []string {
	switch f.Value.Type() {
	case "bool":
		if f.Value.String() == "true" {
			return []string{"--" + f.Name}
		}
		return []string{"--" + f.Name + "=false"}
	case "stringSlice":
		v, _ := fs.GetStringSlice(f.Name)
		return []string{"--" + f.Name, strings.Join(v, ",")}
	case "stringArray":
		v, _ := fs.GetStringArray(f.Name)
		var out []string
		for _, x := range v {
			out = append(out, "--"+f.Name, x)
		}
		return out
	}
	return []string{"--" + f.Name, f.Value.String()}
}

// printNextSteps tells, after the connector file holds the Aad record, how
// to try the sign-in with the Power Query SDK (nothing when the file is
// not in an SDK project). kind is the kind record patched, "" for the
// file's only one.
func printNextSteps(w io.Writer, p *sdkproject.Project, kind string) {
	if p == nil {
		return
	}
	testConnection := false
	if f, err := safefile.Read(p.Connector); err == nil {
		if ks, err := m.Kinds(f.Text); err == nil {
			k := pickKind(ks, kind)
			if k != nil {
				kind, testConnection = k.Name, k.TestConnection
			}
		}
	}
	fmt.Fprintln(w)
	for _, line := range p.NextSteps(kind, testConnection) {
		fmt.Fprintln(w, steps.Clean(line))
	}
}

// pickKind is the kind named, else the one with an Aad entry, else the
// only one.
func pickKind(ks []m.KindInfo, name string) *m.KindInfo {
	var aad []int
	for i := range ks {
		if name != "" && ks[i].Name == name {
			return &ks[i]
		}
		for _, a := range ks[i].AuthKinds {
			if a == "Aad" {
				aad = append(aad, i)
				break
			}
		}
	}
	switch {
	case name != "":
		return nil
	case len(aad) == 1:
		return &ks[aad[0]]
	case len(ks) == 1:
		return &ks[0]
	}
	return nil
}
