package steps

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Revert takes back exactly what one run applied to one app, and nothing
// else: the wizard's "undo this run". Unlike `pqentra undo`, which knows
// nothing of a run and removes everything the quickstart adds, it works
// from a record of the run — the app as it was before, and each change
// sent — and plans against the app as it is now (read again first), so
// what someone else changed meanwhile stays.

// RunRecord is what one run did to one app.
type RunRecord struct {
	AppID string
	// Before is the app as read before the run's first write to it; nil
	// when the run registered it.
	Before *App
	// BeforeSP is its service principal then (nil: it had none).
	BeforeSP *ServicePrincipal
	// Applied are the changes sent, in order (only those Graph accepted).
	Applied []Change
	// started: Before and BeforeSP are set.
	started bool
}

// Record adds the applied changes of a plan made from st to the record.
// The first call fixes what the app was before the run.
func (r *RunRecord) Record(st State, cs []Change) {
	for _, c := range cs {
		if !c.Applied {
			continue
		}
		if !r.started {
			r.Before, r.BeforeSP, r.started = st.App, st.ServicePrincipal, true
		}
		r.Applied = append(r.Applied, c)
	}
}

// Empty reports whether the run changed nothing.
func (r *RunRecord) Empty() bool { return r == nil || len(r.Applied) == 0 }

// Registered reports whether the run registered the app itself.
func (r *RunRecord) Registered() bool {
	return r.started && r.Before == nil && slices.ContainsFunc(r.Applied, func(c Change) bool { return c.Kind == OpUpsertApp })
}

// createdSP reports whether the run created the app's service principal.
func (r *RunRecord) createdSP() bool {
	return r.BeforeSP == nil && slices.ContainsFunc(r.Applied, func(c Change) bool { return c.Kind == OpUpsertSP })
}

