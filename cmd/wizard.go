package cmd

import (
	"context"
	"fmt"

	"github.com/pqentra/pqentra/graph"
	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/m"
	"github.com/pqentra/pqentra/tui"
)

// WizardOptions is what the wizard starts from: `pqentra`, and `pqentra
// setup` without --non-interactive.
type WizardOptions struct {
	IO          *IOStreams
	Getenv      func(string) string
	Browser     func(url string) error
	OpenSession func(*Globals, SessionHooks) (*Session, error)
	Globals     *Globals

	Accessible bool
	Desired    steps.Desired
	// Command is how pqentra was started, for the commands the wizard
	// prints (they carry its global flags).
	Command steps.Command
}

func newWizardOptions(f *Factory) *WizardOptions {
	return &WizardOptions{IO: f.IO, Getenv: f.Getenv, Browser: f.Browser, OpenSession: f.OpenSession, Globals: f.Globals}
}

// wizardRun opens the interactive wizard: full screen on a terminal, plain
// prompts with --accessible, TERM=dumb, or when stdin or stdout is not a
// terminal. Either way the snippet and a summary end up on stdout once the
// wizard is done, so they stay in the scroll-back.
func wizardRun(ctx context.Context, opts *WizardOptions) error {
	ios, g := opts.IO, opts.Globals
	plain := opts.Accessible || opts.Getenv("TERM") == "dumb" || !ios.InTTY || !ios.OutTTY
	var events *tui.Events
	hooks := SessionHooks{Notify: stderrNotifier(ios), SignIn: newCLISignIn(ios.Err, ios.ErrTTY, g.Demo).events()}
	if !plain {
		events = tui.NewEvents()
		hooks.OnDeviceCode = func(dc graph.DeviceCode) { events.DeviceCode(tui.DeviceCode(dc)) }
		hooks.Notify = events.Notify
		hooks.SignIn = wizardSignInEvents(events)
	}
	s, err := opts.OpenSession(g, hooks)
	if err != nil {
		return err
	}
	defer s.Close()
	topts := tui.Options{
		Client: s.Dir, Portal: s.Portal, Desired: opts.Desired, Color: ios.ColorOut() && !plain, Demo: g.Demo, Command: opts.Command,
		Getenv: opts.Getenv, OpenBrowser: opts.Browser, Events: events,
		Snippet: func(uri, name string) (string, error) {
			return m.Generate(m.SnippetOptions{Resource: uri, LoginHost: loginHostFor(g), Shape: m.ShapeRecord, Name: name})
		},
		PatchConnector: func(src, uri string) (string, error) {
			return m.Patch(src, "", m.SnippetOptions{Resource: uri, LoginHost: loginHostFor(g)})
		},
		ServiceCloud: serviceCloud(g),
		Onboarding: func(appID string) steps.Onboarding {
			return steps.NewOnboarding(appID, g.RunCloud(), loginHostFor(g), customerOf(opts.Command))
		},
	}
	for _, n := range s.Notes {
		fmt.Fprintln(ios.Err, n)
	}
	if plain {
		res, err := tui.Plain(ctx, topts, ios.In, ios.Out, ios.Err)
		if err != nil {
			return err
		}
		if res.Done && res.Snippet == "" {
			return nil // undone at the end: the plain wizard said so already
		}
		fmt.Fprintf(ios.Err, "\n%s\n", res.Summary)
		return nil
	}
	res, err := tui.Run(ctx, topts, ios.In, ios.Out)
	if err != nil {
		return err
	}
	if !res.Done {
		if res.Canceled {
			// Quitting the wizard is an interrupt, as Ctrl-C is in the
			// CLI: exit 130, with the same message.
			return context.Canceled
		}
		return nil
	}
	if res.Snippet == "" { // the run was undone on the last screen (u)
		fmt.Fprintln(ios.Out, res.Summary)
		return nil
	}
	fmt.Fprintf(ios.Out, "Paste this into your connector's data source kind record, inside Authentication = [ … ]:\n\n%s\n\n%s\n", res.Snippet, res.Summary)
	return nil
}
