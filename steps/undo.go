package steps

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Undo takes away what the quickstart (and pqentra setup) added. An app
// pqentra registered — recognisable by the uniqueName setup gives it — is
// deleted whole: its service principal, then the app, which Entra keeps in
// deleted items for 30 days (--purge removes it from there too). On any other
// app undo only removes what the quickstart adds to it — the Power Query
// preauthorizations, and on request one scope and one Application ID URI —
// and keeps everything else. Undo is planned, previewed, applied and checked
// the way setup is, so a run cut short is finished by running it again.

// More kinds of Graph call, for undo and restore.
const (
	OpDeleteSP  OpKind = "delete-service-principal" // DELETE /servicePrincipals/{id}
	OpDeleteApp OpKind = "delete-application"       // DELETE /applications/{id}
	OpPurge     OpKind = "purge-deleted-item"       // DELETE /directory/deletedItems/{id}
	OpRestore   OpKind = "restore-deleted-item"     // POST /directory/deletedItems/{id}/restore
)

// DeletedApp is an application in Entra's deleted items.
type DeletedApp struct {
	App
	DeletedAt time.Time
}

// RestoreWindow is how long Entra keeps a deleted application restorable.
const RestoreWindow = 30 * 24 * time.Hour

// ErrNotRegistered refuses --purge on an app pqentra did not register:
// undo never deletes such an app.
var ErrNotRegistered = errors.New("not registered by pqentra")

var pqentraUniqueName = regexp.MustCompile(`^pqentra-[0-9a-f]{20}$`)

// RegisteredByPqentra reports whether an app carries the uniqueName setup
// gives the apps it registers.
func RegisteredByPqentra(a *App) bool { return a != nil && pqentraUniqueName.MatchString(a.UniqueName) }

// UndoSpec is what the user asked undo to take away.
type UndoSpec struct {
	AppID       string // the app, by Application (client) ID …
	DisplayName string // … or the app pqentra registered under this name
	// Scope, on an app pqentra did not register, is a scope to disable and
	// then remove ("" keeps every scope).
	Scope string
	// IdentifierURI, on an app pqentra did not register, is an Application
	// ID URI to remove ("" keeps them; {appId} is filled in).
	IdentifierURI string
	// Purge also deletes a deleted app permanently from deleted items.
	Purge bool
}

// Normalize checks the spec before anything is read or sent.
func (u *UndoSpec) Normalize() error {
	u.AppID = strings.ToLower(strings.TrimSpace(u.AppID))
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	u.Scope = strings.TrimSpace(u.Scope)
	u.IdentifierURI = strings.TrimSpace(u.IdentifierURI)
	switch {
	case u.AppID != "" && u.DisplayName != "":
		return inputErr(FieldAppID, fmt.Errorf("name the app once: by its Application (client) ID or by the display name pqentra registered it with, not both"))
	case u.AppID != "":
		if err := ValidateGUID(FieldAppID, u.AppID); err != nil {
			return err
		}
	case u.DisplayName != "":
		if err := ValidateDisplayName(u.DisplayName); err != nil {
			return err
		}
	default:
		return inputErr(FieldAppID, fmt.Errorf("say which app: by its Application (client) ID, or by the display name pqentra registered it with"))
	}
	if u.Scope != "" {
		if err := ValidateScopeValue(u.Scope); err != nil {
			return err
		}
	}
	if u.IdentifierURI != "" {
		if err := ValidateIdentifierURISyntax(u.IdentifierURI); err != nil {
			return err
		}
	}
	return nil
}

// UndoState is what the directory holds for the app, live or deleted.
type UndoState struct {
	Tenant           *Tenant
	User             *User
	App              *App              // the live app, nil when none
	ServicePrincipal *ServicePrincipal // its live service principal
	Deleted          *DeletedApp       // the app in deleted items, when not live
	DeletedSP        *ServicePrincipal // its service principal in deleted items
	// Provenance says whether the live App is provably the user's.
	Provenance Provenance
}

// UndoPlan is the ordered list of writes that undo sends.
type UndoPlan struct {
	Spec  UndoSpec
	State UndoState
	// Registered: the app is pqentra's, so undo deletes it.
	Registered bool
	// Removed says, in words, what each write takes away.
	Removed []string
	// Notes are things worth saying that are not writes (a flag that does
	// not apply, a scope that is not there).
	Notes   []string
	Changes []Change
}

