package steps

import (
	"context"
	"fmt"
	"strings"
)

// The one app finder. Every command that names an application — setup,
// undo, doctor, export, the wizard's picker — finds it here, so the rules
// for what "the app named X" means, and whose it is, live once:
//
//   - by Application (client) ID: the app with that id (named on purpose);
//   - by Application ID URI: the app that uses it (doctor's --identifier-uri
//     and a connector's Resource: also a key the user holds);
//   - by display name: the app pqentra registered under that name (its
//     uniqueName is derived from the name); else one pqentra registered
//     and someone renamed to it since (exactly one app with a pqentra
//     uniqueName and that display name); else, where the command reads any
//     app (doctor, export: AnyApp), exactly one app with that name.
//
// An app found by name is used only when its provenance says it is the
// user's (provenance.go); otherwise FindApp returns a *NotYoursError and
// nothing may be written. An app named by id or URI is found whoever owns
// it; Found.Provenance (AppQuery.Provenance) tells the caller, which asks
// first before changing such an app (setup --app-id).

// How an app was found.
const (
	FoundByAppID         = "appId"
	FoundByIdentifierURI = "identifierUri"
	FoundByUniqueName    = "uniqueName"
	FoundByRename        = "renamed"
	FoundByDisplayName   = "displayName"
)

// AppQuery names an app one way (the first non-empty field wins).
type AppQuery struct {
	AppID         string
	IdentifierURI string
	DisplayName   string
	// AnyApp: by display name, also an app pqentra did not register.
	AnyApp bool
	// Provenance: decide provenance also for an app named by id or URI
	// (by name it is always decided).
	Provenance bool
}

// What names the query for messages: "the app id …".
func (q AppQuery) What() string {
	switch {
	case q.AppID != "":
		return "the app id " + q.AppID
	case q.IdentifierURI != "":
		return "the Application ID URI " + Clean(q.IdentifierURI)
	}
	return "the display name " + Clean(q.DisplayName)
}

// Found is what FindApp found.
type Found struct {
	App *App // nil: no such app
	By  string
	// Provenance is decided for an app found by name, and for one named by
	// id or URI when the query asks (AppQuery.Provenance).
	Provenance Provenance
}

// ByName reports whether the app was found by its name (not by a key the
// user gave), so provenance decides whether it may be used.
func (f *Found) ByName() bool {
	return f != nil && (f.By == FoundByUniqueName || f.By == FoundByRename || f.By == FoundByDisplayName)
}

// AmbiguousError: several apps answer to the name; the user picks one by id.
type AmbiguousError struct {
	Name   string
	AppIDs []string
	// Registered: they are all apps pqentra registered (and renamed since).
	Registered bool
}

func (e *AmbiguousError) Error() string {
	what := "applications are"
	if e.Registered {
		what = "applications pqentra registered are"
	}
	return fmt.Sprintf("%d %s named %q (%s): pick one with --app-id", len(e.AppIDs), what, Clean(e.Name), strings.Join(e.AppIDs, ", "))
}

// FindApp finds the app q names and decides its provenance for user (nil:
// read the signed-in user). A missing app, or an empty query, is
// (&Found{}, nil). An app found
// by name that is not the user's is refused with *NotYoursError (the Found
// comes back too, for callers that show it).
func FindApp(ctx context.Context, dir Directory, q AppQuery, user *User) (*Found, error) {
	f := &Found{}
	var err error
	q.AppID = strings.ToLower(strings.TrimSpace(q.AppID))
	q.IdentifierURI = strings.TrimSpace(q.IdentifierURI)
	q.DisplayName = strings.TrimSpace(q.DisplayName)
	switch {
	case q.AppID != "":
		f.By = FoundByAppID
		f.App, err = dir.ApplicationByAppID(ctx, q.AppID)
	case q.IdentifierURI != "":
		f.By = FoundByIdentifierURI
		var apps []App
		apps, err = dir.ApplicationsByIdentifierURI(ctx, q.IdentifierURI)
		if len(apps) > 0 {
			f.App = &apps[0]
		}
	case q.DisplayName != "":
		err = findByName(ctx, dir, q, f)
	default:
		return f, nil // nothing named yet (the wizard before Register)
	}
	if err != nil || f.App == nil || !f.ByName() && !q.Provenance {
		return f, err
	}
	if user == nil {
		if user, err = dir.Me(ctx); err != nil {
			return f, err
		}
	}
	f.Provenance = ReadProvenance(ctx, dir, f.App, user)
	f.Provenance.ByName = f.ByName()
	if f.ByName() && !f.Provenance.Yours {
		return f, &NotYoursError{App: *f.App, Provenance: f.Provenance, Name: q.DisplayName}
	}
	return f, nil
}

// findByName: pqentra's app by its uniqueName, else a pqentra app renamed
// to the name, else (AnyApp) any one app with the name.
func findByName(ctx context.Context, dir Directory, q AppQuery, f *Found) error {
	app, err := dir.ApplicationByUniqueName(ctx, UniqueName(q.DisplayName))
	if err != nil || app != nil {
		f.App, f.By = app, FoundByUniqueName
		return err
	}
	named, err := dir.ApplicationsByDisplayName(ctx, q.DisplayName)
	if err != nil {
		return err
	}
	var ours []App
	for _, a := range named {
		if RegisteredByPqentra(&a) && SameName(a.DisplayName, q.DisplayName) {
			ours = append(ours, a)
		}
	}
	switch {
	case len(ours) == 1:
		f.App, f.By = &ours[0], FoundByRename
		return nil
	case len(ours) > 1:
		return &AmbiguousError{Name: q.DisplayName, AppIDs: appIDs(ours), Registered: true}
	case !q.AnyApp || len(named) == 0:
		return nil
	case len(named) == 1:
		f.App, f.By = &named[0], FoundByDisplayName
		return nil
	}
	return &AmbiguousError{Name: q.DisplayName, AppIDs: appIDs(named)}
}

// SameName compares display names as the uniqueName does: case and runs of
// white space do not count.
func SameName(a, b string) bool {
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	return norm(a) == norm(b)
}

func appIDs(apps []App) []string {
	ids := make([]string, len(apps))
	for i, a := range apps {
		ids[i] = a.AppID
	}
	return ids
}

// ReadProvenance reads the app's owners (and, when the user is not one of
// them, the user's roles) and decides. A failed read counts against.
func ReadProvenance(ctx context.Context, dir Directory, app *App, user *User) Provenance {
	owners, err := dir.ApplicationOwners(ctx, app.ObjectID)
	ownersKnown := err == nil
	var roles []string
	rolesKnown := false
	if !ownersKnown || !ownsIt(owners, user) {
		if r, err := dir.DirectoryRoles(ctx); err == nil {
			roles, rolesKnown = r, true
		}
	}
	return DecideProvenance(app, owners, ownersKnown, user, roles, rolesKnown)
}

func ownsIt(owners []Owner, user *User) bool {
	for _, o := range owners {
		if user != nil && user.ID != "" && equalFoldGUID(o.ID, user.ID) {
			return true
		}
	}
	return false
}
