package steps

import (
	"fmt"
	"slices"
	"strings"
)

// The diff of each step: what it must write to bring the app as read to
// the desired state, as ops that Diff (plan.go) selects and merges.

// planner holds what the steps' diffs share while a plan is made.
type planner struct {
	st    State
	d     Desired
	o     Options
	cur   *App // the app as read; nil when it is new
	isNew bool
	// appID and appName name the app in the writes and the consent texts;
	// appID is a placeholder until a new app is created.
	appID, appName string
	uniqueName     string
	ops            []op
	create         int // the op that creates the app, -1 when it exists
	scopeOp        int // the op that adds or changes the scope, -1 when none
	warnings       []string
}

func newPlanner(st State, d Desired, o Options) *planner {
	pl := &planner{st: st, d: d, o: o, cur: st.App, isNew: st.App == nil, appID: PlaceholderAppID, appName: d.DisplayName, create: -1, scopeOp: -1}
	if d.AppID == "" {
		pl.uniqueName = UniqueName(d.DisplayName)
	}
	if !pl.isNew {
		pl.appID = pl.cur.AppID
		if pl.appName == "" {
			pl.appName = pl.cur.DisplayName
		}
	}
	return pl
}

func (pl *planner) add(o op) int { pl.ops = append(pl.ops, o); return len(pl.ops) - 1 }

// diffRegister: the application itself (created, renamed, its audience
// changed) and its service principal.
func (pl *planner) diffRegister() {
	d, cur := pl.d, pl.cur
	if pl.isNew {
		aud := d.SignInAudience
		if aud == "" {
			aud = AudienceSingle
		}
		name := d.DisplayName
		pl.create = pl.add(op{step: StepRegister, kind: OpUpsertApp,
			patch:   AppPatch{DisplayName: &name, SignInAudience: &aud},
			summary: fmt.Sprintf("Register the application %q (%s)", name, AudienceText(aud))})
	} else {
		if d.DisplayName != "" && d.DisplayName != cur.DisplayName {
			name := d.DisplayName
			pl.add(op{step: StepRegister, kind: OpPatchApp, patch: AppPatch{DisplayName: &name},
				summary: fmt.Sprintf("Rename the application from %q to %q", cur.DisplayName, name)})
		}
		if d.SignInAudience != "" && d.SignInAudience != cur.SignInAudience {
			aud := d.SignInAudience
			pl.add(op{step: StepRegister, kind: OpPatchApp, patch: AppPatch{SignInAudience: &aud},
				summary: fmt.Sprintf("Change supported account types to %s", AudienceText(aud))})
		}
	}
	if pl.st.ServicePrincipal == nil {
		o := op{step: StepRegister, kind: OpUpsertSP,
			summary: "Create the app's service principal in this tenant (without it sign-in fails with AADSTS500011)"}
		if pl.create >= 0 {
			o.deps = []int{pl.create}
		}
		pl.add(o)
	}
}

// diffIdentifierURI adds the Application ID URI, keeping the app's others.
func (pl *planner) diffIdentifierURI() error {
	uri := pl.d.IdentifierURI
	if !pl.isNew {
		uri = ResolveURI(uri, pl.cur.AppID)
	}
	if err := checkMultitenantURIs(pl.st, pl.d, uri, pl.appID); err != nil {
		return err
	}
	var curURIs []string
	if !pl.isNew {
		curURIs = pl.cur.IdentifierURIs
	}
	if containsFold(curURIs, uri) {
		return nil // held already: Entra's rules apply to the URIs a write adds
	}
	if err := CheckIdentifierURIPolicy(uri, pl.appID, pl.st.Tenant); err != nil {
		return err
	}
	if err := CheckAppManagementPolicy(uri, pl.cur, pl.appID, pl.st.Tenant); err != nil {
		return err
	}
	if !IsMultitenant(pl.d.SignInAudience) {
		if w := URIPolicyWarning(uri, pl.cur, pl.appID, pl.st.Tenant); w != "" {
			pl.warnings = append(pl.warnings, w)
		}
	}
	uris := append(slices.Clone(curURIs), uri)
	o := op{step: StepIdentifierURI, kind: OpPatchApp, patch: AppPatch{IdentifierURIs: &uris},
		summary: fmt.Sprintf("Set the Application ID URI to %s", uri)}
	if pl.create >= 0 && strings.Contains(uri, PlaceholderAppID) {
		o.deps = []int{pl.create}
	}
	pl.add(o)
	return nil
}

