package cmd

import (
	"fmt"
	"io"

	"github.com/pqentra/pqentra/graph"
	"github.com/pqentra/pqentra/steps"
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
