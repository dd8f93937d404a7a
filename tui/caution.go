package tui

import (
	"errors"
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// An app found by name — the name typed on the Register step, or an app
// picked from the search — is configured when it is yours (you are one of
// its owners), but when it also carries what pqentra never sets (other
// owners, redirect URIs, credentials: steps.Provenance.Caution) someone
// else may still hold it. Register then stops once, before any write, and
// says so; Enter goes on with the app, e picks or names another. The note
// stays on the Register screen. `setup` warns the same way on stderr.

// cautionError stops Register once per app: nothing was sent.
type cautionError struct {
	appID string
	text  string // steps.Provenance.Caution
}

func (e *cautionError) Error() string { return e.text }

// cautionFor is the stop for app when it carries extras and the user has
// not seen them yet; nil otherwise.
func (r applyRequest) cautionFor(app *steps.App, p steps.Provenance) error {
	c := p.Caution(app)
	if c == "" || r.cautioned[strings.ToLower(app.AppID)] {
		return nil
	}
	return &cautionError{appID: app.AppID, text: c}
}

// noteCaution remembers that the user was told (Enter then goes on), and
// forgets the note once Register went through with another app.
func (f *flow) noteCaution(o outcome) {
	var ce *cautionError
	switch {
	case errors.As(o.err, &ce):
		f.cautioned[strings.ToLower(ce.appID)] = true
		f.caution = ce
	case o.err == nil && o.step == steps.StepRegister && f.caution != nil && (o.st.App == nil || !strings.EqualFold(f.caution.appID, o.st.App.AppID)):
		f.caution = nil
	}
}

// cautionNotes are the Register screen's words about it.
func (f *flow) cautionNotes() []note {
	if f.caution == nil {
		return nil
	}
	return []note{{noteWarn, "Warning: " + f.caution.text}}
}

// isCaution reports whether err is the caution stop.
func isCaution(err error) bool {
	var ce *cautionError
	return errors.As(err, &ce)
}
