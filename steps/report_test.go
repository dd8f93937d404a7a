package steps

import (
	"context"
	"slices"
	"testing"
)

// Issue 10 F5: outside a dry run the report is what the directory holds.
func TestReportIsWhatExists(t *testing.T) {
	d := mustDesired(t, Desired{DisplayName: "Contoso Connector"})
	p, err := Diff(State{Tenant: tenant}, d, Options{NewID: fixedID(sid)})
	if err != nil {
		t.Fatal(err)
	}
	// The app was made, with its scope; the URI and preauthorization
	// write failed.
	app := &App{AppID: "11111111-2222-4333-8444-555555555555", ObjectID: "99999999-2222-4333-8444-555555555555",
		DisplayName: "Contoso Connector", SignInAudience: AudienceSingle,
		Scopes: []Scope{{ID: sid, Value: "Data.Read", Type: ConsentUsers, IsEnabled: true}}}
	out := &Outcome{Plan: p, Final: State{Tenant: tenant, App: app}, Known: true}
	r := BuildReport(context.Background(), nil, out, false)
	if r.IdentifierURI != "" || len(r.PreAuthorizedApplications) != 0 || r.ServicePrincipalID != "" || len(r.Unknown) != 0 {
		t.Errorf("the report shows what was wanted: %+v", r)
	}
	if r.AppID != app.AppID || r.Scope.ID != sid {
		t.Errorf("the report misses what exists: %+v", r)
	}

	// The read after the failure failed too: the app is known to exist
	// (it was created), the rest is unknown.
	p.State.App = app
	out = &Outcome{Plan: p, Final: State{Tenant: tenant}, Known: false}
	r = BuildReport(context.Background(), nil, out, false)
	if r.AppID != app.AppID || r.IdentifierURI != "" || !slices.Contains(r.Unknown, "identifierUri") || slices.Contains(r.Unknown, "appId") {
		t.Errorf("unknown state: %+v", r)
	}

	// A dry run still shows the plan.
	out = &Outcome{Plan: p, Final: State{Tenant: tenant}, Known: true}
	if r = BuildReport(context.Background(), nil, out, true); r.IdentifierURI != DefaultIdentifierURI || len(r.PreAuthorizedApplications) != 2 {
		t.Errorf("dry run: %+v", r)
	}
}

func TestPatchHolds(t *testing.T) {
	name, aud := "A", AudienceSingle
	sc := Scope{ID: sid, Value: "Data.Read", Type: ConsentUsers, IsEnabled: true, AdminConsentDisplayName: "x"}
	app := &App{DisplayName: "A", SignInAudience: aud, Scopes: []Scope{sc}}
	p := AppPatch{DisplayName: &name, SignInAudience: &aud, Scopes: &[]Scope{sc}}
	if !PatchHolds(app, p) {
		t.Error("the app holds the patch")
	}
	other := sc
	other.ID = "0f0f0f0f-1111-4222-8333-555555555555"
	if PatchHolds(app, AppPatch{Scopes: &[]Scope{other}}) {
		t.Error("another run's scope taken for ours")
	}
	multi := AudienceMulti
	if PatchHolds(app, AppPatch{SignInAudience: &multi}) || PatchHolds(nil, p) {
		t.Error("a different app taken for ours")
	}
}
