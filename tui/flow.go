package tui

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync/atomic"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/doctor"
)

// flow is the wizard's step controller: what every step does, as plain Go
// that returns values. The full-screen wizard (Model) wraps the calls that
// talk to the directory in tea.Cmds; the plain wizard (Plain) calls them
// directly. Neither front end decides what a step means, so the two cannot
// drift apart.
type flow struct {
	opts Options
	// initial is the desired state the wizard started from (setup flags
	// over the quickstart's defaults); answers that depend on the app reset
	// to it when the app changes.
	initial steps.Desired
	// desired grows step by step; state is the directory as last read.
	desired steps.Desired
	state   steps.State
	done    map[string]bool
	// picked: the app in hand was chosen from the tenant, not registered.
	picked bool
	// findings are the doctor's view of a picked app: what the remaining
	// steps will put right.
	findings []doctor.Finding
	// scopeID is the id a new scope will get, fixed so that the preview
	// shows exactly what is sent.
	scopeID string
	// plans counts previews planned (an idle wizard must plan none).
	plans atomic.Int64
	// access is the can-I-register check read after sign-in (nil: unread).
	access *steps.AccessCheck
	// runs is what this run applied, per app (by lower-case appId): what
	// u on the last screen takes back, and nothing else.
	runs map[string]*steps.RunRecord
	// reverted: the run was taken back; there is nothing more to undo.
	reverted bool
	// deleted is the app in deleted items that holds the name the
	// Register step asked for (deleted.go); nil when none was met.
	deleted *steps.DeletedApp
	// deletedSP is its service principal in deleted items, when read.
	deletedSP *steps.ServicePrincipal
	// nextSteps say how to try the sign-in with the Power Query SDK, once
	// the record was patched into an SDK project's connector (w with a
	// folder); the summary ends with them.
	nextSteps []string
	// saved is what w (or the plain wizard's file question) wrote, as
	// told to the user ("Wrote X.", "Updated X (original kept as Y).");
	// the summary names it.
	saved string
	// cautioned are the apps (lower-case appId) found by name whose
	// extras the user has been told of; caution is the last such stop
	// (caution.go).
	cautioned map[string]bool
	caution   *cautionError
}

// stepInfo names a step: label for the progress line, title for headings.
type stepInfo struct{ id, label, title string }

// wizardSteps is the wizard in order. "Step N of M", the progress line and
// the screens all derive from it.
var wizardSteps = []stepInfo{
	{steps.StepSignIn, "Sign in", "Sign in"},
	{steps.StepRegister, "Register", "Register the resource application"},
	{steps.StepIdentifierURI, "App ID URI", "Application ID URI (becomes Resource in your connector)"},
	{steps.StepScope, "Scope", "Scope"},
	{steps.StepPreauthorize, "Preauthorize", "Preauthorize the client applications (they get tokens without a consent prompt)"},
	{steps.StepSnippet, "Snippet", "Snippet"},
}

func stepIndex(id string) int {
	for i, s := range wizardSteps {
		if s.id == id {
			return i
		}
	}
	return -1
}

func stepLabel(id string) string {
	if i := stepIndex(id); i >= 0 {
		return wizardSteps[i].label
	}
	return id
}

// stepHeading is "Step N of M: title".
func stepHeading(id string) string {
	i := stepIndex(id)
	return fmt.Sprintf("Step %d of %d: %s", i+1, len(wizardSteps), wizardSteps[i].title)
}

func newFlow(o Options) *flow {
	d := o.Desired
	if d.Scope.Value == "" {
		d.Scope.Value = steps.DefaultScopeValue
	}
	if d.Scope.Type == "" {
		d.Scope.Type = steps.ConsentUsers
	}
	if d.Clients == nil {
		d.Clients = steps.DefaultClients()
	}
	if d.IdentifierURI == "" {
		d.IdentifierURI = steps.DefaultIdentifierURI
	}
	return &flow{opts: o, initial: d, desired: d, done: map[string]bool{}, scopeID: steps.NewGUID(), runs: map[string]*steps.RunRecord{},
		cautioned: map[string]bool{}}
}

