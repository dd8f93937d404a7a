package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// The can-I-register check: right after sign-in, before the first write,
// decide from what Graph let us read whether this user may register apps
// (and edit the app they named), so a user who may not is told at once what
// to ask for, instead of meeting a 403 after several screens.

// Answer is yes, no, or unknown (a read was refused).
type Answer string

const (
	Yes     Answer = "yes"
	No      Answer = "no"
	Unknown Answer = "unknown"
)

// Bool is the answer as JSON wants it: true, false or null.
func (a Answer) Bool() *bool {
	switch a {
	case Yes:
		t := true
		return &t
	case No:
		f := false
		return &f
	}
	return nil
}

// Roles that matter here, by display name.
const (
	RoleApplicationDeveloper   = "Application Developer"
	RoleCloudApplicationAdmin  = "Cloud Application Administrator"
	RoleApplicationAdmin       = "Application Administrator"
	RoleGlobalAdmin            = "Global Administrator"
	settingUsersCanRegisterApp = `"Users can register applications"`
)

// registerRoles may register apps whatever the tenant setting says;
// editRoles may also change apps they do not own.
var (
	registerRoles = []string{RoleApplicationDeveloper, RoleCloudApplicationAdmin, RoleApplicationAdmin, RoleGlobalAdmin}
	editRoles     = []string{RoleCloudApplicationAdmin, RoleApplicationAdmin, RoleGlobalAdmin}
)

// AccessFacts is what the reads after sign-in found. A nil pointer or a
// false *Known field means that read was refused or failed.
type AccessFacts struct {
	User   *User
	Tenant *Tenant
	// AllowedToCreateApps is authorizationPolicy.defaultUserRolePermissions.allowedToCreateApps.
	AllowedToCreateApps *bool
	Roles               []string // directory roles, by display name
	RolesKnown          bool
	// For --app-id: whether the app was found, is multitenant, has a
	// service principal, and whether the user owns it.
	AppChecked  bool
	AppID       string
	AppFound    bool
	Multitenant bool
	HasSP       bool
	OwnsApp     *bool
	// Unknowns say in one line each which read was refused.
	Unknowns []string
}

// Access is the decision.
type Access struct {
	Register Answer // may register a new application
	EditApp  Answer // may change the named app ("" when none was named)
	CreateSP Answer // may create the named app's service principal ("" when not needed)
}

func hasAny(have []string, want []string) bool {
	for _, h := range have {
		for _, w := range want {
			if strings.EqualFold(h, w) {
				return true
			}
		}
	}
	return false
}

// DecideAccess decides, step by step:
//  1. a role that may register apps → yes;
//  2. else the tenant setting, when it was read: Yes → yes; No → no, when
//     the roles were read too (a role we could not see might allow it);
//  3. else unknown.
//
// For a named app: owner or an app-admin role → yes; not owner and the
// roles read without such a role → no; else unknown. A multitenant app's
// missing service principal is created by the same rule.
func DecideAccess(f AccessFacts) Access {
	a := Access{Register: Unknown}
	switch {
	case f.RolesKnown && hasAny(f.Roles, registerRoles):
		a.Register = Yes
	case f.AllowedToCreateApps != nil && *f.AllowedToCreateApps:
		a.Register = Yes
	case f.AllowedToCreateApps != nil && f.RolesKnown:
		a.Register = No
	}
	if f.AppChecked && f.AppFound {
		switch {
		case f.OwnsApp != nil && *f.OwnsApp, f.RolesKnown && hasAny(f.Roles, editRoles):
			a.EditApp = Yes
		case f.OwnsApp != nil && f.RolesKnown:
			a.EditApp = No
		default:
			a.EditApp = Unknown
		}
		if f.Multitenant && !f.HasSP {
			a.CreateSP = a.EditApp
		}
	}
	return a
}

// NeedsRegister reports whether the run would create an application: no
// --app-id, or one that was not found.
func (f AccessFacts) NeedsRegister() bool { return !f.AppChecked || !f.AppFound }

// Blocked returns the refusal to show before any write, or "" when the run
// may go on: a user who may not register (when a new app is needed) or may
// not edit the named app.
func (a Access) Blocked(f AccessFacts) string {
	who := AccessCheck{Facts: f}.who()
	switch {
	case f.NeedsRegister() && a.Register == No:
		return RegisterRefusal(who) + " Nothing was changed."
	case a.EditApp == No:
		return fmt.Sprintf("%s may not change this application: you are not one of its owners, and you hold neither the %s nor the %s role.\n"+
			"Ask an owner of the app to add you as an owner (App registrations > the app > Owners), or an admin for one of those roles. Nothing was changed.",
			who, RoleCloudApplicationAdmin, RoleApplicationAdmin)
	}
	return ""
}

// UnknownWhy says in one line which reads of the check were refused.
func (f AccessFacts) UnknownWhy() string { return unknownWhy(f) }

func unknownWhy(f AccessFacts) string {
	if len(f.Unknowns) == 0 {
		return "a read was refused"
	}
	return strings.Join(f.Unknowns, "; ")
}

// RegisterRefusal says why who may not register applications and what to
// ask an admin for.
func RegisterRefusal(who string) string {
	return fmt.Sprintf("%s may not register applications in this tenant: the tenant setting %s is No, and you hold none of the "+
		"roles %s, %s or %s.\nAsk an admin to give you one of those roles (Application Developer is enough), or to set %s to Yes "+
		"(Entra admin center > Identity > Users > User settings).",
		who, settingUsersCanRegisterApp, RoleApplicationDeveloper, RoleCloudApplicationAdmin, RoleApplicationAdmin, settingUsersCanRegisterApp)
}

