package steps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Onboarding: a connector published to other organizations signs in users
// of *their* tenants to the publisher's multitenant resource app, and each
// of those tenants needs a service principal of the app first (without it
// users meet AADSTS500011 or AADSTS650052). An admin of the customer's
// tenant creates it: `pqentra onboard --app-id APPID`, run signed in to
// that tenant. --remove deletes it again (the customer's off-boarding).
//
// Graph lets a tenant see another tenant's app only through its appId,
// when the service principal is created: before that nothing about the app
// can be read, so the dry run cannot name the publisher (the admin-consent
// page can). Afterwards the service principal says whose app it is
// (appDisplayName, appOwnerOrganizationId).

// StepOnboard labels onboarding's changes.
const StepOnboard = "onboard"

// OpCreateSP is onboarding's write (--remove sends undo's OpDeleteSP).
const OpCreateSP OpKind = "create-service-principal" // POST /servicePrincipals

// MicrosoftTenantID is the tenant Microsoft's own first-party apps (Power
// Query, Microsoft Graph, …) are registered in.
const MicrosoftTenantID = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"

// OnboardAdminRoles may create (and delete) the service principal of
// another tenant's app.
var OnboardAdminRoles = []string{"Cloud Application Administrator", "Application Administrator", "Global Administrator"}

// ErrNoBackingApplication is Graph's NoBackingApplicationObject: this
// tenant sees no application with the appId — none exists, or it is
// another tenant's single-tenant app. Directory implementations wrap it.
var ErrNoBackingApplication = errors.New("no application this tenant can use has that appId")

// OnboardDirectory is what onboarding needs from Entra.
type OnboardDirectory interface {
	Me(ctx context.Context) (*User, error)
	Organization(ctx context.Context) (*Tenant, error)
	ApplicationByAppID(ctx context.Context, appID string) (*App, error)
	ServicePrincipalByAppID(ctx context.Context, appID string) (*ServicePrincipal, error)
	CreateServicePrincipal(ctx context.Context, appID string) (*ServicePrincipal, error)
	DeleteServicePrincipal(ctx context.Context, id string) error
}

// OnboardSpec is what `pqentra onboard` was asked.
type OnboardSpec struct {
	AppID  string
	Remove bool
	// LoginHost is the cloud's sign-in host, for the admin-consent URL.
	LoginHost string
	// Command is how the user started pqentra, for printed commands.
	Command Command
}

// Normalize checks the spec before anything is sent.
func (s *OnboardSpec) Normalize() error {
	s.AppID = strings.ToLower(strings.TrimSpace(s.AppID))
	if s.AppID == "" {
		return inputErr(FieldAppID, errors.New("give --app-id: the Application (client) ID of the publisher's multitenant app (the publisher's `pqentra setup --audience multi` prints it)"))
	}
	return ValidateGUID(FieldAppID, s.AppID)
}

// Onboarding statuses, as --output json names them.
const (
	OnboardStatusPlanned    = "planned"           // dry run: the write it would send
	OnboardStatusOnboarded  = "onboarded"         // the service principal was created
	OnboardStatusAlready    = "already-onboarded" // it was there: nothing sent
	OnboardStatusHome       = "home-tenant"       // the app is registered in this tenant
	OnboardStatusRemoved    = "removed"           // --remove deleted it
	OnboardStatusNotPresent = "not-onboarded"     // --remove: there was none
)

// OnboardOutcome is what an onboarding run found and did.
type OnboardOutcome struct {
	Tenant *Tenant
	User   *User
	AppID  string
	// Home is the app when it is registered in this very tenant.
	Home *App
	// ServicePrincipal is the app's service principal in this tenant as
	// it is at the end (nil when there is none).
	ServicePrincipal *ServicePrincipal
	Changes          []Change
	Status           string
	// AdminConsentURL is this tenant's admin-consent page for the app.
	AdminConsentURL string
	// Cmd is how the user started pqentra, for printed commands.
	Cmd Command
}

// AdminConsentURL is the page where an admin of tenant (an id, a domain or
// "organizations": the admin's own) grants the app tenant-wide consent,
// which also creates its service principal. The page shows the app's name
// and publisher before anything is granted.
func AdminConsentURL(loginHost, tenant, appID string) string {
	if loginHost == "" {
		loginHost = "https://login.microsoftonline.com"
	}
	if tenant == "" {
		tenant = "organizations"
	}
	return strings.TrimSuffix(loginHost, "/") + "/" + url.PathEscape(tenant) + "/adminconsent?client_id=" + url.QueryEscape(appID)
}