// next is the step after id: the flow decides the order, both front ends
// follow it.
func (f *flow) next(id string) string {
	if i := stepIndex(id); i >= 0 && i+1 < len(wizardSteps) {
		return wizardSteps[i+1].id
	}
	return steps.StepSnippet
}

// recovery is what the user may do after a step failed: always retry;
// edit the answers of the step at fault, when an answer caused it; go
// back, after Register.
type recovery struct {
	edit string // "" when no answer caused it
	back bool
}

func (f *flow) recovery(step string, err error) recovery {
	r := recovery{edit: f.faultStep(step, err), back: stepIndex(step) > stepIndex(steps.StepRegister)}
	if r.edit == steps.StepSignIn || r.edit == steps.StepSnippet {
		r.edit = ""
	}
	return r
}

func (f *flow) appID() string {
	if f.state.App == nil {
		return ""
	}
	return f.state.App.AppID
}

// signIn gets a token (from the cache, else as --sign-in says), then runs
// the can-I-register check: what it finds decides what the Register step
// allows and says.
func (f *flow) signIn(ctx context.Context) error {
	if err := f.opts.Client.EnsureSignedIn(ctx); err != nil {
		return err
	}
	f.readAccess(ctx)
	return nil
}

// readTenant reads who is signed in, the tenant, and the app if the
// setup flags named one. It does not change the flow: signedIn does.
func (f *flow) readTenant(ctx context.Context) (steps.State, error) {
	return steps.Read(ctx, f.opts.Client, f.desired)
}

func (f *flow) signedIn(st steps.State) {
	f.state = st
	f.done[steps.StepSignIn] = true
}

// plan is the preview: the requests the step would send for d, diffed
// against the state already read. Pure and cheap; never calls the directory.
func (f *flow) plan(step string, d steps.Desired) (*steps.Plan, error) {
	f.plans.Add(1)
	st, restore := f.state, step == steps.StepRegister && f.deletedHolds(d)
	if restore {
		st = f.restoreState(st)
	}
	return steps.Diff(st, d, steps.Options{GraphBase: f.opts.Client.GraphBase(), Only: []string{step}, NewID: f.newID(), RestoreDeleted: restore})
}

func (f *flow) newID() func() string {
	id := f.scopeID
	return func() string { return id }
}

// applyRequest is everything one apply needs, copied out of the flow so it
// can run off the UI goroutine while the flow stays untouched.
type applyRequest struct {
	step    string
	d       steps.Desired
	st      steps.State
	reread  bool
	client  Directory
	scopeID string
	// command is how pqentra was started, for the commands a refusal names.
	command steps.Command
	// restore: the app is in deleted items and the user, told so, applies
	// again: restore it and configure it (steps.Options.RestoreDeleted).
	restore bool
	// cautioned: the apps found by name whose extras the user has been
	// told of (caution.go).
	cautioned map[string]bool
}

// outcome is what an apply did. before is the state the plan was made
// from, so the run's record knows what each change replaced.
type outcome struct {
	step    string
	plan    *steps.Plan
	before  steps.State
	st      steps.State
	desired steps.Desired
	err     error
}

// request prepares sending step's changes for d. A step that changes which
// app is addressed re-reads first: an app with this name may exist from an
// earlier run, and the upsert key makes that safe either way.
func (f *flow) request(step string, d steps.Desired) applyRequest {
	reread := step == steps.StepRegister && (f.state.App == nil || !strings.EqualFold(f.state.App.AppID, d.AppID))
	return applyRequest{step: step, d: d, st: f.state, reread: reread, client: f.opts.Client, scopeID: f.scopeID, command: f.opts.Command,
		restore: step == steps.StepRegister && f.deletedHolds(d), cautioned: maps.Clone(f.cautioned)}
}

// run plans the one step against the state the wizard already has (the
// same plan the preview showed), applies it, and reads the directory back
// so the next step starts from the truth.
func (r applyRequest) run(ctx context.Context) outcome {
	if err := r.prepare(ctx); err != nil {
		return outcome{step: r.step, st: r.st, desired: r.d, err: err}
	}
	p, err := r.plan()
	if err != nil {
		return outcome{step: r.step, st: r.st, desired: r.d, err: err}
	}
	return r.send(ctx, p)
}

