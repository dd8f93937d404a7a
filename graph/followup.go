package graph

import (
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// followUp is what a hint needs to name the next step whole: how the run
// was started (its global flags, whether it is the wizard), how it signs
// in, and the app at hand when known. Printed commands are built with
// run.Line, so run as printed they go where this run went (the demo
// included); words about answers are the front end's (Config.Command).
type followUp struct {
	run    steps.Command
	signIn string // Config.SignInMethod
	cached bool   // a token cache file is kept between runs
	appID  string // the application the failed call was about, if known
}

// hints is the client's followUp.
func (c *Client) hints() followUp {
	return followUp{run: c.cfg.Command, signIn: c.cfg.SignInMethod, cached: c.cfg.CachePath != ""}
}

// hintsFor is hints, about the application with that object id.
func (c *Client) hintsFor(objectID string) followUp {
	h := c.hints()
	c.mu.Lock()
	h.appID = c.appIDs[strings.ToLower(objectID)]
	c.mu.Unlock()
	return h
}

// signInAgain is what to do about a sign-in Graph no longer accepts: the
// cache is cleared with logout where pqentra keeps one; the Azure CLI's
// sign-in is renewed with az; a run that keeps none (the demo) signs in
// afresh by itself when run again. No full stop: it goes inside sentences.
func (f followUp) signInAgain() string {
	switch {
	case f.signIn == MethodAzureCLI:
		return "run `az login` again (the Azure CLI keeps this sign-in), then run the command again"
	case f.cached:
		return "run `" + f.run.Line("logout") + "`, then run the command again to sign in"
	}
	return "run the command again to sign in afresh (this run keeps no sign-in to remove)"
}