// Warnings are one-line notes for the unknowns and for a service principal
// this user cannot create.
func (a Access) Warnings(f AccessFacts) []string {
	var out []string
	if a.Register == Unknown && f.NeedsRegister() {
		out = append(out, "Could not tell whether you may register applications ("+unknownWhy(f)+"); going on.")
	}
	if a.EditApp == Unknown && !f.NeedsRegister() {
		out = append(out, "Could not tell whether you may change this application ("+unknownWhy(f)+"); going on.")
	}
	if a.CreateSP == No {
		out = append(out, fmt.Sprintf("This multitenant application has no service principal in this tenant, and creating it needs the %s "+
			"or %s role (or ownership of the app): the service principal step will fail unless an admin creates it.", RoleCloudApplicationAdmin, RoleApplicationAdmin))
	}
	return out
}

// AccessCheck is the can-I-register check as both front ends run it: the
// facts read, the decision, and what to say about it.
type AccessCheck struct {
	Facts    AccessFacts
	Decision Access
	// App is the app the run names, as FindApp found it (nil when none is
	// named), with its provenance decided from the owners and roles the
	// check read: setup --app-id asks about an app not provably the
	// user's from it, without reading the app again.
	App *Found
}

// CheckAccess reads and decides whether the signed-in user may do what d
// asks, before anything is written. It is the one place of the re-run
// rule: without an app id, the app a run with this display name made
// before (found by its upsert key) is the app the run will update, so
// nothing new is registered and what counts is whether the user may change
// that app (its owners are read, so an owner gets no "could not tell").
func CheckAccess(ctx context.Context, dir Directory, d Desired) (AccessCheck, error) {
	q := AppQuery{AppID: d.AppID}
	if strings.TrimSpace(d.AppID) == "" {
		// The app a re-run by name updates is the one FindApp finds (also
		// after a rename); one that is not provably the user's, or several
		// renamed apps, stop the run here, before any write.
		q.DisplayName = d.DisplayName
	}
	facts, found, err := readAccess(ctx, dir, q)
	if err != nil {
		return AccessCheck{}, err
	}
	return AccessCheck{Facts: facts, Decision: DecideAccess(facts), App: found}, nil
}

// ReadAccess reads what DecideAccess needs: the user's facts
// (Directory.ReadAccess) and, when q names an app, that app as FindApp
// finds it — whether it is multitenant, has its service principal, and
// whether the user owns it. An app found by name that is not provably the
// user's, or a name several apps answer to, is the error; a missing or
// unreadable app is the run's to report.
func ReadAccess(ctx context.Context, dir Directory, q AppQuery) (AccessFacts, error) {
	facts, _, err := readAccess(ctx, dir, q)
	return facts, err
}

// readAccess is ReadAccess, also returning the app found. The user, the
// roles and the owners are read once: FindApp gets the user, an app found
// by name brings the owners its provenance read, and one named by id has
// its provenance decided here from its owners and the roles just read.
func readAccess(ctx context.Context, dir Directory, q AppQuery) (AccessFacts, *Found, error) {
	facts, err := dir.ReadAccess(ctx)
	if err != nil {
		return facts, nil, err
	}
	q.AppID = strings.ToLower(strings.TrimSpace(q.AppID))
	if q.AppID == "" && strings.TrimSpace(q.DisplayName) == "" {
		return facts, nil, nil
	}
	f, err := FindApp(ctx, dir, q, facts.User)
	var notYours *NotYoursError
	var ambiguous *AmbiguousError
	if errors.As(err, &notYours) || errors.As(err, &ambiguous) {
		return facts, nil, err
	}
	if q.AppID != "" {
		facts.AppChecked, facts.AppID = true, q.AppID
	}
	if err != nil || f.App == nil {
		return facts, nil, nil
	}
	app := f.App
	facts.AppChecked, facts.AppID, facts.AppFound = true, app.AppID, true
	facts.Multitenant = app.SignInAudience != "" && app.SignInAudience != AudienceSingle
	if sp, err := dir.ServicePrincipalByAppID(ctx, app.AppID); err == nil {
		facts.HasSP = sp != nil
	} else {
		facts.HasSP = true // unknown: do not warn
	}
	if !f.ByName() {
		owners, err := dir.ApplicationOwners(ctx, app.ObjectID)
		f.Provenance = DecideProvenance(app, owners, err == nil, facts.User, facts.Roles, facts.RolesKnown)
	}
	if f.Provenance.OwnersKnown {
		owns := ownsIt(f.Provenance.Owners, facts.User)
		facts.OwnsApp = &owns
	} else {
		facts.Unknowns = append(facts.Unknowns, "the app's owners could not be read")
	}
	return facts, f, nil
}

// Blocked is the refusal to show before any write, or "" when the run may
// go on.
func (c AccessCheck) Blocked() string { return c.Decision.Blocked(c.Facts) }

// Warnings are the one-line unknowns and the service-principal warning.
func (c AccessCheck) Warnings() []string { return c.Decision.Warnings(c.Facts) }

// RegisterRefusal is why this user may not register a new application
// (without "Nothing was changed": nothing was about to be), or "" when
// they may or it is unknown.
func (c AccessCheck) RegisterRefusal() string {
	if c.Decision.Register != No {
		return ""
	}
	return RegisterRefusal(c.who())
}

func (c AccessCheck) who() string {
	if u := c.Facts.User; u != nil && u.UserPrincipalName != "" {
		return Clean(u.UserPrincipalName)
	}
	return "Your account"
}
