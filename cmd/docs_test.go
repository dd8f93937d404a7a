package cmd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The docs stay true: every `pqentra …` command shown in README.md, the
// other Markdown files at the top and docs/*.md parses with the real
// command tree (NewCmdRoot: its commands, flags, enum values, argument
// rules and flag groups; nothing runs), and every relative link points to
// a file that exists. A command or flag renamed, or a page moved, fails
// here with the file and line to fix.

// docFiles are the Markdown files users read (for commands), and with
// withDev also the contributors' notes beside the code (for links).
func docFiles(t *testing.T, withDev bool) []string {
	t.Helper()
	var files []string
	patterns := []string{"../*.md", "../docs/*.md"}
	if withDev {
		patterns = append(patterns, "../e2e/*.md", "../graph/emulator/*.md", "../docs/screens/*.md", "../test-tools/*/*.md")
	}
	for _, pattern := range patterns {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 5 {
		t.Fatalf("found only %v: run the test from cmd/", files)
	}
	return files
}

// notCommands are `pqentra …` spans the docs show on purpose although
// they do not parse.
var notCommands = map[string]bool{
	"pqentra setpu": true, // the typo whose "Did you mean setup?" the docs show
}

// docCommand is one command line a page shows.
type docCommand struct {
	where string // file:line
	line  string
}

var (
	inlineCommand = regexp.MustCompile("`(pqentra(?: [^`]*)?)`")
	fence         = regexp.MustCompile("^\\s*(```|~~~)\\s*([A-Za-z0-9_-]*)")
)

// shellFences are the code-block languages whose pqentra lines are
// commands (other blocks show screens and output).
var shellFences = map[string]bool{"sh": true, "bash": true, "shell": true, "console": true, "powershell": true, "pwsh": true, "ps1": true, "cmd": true}

func commandsIn(t *testing.T, path string) []docCommand {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []docCommand
	inFence, shellBlock := false, false
	for i, line := range strings.Split(string(b), "\n") {
		where := fmt.Sprintf("%s:%d", filepath.ToSlash(strings.TrimPrefix(path, "../")), i+1)
		if m := fence.FindStringSubmatch(line); m != nil {
			if inFence {
				inFence = false
			} else {
				inFence, shellBlock = true, shellFences[strings.ToLower(m[2])]
			}
			continue
		}
		if inFence {
			if !shellBlock {
				continue
			}
			l := strings.TrimSpace(line)
			for _, prompt := range []string{"$ ", "> ", "PS> "} {
				l = strings.TrimPrefix(l, prompt)
			}
			if l == "pqentra" || strings.HasPrefix(l, "pqentra ") {
				out = append(out, docCommand{where, l})
			}
			continue
		}
		for _, m := range inlineCommand.FindAllStringSubmatch(line, -1) {
			out = append(out, docCommand{where, m[1]})
		}
	}
	return out
}

// shellSplit splits a command line as sh would for what the docs show:
// words, "double" and 'single' quotes, and a # comment after a space; a
// <placeholder with spaces> is one word, and a redirection, pipe or && (outside
// a synopsis group) ends the command.
func shellSplit(s string) ([]string, error) {
	s = placeholder.ReplaceAllString(s, "x")
	words, err := splitWords(s)
	if err != nil {
		return nil, err
	}
	depth := 0
	for i, w := range words {
		depth += strings.Count(w, "(") - strings.Count(w, ")")
		switch w {
		case ">", ">>", "2>", "2>&1", "&&", ";", "<":
			return words[:i], nil
		case "|":
			if depth == 0 {
				return words[:i], nil
			}
		}
	}
	return words, nil
}

func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ' || c == '\t':
			if inWord {
				words, inWord = append(words, cur.String()), false
				cur.Reset()
			}
		case c == '#' && !inWord:
			return words, nil
		case c == '"' || c == '\'':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return nil, fmt.Errorf("unbalanced %c", c)
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

var placeholder = regexp.MustCompile(`<[^<>]*>|…|\.\.\.|\{[A-Za-z]+\}`)

// commandPlaceholder is what a placeholder in the command's place became.
const commandPlaceholder = "x"

// expandSynopsis turns the usage notation the docs use into concrete
// command lines: [optional] parts are included, (a | b) groups give one
// line per choice, x|y|z values take the first, and <placeholders> and …
// become a word.
func expandSynopsis(words []string) [][]string {
	for i, w := range words {
		if !strings.HasPrefix(w, "(") {
			continue
		}
		depth, end := 0, -1
		for j := i; j < len(words) && end < 0; j++ {
			depth += strings.Count(words[j], "(") - strings.Count(words[j], ")")
			if depth == 0 {
				end = j
			}
		}
		if end < 0 {
			break
		}
		inner := append([]string(nil), words[i:end+1]...)
		inner[0] = strings.TrimPrefix(inner[0], "(")
		inner[len(inner)-1] = strings.TrimSuffix(inner[len(inner)-1], ")")
		var alts [][]string
		var cur []string
		for _, x := range inner {
			if x == "|" {
				alts, cur = append(alts, cur), nil
				continue
			}
			if x != "" {
				cur = append(cur, x)
			}
		}
		alts = append(alts, cur)
		var out [][]string
		for _, a := range alts {
			line := append(append(append([]string(nil), words[:i]...), a...), words[end+1:]...)
			out = append(out, expandSynopsis(line)...)
		}
		return out
	}
	var line []string
	for _, w := range words {
		w = strings.TrimSuffix(strings.TrimPrefix(w, "["), "]")
		if w == "" || w == "|" {
			continue
		}
		if strings.HasPrefix(w, "-") || !strings.Contains(w, "://") {
			if i := strings.IndexByte(w, '|'); i > 0 {
				w = w[:i]
			}
		}
		line = append(line, placeholder.ReplaceAllString(w, "x"))
	}
	return [][]string{line}
}

// parseOnly finds the command args name and parses its flags and
// arguments as Execute would, without running anything.
func parseOnly(args []string) error {
	root := NewCmdRoot(&Factory{IO: &IOStreams{In: strings.NewReader(""), Out: &strings.Builder{}, Err: &strings.Builder{}},
		Getenv: func(string) string { return "" }}, nil)
	root.InitDefaultVersionFlag()
	c, rest, err := root.Find(args)
	if err != nil {
		return err
	}
	c.InitDefaultHelpFlag()
	if err := c.ParseFlags(rest); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil
		}
		return err
	}
	if help, _ := c.Flags().GetBool("help"); help {
		return nil
	}
	if err := c.ValidateArgs(c.Flags().Args()); err != nil {
		return err
	}
	if err := c.ValidateFlagGroups(); err != nil {
		return err
	}
	return nil
}

