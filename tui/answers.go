package tui

import (
	"errors"
	"slices"
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// The answers of each step, where they start from, and how they become
// steps.Desired. Both front ends bind their fields to these structs and
// call these functions, so a step starts from the same values and is
// validated the same way in the full-screen and the plain wizard.

const (
	modeNew      = "new"
	modeExisting = "existing"
)

var (
	errNoAppPicked = errors.New("no application picked: type a word of its name (or paste its Application (client) ID) and choose it from the list")
	errNoClient    = errors.New("no client chosen: Power Query cannot sign users in to your service unless its clients are preauthorized (or users consent). Choose at least Power Query for Excel and Power BI Data Refresh")
	errEmptyText   = errors.New("Entra requires this text")
)

type registerAnswers struct {
	mode, name, audience string
	query, picked        string
}

func (f *flow) registerStart() registerAnswers {
	a := registerAnswers{mode: modeNew, name: f.desired.DisplayName, audience: f.desired.SignInAudience}
	switch app := f.state.App; {
	case app != nil && f.done[steps.StepRegister] && f.picked:
		a.mode, a.query, a.picked = modeExisting, app.AppID, app.AppID
	case app != nil && f.done[steps.StepRegister]:
		a.name, a.audience = app.DisplayName, app.SignInAudience
	case f.desired.AppID != "":
		a.mode, a.query = modeExisting, f.desired.AppID
	}
	if a.audience == "" {
		a.audience = steps.AudienceSingle
	}
	return a
}

func (f *flow) registerDesired(a registerAnswers) (steps.Desired, error) {
	d := f.desired
	if a.mode == modeExisting {
		if !steps.IsGUID(strings.TrimSpace(a.picked)) {
			return d, errNoAppPicked
		}
		d.AppID, d.DisplayName, d.SignInAudience = strings.TrimSpace(a.picked), "", ""
	} else {
		if !f.done[steps.StepRegister] || f.state.App == nil || f.picked {
			d.AppID = "" // a new app; else a rename of the one registered here
		}
		d.DisplayName, d.SignInAudience = a.name, a.audience
	}
	d = f.forApp(d)
	err := d.Normalize()
	return d, err
}

// forApp: answers about the app in hand do not carry over to another app.
func (f *flow) forApp(d steps.Desired) steps.Desired {
	if cur := f.appID(); cur != "" && !strings.EqualFold(cur, strings.TrimSpace(d.AppID)) {
		d.IdentifierURI, d.Scope, d.Clients = f.initial.IdentifierURI, f.initial.Scope, f.initial.Clients
	}
	return d
}

type uriAnswers struct{ uri string }

func (f *flow) uriStart() uriAnswers {
	uri := steps.ResolveURI(f.desired.IdentifierURI, f.appID())
	if a := f.state.App; a != nil && len(a.IdentifierURIs) > 0 && !f.done[steps.StepIdentifierURI] &&
		f.desired.IdentifierURI == steps.DefaultIdentifierURI {
		uri = a.IdentifierURIs[0] // an existing app keeps the URI it has
	}
	return uriAnswers{uri: uri}
}

// checkURI validates as Graph will: syntax, then the tenant's URI policy.
// Empty means the default, api://{appId}.
func (f *flow) checkURI(v string) error {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	if err := steps.ValidateIdentifierURISyntax(v); err != nil {
		return err
	}
	if err := steps.CheckIdentifierURIFor(v, f.appID(), f.audience(), f.state.Tenant); err != nil {
		return err
	}
	if a := f.state.App; a != nil && steps.ContainsURI(a.IdentifierURIs, steps.ResolveURI(v, a.AppID)) {
		return nil // held already: the policy restricts only URIs added
	}
	return steps.CheckAppManagementPolicy(v, f.state.App, f.appID(), f.state.Tenant)
}

// audience is the app's sign-in audience as it is (once registered) or
// will be: a multitenant app's URI has fewer forms.
func (f *flow) audience() string {
	if f.state.App != nil && f.state.App.SignInAudience != "" {
		return f.state.App.SignInAudience
	}
	return f.desired.SignInAudience
}

func (f *flow) uriDesired(a uriAnswers) (steps.Desired, error) {
	d := f.desired
	d.IdentifierURI = strings.TrimSpace(a.uri)
	if d.IdentifierURI == "" {
		d.IdentifierURI = steps.DefaultIdentifierURI
	}
	if err := f.checkURI(d.IdentifierURI); err != nil {
		return d, err
	}
	err := d.Normalize()
	return d, err
}

type scopeAnswers struct {
	value, consent string
	editTexts      bool
	texts          steps.ScopeTexts
}

// scopeStart: an app that has a scope of its own starts from it
// (steps.App.ConnectorScope, the one doctor's fix uses): a healthy one is
// kept, an admin-only one is offered as "Admins and users", in place —
// never a second scope beside it. Else the wizard's answer (Data.Read by
// default). The consent texts start from what the wizard was told, else
// the app's current texts for this scope, else the quickstart's.
func (f *flow) scopeStart() scopeAnswers {
	a := scopeAnswers{value: f.desired.Scope.Value, consent: f.desired.Scope.Type}
	if own := f.state.App.ConnectorScope(); own != nil && !f.done[steps.StepScope] && f.desired.Scope == f.initial.Scope &&
		f.state.App.ScopeByValue(a.value) == nil {
		a.value, a.consent = own.Value, steps.ConsentUsers
	}
	if t := f.desired.Scope.Texts; t != nil {
		a.texts = *t
	} else if cur := f.state.App.ScopeByValue(a.value); cur != nil {
		a.texts = steps.ScopeTexts{AdminConsentDisplayName: cur.AdminConsentDisplayName, AdminConsentDescription: cur.AdminConsentDescription,
			UserConsentDisplayName: cur.UserConsentDisplayName, UserConsentDescription: cur.UserConsentDescription}
	} else {
		a.texts = steps.DefaultScopeTexts(a.value, steps.Clean(f.appName()))
	}
	return a
}

func (f *flow) appName() string {
	if f.state.App != nil {
		return f.state.App.DisplayName
	}
	return f.desired.DisplayName
}

func (f *flow) scopeDesired(a scopeAnswers) (steps.Desired, error) {
	d := f.desired
	d.Scope.Value, d.Scope.Type, d.Scope.Texts = a.value, a.consent, nil
	if a.editTexts {
		t := a.texts
		d.Scope.Texts = &t
	}
	err := d.Normalize()
	return d, err
}

type preauthAnswers struct {
	known []string
	other string
	// trusted is the other client the user already said yes to.
	trusted string
	// kept are the named clients the app already preauthorizes for the
	// scope: checked from the start, and they stay — the wizard, like
	// setup, only adds preauthorizations (fields.go says so on screen).
	kept []string
	// keptOthers are the other clients already preauthorized for it.
	keptOthers []string
	// scope is the scope's value, for the words on screen.
	scope string
}

// preauthStart starts the checklist from the app: the clients asked for
// (the defaults, or --preauthorize), and those the app already
// preauthorizes for the scope, which are kept.
func (f *flow) preauthStart() preauthAnswers {
	a := preauthAnswers{scope: f.desired.Scope.Value}
	for _, id := range f.desired.Clients {
		if _, ok := steps.KnownClientByAppID(id); ok {
			a.known = append(a.known, strings.ToLower(id))
		} else {
			a.other, a.trusted = id, id // confirmed when it was added
		}
	}
	for _, id := range f.preauthorizedNow() {
		id = strings.ToLower(id)
		if _, ok := steps.KnownClientByAppID(id); !ok {
			a.keptOthers = append(a.keptOthers, id)
			continue
		}
		a.kept = append(a.kept, id)
		if !slices.Contains(a.known, id) {
			a.known = append(a.known, id)
		}
	}
	return a
}

// preauthorizedNow are the clients the app, as last read, preauthorizes
// for the scope this run configures.
func (f *flow) preauthorizedNow() []string {
	app := f.state.App
	if app == nil {
		return nil
	}
	sc := app.ScopeByValue(f.desired.Scope.Value)
	if sc == nil {
		return nil
	}
	var out []string
	for _, p := range app.PreAuthorized {
		if slices.ContainsFunc(p.DelegatedPermissionIDs, func(id string) bool { return strings.EqualFold(id, sc.ID) }) {
			out = append(out, p.AppID)
		}
	}
	return out
}

func (a preauthAnswers) clients() []string {
	out := slices.Clone(a.known)
	if o := a.otherID(); steps.IsGUID(o) {
		out = append(out, o)
	}
	if out == nil {
		out = []string{}
	}
	return out
}

func (a preauthAnswers) otherID() string { return strings.ToLower(strings.TrimSpace(a.other)) }

// untrusted is the other client id still to be looked up and confirmed:
// preauthorizing skips consent, so nobody is added unseen.
func (a preauthAnswers) untrusted() string {
	o := a.otherID()
	if o == "" || o == a.trusted {
		return ""
	}
	if _, known := steps.KnownClientByAppID(o); known {
		return ""
	}
	return o
}

func (f *flow) preauthDesired(a preauthAnswers) (steps.Desired, error) {
	d := f.desired
	d.Clients = a.clients()
	if len(d.Clients) == 0 {
		return d, errNoClient
	}
	err := d.Normalize()
	return d, err
}

// validClientID accepts an empty answer (no other client) or a GUID.
func validClientID(v string) error {
	if v = strings.TrimSpace(v); v == "" {
		return nil
	}
	return steps.ValidateGUID("client id", v)
}

func nonEmpty(v string) error {
	if strings.TrimSpace(v) == "" {
		return errEmptyText
	}
	return nil
}
