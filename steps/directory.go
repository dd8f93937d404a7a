package steps

import (
	"context"
	"errors"
)

// Directory is everything pqentra asks of Microsoft Entra, as one set of
// capabilities: setup, the can-I-register check, doctor, undo and restore
// all take it, so no front end has to ask "can this directory also …?" with
// a type assertion (and no check is skipped because a type did not match).
// graph.Client implements it over Microsoft Graph v1.0 with msgraph-sdk-go;
// the engine never sees HTTP. Lookups that find nothing return (nil, nil),
// not an error.
//
// It is built from small interfaces, one per kind of work, so a new
// capability is one method in the group it belongs to (or one new group
// embedded here), and graph.Client's compile-time check names what is
// missing.
type Directory interface {
	Reader
	Writer
	DeletedItems
	AccessReader
	Inspector
}

// Reader reads the signed-in user, the tenant and applications.
type Reader interface {
	// Me returns the signed-in user.
	Me(ctx context.Context) (*User, error)
	// Organization returns the tenant the user signed in to.
	Organization(ctx context.Context) (*Tenant, error)

	// ApplicationByAppID reads GET /applications(appId='…').
	ApplicationByAppID(ctx context.Context, appID string) (*App, error)
	// ApplicationByUniqueName reads GET /applications(uniqueName='…').
	ApplicationByUniqueName(ctx context.Context, uniqueName string) (*App, error)
	// ApplicationsByIdentifierURI finds apps whose identifierUris contain uri.
	ApplicationsByIdentifierURI(ctx context.Context, uri string) ([]App, error)
	// ApplicationsByDisplayName finds apps with exactly this display name.
	ApplicationsByDisplayName(ctx context.Context, name string) ([]App, error)
	// SearchApplications lists apps with a word of their display name
	// starting with query (all apps, first page, when query is empty).
	SearchApplications(ctx context.Context, query string) ([]App, error)

	// ApplicationOwners reads GET /applications/{objectID}/owners, for
	// provenance (find.go).
	ApplicationOwners(ctx context.Context, objectID string) ([]Owner, error)
	// DirectoryRoles lists the signed-in user's directory roles by display
	// name; an error means they could not be read.
	DirectoryRoles(ctx context.Context) ([]string, error)

	// ServicePrincipalByAppID reads GET /servicePrincipals(appId='…').
	ServicePrincipalByAppID(ctx context.Context, appID string) (*ServicePrincipal, error)

	// IdentifierURIPolicy reads the tenant's app management policy for
	// identifier URIs (uripolicy.go); a refusal leaves it unknown.
	IdentifierURIPolicy(ctx context.Context) (*URIPolicy, error)
}

// Writer creates and changes applications and service principals.
type Writer interface {
	// UpsertApplication sends PATCH /applications(uniqueName='…') with
	// Prefer: create-if-missing. It returns the application as stored
	// afterwards and whether it was created (201) rather than updated (204).
	UpsertApplication(ctx context.Context, uniqueName string, patch AppPatch) (app *App, created bool, err error)
	// PatchApplication sends PATCH /applications/{objectID}.
	PatchApplication(ctx context.Context, objectID string, patch AppPatch) error
	// UpsertServicePrincipal sends PATCH /servicePrincipals(appId='…') with
	// Prefer: create-if-missing.
	UpsertServicePrincipal(ctx context.Context, appID string) (*ServicePrincipal, error)
	// CreateServicePrincipal sends POST /servicePrincipals for an app of
	// this tenant or another (onboard.go).
	CreateServicePrincipal(ctx context.Context, appID string) (*ServicePrincipal, error)
}