// Empty reports whether there is nothing to undo.
func (p *UndoPlan) Empty() bool { return len(p.Changes) == 0 }

// AppID is the app's Application (client) ID, live or deleted ("" when
// neither exists).
func (s UndoState) AppID() string {
	switch {
	case s.App != nil:
		return s.App.AppID
	case s.Deleted != nil:
		return s.Deleted.AppID
	}
	return ""
}

// ReadUndo reads what a plan needs: tenant, user, the app (live, else in
// deleted items) and its service principal.
func ReadUndo(ctx context.Context, dir Directory, u UndoSpec) (UndoState, error) {
	var st UndoState
	var err error
	if st.Tenant, st.User, err = readWho(ctx, dir); err != nil {
		return st, err
	}
	return readUndoApp(ctx, dir, u, st)
}

// readUndoApp finds the app through the one finder: by id, or by name
// (pqentra's app, also after a rename) — and by name only when it is
// provably the user's (a *NotYoursError otherwise: nothing is planned).
// Provenance is decided for an app named by id too: undo deletes only an
// app pqentra registered that is the user's.
func readUndoApp(ctx context.Context, dir Directory, u UndoSpec, st UndoState) (UndoState, error) {
	prop, key := "appId", u.AppID
	if key == "" {
		prop, key = "uniqueName", UniqueName(u.DisplayName)
	}
	f, err := FindApp(ctx, dir, AppQuery{AppID: u.AppID, DisplayName: u.DisplayName, Provenance: true}, st.User)
	if err != nil {
		return st, err
	}
	st.App, st.Provenance = f.App, f.Provenance
	appID := ""
	if st.App != nil {
		appID = st.App.AppID
		if st.ServicePrincipal, err = dir.ServicePrincipalByAppID(ctx, appID); err != nil {
			return st, err
		}
	} else {
		if st.Deleted, err = dir.DeletedApplication(ctx, prop, key); err != nil {
			return st, err
		}
		if st.Deleted != nil {
			appID = st.Deleted.AppID
		}
	}
	if appID != "" && (u.Purge || st.App == nil || st.ServicePrincipal == nil) {
		st.DeletedSP, err = dir.DeletedServicePrincipal(ctx, appID)
	}
	return st, err
}

// PlanUndo computes the writes that take away what the quickstart added. It
// is pure, like Diff.
func PlanUndo(st UndoState, u UndoSpec, base string) (*UndoPlan, error) {
	if base == "" {
		base = DefaultGraphBase
	}
	p := &UndoPlan{Spec: u, State: st}
	if c := st.Provenance.Caution(st.App); c != "" {
		p.Notes = append(p.Notes, "Warning: "+c)
	}
	switch {
	case st.App != nil && RegisteredByPqentra(st.App) && st.Provenance.Yours:
		p.Registered = true
		planDelete(p, base)
	case st.App != nil && RegisteredByPqentra(st.App):
		// pqentra's uniqueName, but not provably the user's (named by
		// --app-id; by name FindApp refused already): the key is
		// predictable, so it proves nothing. Never deleted.
		if u.Purge {
			return nil, &NotYoursError{App: *st.App, Provenance: st.Provenance, Name: st.App.DisplayName,
				WaysOn: []string{"leave out --purge: undo then only removes what the quickstart added to it, after showing it and asking",
					"or ask an owner of the app to delete it"}}
		}
		p.Notes = append(p.Notes, fmt.Sprintf("The app carries a pqentra uniqueName, but it is not provably yours (%s; owners: %s): undo keeps the app.",
			st.Provenance.Why, st.Provenance.OwnerNames()))
		planRemove(p, base)
	case st.App != nil:
		if u.Purge {
			return nil, fmt.Errorf("%w: appId %s has no uniqueName from pqentra setup, so undo only removes what the quickstart added to it and never deletes it", ErrNotRegistered, st.App.AppID)
		}
		planRemove(p, base)
	case st.Deleted != nil:
		p.Registered = RegisteredByPqentra(&st.Deleted.App)
		if u.Purge {
			return nil, &PurgeDeletedError{App: st.Deleted.App}
		}
	}
	return p, nil
}

