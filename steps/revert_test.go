package steps

import (
	"encoding/json"
	"strings"
	"testing"
)

const (
	rvScopeOld = "aaaaaaaa-0000-4000-8000-00000000000a"
	rvScopeNew = "aaaaaaaa-0000-4000-8000-00000000000b"
	rvOther    = "99999999-0000-4000-8000-000000000009"
)

func rvApp() *App {
	return &App{ObjectID: "obj1", AppID: tAppID, DisplayName: "Legacy", SignInAudience: AudienceSingle,
		IdentifierURIs: []string{"api://" + tAppID},
		Scopes:         []Scope{{ID: rvScopeOld, Value: "Legacy.Read", Type: ConsentUsers, IsEnabled: true, AdminConsentDisplayName: "a", AdminConsentDescription: "b"}}}
}

// run plans d against before, marks every change applied, and returns the
// record and the app as the run left it.
func rvRun(t *testing.T, before *App, sp *ServicePrincipal, d Desired, only string) (*RunRecord, *App) {
	t.Helper()
	if err := d.Normalize(); err != nil {
		t.Fatal(err)
	}
	st := State{App: before, ServicePrincipal: sp}
	p, err := Diff(st, d, Options{Only: []string{only}, NewID: func() string { return rvScopeNew }})
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Changes {
		p.Changes[i].Applied = true
	}
	r := &RunRecord{AppID: before.AppID}
	r.Record(st, p.Changes)
	return r, st.After(p.Changes).App
}

func preauthJSON(cs []Change) string {
	var out []string
	for _, c := range cs {
		if c.Patch.PreAuthorized != nil {
			b, _ := json.Marshal(*c.Patch.PreAuthorized)
			out = append(out, string(b))
		}
	}
	return strings.Join(out, " | ")
}

// The run added a scope to an app whose Power Query clients were already
// preauthorized (for its own scope): the revert removes that scope and the
// permission the run added, and keeps the clients' old preauthorization.
func TestRevertKeepsEarlierPreauthorizations(t *testing.T) {
	before := rvApp()
	before.PreAuthorized = []PreAuthorizedApp{{AppID: ClientExcel.AppID, DelegatedPermissionIDs: []string{rvScopeOld}},
		{AppID: ClientRefresh.AppID, DelegatedPermissionIDs: []string{rvScopeOld}}}
	sp := &ServicePrincipal{ID: "sp1", AppID: tAppID}
	d := Desired{AppID: tAppID, Scope: ScopeSpec{Value: "Data.Read"}}
	r1, mid := rvRun(t, before, sp, d, StepScope)
	d.Scope.Value = "Data.Read"
	r2, after := rvRun(t, mid, sp, d, StepPreauthorize)
	r1.Applied = append(r1.Applied, r2.Applied...)
	p, err := PlanRevert(r1, UndoState{App: after, ServicePrincipal: sp}, "")
	if err != nil {
		t.Fatal(err)
	}
	if p.Registered || len(p.Changes) != 2 {
		t.Fatalf("plan %+v", p.Changes)
	}
	got := State{App: after, ServicePrincipal: sp}.After(p.Changes).App
	if len(got.Scopes) != 1 || got.Scopes[0].ID != rvScopeOld || !got.Scopes[0].IsEnabled {
		t.Errorf("scopes after revert: %+v", got.Scopes)
	}
	if len(got.PreAuthorized) != 2 || len(got.PreAuthorized[0].DelegatedPermissionIDs) != 1 || got.PreAuthorized[0].DelegatedPermissionIDs[0] != rvScopeOld {
		t.Errorf("preauthorizations after revert: %s", preauthJSON(p.Changes))
	}
	if strings.Contains(string(p.Changes[0].Body), `"preAuthorizedApplications":[]`) {
		t.Errorf("the revert empties the preauthorizations: %s", p.Changes[0].Body)
	}
}

