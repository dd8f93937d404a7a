package steps

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// onboardDir is a customer's tenant for Onboard's decisions; the Graph
// side is tested against the emulator in graph/ and e2e/.
type onboardDir struct {
	tenant    Tenant
	apps      []App
	sps       []ServicePrincipal
	createErr error
	created   int
	deleted   []string
}

func (d *onboardDir) Me(context.Context) (*User, error) {
	return &User{ID: "u", UserPrincipalName: "megan@fabrikam.com"}, nil
}
func (d *onboardDir) Organization(context.Context) (*Tenant, error) { t := d.tenant; return &t, nil }
func (d *onboardDir) ApplicationByAppID(_ context.Context, id string) (*App, error) {
	for _, a := range d.apps {
		if a.AppID == id {
			return &a, nil
		}
	}
	return nil, nil
}
func (d *onboardDir) ServicePrincipalByAppID(_ context.Context, id string) (*ServicePrincipal, error) {
	for _, s := range d.sps {
		if s.AppID == id {
			return &s, nil
		}
	}
	return nil, nil
}
func (d *onboardDir) CreateServicePrincipal(_ context.Context, id string) (*ServicePrincipal, error) {
	if d.createErr != nil {
		return nil, d.createErr
	}
	d.created++
	sp := ServicePrincipal{ID: "sp1", AppID: id, AppDisplayName: "Contoso Connector", AppOwnerOrganizationID: publisherTenant}
	d.sps = append(d.sps, sp)
	return &sp, nil
}
func (d *onboardDir) DeleteServicePrincipal(_ context.Context, id string) error {
	d.deleted = append(d.deleted, id)
	return nil
}

const (
	publisherTenant = "6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13"
	customerTenant  = "3d9b7c21-5e4a-4f86-b0c3-8a1e2f4d6b70"
	connectorApp    = "5c7e9a1b-3d2f-4e6a-8b0c-1d2e3f4a5b6c"
)

func onboardSpec(remove bool) OnboardSpec {
	s := OnboardSpec{AppID: connectorApp, Remove: remove, Command: Command{Globals: []string{"--cloud", "usgov"}},
		LoginHost: "https://login.microsoftonline.us"}
	if err := s.Normalize(); err != nil {
		panic(err)
	}
	return s
}

func yes(*OnboardOutcome) error { return nil }

func TestOnboardCreatesOnceAndSaysWhose(t *testing.T) {
	d := &onboardDir{tenant: Tenant{ID: customerTenant, DisplayName: "Fabrikam"}}
	dry, err := Onboard(context.Background(), d, onboardSpec(false), "", true, nil)
	if err != nil || dry.Status != OnboardStatusPlanned || d.created != 0 || len(dry.Changes) != 1 ||
		dry.Changes[0].Method != "POST" || dry.Changes[0].URL != DefaultGraphBase+"/servicePrincipals" || string(dry.Changes[0].Body) != `{"appId":"`+connectorApp+`"}` {
		t.Fatalf("%+v %v", dry, err)
	}
	if dry.AdminConsentURL != "https://login.microsoftonline.us/"+customerTenant+"/adminconsent?client_id="+connectorApp {
		t.Fatal(dry.AdminConsentURL)
	}
	asked := 0
	out, err := Onboard(context.Background(), d, onboardSpec(false), "", false, func(*OnboardOutcome) error { asked++; return nil })
	if err != nil || out.Status != OnboardStatusOnboarded || d.created != 1 || asked != 1 || !out.Changes[0].Applied {
		t.Fatalf("%+v %v", out, err)
	}
	r := out.Report(false)
	if r.DisplayName != "Contoso Connector" || r.AppOwnerOrganizationID != publisherTenant || r.ServicePrincipalID != "sp1" {
		t.Fatalf("%+v", r)
	}
	out, err = Onboard(context.Background(), d, onboardSpec(false), "", false, func(*OnboardOutcome) error { t.Fatal("asked with nothing to do"); return nil })
	if err != nil || out.Status != OnboardStatusAlready || d.created != 1 || len(out.Changes) != 0 {
		t.Fatalf("%+v %v", out, err)
	}
	// A refused confirmation sends nothing.
	d2 := &onboardDir{tenant: Tenant{ID: customerTenant}}
	stop := errors.New("no")
	if _, err := Onboard(context.Background(), d2, onboardSpec(false), "", false, func(*OnboardOutcome) error { return stop }); err != stop || d2.created != 0 {
		t.Fatal(err)
	}
}