// prepare reads the app again when the step changes which app is meant,
// and then runs the can-I-register check for it (steps.CheckAccess, as the
// CLI does, with its re-run rule): a user who may not register, or may not
// change the app picked, is stopped before anything is sent.
func (r *applyRequest) prepare(ctx context.Context) error {
	if !r.reread {
		return nil
	}
	check, err := steps.CheckAccess(ctx, r.client, r.d)
	if err != nil {
		return err
	}
	if f := check.App; r.d.AppID != "" && f != nil && f.App != nil {
		// A picked app is configured only when it is provably the user's
		// (decided by the check from its owners; by name, the check and
		// steps.Read refuse the same way).
		if !f.Provenance.Yours {
			return &steps.NotYoursError{App: *f.App, Provenance: f.Provenance, Name: f.App.DisplayName, WaysOn: []string{
				"pick or register another application, or",
				"configure this one on purpose from the command line: " + r.command.Line("setup", "--non-interactive", "--app-id", f.App.AppID) + " (it shows whose the app is and asks first)"}}
		}
		// Picked from a search by name: found by its name.
		p := f.Provenance
		p.ByName = true
		if err := r.cautionFor(f.App, p); err != nil {
			return err
		}
	}
	st, err := steps.Read(ctx, r.client, r.d)
	if err != nil {
		return err
	}
	if st.App != nil && r.d.AppID == "" {
		// The name typed is an app's already (steps.Read found it by
		// name, and only when it is yours).
		if err := r.cautionFor(st.App, st.Provenance); err != nil {
			return err
		}
	}
	if b := check.Blocked(); b != "" {
		hint := "Choose \"Use an existing application\" to configure an app you own, or ask an admin for the role, then sign in again."
		if r.d.AppID != "" {
			hint = "Pick an application you own, or ask an owner of this one to add you (App registrations > the app > Owners)."
		}
		return &steps.Error{Message: b, Hint: hint}
	}
	r.st, r.reread = st, false
	return nil
}

// plan is what send will send.
func (r applyRequest) plan() (*steps.Plan, error) {
	id := r.scopeID
	return steps.Diff(r.st, r.d, steps.Options{GraphBase: r.client.GraphBase(), Only: []string{r.step}, NewID: func() string { return id },
		RestoreDeleted: r.restore})
}

// send applies p (made by plan) and reads the directory back.
func (r applyRequest) send(ctx context.Context, p *steps.Plan) outcome {
	o := outcome{step: r.step, st: r.st, before: r.st, desired: r.d, plan: p}
	if err := steps.Apply(ctx, r.client, p, r.client.GraphBase()); err != nil {
		o.err = err
		return o
	}
	if o.desired.AppID == "" && p.State.App != nil {
		// From here on the app is addressed by its id: a rename on the
		// Register screen must not make the wizard lose it.
		o.desired.AppID = p.State.App.AppID
	}
	after, err := steps.Read(ctx, r.client, o.desired)
	if err != nil {
		o.err = err
		return o
	}
	o.st = after
	return o
}

// commit takes an apply's outcome into the flow and returns the line that
// reports it. Everything that depends on the app resets when the app
// changed, so a second app never inherits the first one's answers.
func (f *flow) commit(o outcome) (string, error) {
	f.record(o)
	f.noteDeleted(o)
	f.noteCaution(o)
	if o.err != nil {
		if o.plan != nil && o.plan.State.App != nil && o.desired.AppID == "" {
			// The app was created before the failure: keep addressing it.
			f.state.App = o.plan.State.App
		}
		return "", o.err
	}
	before := f.appID()
	f.desired, f.state = o.desired, o.st
	f.done[o.step] = true
	if o.step == steps.StepRegister {
		f.picked = o.desired.DisplayName == ""
		if before != "" && !strings.EqualFold(before, f.appID()) {
			f.resetForNewApp()
		}
		f.findings = nil
		if f.picked && o.st.App != nil {
			f.findings = doctor.Diagnose(doctor.DiagnoseInput{Tenant: o.st.Tenant, App: o.st.App,
				ServicePrincipal: o.st.ServicePrincipal, OwnersUnknown: true})
		}
	}
	if o.step == steps.StepScope {
		f.scopeID = steps.NewGUID() // that id is taken now
	}
	return f.resultLine(o), nil
}

