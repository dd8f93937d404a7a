package tui

import (
	"context"
	"errors"

	"github.com/pqentra/pqentra/steps"
)

// readAccess runs the can-I-register check after sign-in (steps.CheckAccess,
// the same one the CLI runs): what it finds decides what the Register step
// says before anything is sent. A failed read leaves it unknown; the steps
// then meet Graph's own answer.
func (f *flow) readAccess(ctx context.Context) {
	check, err := steps.CheckAccess(ctx, f.opts.Client, f.desired)
	if err != nil {
		f.access = nil
		return
	}
	f.access = &check
}

// registerRefusal is why this user may not register a new application,
// or "" when they may (or it is unknown).
func (f *flow) registerRefusal() string {
	if f.access == nil {
		return ""
	}
	return f.access.RegisterRefusal()
}

// accessNotes are the one-line unknowns and warnings of the check.
func (f *flow) accessNotes() []string {
	if f.access == nil {
		return nil
	}
	return f.access.Warnings()
}

// consentLink is the admin-consent URL a sign-in error carries, if any
// (graph.SignInError, found by its method so tui needs no graph import).
func consentLink(err error) string {
	var c interface{ AdminConsentLink() string }
	if err != nil && errors.As(err, &c) {
		return c.AdminConsentLink()
	}
	return ""
}