func TestOnboardInTheHomeTenantWritesNothing(t *testing.T) {
	d := &onboardDir{tenant: Tenant{ID: publisherTenant}, apps: []App{{AppID: connectorApp, DisplayName: "Contoso Connector"}}}
	out, err := Onboard(context.Background(), d, onboardSpec(false), "", false, yes)
	if err != nil || out.Status != OnboardStatusHome || d.created != 0 {
		t.Fatalf("%+v %v", out, err)
	}
	_, err = Onboard(context.Background(), d, onboardSpec(true), "", false, yes)
	var ref *OnboardRefusal
	if !errors.As(err, &ref) || !strings.Contains(err.Error(), "`pqentra --cloud usgov undo --app-id "+connectorApp+" --dry-run`") || len(d.deleted) != 0 {
		t.Fatalf("%v", err)
	}
}

func TestOnboardRefusalsSayTheWayOn(t *testing.T) {
	d := &onboardDir{tenant: Tenant{ID: customerTenant},
		createErr: &Error{Status: 400, Code: "Request_BadRequest", Err: ErrNoBackingApplication}}
	_, err := Onboard(context.Background(), d, onboardSpec(false), "", false, yes)
	if err == nil || !strings.Contains(err.Error(), "Ask the publisher for the app id of a multitenant app") {
		t.Fatalf("%v", err)
	}
	d.createErr = &Error{Status: 403, Code: "Authorization_RequestDenied", Message: "When using this permission, …"}
	_, err = Onboard(context.Background(), d, onboardSpec(false), "", false, yes)
	for _, want := range []string{"Cloud Application Administrator, Application Administrator or Global Administrator",
		"`pqentra --cloud usgov onboard --app-id " + connectorApp + "`",
		"https://login.microsoftonline.us/" + customerTenant + "/adminconsent?client_id=" + connectorApp} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("%v\nlacks %s", err, want)
		}
	}
	// A token without the permission keeps graph's hint: no role helps.
	tokenErr := &Error{Status: 403, Hint: "Your sign-in token does not carry Application.ReadWrite.All"}
	d.createErr = tokenErr
	if _, err = Onboard(context.Background(), d, onboardSpec(false), "", false, yes); err != tokenErr {
		t.Fatalf("%v", err)
	}
}

func TestOnboardRemove(t *testing.T) {
	d := &onboardDir{tenant: Tenant{ID: customerTenant}}
	out, err := Onboard(context.Background(), d, onboardSpec(true), "", false, yes)
	if err != nil || out.Status != OnboardStatusNotPresent || len(d.deleted) != 0 {
		t.Fatalf("%+v %v", out, err)
	}
	d.sps = []ServicePrincipal{{ID: "sp9", AppID: connectorApp, AppOwnerOrganizationID: publisherTenant, AppDisplayName: "Contoso Connector"}}
	out, err = Onboard(context.Background(), d, onboardSpec(true), "https://graph.example/v1.0", false, yes)
	if err != nil || out.Status != OnboardStatusRemoved || len(d.deleted) != 1 || d.deleted[0] != "sp9" ||
		out.Changes[0].Method != "DELETE" || out.Changes[0].URL != "https://graph.example/v1.0/servicePrincipals/sp9" {
		t.Fatalf("%+v %v", out, err)
	}
	// Microsoft's own service principals stay.
	d.sps = []ServicePrincipal{{ID: "pq", AppID: connectorApp, AppOwnerOrganizationID: MicrosoftTenantID, DisplayName: "Microsoft Power Query for Excel"}}
	d.deleted = nil
	if _, err := Onboard(context.Background(), d, onboardSpec(true), "", false, yes); err == nil || len(d.deleted) != 0 {
		t.Fatalf("%v", err)
	}
}

func TestOnboardSpecNeedsAGUID(t *testing.T) {
	for _, id := range []string{"", "contoso"} {
		s := OnboardSpec{AppID: id}
		if err := s.Normalize(); err == nil {
			t.Fatalf("%q accepted", id)
		}
	}
}
