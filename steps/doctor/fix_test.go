package doctor

import (
	"slices"
	"testing"

	"github.com/pqentra/pqentra/steps"
)

// fixAndProject plans the fix and applies its previews to the app, as
// Graph would, returning the app afterwards.
func fixAndProject(t *testing.T, in DiagnoseInput) (*steps.App, []steps.Desired, []steps.Change) {
	t.Helper()
	ds, err := PlanFix(in, Diagnose(in))
	if err != nil {
		t.Fatal(err)
	}
	st := steps.State{Tenant: in.Tenant, App: in.App, ServicePrincipal: in.ServicePrincipal}
	cs, err := PreviewFix(st, ds, steps.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return st.After(cs).App, ds, cs
}

func TestPlanFixHealthyIsNil(t *testing.T) {
	in := healthyInput()
	if ds, err := PlanFix(in, Diagnose(in)); err != nil || ds != nil {
		t.Fatalf("%v %v", ds, err)
	}
}

func TestPlanFixRepairsAndKeepsOthers(t *testing.T) {
	otherScope := steps.Scope{ID: tAdminID, Value: "Files.Admin", Type: steps.ConsentAdmins, IsEnabled: true, AdminConsentDisplayName: "a", AdminConsentDescription: "a"}
	other := steps.PreAuthorizedApp{AppID: tOther, DelegatedPermissionIDs: []string{tAdminID}}
	cases := map[string]struct {
		mutate    func(*DiagnoseInput)
		wantScope string
	}{
		"excel missing":  {func(in *DiagnoseInput) { in.App.PreAuthorized = in.App.PreAuthorized[1:] }, "Data.Read"},
		"disabled scope": {func(in *DiagnoseInput) { in.App.Scopes[0].IsEnabled = false }, "Data.Read"},
		"admin only":     {func(in *DiagnoseInput) { in.App.Scopes[0].Type = steps.ConsentAdmins }, "Data.Read"},
		// The only scope is admin-only: the fix makes it "Admins and
		// users" (what the admin-only-scope finding says it does) rather
		// than adding a second scope beside it.
		"only an admin scope": {func(in *DiagnoseInput) {
			in.App.Scopes = []steps.Scope{otherScope}
			in.App.PreAuthorized = []steps.PreAuthorizedApp{other}
		}, "Files.Admin"},
		"no sp, no uri":      {func(in *DiagnoseInput) { in.ServicePrincipal = nil; in.App.IdentifierURIs = nil }, "Data.Read"},
		"nothing configured": {func(in *DiagnoseInput) { in.App.Scopes = nil; in.App.PreAuthorized = nil }, "Data.Read"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			in := healthyInput()
			if name != "only an admin scope" && name != "nothing configured" {
				in.App.Scopes = append(in.App.Scopes, otherScope)
				in.App.PreAuthorized = append(in.App.PreAuthorized, other)
			}
			c.mutate(&in)
			before := *in.App
			before.Scopes = slices.Clone(in.App.Scopes)
			before.PreAuthorized = nil
			for _, p := range in.App.PreAuthorized {
				before.PreAuthorized = append(before.PreAuthorized, steps.PreAuthorizedApp{AppID: p.AppID, DelegatedPermissionIDs: slices.Clone(p.DelegatedPermissionIDs)})
			}
			app, ds, cs := fixAndProject(t, in)
			if len(ds) == 0 || ds[0].Scope.Value != c.wantScope || len(cs) == 0 {
				t.Fatalf("desired %+v changes %d", ds, len(cs))
			}
			after := in
			after.App = app
			if len(cs) > 0 && slices.ContainsFunc(cs, func(c steps.Change) bool { return c.Kind == steps.OpUpsertSP }) {
				after.ServicePrincipal = &steps.ServicePrincipal{AppID: tAppID}
			}
			if errs := ids(Diagnose(after), SeverityError); len(errs) != 0 {
				t.Fatalf("still %v after the fix", errs)
			}
			// Nothing dropped: every scope and client still there, and
			// the other client's preauthorization untouched.
			for _, s := range before.Scopes {
				if app.ScopeByID(s.ID) == nil {
					t.Errorf("scope %s dropped", s.Value)
				}
			}
			for _, p := range before.PreAuthorized {
				got := app.PreAuthorizedFor(p.AppID)
				if got == nil {
					t.Errorf("client %s dropped", p.AppID)
				} else if p.AppID == tOther && !slices.Equal(got.DelegatedPermissionIDs, p.DelegatedPermissionIDs) {
					t.Errorf("other client changed: %v", got.DelegatedPermissionIDs)
				}
			}
		})
	}
}

func TestPlanFixKeepsConnectorsURIAndScope(t *testing.T) {
	in := healthyInput()
	in.App.IdentifierURIs = nil
	in.App.PreAuthorized = nil
	in = withConnector(t, in, connectorSrc(goodFields[0], `Resource = "https://api.contoso.onmicrosoft.com/x"`, `Scope = "Data.Write"`))
	ds, err := PlanFix(in, Diagnose(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].IdentifierURI != "https://api.contoso.onmicrosoft.com/x" || ds[0].Scope.Value != "Data.Write" {
		t.Fatalf("%+v", ds)
	}
	if FixResource(in) != "https://api.contoso.onmicrosoft.com/x" {
		t.Fatal(FixResource(in))
	}
}

// A fix must not be refused by the tenant's app management policy: a
// connector naming api://myconnector (no app id, tenant id or verified
// domain) on an app without a URI gets the default when the policy could
// not be read (Microsoft switched the setting on in most tenants) or
// forbids it; only a policy known to be off lets the fix take it.
func TestPlanFixURIUnderAppManagementPolicy(t *testing.T) {
	for _, tc := range []struct {
		name   string
		policy *steps.URIPolicy
		want   string
	}{
		{"unknown", nil, steps.DefaultIdentifierURI},
		{"on", &steps.URIPolicy{UniqueTenantIdentifier: steps.URIRestriction{Enabled: true}}, steps.DefaultIdentifierURI},
		{"off", &steps.URIPolicy{}, "api://myconnector"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := healthyInput()
			in.App.SignInAudience = steps.AudienceSingle
			in.App.IdentifierURIs = nil
			in.App.PreAuthorized = nil
			in.Tenant.URIPolicy = tc.policy
			in = withConnector(t, in, connectorSrc(goodFields[0], `Resource = "api://myconnector"`, `Scope = ".default"`))
			ds, err := PlanFix(in, Diagnose(in))
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) == 0 || ds[0].IdentifierURI != tc.want {
				t.Fatalf("%+v", ds)
			}
		})
	}
}
