package cmd

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/graph/emulator/emulatortest"
)

// run executes pqentra in-process with args, as a user would from a shell,
// pointed at emu through the public --authority-host/--graph-endpoint flags.
type runResult struct {
	code           int
	stdout, stderr string
}

type cli struct {
	t     *testing.T
	emu   *emulator.Server
	env   map[string]string
	stdin string
	// errTTY makes stderr a terminal.
	errTTY bool
	// tty makes stdin a terminal (confirm prompts read c.stdin).
	tty bool
}

func newCLI(t *testing.T, opts emulator.Options) *cli {
	t.Helper()
	emu := emulatortest.Start(t, opts)
	env := map[string]string{}
	for _, kv := range emulatortest.Dirs(t) {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	return &cli{t: t, emu: emu, env: env}
}

func (c *cli) run(args ...string) runResult {
	c.t.Helper()
	var out, errb bytes.Buffer
	f := &Factory{IO: &IOStreams{In: strings.NewReader(c.stdin), Out: &out, Err: &errb, ErrTTY: c.errTTY},
		Getenv: func(k string) string { return c.env[k] }}
	if c.emu != nil {
		f.Config.TrustPEM = c.emu.CACertPEM()
		args = append(args, emulatortest.Flags(c.emu)...)
	}
	code := Execute(context.Background(), f, args)
	return runResult{code: code, stdout: out.String(), stderr: errb.String()}
}

// runLine runs a command line pqentra printed (without its leading
// "pqentra"), split as a POSIX shell would split it, and with nothing
// added: it must work exactly as printed.
func (c *cli) runLine(line string) runResult {
	c.t.Helper()
	var out, errb bytes.Buffer
	f := &Factory{IO: &IOStreams{In: strings.NewReader(c.stdin), Out: &out, Err: &errb, InTTY: c.tty, ErrTTY: c.errTTY},
		Getenv: func(k string) string { return c.env[k] }}
	if c.emu != nil {
		f.Config.TrustPEM = c.emu.CACertPEM()
	}
	code := Execute(context.Background(), f, shellWords(c.t, line))
	return runResult{code: code, stdout: out.String(), stderr: errb.String()}
}

// shellWords splits a command line the way sh does for the quoting
// pqentra prints: bare words, "double" and 'single' quotes.
func shellWords(t *testing.T, s string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch == ' ':
			if inWord {
				words, inWord = append(words, cur.String()), false
				cur.Reset()
			}
		case ch == '\'' || ch == '"':
			j := strings.IndexByte(s[i+1:], ch)
			if j < 0 {
				t.Fatalf("unbalanced quote in %s", s)
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		default:
			cur.WriteByte(ch)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}