// An app an earlier run registered, where this run only set the URI: the
// revert removes the URI, and never deletes the app.
func TestRevertOnlyTheURIOnAnEarlierApp(t *testing.T) {
	before := rvApp()
	before.UniqueName = UniqueName("Legacy") // registered by pqentra, earlier
	before.IdentifierURIs = nil
	sp := &ServicePrincipal{ID: "sp1", AppID: tAppID}
	r, after := rvRun(t, before, sp, Desired{AppID: tAppID}, StepIdentifierURI)
	p, err := PlanRevert(r, UndoState{App: after, ServicePrincipal: sp}, "")
	if err != nil {
		t.Fatal(err)
	}
	if p.Registered || len(p.Changes) != 1 || p.Changes[0].Kind != OpPatchApp || !strings.Contains(string(p.Changes[0].Body), `"identifierUris":[]`) {
		t.Fatalf("plan: %+v", p.Changes)
	}
}

// Excel and another client were preauthorized; the run added Power BI:
// the revert removes Power BI only.
func TestRevertOnlyTheAddedClient(t *testing.T) {
	before := rvApp()
	before.PreAuthorized = []PreAuthorizedApp{{AppID: ClientExcel.AppID, DelegatedPermissionIDs: []string{rvScopeOld}},
		{AppID: rvOther, DelegatedPermissionIDs: []string{rvScopeOld}}}
	sp := &ServicePrincipal{ID: "sp1", AppID: tAppID}
	r, after := rvRun(t, before, sp, Desired{AppID: tAppID, Scope: ScopeSpec{Value: "Legacy.Read"}}, StepPreauthorize)
	p, err := PlanRevert(r, UndoState{App: after, ServicePrincipal: sp}, "")
	if err != nil {
		t.Fatal(err)
	}
	got := State{App: after}.After(p.Changes).App
	if len(p.Changes) != 1 || len(got.PreAuthorized) != 2 || got.PreAuthorizedFor(ClientExcel.AppID) == nil || got.PreAuthorizedFor(rvOther) == nil {
		t.Fatalf("after revert: %s", preauthJSON(p.Changes))
	}
	if len(p.Removed) != 1 || !strings.Contains(p.Removed[0], "Power BI Data Refresh") {
		t.Errorf("removed: %q", p.Removed)
	}
}

// An admin-only scope the run made "Admins and users" is set back, after
// disabling it (Entra only changes a disabled scope); a service principal
// the run created is deleted.
func TestRevertSetsAChangedScopeBack(t *testing.T) {
	before := rvApp()
	before.Scopes[0].Type = ConsentAdmins
	r, after := rvRun(t, before, nil, Desired{AppID: tAppID, Scope: ScopeSpec{Value: "Legacy.Read"}}, StepScope)
	r2, _ := rvRun(t, before, nil, Desired{AppID: tAppID, Scope: ScopeSpec{Value: "Legacy.Read"}}, StepRegister)
	r.Applied = append(r2.Applied, r.Applied...)
	r.BeforeSP = nil
	sp := &ServicePrincipal{ID: "sp9", AppID: tAppID}
	p, err := PlanRevert(r, UndoState{App: after, ServicePrincipal: sp}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 3 || p.Changes[2].Kind != OpDeleteSP {
		t.Fatalf("plan: %+v", p.Changes)
	}
	if s := (State{App: after}).After(p.Changes[:1]).App.Scopes[0]; s.IsEnabled {
		t.Errorf("first write does not disable: %+v", s)
	}
	if s := (State{App: after}).After(p.Changes).App.Scopes[0]; s != before.Scopes[0] {
		t.Errorf("scope after revert %+v, want %+v", s, before.Scopes[0])
	}
}

// The app the run registered is deleted whole, as undo does.
func TestRevertDeletesTheAppTheRunRegistered(t *testing.T) {
	d := Desired{DisplayName: "New One"}
	if err := d.Normalize(); err != nil {
		t.Fatal(err)
	}
	p, err := Diff(State{}, d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Changes {
		p.Changes[i].Applied = true
	}
	r := &RunRecord{AppID: tAppID}
	r.Record(State{}, p.Changes)
	now := UndoState{App: &App{ObjectID: "o", AppID: tAppID, UniqueName: UniqueName("New One"), DisplayName: "New One"}, ServicePrincipal: &ServicePrincipal{ID: "sp"}}
	rp, err := PlanRevert(r, now, "")
	if err != nil || !rp.Registered || len(rp.Changes) != 2 || rp.Changes[1].Kind != OpDeleteApp {
		t.Fatalf("%v %+v", err, rp)
	}
}
