// Package termquery keeps pqentra from querying the terminal while it
// starts.
//
// Bubble Tea v1's package init asks Lip Gloss whether the terminal's
// background is dark (bubbletea's tea_init.go), and termenv finds out by
// writing ESC]11;? and ESC[6n to a terminal on stdout and reading the
// replies. Every command links Bubble Tea, so every command did that, with
// colour off too (NO_COLOR, --no-color); a command that never reads its
// input leaves the replies to the shell, which shows them as typed text.
//
// This package's init runs before Bubble Tea's — Go initialises packages
// in the order of their import paths, each as soon as its imports are
// done, and this one needs only os, so it comes before termenv, Lip Gloss
// and Bubble Tea (e2e's TestBinaryInitialisesTermqueryBeforeBubbleTea checks
// the order) — and has TERM read "dumb", for which termenv sends nothing.
// The tui package's init, which runs after Bubble Tea's, calls Restore.
// The one place that needs the answer, the full-screen wizard with colour
// on, asks the terminal itself (tui.Run).
package termquery

import "os"

// term is TERM as pqentra was started with it.
var term, hadTerm = os.LookupEnv("TERM")

func init() {
	_ = os.Setenv("TERM", "dumb")
}

// Restore puts TERM back as pqentra was started with it.
func Restore() {
	if hadTerm {
		_ = os.Setenv("TERM", term)
	} else {
		_ = os.Unsetenv("TERM")
	}
}