// PlanRevert plans the writes that take back what r applied, from now (the
// app as read just before). An app the run registered is deleted with its
// service principal, as `pqentra undo` deletes the apps pqentra registered;
// on any other app each applied change is reversed field by field: the
// Application ID URIs, scopes and preauthorizations the run added are
// removed, a scope it changed gets its old settings back, a name or
// audience it changed is set back, and a service principal it created is
// deleted. Anything else on the app is kept as it is now.
func PlanRevert(r *RunRecord, now UndoState, base string) (*UndoPlan, error) {
	if base == "" {
		base = DefaultGraphBase
	}
	p := &UndoPlan{Spec: UndoSpec{AppID: r.AppID}, State: now}
	if r.Empty() || now.App == nil {
		return p, nil
	}
	if r.Registered() {
		p.Registered = true
		planDelete(p, base)
		return p, nil
	}
	before := r.Before
	ours := State{App: before, ServicePrincipal: r.BeforeSP}.After(r.Applied).App
	cur := now.App
	var ops []op
	add := func(o op) int { ops = append(ops, o); return len(ops) - 1 }

	// Name and audience, when the run changed them and nobody has since.
	if ours.DisplayName != before.DisplayName && cur.DisplayName == ours.DisplayName {
		name := before.DisplayName
		add(op{step: StepRegister, kind: OpPatchApp, patch: AppPatch{DisplayName: &name},
			summary: fmt.Sprintf("Rename the application back to %q", Clean(name))})
		p.Removed = append(p.Removed, fmt.Sprintf("the name %q (back to %q)", Clean(ours.DisplayName), Clean(name)))
	}
	if ours.SignInAudience != before.SignInAudience && cur.SignInAudience == ours.SignInAudience {
		aud := before.SignInAudience
		add(op{step: StepRegister, kind: OpPatchApp, patch: AppPatch{SignInAudience: &aud},
			summary: fmt.Sprintf("Set supported account types back to %s", AudienceText(aud))})
		p.Removed = append(p.Removed, "the audience "+ours.SignInAudience+" (back to "+aud+")")
	}

	// Application ID URIs the run added.
	var addedURIs []string
	for _, u := range ours.IdentifierURIs {
		if !containsFold(before.IdentifierURIs, u) && containsFold(cur.IdentifierURIs, u) {
			addedURIs = append(addedURIs, u)
		}
	}
	if len(addedURIs) > 0 {
		uris := slices.DeleteFunc(slices.Clone(cur.IdentifierURIs), func(u string) bool { return containsFold(addedURIs, u) })
		if uris == nil {
			uris = []string{}
		}
		add(op{step: StepIdentifierURI, kind: OpPatchApp, patch: AppPatch{IdentifierURIs: &uris},
			summary: "Remove the Application ID URI " + strings.Join(addedURIs, " and ") + " (the app's others stay)"})
		for _, u := range addedURIs {
			p.Removed = append(p.Removed, "identifier URI "+u)
		}
	}

	// Scopes the run added (to remove) or changed (to set back).
	var added, changed []Scope // as they are now
	for _, s := range ours.Scopes {
		now := cur.ScopeByID(s.ID)
		if now == nil {
			continue
		}
		old := before.ScopeByID(s.ID)
		switch {
		case old == nil:
			added = append(added, *now)
		case *old != s && *now != *old:
			changed = append(changed, *now)
		}
	}
	gone := func(id string) bool {
		return slices.ContainsFunc(added, func(s Scope) bool { return equalFoldGUID(s.ID, id) })
	}

	// Preauthorizations: the permission ids the run added, and any that
	// name a scope about to be removed (Graph removes a scope only when
	// nothing names it).
	pre := clonePre(cur.PreAuthorized)
	var kept []PreAuthorizedApp
	preChanged := false
	for _, x := range pre {
		var ourIDs, oldIDs []string
		if o := ours.PreAuthorizedFor(x.AppID); o != nil {
			ourIDs = o.DelegatedPermissionIDs
		}
		if b := before.PreAuthorizedFor(x.AppID); b != nil {
			oldIDs = b.DelegatedPermissionIDs
		}
		n := len(x.DelegatedPermissionIDs)
		x.DelegatedPermissionIDs = slices.DeleteFunc(x.DelegatedPermissionIDs, func(id string) bool {
			return gone(id) || containsFold(ourIDs, id) && !containsFold(oldIDs, id)
		})
		if len(x.DelegatedPermissionIDs) != n {
			preChanged = true
			if len(x.DelegatedPermissionIDs) == 0 && before.PreAuthorizedFor(x.AppID) == nil {
				p.Removed = append(p.Removed, fmt.Sprintf("preauthorization of %s (%s)", ClientLabel(x.AppID), x.AppID))
				continue
			}
			p.Removed = append(p.Removed, fmt.Sprintf("what this run preauthorized %s (%s) for", ClientLabel(x.AppID), x.AppID))
		}
		kept = append(kept, x)
	}
	preOp := -1
	if preChanged {
		if kept == nil {
			kept = []PreAuthorizedApp{}
		}
		preOp = add(op{step: StepPreauthorize, kind: OpPatchApp, patch: AppPatch{PreAuthorized: &kept},
			summary: "Remove what this run preauthorized (other clients and permissions stay)"})
	}

	if len(added)+len(changed) > 0 {
		// Entra only changes or removes a disabled scope: disable them all
		// in one write (with the preauthorizations above), then remove the
		// added ones and write the changed ones back as they were.
		var deps []int
		if slices.ContainsFunc(append(slices.Clone(added), changed...), func(s Scope) bool { return s.IsEnabled }) {
			off := slices.Clone(cur.Scopes)
			for i := range off {
				if gone(off[i].ID) || slices.ContainsFunc(changed, func(s Scope) bool { return equalFoldGUID(s.ID, off[i].ID) }) {
					off[i].IsEnabled = false
				}
			}
			var names []string
			for _, s := range append(slices.Clone(added), changed...) {
				names = append(names, s.Value)
			}
			deps = append(deps, add(op{step: StepScope, kind: OpPatchApp, patch: AppPatch{Scopes: &off},
				summary: fmt.Sprintf("Disable the scope %s first (Entra only changes or removes a disabled scope)", strings.Join(names, " and "))}))
		}
		if preOp >= 0 {
			deps = append(deps, preOp)
		}
		var final []Scope
		var what []string
		for _, s := range cur.Scopes {
			switch {
			case gone(s.ID):
				what = append(what, "remove the scope "+s.Value)
				p.Removed = append(p.Removed, "scope "+s.Value+" ("+s.ID+")")
				continue
			case slices.ContainsFunc(changed, func(c Scope) bool { return equalFoldGUID(c.ID, s.ID) }):
				s = *before.ScopeByID(s.ID)
				what = append(what, fmt.Sprintf("set the scope %s back to %s can consent, %s", s.Value, ConsentLabel(s.Type), enabledText(s.IsEnabled)))
				p.Removed = append(p.Removed, "this run's changes to the scope "+s.Value)
			}
			final = append(final, s)
		}
		if final == nil {
			final = []Scope{}
		}
		summary := strings.ToUpper(what[0][:1]) + what[0][1:]
		if len(what) > 1 {
			summary += "; " + strings.Join(what[1:], "; ")
		}
		add(op{step: StepScope, kind: OpPatchApp, patch: AppPatch{Scopes: &final}, deps: deps, summary: summary + " (other scopes stay)"})
	}
	p.Changes = merge(ops, cur, false, "", cur.AppID, base)
	for i := range p.Changes {
		p.Changes[i].AppID = cur.AppID
	}

	// A service principal the run created goes last.
	if sp := now.ServicePrincipal; sp != nil && r.createdSP() {
		path := "/servicePrincipals/" + sp.ID
		p.Changes = append(p.Changes, Change{Step: StepRegister, Steps: []string{StepRegister}, Kind: OpDeleteSP,
			Summary: fmt.Sprintf("Delete the service principal this run created for %q", Clean(cur.DisplayName)),
			Method:  "DELETE", Path: path, URL: base + path, ObjectID: sp.ID, AppID: cur.AppID})
		p.Removed = append(p.Removed, "service principal "+sp.ID)
	}
	return p, nil
}

func enabledText(on bool) string {
	if on {
		return "enabled"
	}
	return "disabled"
}

// ReadRevert reads the app of r again, live or in deleted items, so the
// revert is planned from what the directory holds now.
func ReadRevert(ctx context.Context, dir Directory, r *RunRecord) (UndoState, error) {
	return ReadUndo(ctx, dir, UndoSpec{AppID: r.AppID})
}

// ApplyRevert sends a revert made (and shown) earlier, then reads the app
// again to prove nothing of the run is left.
func ApplyRevert(ctx context.Context, dir Directory, r *RunRecord, p *UndoPlan, base string) (*UndoOutcome, error) {
	return applyChecked(ctx, dir, p, UndoSpec{AppID: r.AppID}, base, func(final UndoState) (*UndoPlan, error) { return PlanRevert(r, final, base) },
		"what this run changed", "Press u again to finish")
}