// OnboardRefusal is a refusal with its way on. Exit code 1: nothing was
// changed, the directory (not the command line) is in the way. It does not
// unwrap to Graph's error: its words replace Graph's, which are kept for
// tests and logs only.
type OnboardRefusal struct {
	Reason string
	// Graph is Graph's own answer, when it refused.
	Graph error
}

func (e *OnboardRefusal) Error() string { return e.Reason }

// Onboard reads the tenant, plans the one write (or none), asks confirm
// (unless dryRun) and sends it. The outcome is returned also on failure,
// once the tenant was read.
func Onboard(ctx context.Context, dir OnboardDirectory, spec OnboardSpec, graphBase string, dryRun bool, confirm func(*OnboardOutcome) error) (*OnboardOutcome, error) {
	if graphBase == "" {
		graphBase = DefaultGraphBase
	}
	out := &OnboardOutcome{AppID: spec.AppID, Changes: []Change{}, Cmd: spec.Command}
	var err error
	if out.Tenant, err = dir.Organization(ctx); err != nil {
		return nil, err
	}
	if out.User, err = dir.Me(ctx); err != nil {
		return nil, err
	}
	out.AdminConsentURL = AdminConsentURL(spec.LoginHost, out.Tenant.ID, spec.AppID)
	if out.Home, err = dir.ApplicationByAppID(ctx, spec.AppID); err != nil {
		return out, err
	}
	sp, err := dir.ServicePrincipalByAppID(ctx, spec.AppID)
	if err != nil {
		return out, err
	}
	out.ServicePrincipal = sp
	home := out.Home != nil || sp != nil && strings.EqualFold(sp.AppOwnerOrganizationID, out.Tenant.ID)

	if spec.Remove {
		return removeOnboarding(ctx, dir, spec, out, home, graphBase, dryRun, confirm)
	}
	switch {
	case home:
		out.Status = OnboardStatusHome
		return out, nil
	case sp != nil:
		out.Status = OnboardStatusAlready
		return out, nil
	}
	out.Changes = []Change{OnboardChange(spec.AppID, graphBase)}
	if dryRun {
		out.Status = OnboardStatusPlanned
		return out, nil
	}
	if err := confirm(out); err != nil {
		return out, err
	}
	created, err := dir.CreateServicePrincipal(ctx, spec.AppID)
	if err != nil {
		return out, onboardError(err, spec, out)
	}
	out.Changes[0].Applied = true
	out.ServicePrincipal = created
	out.Status = OnboardStatusOnboarded
	return out, nil
}

// OnboardChange is onboarding's one write: POST /servicePrincipals with
// the app id.
func OnboardChange(appID, graphBase string) Change {
	if graphBase == "" {
		graphBase = DefaultGraphBase
	}
	body, _ := json.Marshal(map[string]string{"appId": appID})
	return Change{Step: StepOnboard, Steps: []string{StepOnboard}, Kind: OpCreateSP, AppID: appID,
		Summary: fmt.Sprintf("Create the service principal of app %s in this tenant, so its users can sign in", appID),
		Method:  "POST", Path: "/servicePrincipals", URL: graphBase + "/servicePrincipals", Body: body}
}

func removeOnboarding(ctx context.Context, dir OnboardDirectory, spec OnboardSpec, out *OnboardOutcome, home bool, graphBase string, dryRun bool, confirm func(*OnboardOutcome) error) (*OnboardOutcome, error) {
	sp := out.ServicePrincipal
	switch {
	case home:
		return out, &OnboardRefusal{Reason: fmt.Sprintf("app %s is registered in this tenant (%s): onboard --remove only takes away another organization's app, "+
			"and removing this app's service principal would stop its own users signing in. To take away an app of your own, run `%s`",
			spec.AppID, tenantName(out.Tenant), spec.Command.Line("undo", "--app-id", spec.AppID, "--dry-run"))}
	case sp == nil:
		out.Status = OnboardStatusNotPresent
		return out, nil
	case strings.EqualFold(sp.AppOwnerOrganizationID, MicrosoftTenantID):
		return out, &OnboardRefusal{Reason: fmt.Sprintf("%s (%s) is a Microsoft application: pqentra does not remove Microsoft's service principals, "+
			"which Microsoft 365 and Power Query rely on", Clean(sp.DisplayName), spec.AppID)}
	}
	out.Changes = []Change{{Step: StepOnboard, Steps: []string{StepOnboard}, Kind: OpDeleteSP, AppID: spec.AppID, ObjectID: sp.ID,
		Summary: fmt.Sprintf("Delete the service principal of %s from this tenant: its users can no longer sign in to it", appLabel(sp)),
		Method:  "DELETE", Path: "/servicePrincipals/" + sp.ID, URL: graphBase + "/servicePrincipals/" + sp.ID}}
	if dryRun {
		out.Status = OnboardStatusPlanned
		return out, nil
	}
	if err := confirm(out); err != nil {
		return out, err
	}
	if err := dir.DeleteServicePrincipal(ctx, sp.ID); err != nil {
		return out, onboardError(err, spec, out)
	}
	out.Changes[0].Applied = true
	out.ServicePrincipal = nil
	out.Status = OnboardStatusRemoved
	return out, nil
}