// record keeps what the apply sent, under the app it was sent to.
func (f *flow) record(o outcome) {
	if o.plan == nil {
		return
	}
	app := o.before.App
	if app == nil {
		app = o.plan.State.App // created by this apply
	}
	if app == nil {
		return
	}
	id := strings.ToLower(app.AppID)
	r := f.runs[id]
	if r == nil {
		r = &steps.RunRecord{AppID: app.AppID}
		f.runs[id] = r
	}
	r.Record(o.before, o.plan.Changes)
	f.reverted = false
}

// resetForNewApp forgets every answer that was about the previous app: its
// URI, scope and clients go back to where the wizard started, and the
// steps after Register count as not done.
func (f *flow) resetForNewApp() {
	f.desired.IdentifierURI = f.initial.IdentifierURI
	f.desired.Scope = f.initial.Scope
	f.desired.Clients = f.initial.Clients
	for _, s := range wizardSteps[stepIndex(steps.StepRegister)+1:] {
		delete(f.done, s.id)
	}
	f.scopeID = steps.NewGUID()
}

// resultLine is what a finished step reports on the next screen.
func (f *flow) resultLine(o outcome) string {
	n := 0
	if o.plan != nil {
		n = len(o.plan.Changes)
	}
	what := map[string]string{
		steps.StepRegister:      "Application registered, service principal in place",
		steps.StepIdentifierURI: "Application ID URI set",
		steps.StepScope:         "Scope saved",
		steps.StepPreauthorize:  "Clients preauthorized",
	}[o.step]
	if o.step == steps.StepRegister && o.plan != nil && len(o.plan.Changes) > 0 && o.plan.Changes[0].Kind == steps.OpRestore {
		what = "Application restored from deleted items, with all its settings; service principal in place"
	} else if o.step == steps.StepRegister && f.picked {
		what = "Using the existing application, service principal in place"
		if f.state.ServicePrincipal != nil && n > 0 {
			what = "Using the existing application; service principal created"
		}
	}
	if n == 0 {
		return "✓ " + what + " (nothing needed changing)"
	}
	return fmt.Sprintf("✓ %s (%d %s sent)", what, n, steps.Plural(n, "request", "requests"))
}

// faultStep is the step whose answer made step's apply fail, so the error
// screen can offer to edit that answer: a stale or bad answer of a later
// step (the URI of an app no longer in hand, say) is reported where it can
// be fixed.
//
// The engine tags every refused answer with its field (steps.InputError),
// so the step at fault comes from that, never from the error's words; of
// Graph's own refusals, only the unverified domain of a URI names an answer.
func (f *flow) faultStep(step string, err error) string {
	if e, ok := steps.AsInputError(err); ok {
		if s, ok := fieldStep[e.Field]; ok {
			return s
		}
	}
	if e, ok := steps.AsError(err); ok && e.Code == "HostNameNotOnVerifiedDomain" {
		return steps.StepIdentifierURI
	}
	return step
}

// fieldStep is the step that asks for each field.
var fieldStep = map[steps.Field]string{
	steps.FieldAppID: steps.StepRegister, steps.FieldDisplayName: steps.StepRegister, steps.FieldAudience: steps.StepRegister,
	steps.FieldIdentifierURI: steps.StepIdentifierURI,
	steps.FieldScope:         steps.StepScope, steps.FieldScopeConsent: steps.StepScope, steps.FieldScopeTexts: steps.StepScope,
	steps.FieldClients: steps.StepPreauthorize, steps.FieldClientAppID: steps.StepPreauthorize,
}

