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
	check, err := steps.CheckAccess(ctx, dir, d)
	if err != nil {
		return err
	}
	for _, w := range check.Warnings() {
		fmt.Fprintln(ios.Err, "warning: "+steps.Clean(w))
	}
	blocked := check.Blocked()
	if blocked == "" {
		return nil
	}
	if dryRun {
		fmt.Fprintln(ios.Err, "warning: "+steps.CleanMultiline(blocked))
		return nil
	}
	return errors.New(blocked)
}