// PurgeDeletedError refuses --purge on an app that is already in deleted
// items: Graph does not show a deleted app's owners to the permission
// pqentra signs in with, and undo never purges an app it cannot show is the
// user's. Restoring it first makes its owners readable again.
type PurgeDeletedError struct {
	App App
	// Command is how pqentra was started (the printed commands carry its
	// global flags); the command that shows the error sets it.
	Command Command
}

func (e *PurgeDeletedError) Error() string {
	return fmt.Sprintf("%q (appId %s) is already in deleted items, where pqentra cannot read its owners, and undo never purges an app it cannot show is yours. Nothing was changed.\n"+
		"To delete it for good: restore it (%s), then run %s (undo checks its owners, deletes and purges it); "+
		"or purge it in the Entra admin center (App registrations > Deleted applications). Entra purges it by itself 30 days after it was deleted.",
		Clean(e.App.DisplayName), e.App.AppID, e.Command.Line("restore", "--app-id", e.App.AppID), e.Command.Line("undo", "--app-id", e.App.AppID, "--purge"))
}

// planDelete: the service principal, then the app (then, with --purge, both
// deleted items).
func planDelete(p *UndoPlan, base string) {
	app, sp := p.State.App, p.State.ServicePrincipal
	if p.Spec.Scope != "" || p.Spec.IdentifierURI != "" {
		p.Notes = append(p.Notes, "pqentra registered this app, so undo deletes it whole; --scope and --identifier-uri are for apps pqentra did not register.")
	}
	if sp != nil {
		path := "/servicePrincipals/" + sp.ID
		p.Changes = append(p.Changes, Change{Step: StepRegister, Steps: []string{StepRegister}, Kind: OpDeleteSP,
			Summary: fmt.Sprintf("Delete the service principal of %q (it goes to deleted items)", Clean(app.DisplayName)),
			Method:  "DELETE", Path: path, URL: base + path, ObjectID: sp.ID, AppID: app.AppID})
		p.Removed = append(p.Removed, "service principal "+sp.ID)
	}
	path := "/applications/" + app.ObjectID
	p.Changes = append(p.Changes, Change{Step: StepRegister, Steps: []string{StepRegister}, Kind: OpDeleteApp,
		Summary: fmt.Sprintf("Delete the application %q (restorable from deleted items for 30 days)", Clean(app.DisplayName)),
		Method:  "DELETE", Path: path, URL: base + path, ObjectID: app.ObjectID, AppID: app.AppID})
	p.Removed = append(p.Removed, "application "+app.AppID)
	if p.Spec.Purge {
		planPurge(p, base, app.ObjectID, sp)
	}
}

// planPurge deletes the app, and its service principal, from deleted items.
func planPurge(p *UndoPlan, base, objectID string, sp *ServicePrincipal) {
	path := "/directory/deletedItems/" + objectID
	p.Changes = append(p.Changes, Change{Step: StepRegister, Steps: []string{StepRegister}, Kind: OpPurge,
		Summary: "Delete the application permanently from deleted items (it can no longer be restored)",
		Method:  "DELETE", Path: path, URL: base + path, ObjectID: objectID})
	p.Removed = append(p.Removed, "deleted application "+objectID+" (permanently)")
	if sp != nil {
		path := "/directory/deletedItems/" + sp.ID
		p.Changes = append(p.Changes, Change{Step: StepRegister, Steps: []string{StepRegister}, Kind: OpPurge,
			Summary: "Delete its service principal permanently from deleted items",
			Method:  "DELETE", Path: path, URL: base + path, ObjectID: sp.ID})
		p.Removed = append(p.Removed, "deleted service principal "+sp.ID+" (permanently)")
	}
}

