package doctor

import (
	"strings"
	"testing"

	"github.com/pqentra/pqentra/steps"
)

func TestDiagnoseAnotherOrganizationsApp(t *testing.T) {
	const appID, publisher = "5c7e9a1b-3d2f-4e6a-8b0c-1d2e3f4a5b6c", "6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13"
	fabrikam := &steps.Tenant{ID: "3d9b7c21-5e4a-4f86-b0c3-8a1e2f4d6b70", VerifiedDomains: []string{"fabrikam.com"}}
	in := DiagnoseInput{Tenant: fabrikam, AppID: appID, LoginHost: "https://login.microsoftonline.com",
		Command: steps.Command{Globals: []string{"--demo", "--demo-tenant", "customer"}}}

	fs := Diagnose(in)
	if len(fs) != 1 || fs[0].ID != FindAppNotFound || fs[0].Error != ErrNoResource || Healthy(fs) ||
		!strings.Contains(fs[0].Fix, "`pqentra --demo --demo-tenant customer onboard --app-id "+appID+"`") ||
		!strings.Contains(fs[0].Fix, "https://login.microsoftonline.com/"+fabrikam.ID+"/adminconsent?client_id="+appID) {
		t.Fatalf("%+v", fs)
	}

	in.ServicePrincipal = &steps.ServicePrincipal{ID: "sp1", AppID: appID, AppDisplayName: "Contoso Connector", AppOwnerOrganizationID: publisher}
	fs = Diagnose(in)
	if !Healthy(fs) || len(fs) != 1 || fs[0].ID != FindOnboarded || !strings.Contains(fs[0].Message, publisher) {
		t.Fatalf("%+v", fs)
	}

	in.ServicePrincipal.Disabled = true
	fs = Diagnose(in)
	if Healthy(fs) || fs[0].ID != FindSPDisabled || fs[0].Error != ErrAppDisabled {
		t.Fatalf("%+v", fs)
	}

	// The tenant's own app, whose application is gone: not another
	// organization's.
	in.ServicePrincipal = &steps.ServicePrincipal{ID: "sp2", AppID: appID, AppOwnerOrganizationID: fabrikam.ID}
	if in.Foreign() {
		t.Fatal("own service principal taken for another organization's")
	}
}

// A multitenant app's fix never keeps or takes a URI the app's audience
// cannot have: a connector naming api://{tenantId}/… gets the default.
func TestPlanFixMultitenantURI(t *testing.T) {
	in := healthyInput()
	in.App.SignInAudience = steps.AudienceMulti
	in.App.IdentifierURIs = nil
	in.App.PreAuthorized = nil
	in = withConnector(t, in, connectorSrc(goodFields[0], `Resource = "api://`+in.Tenant.ID+`/connector"`, `Scope = ".default"`))
	ds, err := PlanFix(in, Diagnose(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) == 0 || ds[0].IdentifierURI != steps.DefaultIdentifierURI {
		t.Fatalf("%+v", ds)
	}
	// The same connector on a single-tenant app keeps its URI.
	in.App.SignInAudience = steps.AudienceSingle
	if ds, _ := PlanFix(in, Diagnose(in)); len(ds) == 0 || ds[0].IdentifierURI != "api://"+in.Tenant.ID+"/connector" {
		t.Fatalf("%+v", ds)
	}
}
