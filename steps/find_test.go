package steps

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// findDir is a directory of apps with owners, for the finder. The methods
// the finder does not call panic (the embedded nil interface), so a test
// fails loudly if the finder starts calling something new.
type findDir struct {
	Directory
	me       User
	apps     []App
	owners   map[string][]Owner // by object id
	ownerErr error
	roles    []string
	rolesErr error
}

func (d *findDir) Me(context.Context) (*User, error) { u := d.me; return &u, nil }
func (d *findDir) ApplicationByAppID(_ context.Context, id string) (*App, error) {
	for _, a := range d.apps {
		if a.AppID == id {
			return &a, nil
		}
	}
	return nil, nil
}
func (d *findDir) ApplicationByUniqueName(_ context.Context, n string) (*App, error) {
	for _, a := range d.apps {
		if a.UniqueName == n {
			return &a, nil
		}
	}
	return nil, nil
}
func (d *findDir) ApplicationsByDisplayName(_ context.Context, n string) ([]App, error) {
	var out []App
	for _, a := range d.apps {
		if strings.EqualFold(a.DisplayName, n) {
			out = append(out, a)
		}
	}
	return out, nil
}
func (d *findDir) ApplicationOwners(_ context.Context, id string) ([]Owner, error) {
	return d.owners[id], d.ownerErr
}
func (d *findDir) DirectoryRoles(context.Context) ([]string, error) { return d.roles, d.rolesErr }

const (
	meID    = "11111111-1111-4111-8111-111111111111"
	otherID = "22222222-2222-4222-8222-222222222222"
)

var (
	me      = Owner{ID: meID, Name: "Adele Vance (adele@contoso.com)"}
	mallory = Owner{ID: otherID, Name: "Mallory (mallory@contoso.com)"}
)

func TestDecideProvenance(t *testing.T) {
	user := &User{ID: meID}
	clean := &App{AppID: "a"}
	secret := &App{AppID: "a", Credentials: []string{`client secret "ci"`}}
	redirect := &App{AppID: "a", RedirectURIs: []string{"https://evil.example/cb"}}
	admin := []string{RoleApplicationAdmin}
	for _, c := range []struct {
		name        string
		app         *App
		owners      []Owner
		ownersKnown bool
		roles       []string
		rolesKnown  bool
		yours       bool
		why         string
	}{
		{"owner", secret, []Owner{me, mallory}, true, nil, false, true, "owners"},
		{"not owner, no role", clean, []Owner{mallory}, true, nil, true, false, "not one of its owners"},
		{"no owners, no role", clean, nil, true, []string{RoleApplicationDeveloper}, true, false, "no role"},
		{"admin, clean app without owners", clean, nil, true, admin, true, true, "Application Administrator"},
		{"admin, app owned by another", clean, []Owner{mallory}, true, admin, true, false, "owner Mallory"},
		{"admin, app with a secret", secret, nil, true, admin, true, false, `client secret "ci"`},
		{"admin, app with a redirect URI", redirect, nil, true, admin, true, false, "redirect URI https://evil.example/cb"},
		{"admin, owners unreadable", clean, nil, false, admin, true, false, "could not be read"},
		{"roles unreadable", clean, nil, true, nil, false, false, "no role"},
	} {
		p := DecideProvenance(c.app, c.owners, c.ownersKnown, user, c.roles, c.rolesKnown)
		said := p.Why + "; " + strings.Join(p.Extras, "; ")
		if p.Yours != c.yours || !strings.Contains(said, c.why) {
			t.Errorf("%s: yours=%v said %q, want %v and %q", c.name, p.Yours, said, c.yours, c.why)
		}
	}
}

func TestFindAppRefusesAnAppFoundByNameThatIsNotYours(t *testing.T) {
	squat := App{ObjectID: "o1", AppID: "a1", DisplayName: "Contoso Connector", UniqueName: UniqueName("Contoso Connector"),
		RedirectURIs: []string{"https://evil.example/cb"}, Credentials: []string{`client secret "x"`}}
	d := &findDir{me: User{ID: meID}, apps: []App{squat}, owners: map[string][]Owner{"o1": {mallory}},
		roles: []string{RoleApplicationAdmin}}
	f, err := FindApp(context.Background(), d, AppQuery{DisplayName: "contoso   connector"}, nil)
	var ny *NotYoursError
	if !errors.As(err, &ny) {
		t.Fatalf("found %+v, err %v; want a NotYoursError", f, err)
	}
	msg := err.Error()
	for _, want := range []string{"appId a1", "object id o1", "Mallory (mallory@contoso.com)", "redirect URI https://evil.example/cb",
		`client secret "x"`, "--display-name", "--app-id a1", "Nothing was changed"} {
		if !strings.Contains(msg, want) {
			t.Errorf("refusal lacks %q:\n%s", want, msg)
		}
	}
	// Named by id, the same app is found (on purpose), and its provenance
	// is told, not refused.
	f, err = FindApp(context.Background(), d, AppQuery{AppID: "A1", Provenance: true}, nil)
	if err != nil || f.App == nil || f.Provenance.Yours || f.By != FoundByAppID {
		t.Errorf("by id: %+v %v", f, err)
	}
	// Owned by the user: found.
	d.owners["o1"] = []Owner{me}
	if f, err = FindApp(context.Background(), d, AppQuery{DisplayName: "Contoso Connector"}, nil); err != nil || f.By != FoundByUniqueName || !f.Provenance.Yours {
		t.Errorf("owned: %+v %v", f, err)
	}
}