// diffScope adds the scope, or changes the app's scope of that name in
// place (Entra only changes a disabled scope: disable first, then save it
// changed and enabled). It returns the scope as it will be stored.
func (pl *planner) diffScope() Scope {
	d := pl.d
	var curScopes []Scope
	if !pl.isNew {
		curScopes = pl.cur.Scopes
	}
	existing := (&App{Scopes: curScopes}).ScopeByValue(d.Scope.Value)
	want := Scope{Value: d.Scope.Value, Type: d.Scope.Type, IsEnabled: true}
	// The name comes from Graph (or the user): the consent texts get it
	// cleaned, so no control or bidi character reaches a consent prompt.
	texts := DefaultScopeTexts(d.Scope.Value, Clean(pl.appName))
	if d.Scope.Texts != nil {
		texts = *d.Scope.Texts
	}
	if existing == nil {
		want.ID = pl.o.NewID()
		setTexts(&want, texts)
		scopes := append(slices.Clone(curScopes), want)
		pl.scopeOp = pl.add(op{step: StepScope, kind: OpPatchApp, patch: AppPatch{Scopes: &scopes},
			summary: fmt.Sprintf("Add the scope %s (%s can consent, enabled)", want.Value, ConsentLabel(want.Type))})
		return want
	}
	want.ID = existing.ID
	want.Value = existing.Value
	setTexts(&want, ScopeTexts{existing.AdminConsentDisplayName, existing.AdminConsentDescription,
		existing.UserConsentDisplayName, existing.UserConsentDescription})
	if d.Scope.Texts != nil {
		setTexts(&want, texts)
	} else {
		fillEmptyTexts(&want, texts)
	}
	if want == *existing {
		return want
	}
	var deps []int
	if existing.IsEnabled {
		// Entra refuses to change an enabled scope: disable it in one
		// write, change it in the next.
		off := *existing
		off.IsEnabled = false
		scopes := replaceScope(curScopes, off)
		deps = []int{pl.add(op{step: StepScope, kind: OpPatchApp, patch: AppPatch{Scopes: &scopes},
			summary: fmt.Sprintf("Disable the scope %s first (Entra only changes a disabled scope)", existing.Value)})}
	}
	scopes := replaceScope(curScopes, want)
	pl.add(op{step: StepScope, kind: OpPatchApp, patch: AppPatch{Scopes: &scopes}, deps: deps,
		summary: fmt.Sprintf("Update the scope %s: %s can consent, enabled", want.Value, ConsentLabel(want.Type))})
	return want
}

// diffPreauthorize preauthorizes the clients for the scope, keeping every
// other preauthorization.
func (pl *planner) diffPreauthorize(scope Scope) {
	var curPre []PreAuthorizedApp
	if !pl.isNew {
		curPre = pl.cur.PreAuthorized
	}
	pre := clonePre(curPre)
	var added []string
	for _, c := range pl.d.Clients {
		i := slices.IndexFunc(pre, func(x PreAuthorizedApp) bool { return equalFoldGUID(x.AppID, c) })
		if i < 0 {
			pre = append(pre, PreAuthorizedApp{AppID: c, DelegatedPermissionIDs: []string{scope.ID}})
			added = append(added, ClientLabel(c))
		} else if !containsFold(pre[i].DelegatedPermissionIDs, scope.ID) {
			pre[i].DelegatedPermissionIDs = append(pre[i].DelegatedPermissionIDs, scope.ID)
			added = append(added, ClientLabel(c))
		}
	}
	if len(added) == 0 {
		return
	}
	o := op{step: StepPreauthorize, kind: OpPatchApp, patch: AppPatch{PreAuthorized: &pre},
		summary: fmt.Sprintf("Preauthorize %s for %s (no consent prompt, no AADSTS650057)", strings.Join(added, " and "), scope.Value)}
	if pl.scopeOp >= 0 {
		// A preauthorization may only name a scope already stored.
		o.deps = []int{pl.scopeOp}
	}
	pl.add(o)
}