// planRemove: on an app pqentra did not register, remove the Power Query
// preauthorizations and, when asked, one scope and one Application ID URI.
// Everything else stays. Graph's rules shape the writes: an enabled scope
// is disabled in one write and removed in the next, and a preauthorization
// may only name a scope the app still has, so the preauthorizations of a
// scope go in the same write that disables it (or removes it, when it is
// disabled already).
func planRemove(p *UndoPlan, base string) {
	cur := p.State.App
	var ops []op
	add := func(o op) int { ops = append(ops, o); return len(ops) - 1 }

	var scope *Scope
	if p.Spec.Scope != "" {
		if scope = cur.ScopeByValue(p.Spec.Scope); scope == nil {
			p.Notes = append(p.Notes, fmt.Sprintf("The app has no scope %q; its scopes are kept.", p.Spec.Scope))
		}
	}

	// Preauthorizations.
	pre := clonePre(cur.PreAuthorized)
	var kept []PreAuthorizedApp
	var dropped []string
	changed := false
	for _, x := range pre {
		if _, known := KnownClientByAppID(x.AppID); known {
			dropped = append(dropped, ClientLabel(x.AppID))
			p.Removed = append(p.Removed, fmt.Sprintf("preauthorization of %s (%s)", ClientLabel(x.AppID), x.AppID))
			continue
		}
		if scope != nil && containsFold(x.DelegatedPermissionIDs, scope.ID) {
			changed = true
			x.DelegatedPermissionIDs = slices.DeleteFunc(x.DelegatedPermissionIDs, func(id string) bool { return equalFoldGUID(id, scope.ID) })
			if len(x.DelegatedPermissionIDs) == 0 {
				dropped = append(dropped, x.AppID)
				p.Removed = append(p.Removed, fmt.Sprintf("preauthorization of %s (it named only the scope %s, and Graph removes a scope only when nothing names it)", x.AppID, scope.Value))
				continue
			}
			p.Removed = append(p.Removed, fmt.Sprintf("scope %s from the preauthorization of %s", scope.Value, x.AppID))
		}
		kept = append(kept, x)
	}
	preOp := -1
	if changed || len(kept) != len(pre) {
		if kept == nil {
			kept = []PreAuthorizedApp{}
		}
		what := "the Power Query preauthorizations"
		if len(dropped) > 0 {
			what = "the preauthorizations of " + strings.Join(dropped, " and ")
		}
		if scope != nil && len(dropped) == 0 {
			what = "the scope " + scope.Value + " from the preauthorizations"
		}
		preOp = add(op{step: StepPreauthorize, kind: OpPatchApp, patch: AppPatch{PreAuthorized: &kept},
			summary: "Remove " + what + " (other clients stay)"})
	}

	// The scope.
	if scope != nil {
		var deps []int
		if scope.IsEnabled {
			off := *scope
			off.IsEnabled = false
			scopes := replaceScope(cur.Scopes, off)
			deps = append(deps, add(op{step: StepScope, kind: OpPatchApp, patch: AppPatch{Scopes: &scopes},
				summary: fmt.Sprintf("Disable the scope %s first (Entra only removes a disabled scope)", scope.Value)}))
			if preOp >= 0 {
				deps = append(deps, preOp)
			}
		}
		scopes := slices.DeleteFunc(slices.Clone(cur.Scopes), func(s Scope) bool { return equalFoldGUID(s.ID, scope.ID) })
		if scopes == nil {
			scopes = []Scope{}
		}
		add(op{step: StepScope, kind: OpPatchApp, patch: AppPatch{Scopes: &scopes}, deps: deps,
			summary: fmt.Sprintf("Remove the scope %s (other scopes stay)", scope.Value)})
		p.Removed = append(p.Removed, "scope "+scope.Value+" ("+scope.ID+")")
	}

	// The Application ID URI.
	if p.Spec.IdentifierURI != "" {
		uri := ResolveURI(p.Spec.IdentifierURI, cur.AppID)
		if containsFold(cur.IdentifierURIs, uri) {
			uris := slices.DeleteFunc(slices.Clone(cur.IdentifierURIs), func(u string) bool { return strings.EqualFold(u, uri) })
			if uris == nil {
				uris = []string{}
			}
			add(op{step: StepIdentifierURI, kind: OpPatchApp, patch: AppPatch{IdentifierURIs: &uris},
				summary: fmt.Sprintf("Remove the Application ID URI %s", uri)})
			p.Removed = append(p.Removed, "identifier URI "+uri)
		} else {
			p.Notes = append(p.Notes, fmt.Sprintf("The app has no Application ID URI %s.", uri))
		}
	}
	p.Changes = merge(ops, cur, false, "", cur.AppID, base)
	for i := range p.Changes {
		p.Changes[i].AppID = cur.AppID
	}
}