// lookupClient finds the display name of a client application, from its
// service principal in this tenant, so the user sees what they trust. An
// empty name means no such application is known here.
func (f *flow) lookupClient(ctx context.Context, appID string) (string, error) {
	if k, ok := steps.KnownClientByAppID(appID); ok {
		return k.Name, nil
	}
	sp, err := f.opts.Client.ServicePrincipalByAppID(ctx, appID)
	if err != nil || sp == nil {
		return "", err
	}
	return steps.Clean(sp.DisplayName), nil
}

// searchApps backs the existing-app picker: apps with a word of their name
// starting with the query, or the one app with that Application (client) ID.
func (f *flow) searchApps(ctx context.Context, query string) ([]steps.App, error) {
	q := strings.TrimSpace(query)
	if steps.IsGUID(q) {
		// By id through the one finder (steps.FindApp); whose the app is
		// is decided when it is picked (applyRequest.prepare).
		found, err := steps.FindApp(ctx, f.opts.Client, steps.AppQuery{AppID: q}, f.state.User)
		if err != nil || found.App == nil {
			return nil, err
		}
		return []steps.App{*found.App}, nil
	}
	return f.opts.Client.SearchApplications(ctx, q)
}

// snippet is the connector's Aad record for the app in hand.
func (f *flow) snippet() (string, error) {
	a := f.state.App
	if a == nil {
		return "", errors.New("no application yet: go back to Register")
	}
	return f.opts.Snippet(steps.ResolveURI(f.desired.IdentifierURI, a.AppID), a.DisplayName)
}

// summary is what is printed after the wizard closes.
func (f *flow) summary() string {
	a, t := f.state.App, f.state.Tenant
	if a == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Application:             %s\n", steps.Clean(a.DisplayName))
	fmt.Fprintf(&b, "Application (client) ID: %s\n", a.AppID)
	if t != nil {
		fmt.Fprintf(&b, "Directory (tenant) ID:   %s (%s)\n", t.ID, steps.Clean(t.DisplayName))
	}
	fmt.Fprintf(&b, "Application ID URI:      %s\n", steps.Clean(steps.ResolveURI(f.desired.IdentifierURI, a.AppID)))
	if sc := a.ScopeByValue(f.desired.Scope.Value); sc != nil {
		fmt.Fprintf(&b, "Scope:                   %s (%s can consent)\n", steps.Clean(sc.Value), steps.ConsentLabel(sc.Type))
	}
	var names []string
	for _, p := range a.PreAuthorized {
		names = append(names, steps.ClientLabel(p.AppID))
	}
	if len(names) > 0 {
		fmt.Fprintf(&b, "Preauthorized:           %s\n", strings.Join(names, ", "))
	}
	fmt.Fprintf(&b, "Admin center:            %s", f.portalLink())
	if n := f.portalNote(); n != "" {
		fmt.Fprintf(&b, "\n                         %s", n)
	}
	if len(f.nextSteps) > 0 {
		b.WriteString("\n\n" + steps.CleanMultiline(strings.Join(f.nextSteps, "\n")))
	}
	if f.saved != "" {
		b.WriteString("\n" + strings.TrimSuffix(f.saved, "."))
	}
	return b.String()
}

// closingSummary is what the full-screen wizard leaves in the scroll-back:
// the summary and, for a multitenant app, what to send the organizations
// that use the connector (shown on screen only on o). It depends on the
// run, never on which keys were pressed on the last screen. (The plain
// wizard prints the onboarding under the record as it goes.)
func (f *flow) closingSummary() string {
	s := f.summary()
	if o := f.onboardingText(); o != "" && s != "" {
		s += "\n\n" + strings.TrimRight(o, "\n")
	}
	return s
}

func (f *flow) portalLink() string {
	portal := f.opts.Portal
	if portal == "" {
		portal = "https://entra.microsoft.com"
	}
	return portal + "/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/" + f.appID()
}

// portalNote says what the admin-center link is: in the demo the app lives
// in the emulator only, so the link shows where it would be in a tenant.
func (f *flow) portalNote() string {
	if f.opts.Demo {
		return "(demo: this app exists only in the built-in emulator; in your tenant it would be here)"
	}
	return ""
}
