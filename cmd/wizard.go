package cmd

import (
	"context"
	"fmt"

	"github.com/pqentra/pqentra/graph"
	"github.com/pqentra/pqentra/steps/m"
	"github.com/pqentra/pqentra/tui"
)

// runWizard opens the interactive wizard: full screen on a terminal, plain
// prompts with --accessible, TERM=dumb, or when stdin or stdout is not a
// terminal. Either way the snippet and a summary end up on stdout once the
// wizard is done, so they stay in the scroll-back.
func runWizard(ctx context.Context, io *IO, o wizardOptions) error {
	plain := o.accessible || io.Getenv("TERM") == "dumb" || !io.InTTY || !io.OutTTY
	var events *tui.Events
	onCode, notify := deviceCodePrinter(io, o.g.demo), stderrNotifier(io)
	if !plain {
		events = tui.NewEvents()
		onCode = func(dc graph.DeviceCode) { events.DeviceCode(tui.DeviceCode(dc)) }
		notify = events.Notify
	}
	s, err := o.g.open(io, onCode, notify)
	if err != nil {
		return err
	}
	defer s.Close()
	opts := tui.Options{
		Client: s.client, Portal: s.client.Endpoints().Cloud.Portal, Desired: o.desired, Color: io.Color(o.g.noColor) && !plain, Demo: o.g.demo,
		Getenv: io.Getenv, OpenBrowser: io.OpenBrowser, Events: events,
		Snippet: func(uri, name string) (string, error) {
			return m.Generate(m.SnippetOptions{Resource: uri, LoginHost: loginHostFor(o.g), Shape: m.ShapeRecord, Name: name})
		},
		WriteFile: writeNew,
	}
	for _, n := range s.notes {
		fmt.Fprintln(io.Err, n)
	}
	if plain {
		res, err := tui.Plain(ctx, opts, io.In, io.Out, io.Err)
		if err != nil {
			return err
		}
		fmt.Fprintf(io.Err, "\n%s\n", res.Summary)
		return nil
	}
	res, err := tui.Run(ctx, opts, io.In, io.Out)
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
	fmt.Fprintf(io.Out, "Paste this into your connector's data source kind record, inside Authentication = [ … ]:\n\n%s\n\n%s\n", res.Snippet, res.Summary)
	return nil
}
