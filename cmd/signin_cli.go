package cmd

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/pqentra/pqentra/graph"
	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/tui"
)

// cliSignIn shows what a sign-in needs from the user on stderr (stdout stays
// for results, so JSON stays parseable): the device code or the browser
// URL, a spinner while it waits (terminal only), and one-line notes.
type cliSignIn struct {
	w    io.Writer
	demo bool
	spin *spinner
}

func newCLISignIn(w io.Writer, errTTY, demo bool) *cliSignIn {
	return &cliSignIn{w: w, demo: demo, spin: &spinner{w: w, tty: errTTY}}
}

func (c *cliSignIn) events() graph.SignInEvents {
	return graph.SignInEvents{
		OnDeviceCode: func(dc graph.DeviceCode) {
			c.spin.Stop()
			fmt.Fprintf(c.w, "To sign in, open %s and enter the code %s\n", steps.Clean(dc.VerificationURL), steps.Clean(dc.UserCode))
			if c.demo {
				fmt.Fprintln(c.w, "(demo: the built-in emulator approves it by itself in a few seconds)")
			}
			c.spin.Start("Waiting for you to sign in… (Ctrl-C to cancel)")
		},
		OnBrowser: func(u string) {
			c.spin.Stop()
			fmt.Fprintf(c.w, "Sign in in your browser. If it does not open, open this URL on this machine:\n  %s\n", steps.Clean(u))
			if c.demo {
				fmt.Fprintln(c.w, "(demo: the built-in emulator signs you in by itself)")
			}
			c.spin.Start("Waiting for the browser sign-in… (Ctrl-C to cancel)")
		},
		OnNote: func(n string) {
			c.spin.Stop()
			fmt.Fprintln(c.w, steps.Clean(n))
		},
		OnWaitEnd: c.spin.Stop,
	}
}

// resolveSignIn is --sign-in, else $PQENTRA_SIGN_IN, else auto. A wrong
// value in the environment is bad usage too (exit 2, nothing sent).
func resolveSignIn(g *Globals, getenv func(string) string) (string, error) {
	m := g.SignIn
	if m == "" {
		env := strings.ToLower(strings.TrimSpace(getenv("PQENTRA_SIGN_IN")))
		if env != "" && !slices.Contains(graph.Methods, env) {
			return "", usagef("PQENTRA_SIGN_IN=%q: use %s", env, orList(graph.Methods))
		}
		m = env
	}
	if m == "" {
		m = graph.MethodAuto
	}
	if g.Demo && m == graph.MethodAzureCLI {
		return "", usagef("--demo signs in to the built-in emulator by itself; leave out --sign-in azure-cli (or --demo)")
	}
	return m, nil
}

// signInChoices are --sign-in's values, for completion and validation.
func signInChoices() []Choice {
	return []Choice{
		{Name: graph.MethodAuto, Help: "cached sign-in, else device code; the browser when device code is blocked"},
		{Name: graph.MethodDevice, Help: "a code to enter at microsoft.com/devicelogin"},
		{Name: graph.MethodBrowser, Help: "sign in in the browser (loopback redirect, PKCE)"},
		{Name: graph.MethodAzureCLI, Help: "reuse the Azure CLI's sign-in (az login); stores no token"},
	}
}

// demoBrowser is the demo's browser: the emulator's pretend user signs in
// by itself, as it approves device codes.
func demoBrowser(emu *emulator.Server) func(string) error {
	return func(u string) error {
		go func() {
			time.Sleep(demoApproveAfter / 2)
			_ = emulator.Browse(context.Background(), emu.Client(), u)
		}()
		return nil
	}
}

// wizardSignInEvents carries the sign-in's browser URL and notes into the
// full-screen wizard.
func wizardSignInEvents(ev *tui.Events) graph.SignInEvents {
	return graph.SignInEvents{
		OnDeviceCode: func(dc graph.DeviceCode) { ev.DeviceCode(tui.DeviceCode(dc)) },
		OnBrowser:    ev.BrowserURL,
		OnNote:       ev.SignInNote,
	}
}