// applyUndoChange sends one of the undo/restore calls; Apply hands it every
// kind it does not know itself.
func applyUndoChange(ctx context.Context, dir Directory, c *Change) error {
	switch c.Kind {
	case OpDeleteSP:
		return dir.DeleteServicePrincipal(ctx, c.ObjectID)
	case OpDeleteApp:
		return dir.DeleteApplication(ctx, c.ObjectID)
	case OpPurge:
		return dir.PurgeDeletedItem(ctx, c.ObjectID)
	case OpRestore:
		return dir.RestoreDeletedItem(ctx, c.ObjectID)
	}
	return fmt.Errorf("internal error: unknown change kind %q", c.Kind)
}

// UndoOutcome is the result of Undo.
type UndoOutcome struct {
	Plan  *UndoPlan // what was planned (and, unless dry run, sent)
	Final UndoState // the state read afterwards (the starting state on a dry run)
}

// Deleted reports whether the app is no longer live: deleted now, or
// before.
func (o *UndoOutcome) Deleted() bool {
	return o.Final.App == nil && (o.Final.Deleted != nil || o.Plan.Registered && o.Plan.State.App != nil)
}

// Undo reads, plans, applies and reads again to prove nothing is left to
// undo. confirm, when not nil, is asked after planning and before the
// first write (it sees the plan); returning an error stops the run.
func Undo(ctx context.Context, dir Directory, u UndoSpec, base string, dryRun bool, confirm func(*UndoPlan) error) (*UndoOutcome, error) {
	if base == "" {
		base = DefaultGraphBase
	}
	st, err := ReadUndo(ctx, dir, u)
	if err != nil {
		return nil, err
	}
	p, err := PlanUndo(st, u, base)
	if err != nil {
		return nil, err
	}
	out := &UndoOutcome{Plan: p, Final: st}
	if dryRun || p.Empty() {
		return out, nil
	}
	if confirm != nil {
		if err := confirm(p); err != nil {
			return out, err
		}
	}
	return ApplyUndoPlan(ctx, dir, p, base)
}

// ApplyUndoPlan sends a plan made (and shown) earlier, then reads again to
// prove nothing is left to undo. The wizard uses it so that what it sends
// is exactly what it showed.
func ApplyUndoPlan(ctx context.Context, dir Directory, p *UndoPlan, base string) (*UndoOutcome, error) {
	u := p.Spec
	// Read again by the app id, as a user checking would.
	if u.AppID == "" {
		u.AppID = p.State.AppID()
		u.DisplayName = ""
	}
	return applyChecked(ctx, dir, p, u, base, func(final UndoState) (*UndoPlan, error) { return PlanUndo(final, u, base) },
		"what undo removes", "Run the same command again")
}

// applyChecked sends p's changes, reads the app of u again, and plans
// again with replan from what it holds then: nothing may be left to do.
// undo and the wizard's revert finish the same way; again says how to
// finish a run cut short.
func applyChecked(ctx context.Context, dir Directory, p *UndoPlan, u UndoSpec, base string, replan func(UndoState) (*UndoPlan, error), what, again string) (*UndoOutcome, error) {
	if base == "" {
		base = DefaultGraphBase
	}
	st := p.State
	out := &UndoOutcome{Plan: p, Final: st}
	if err := Apply(ctx, dir, &Plan{Changes: p.Changes}, base); err != nil {
		return out, err
	}
	final, err := readUndoApp(ctx, dir, u, UndoState{Tenant: st.Tenant, User: st.User})
	if err != nil {
		return out, fmt.Errorf("the changes were sent, but reading the result failed: %w", err)
	}
	out.Final = final
	left, err := replan(final)
	if err != nil {
		return out, err
	}
	if !left.Empty() {
		var cs []string
		for _, c := range left.Changes {
			cs = append(cs, c.Summary)
		}
		return out, fmt.Errorf("the directory still holds %s: %s. %s", what, strings.Join(cs, "; "), again)
	}
	return out, nil
}