func TestFindAppFindsARenamedPqentraApp(t *testing.T) {
	renamed := App{ObjectID: "o1", AppID: "a1", DisplayName: "Contoso Sales", UniqueName: UniqueName("Contoso Connector")}
	foreign := App{ObjectID: "o2", AppID: "a2", DisplayName: "Contoso Sales"} // no pqentra uniqueName
	d := &findDir{me: User{ID: meID}, apps: []App{renamed, foreign}, owners: map[string][]Owner{"o1": {me}, "o2": {me}}}
	f, err := FindApp(context.Background(), d, AppQuery{DisplayName: "Contoso Sales"}, nil)
	if err != nil || f.App == nil || f.App.AppID != "a1" || f.By != FoundByRename {
		t.Fatalf("renamed: %+v %v", f, err)
	}
	// Provenance applies to the rename lookup too.
	d.owners["o1"] = []Owner{mallory}
	var ny *NotYoursError
	if _, err := FindApp(context.Background(), d, AppQuery{DisplayName: "Contoso Sales"}, nil); !errors.As(err, &ny) {
		t.Errorf("renamed, not yours: %v", err)
	}
	// Two pqentra apps renamed to the same name: the user picks by id.
	d.owners["o1"] = []Owner{me}
	d.apps = append(d.apps, App{ObjectID: "o3", AppID: "a3", DisplayName: "Contoso Sales", UniqueName: UniqueName("Other")})
	var amb *AmbiguousError
	if _, err := FindApp(context.Background(), d, AppQuery{DisplayName: "Contoso Sales"}, nil); !errors.As(err, &amb) || len(amb.AppIDs) != 2 {
		t.Errorf("two renamed: %v", err)
	}
}

func TestFindAppAnyAppOnlyWhenAsked(t *testing.T) {
	foreign := App{ObjectID: "o2", AppID: "a2", DisplayName: "Legacy API"}
	d := &findDir{me: User{ID: meID}, apps: []App{foreign}, owners: map[string][]Owner{"o2": {me}}}
	// setup and undo: an app pqentra did not register is not "the app
	// named X" (setup registers its own).
	if f, err := FindApp(context.Background(), d, AppQuery{DisplayName: "Legacy API"}, nil); err != nil || f.App != nil {
		t.Errorf("without AnyApp: %+v %v", f, err)
	}
	f, err := FindApp(context.Background(), d, AppQuery{DisplayName: "Legacy API", AnyApp: true}, nil)
	if err != nil || f.App == nil || f.By != FoundByDisplayName {
		t.Errorf("AnyApp: %+v %v", f, err)
	}
	// An empty query finds nothing and reads nothing.
	if f, err := FindApp(context.Background(), &findDir{}, AppQuery{}, nil); err != nil || f.App != nil {
		t.Errorf("empty: %+v %v", f, err)
	}
}

// An app found by name that is yours but carries what pqentra never sets
// is configured, with a caution naming those extras; found by id, or with
// nothing extra, there is nothing to say.
func TestFindAppCautionsAboutAYoursAppWithExtras(t *testing.T) {
	shared := App{AppID: "a1", ObjectID: "o1", DisplayName: "Contoso Connector", UniqueName: UniqueName("Contoso Connector"),
		Credentials: []string{`client secret "theirs"`}}
	mine := App{AppID: "a2", ObjectID: "o2", DisplayName: "Mine", UniqueName: UniqueName("Mine")}
	dir := &findDir{me: User{ID: meID}, apps: []App{shared, mine},
		owners: map[string][]Owner{"o1": {me, mallory}, "o2": {me}}}
	f, err := FindApp(context.Background(), dir, AppQuery{DisplayName: "contoso connector"}, nil)
	if err != nil || !f.Provenance.Yours {
		t.Fatalf("found %+v, %v: want it, as yours", f, err)
	}
	c := f.Provenance.Caution(f.App)
	for _, want := range []string{`"Contoso Connector" (appId a1), found by its name`, "owner Mallory (mallory@contoso.com)", `client secret "theirs"`, CautionCheck} {
		if !strings.Contains(c, want) {
			t.Errorf("the caution lacks %q: %q", want, c)
		}
	}
	if f, _ := FindApp(context.Background(), dir, AppQuery{AppID: "a1", Provenance: true}, nil); f.Provenance.Caution(f.App) != "" {
		t.Errorf("named by id on purpose, yet a caution: %q", f.Provenance.Caution(f.App))
	}
	if f, _ := FindApp(context.Background(), dir, AppQuery{DisplayName: "Mine"}, nil); f.Provenance.Caution(f.App) != "" {
		t.Errorf("an app with nothing extra, yet a caution: %q", f.Provenance.Caution(f.App))
	}
}