// onboardError explains Graph's refusals of onboarding in words, with the
// way on.
func onboardError(err error, spec OnboardSpec, out *OnboardOutcome) error {
	e, ok := AsError(err)
	switch {
	case errors.Is(err, ErrNoBackingApplication):
		return &OnboardRefusal{Graph: err, Reason: fmt.Sprintf("Entra has no multitenant application with app id %s that this tenant may use: "+
			"the id is wrong, or the publisher's app accepts accounts of its own organization only (single-tenant). "+
			"Ask the publisher for the app id of a multitenant app (their `pqentra setup --audience multi` prints it, with the command to send you)", spec.AppID)}
	case ok && e.Status == 403 && !strings.Contains(e.Hint, "token does not carry"):
		// (A token without Application.ReadWrite.All keeps graph's
		// hint: no role helps then.)
		verb := "add another organization's app to"
		if spec.Remove {
			verb = "remove another organization's app from"
		}
		return &OnboardRefusal{Graph: err, Reason: fmt.Sprintf("Graph refused (403): only a %s may %s this tenant. "+
			"Ask one of them to run `%s`, or to open the admin-consent page for this tenant: %s",
			OnboardRolesText(), verb, spec.Command.Line(onboardArgs(spec)...), out.AdminConsentURL)}
	}
	return err
}

func onboardArgs(spec OnboardSpec) []string {
	args := []string{"onboard", "--app-id", spec.AppID}
	if spec.Remove {
		args = append(args, "--remove")
	}
	return args
}

// OnboardRolesText is "Cloud Application Administrator, Application Administrator
// or Global Administrator".
func OnboardRolesText() string {
	r := OnboardAdminRoles
	return strings.Join(r[:len(r)-1], ", ") + " or " + r[len(r)-1]
}

func tenantName(t *Tenant) string {
	if t == nil {
		return "this tenant"
	}
	if t.DisplayName != "" {
		return fmt.Sprintf("%s (%s)", Clean(t.DisplayName), t.ID)
	}
	return "tenant " + t.ID
}

func appLabel(sp *ServicePrincipal) string {
	name := sp.AppDisplayName
	if name == "" {
		name = sp.DisplayName
	}
	if name == "" {
		return "app " + sp.AppID
	}
	return fmt.Sprintf("%q (%s)", Clean(name), sp.AppID)
}

// OnboardReport is what `pqentra onboard --output json` prints, in setup's
// shape: the ids, the changes, dryRun (cmd adds signIn and error).
type OnboardReport struct {
	TenantID           string `json:"tenantId"`
	AppID              string `json:"appId"`
	ServicePrincipalID string `json:"servicePrincipalId"`
	// DisplayName is the app's name as the service principal tells it
	// (empty until one exists: Graph cannot read another tenant's app).
	DisplayName string `json:"displayName"`
	// AppOwnerOrganizationID is the publisher's tenant.
	AppOwnerOrganizationID string   `json:"appOwnerOrganizationId"`
	Status                 string   `json:"status"`
	AdminConsentURL        string   `json:"adminConsentUrl"`
	Changes                []Change `json:"changes"`
	DryRun                 bool     `json:"dryRun"`
}

// Report describes the outcome for --output json.
func (o *OnboardOutcome) Report(dryRun bool) OnboardReport {
	r := OnboardReport{AppID: o.AppID, Status: o.Status, AdminConsentURL: o.AdminConsentURL, Changes: o.Changes, DryRun: dryRun}
	if r.Changes == nil {
		r.Changes = []Change{}
	}
	if o.Tenant != nil {
		r.TenantID = o.Tenant.ID
	}
	if sp := o.ServicePrincipal; sp != nil {
		r.ServicePrincipalID, r.AppOwnerOrganizationID = sp.ID, sp.AppOwnerOrganizationID
		r.DisplayName = sp.AppDisplayName
		if r.DisplayName == "" {
			r.DisplayName = sp.DisplayName
		}
	}
	if o.Home != nil {
		r.DisplayName = o.Home.DisplayName
		if r.AppOwnerOrganizationID == "" && o.Tenant != nil {
			r.AppOwnerOrganizationID = o.Tenant.ID
		}
	}
	return r
}