func TestDocCommandsParse(t *testing.T) {
	total := 0
	seen := map[string]bool{}
	for _, file := range docFiles(t, false) {
		for _, dc := range commandsIn(t, file) {
			if notCommands[dc.line] {
				continue
			}
			words, err := shellSplit(dc.line)
			if err != nil {
				t.Errorf("%s: %q: %v", dc.where, dc.line, err)
				continue
			}
			if len(words) > 1 && words[1] == commandPlaceholder {
				continue // pqentra <command> --help: the notation, not a command
			}
			for _, args := range expandSynopsis(words[1:]) {
				total++
				if err := parseOnly(args); err != nil {
					t.Errorf("%s: `%s` does not parse (as %q): %v", dc.where, dc.line, args, err)
				}
				if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
					seen[args[0]] = true
				}
			}
		}
	}
	if total < 20 || !seen["setup"] || !seen["snippet"] {
		t.Fatalf("found only %d commands in the docs (%v): is the extraction broken?", total, seen)
	}
}

// TestDocCommandsCatchMistakes: the check above would catch a renamed
// flag, a wrong enum value, an unknown command and a stray argument.
func TestDocCommandsCatchMistakes(t *testing.T) {
	for _, line := range []string{
		"pqentra setup --display-nam X",
		"pqentra snippet --resource api://x --shape blob",
		"pqentra frobnicate",
		"pqentra logout now",
	} {
		words, _ := shellSplit(line)
		if err := parseOnly(words[1:]); err == nil {
			t.Errorf("%s parses", line)
		}
	}
	got := expandSynopsis(strings.Fields("export (--app-id <appId> | --display-name NAME) --format terraform|bicep|az [--out FILE]"))
	want := "export --app-id x --format terraform --out FILE\nexport --display-name NAME --format terraform --out FILE"
	var lines []string
	for _, l := range got {
		lines = append(lines, strings.Join(l, " "))
	}
	if strings.Join(lines, "\n") != want {
		t.Errorf("expandSynopsis:\n%s\nwant:\n%s", strings.Join(lines, "\n"), want)
	}
}

// TestHelpExamplesParse: the examples in --help parse too.
func TestHelpExamplesParse(t *testing.T) {
	root := NewCmdRoot(&Factory{IO: &IOStreams{In: strings.NewReader(""), Out: &strings.Builder{}, Err: &strings.Builder{}},
		Getenv: func(string) string { return "" }}, nil)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, line := range strings.Split(c.Example, "\n") {
			l := strings.TrimSpace(line)
			if !strings.HasPrefix(l, "pqentra") {
				continue
			}
			words, err := shellSplit(l)
			if err != nil {
				t.Errorf("%s example %q: %v", c.CommandPath(), l, err)
				continue
			}
			for _, args := range expandSynopsis(words[1:]) {
				if err := parseOnly(args); err != nil {
					t.Errorf("%s example `%s` does not parse: %v", c.CommandPath(), l, err)
				}
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

var mdLink = regexp.MustCompile(`\]\(([^)\s]+)(?:\s+"[^"]*")?\)|<img[^>]+src="([^"]+)"|^\[[^\]]+\]:\s*(\S+)`)

func TestDocLinksResolve(t *testing.T) {
	checked := 0
	for _, file := range docFiles(t, true) {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		inFence := false
		for i, line := range strings.Split(string(b), "\n") {
			if fence.MatchString(line) {
				inFence = !inFence
				continue
			}
			if inFence {
				continue
			}
			for _, m := range mdLink.FindAllStringSubmatch(line, -1) {
				target := m[1] + m[2] + m[3]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") || strings.HasPrefix(target, "#") {
					continue
				}
				target, _, _ = strings.Cut(target, "#")
				path := filepath.Join(filepath.Dir(file), filepath.FromSlash(target))
				checked++
				if _, err := os.Stat(path); err != nil {
					t.Errorf("%s:%d: link to %s: no such file", strings.TrimPrefix(file, "../"), i+1, target)
				}
			}
		}
	}
	if checked < 10 {
		t.Fatalf("checked only %d links: is the pattern broken?", checked)
	}
}
