package cmd

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pqentra/pqentra/graph/emulator"
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
}

func newCLI(t *testing.T, opts emulator.Options) *cli {
	t.Helper()
	if opts.AutoApprove == 0 {
		opts.AutoApprove = time.Millisecond
	}
	emu, err := emulator.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	return &cli{t: t, emu: emu, env: map[string]string{"XDG_CACHE_HOME": t.TempDir(), "HOME": t.TempDir()}}
}

func (c *cli) run(args ...string) runResult {
	c.t.Helper()
	var out, errb bytes.Buffer
	f := &Factory{IO: &IOStreams{In: strings.NewReader(c.stdin), Out: &out, Err: &errb, ErrTTY: c.errTTY},
		Getenv: func(k string) string { return c.env[k] }}
	if c.emu != nil {
		f.Config.TrustPEM = c.emu.CACertPEM()
		args = append(args, "--authority-host", c.emu.URL(), "--graph-endpoint", c.emu.URL())
	}
	code := Execute(context.Background(), f, args)
	return runResult{code: code, stdout: out.String(), stderr: errb.String()}
}
