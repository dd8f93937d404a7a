package steps

import (
	"context"
	"fmt"
	"strings"
)

// Restore brings back an app that undo deleted: POST
// /directory/deletedItems/{id}/restore returns the application with all its
// properties (URI, scopes, preauthorizations). Graph does not restore its
// service principal with it, so that is a second restore — or, when the
// service principal is no longer in deleted items, a new one.

// PlanRestore computes the writes that make the app and its service
// principal live again. appID names the app in messages.
func PlanRestore(st UndoState, appID, base string) (*UndoPlan, error) {
	if base == "" {
		base = DefaultGraphBase
	}
	p := &UndoPlan{Spec: UndoSpec{AppID: appID}, State: st}
	if st.App == nil && st.Deleted == nil {
		return nil, fmt.Errorf("no application with appId %s in this tenant, live or in deleted items: Entra keeps a deleted app for 30 days, and an app purged with `pqentra undo --purge` cannot come back. Check the id and that you signed in to the right tenant (--tenant)", appID)
	}
	if st.App == nil {
		d := st.Deleted
		path := "/directory/deletedItems/" + d.ObjectID + "/restore"
		p.Changes = append(p.Changes, Change{Step: StepRegister, Steps: []string{StepRegister}, Kind: OpRestore,
			Summary: fmt.Sprintf("Restore the application %q from deleted items, with all its settings", Clean(d.DisplayName)),
			Method:  "POST", Path: path, URL: base + path, ObjectID: d.ObjectID, AppID: d.AppID})
		p.Registered = RegisteredByPqentra(&d.App)
	}
	if st.ServicePrincipal == nil {
		id := st.AppID()
		if sp := st.DeletedSP; sp != nil {
			path := "/directory/deletedItems/" + sp.ID + "/restore"
			p.Changes = append(p.Changes, Change{Step: StepRegister, Steps: []string{StepRegister}, Kind: OpRestore,
				Summary: "Restore its service principal (Graph restores it separately from the app)",
				Method:  "POST", Path: path, URL: base + path, ObjectID: sp.ID, AppID: id})
		} else {
			path := fmt.Sprintf("/servicePrincipals(appId='%s')", id)
			p.Changes = append(p.Changes, Change{Step: StepRegister, Steps: []string{StepRegister}, Kind: OpUpsertSP,
				Summary: "Create the app's service principal in this tenant (without it sign-in fails with AADSTS500011)",
				Method:  "PATCH", Path: path, URL: base + path, AppID: id,
				Headers: map[string]string{"Prefer": "create-if-missing"}, Body: []byte(`{}`)})
		}
	}
	return p, nil
}

// Restore reads, plans, applies and reads again to prove the app and its
// service principal are live.
func Restore(ctx context.Context, dir Directory, appID, base string, dryRun bool) (*UndoOutcome, error) {
	if base == "" {
		base = DefaultGraphBase
	}
	u := UndoSpec{AppID: strings.ToLower(strings.TrimSpace(appID))}
	st, err := ReadUndo(ctx, dir, u)
	if err != nil {
		return nil, err
	}
	p, err := PlanRestore(st, u.AppID, base)
	if err != nil {
		return nil, err
	}
	out := &UndoOutcome{Plan: p, Final: st}
	if dryRun || p.Empty() {
		return out, nil
	}
	if err := Apply(ctx, dir, &Plan{Changes: p.Changes}, base); err != nil {
		return out, err
	}
	final, err := readUndoApp(ctx, dir, u, UndoState{Tenant: st.Tenant, User: st.User})
	if err != nil {
		return out, fmt.Errorf("the restore was sent, but reading the result failed: %w", err)
	}
	out.Final = final
	if final.App == nil || final.ServicePrincipal == nil {
		return out, fmt.Errorf("the restore was sent but the app or its service principal is not back yet (Entra may still be replicating): run the same command again in a minute")
	}
	return out, nil
}
