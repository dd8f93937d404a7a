package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// warnings prints each warning on stderr ("warning: …") as it is said,
// and keeps it for `--output json`'s warnings.
type warnings struct {
	ios  *IOStreams
	said []string
}

func newWarnings(ios *IOStreams) *warnings { return &warnings{ios: ios, said: []string{}} }

func (w *warnings) warn(text string) {
	text = steps.CleanMultiline(text)
	w.said = append(w.said, text)
	fmt.Fprintln(w.ios.Err, "warning: "+text)
}

// checkAccess is the can-I-register check, run right after sign-in and
// before the first write (setup --non-interactive, doctor --fix). It warns
// of the one-line unknowns and the service principal, and returns the
// refusal when this user may not do what the run needs: then nothing has
// been written. A dry run only warns: it writes nothing anyway. The check
// comes back for what it read (the named app, for checkAdoption).
func checkAccess(ctx context.Context, w *warnings, dir Directory, d steps.Desired, dryRun bool) (steps.AccessCheck, error) {
	if err := dir.EnsureSignedIn(ctx); err != nil {
		return steps.AccessCheck{}, err
	}
	check, err := steps.CheckAccess(ctx, dir, d)
	if err != nil {
		return check, err
	}
	for _, text := range check.Warnings() {
		w.warn(steps.Clean(text))
	}
	blocked := check.Blocked()
	if blocked == "" {
		return check, nil
	}
	if dryRun {
		w.warn(blocked)
		return check, nil
	}
	return check, errors.New(blocked)
}

// checkAdoption: setup --app-id names an app on purpose, but an app that
// is not provably the user's (steps/provenance.go) is configured only after
// the user saw whose it is and said yes — on a terminal by a question, else
// by --adopt. A dry run only says so: it writes nothing. f is the app as
// the access check found it, its provenance decided.
func checkAdoption(ctx context.Context, ios *IOStreams, w *warnings, f *steps.Found, adopt, dryRun bool) error {
	if f == nil || f.App == nil || f.Provenance.Yours {
		return nil // a missing or unreadable app is the run's to report
	}
	a, p := f.App, f.Provenance
	msg := fmt.Sprintf("The application %q (appId %s, object id %s) is not provably yours: %s.\nOwners: %s.",
		steps.Clean(a.DisplayName), a.AppID, a.ObjectID, p.Why, p.OwnerNames())
	if len(p.Extras) > 0 {
		msg += " It also has: " + strings.Join(p.Extras, "; ") + "."
	}
	switch {
	case adopt || dryRun:
		w.warn(msg)
		return nil
	case !ios.InTTY:
		return fmt.Errorf("%s\nNothing was changed. To configure it anyway, run the same command on a terminal (it asks) or add --adopt; "+
			"or register an app of your own with --display-name instead of --app-id", msg)
	}
	fmt.Fprintln(ios.Err, steps.CleanMultiline(msg))
	fmt.Fprint(ios.Err, "pqentra will change its Application ID URI, scope, preauthorized clients and service principal. Configure it anyway? [y/N] ")
	line, err := readLine(ctx, ios.In)
	if err != nil {
		return err
	}
	if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
		return silentErrorMsg(ios, "Nothing was changed.")
	}
	return nil
}
