package cmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/pqentra/pqentra/steps"
)

// checkAccess is the can-I-register check, run right after sign-in and
// before the first write (setup --non-interactive, doctor --fix). It prints
// the one-line unknowns and the service-principal warning on stderr, and
// returns the refusal when this user may not do what the run needs: then
// nothing has been written. A dry run only warns: it writes nothing anyway.
func checkAccess(ctx context.Context, ios *IOStreams, dir Directory, d steps.Desired, dryRun bool) error {
	if err := dir.EnsureSignedIn(ctx); err != nil {
		return err
	}
	sd, ok := dir.(signInDirectory)
	if !ok {
		return nil // a fake directory in tests
	}
	facts, err := sd.ReadAccess(ctx, d.AppID)
	if err != nil {
		return err
	}
	if d.AppID == "" && d.DisplayName != "" {
		// A re-run updates the app the first run made (found by its upsert
		// key): nothing new is registered then.
		if app, err := dir.ApplicationByUniqueName(ctx, steps.UniqueName(d.DisplayName)); err == nil && app != nil {
			facts.AppChecked, facts.AppFound, facts.AppID = true, true, app.AppID
		}
	}
	access := steps.DecideAccess(facts)
	for _, w := range access.Warnings(facts) {
		fmt.Fprintln(ios.Err, "warning: "+steps.Clean(w))
	}
	blocked := access.Blocked(facts)
	if blocked == "" {
		return nil
	}
	if dryRun {
		fmt.Fprintln(ios.Err, "warning: "+steps.CleanMultiline(blocked))
		return nil
	}
	return errors.New(blocked)
}