// DeletedItems is what undo and restore need: deletes, purges and restores
// through Entra's deleted items. Deletes and purges of something already
// gone succeed (the goal is met).
type DeletedItems interface {
	DeleteServicePrincipal(ctx context.Context, id string) error
	DeleteApplication(ctx context.Context, objectID string) error
	PurgeDeletedItem(ctx context.Context, id string) error
	RestoreDeletedItem(ctx context.Context, id string) error
	// DeletedApplication finds an app in deleted items by "appId" or
	// "uniqueName"; nil when there is none.
	DeletedApplication(ctx context.Context, prop, value string) (*DeletedApp, error)
	// DeletedServicePrincipal finds the service principal of appID in
	// deleted items; nil when there is none.
	DeletedServicePrincipal(ctx context.Context, appID string) (*ServicePrincipal, error)
	// DeletedApplications lists the applications in deleted items
	// (quota.go).
	DeletedApplications(ctx context.Context) ([]DeletedApp, error)
}

// AccessReader makes the user's reads of the can-I-register check
// (ReadAccess, CheckAccess): who the user is, the tenant setting and the
// roles; the app the run names is read by FindApp. Only a failure to read
// the user is an error; a refused read is named in AccessFacts.Unknowns.
type AccessReader interface {
	ReadAccess(ctx context.Context) (AccessFacts, error)
}

// Inspector is what doctor reads beyond the app itself.
type Inspector interface {
	// Owners lists the owners of the application with that object id.
	Owners(ctx context.Context, objectID string) ([]string, error)
	// UsersCanConsent reports whether the tenant lets users consent to
	// apps themselves (the authorization policy).
	UsersCanConsent(ctx context.Context) (bool, error)
}

// AppPatch is the body of an application PATCH. A nil field is not sent; a
// non-nil collection replaces the stored one wholesale (as Graph does), so the
// planner always fills collections with every entry the app must keep.
type AppPatch struct {
	DisplayName    *string
	SignInAudience *string
	// UniqueName sets the app's alternate key once (Graph refuses to change
	// it afterwards); only `export --set-unique-name` sends it.
	UniqueName     *string
	IdentifierURIs *[]string
	// Scopes and PreAuthorized go inside the "api" object. Graph merges
	// complex properties, so an "api" object carrying only these two leaves
	// the app's other api settings as they were.
	Scopes        *[]Scope
	PreAuthorized *[]PreAuthorizedApp
}

// Then is p followed by q, as Graph stores two PATCHes sent in turn: each
// field q sends replaces p's (collections wholesale).
func (p AppPatch) Then(q AppPatch) AppPatch {
	if q.DisplayName != nil {
		p.DisplayName = q.DisplayName
	}
	if q.SignInAudience != nil {
		p.SignInAudience = q.SignInAudience
	}
	if q.UniqueName != nil {
		p.UniqueName = q.UniqueName
	}
	if q.IdentifierURIs != nil {
		p.IdentifierURIs = q.IdentifierURIs
	}
	if q.Scopes != nil {
		p.Scopes = q.Scopes
	}
	if q.PreAuthorized != nil {
		p.PreAuthorized = q.PreAuthorized
	}
	return p
}

// Empty reports whether the patch would send nothing.
func (p AppPatch) Empty() bool {
	return p.DisplayName == nil && p.SignInAudience == nil && p.UniqueName == nil && p.IdentifierURIs == nil &&
		p.Scopes == nil && p.PreAuthorized == nil
}

// Error is a directory error translated for people: what happened, and how
// to fix it. graph/ returns these for every failed call.
type Error struct {
	Status  int    // HTTP status, 0 when no response arrived
	Code    string // Graph error code, e.g. Authorization_RequestDenied
	Message string // Graph's message, stripped of control characters
	Hint    string // what to do about it, in plain words
	// Retryable is true for failures a re-run can get past (network, 429, 5xx).
	Retryable bool
	Err       error
}

func (e *Error) Error() string {
	s := e.Message
	if e.Code != "" {
		s = e.Code + ": " + s
	}
	if e.Status != 0 {
		s = "Graph answered " + itoa(e.Status) + " " + s
	}
	if e.Hint != "" {
		s += "\n" + e.Hint
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// ErrReplan means the directory was not as read when the plan was made —
// typically an app created moments ago by an interrupted run, which Entra
// had not yet replicated when we looked. Nothing was changed; Converge reads
// again and plans from what is really there.
var ErrReplan = errors.New("the directory changed since it was read")

// AsError returns the *Error inside err, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
