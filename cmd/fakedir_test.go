package cmd

import (
	"context"
	"errors"
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// fakeDir is an in-memory directory for testing the run functions where
// the emulator adds nothing: what a command prints and returns for a given
// directory state. It only reads; any write fails the test's command.
type fakeDir struct {
	tenant steps.Tenant
	user   steps.User
	apps   []steps.App
	sps    []steps.ServicePrincipal
	writes int
}

var (
	errFakeWrite   = errors.New("fakeDir is read-only")
	errFakeRefused = errors.New("fakeDir refuses this read")
)

func newFakeDir(apps ...steps.App) *fakeDir {
	return &fakeDir{
		tenant: steps.Tenant{ID: "aaaabbbb-0000-cccc-1111-dddd2222eeee", DisplayName: "Contoso", DefaultDomain: "contoso.onmicrosoft.com",
			VerifiedDomains: []string{"contoso.onmicrosoft.com"}},
		user: steps.User{ID: "u1", DisplayName: "Adele Vance", UserPrincipalName: "adele@contoso.com"},
		apps: apps,
	}
}

// session makes f open this directory instead of Graph.
func (d *fakeDir) session(f *Factory) {
	f.OpenSession = func(*Globals, SessionHooks) (*Session, error) {
		return &Session{Dir: d, Portal: "https://entra.example"}, nil
	}
}

func (d *fakeDir) Me(context.Context) (*steps.User, error)             { u := d.user; return &u, nil }
func (d *fakeDir) Organization(context.Context) (*steps.Tenant, error) { t := d.tenant; return &t, nil }
func (d *fakeDir) GraphBase() string                                   { return "https://graph.example/v1.0" }
func (d *fakeDir) EnsureSignedIn(context.Context) error                { return nil }
func (d *fakeDir) Owners(context.Context, string) ([]string, error) {
	return []string{"adele@contoso.com"}, nil
}
func (d *fakeDir) UsersCanConsent(context.Context) (bool, error) { return true, nil }

// ApplicationOwners: the signed-in user owns every app of a fakeDir.
func (d *fakeDir) ApplicationOwners(context.Context, string) ([]steps.Owner, error) {
	return []steps.Owner{{ID: d.user.ID, Name: d.user.DisplayName + " (" + d.user.UserPrincipalName + ")"}}, nil
}
func (d *fakeDir) DirectoryRoles(context.Context) ([]string, error) { return []string{}, nil }

func (d *fakeDir) find(match func(steps.App) bool) []steps.App {
	var out []steps.App
	for _, a := range d.apps {
		if match(a) {
			out = append(out, a)
		}
	}
	return out
}

func (d *fakeDir) one(match func(steps.App) bool) *steps.App {
	if as := d.find(match); len(as) > 0 {
		return &as[0]
	}
	return nil
}

func (d *fakeDir) ApplicationByAppID(_ context.Context, id string) (*steps.App, error) {
	return d.one(func(a steps.App) bool { return strings.EqualFold(a.AppID, id) }), nil
}

func (d *fakeDir) ApplicationByUniqueName(_ context.Context, n string) (*steps.App, error) {
	return d.one(func(a steps.App) bool { return a.UniqueName != "" && strings.EqualFold(a.UniqueName, n) }), nil
}

func (d *fakeDir) ApplicationsByIdentifierURI(_ context.Context, uri string) ([]steps.App, error) {
	return d.find(func(a steps.App) bool {
		for _, u := range a.IdentifierURIs {
			if strings.EqualFold(u, uri) {
				return true
			}
		}
		return false
	}), nil
}

func (d *fakeDir) ApplicationsByDisplayName(_ context.Context, n string) ([]steps.App, error) {
	return d.find(func(a steps.App) bool { return a.DisplayName == n }), nil
}

func (d *fakeDir) SearchApplications(_ context.Context, prefix string) ([]steps.App, error) {
	return d.find(func(a steps.App) bool {
		return strings.HasPrefix(strings.ToLower(a.DisplayName), strings.ToLower(prefix))
	}), nil
}

func (d *fakeDir) ServicePrincipalByAppID(_ context.Context, id string) (*steps.ServicePrincipal, error) {
	for _, s := range d.sps {
		if strings.EqualFold(s.AppID, id) {
			s := s
			return &s, nil
		}
	}
	return nil, nil
}

func (d *fakeDir) UpsertApplication(context.Context, string, steps.AppPatch) (*steps.App, bool, error) {
	d.writes++
	return nil, false, errFakeWrite
}

func (d *fakeDir) PatchApplication(context.Context, string, steps.AppPatch) error {
	d.writes++
	return errFakeWrite
}

func (d *fakeDir) UpsertServicePrincipal(context.Context, string) (*steps.ServicePrincipal, error) {
	d.writes++
	return nil, errFakeWrite
}

func (d *fakeDir) CreateServicePrincipal(context.Context, string) (*steps.ServicePrincipal, error) {
	d.writes++
	return nil, errFakeWrite
}

func (d *fakeDir) DeleteServicePrincipal(context.Context, string) error {
	d.writes++
	return errFakeWrite
}
func (d *fakeDir) DeleteApplication(context.Context, string) error  { d.writes++; return errFakeWrite }
func (d *fakeDir) PurgeDeletedItem(context.Context, string) error   { d.writes++; return errFakeWrite }
func (d *fakeDir) RestoreDeletedItem(context.Context, string) error { d.writes++; return errFakeWrite }
func (d *fakeDir) DeletedApplication(context.Context, string, string) (*steps.DeletedApp, error) {
	return nil, nil
}
func (d *fakeDir) DeletedServicePrincipal(context.Context, string) (*steps.ServicePrincipal, error) {
	return nil, nil
}

// DeletedApplications and IdentifierURIPolicy are refused, as Graph
// refuses them to most users: the quota hint counts nothing and the URI
// policy stays unknown.
func (d *fakeDir) DeletedApplications(context.Context) ([]steps.DeletedApp, error) {
	return nil, errFakeRefused
}
func (d *fakeDir) IdentifierURIPolicy(context.Context) (*steps.URIPolicy, error) {
	return nil, errFakeRefused
}

// ReadAccess: the user is an Application Developer (and owns every app:
// ApplicationOwners), so the can-I-register check lets the command go on
// (and is run, not skipped).
func (d *fakeDir) ReadAccess(context.Context) (steps.AccessFacts, error) {
	u, t := d.user, d.tenant
	return steps.AccessFacts{User: &u, Tenant: &t, Roles: []string{steps.RoleApplicationDeveloper}, RolesKnown: true}, nil
}
func (d *fakeDir) SignInMethod() string   { return "device" }
func (d *fakeDir) SignInClientID() string { return "14d82eec-204b-4c2f-b7e8-296a70dab67e" }
func (d *fakeDir) GraphScopes(context.Context) ([]string, error) {
	return []string{"Application.ReadWrite.All"}, nil
}
