package steps

import (
	"fmt"
	"strings"
)

// Provenance: is an application the signed-in user's to configure or
// delete? The uniqueName setup gives an app is derived from its display
// name, so it is predictable, and anyone who may register apps can create
// an app under it first — with their own redirect URI, secret and owners.
// Finding an app by name therefore proves nothing about whose it is. The
// rule (docs/safety.md says it for users):
//
//  1. you are one of the app's owners (Graph's owners list), or
//  2. you hold a role that may change any app (Cloud Application
//     Administrator, Application Administrator, Global Administrator) and
//     the app carries nothing pqentra never sets: no owners at all, no
//     redirect URIs, no client secrets or certificates.
//
// Anything else — owners that could not be read included — is not yours.

// Provenance is the answer for one app.
type Provenance struct {
	// Yours is true when the rule above holds.
	Yours bool
	// Why says in words why (or why not).
	Why string
	// Owners are the app's owners as read (OwnersKnown false: the read
	// failed).
	Owners      []Owner
	OwnersKnown bool
	// Extras are what the app carries that pqentra never sets, in words:
	// other owners, redirect URIs, credentials.
	Extras []string
	// ByName: the app was found by its name (FindApp), not named by a key
	// the user gave — then Extras on an app that is yours are said aloud
	// (Caution).
	ByName bool
}

// Caution is what pqentra says, before any write, about an app it found by
// name that is yours but carries what pqentra never sets: being one of
// its owners is enough to configure it (rule 1), yet someone who
// registered the app under pqentra's predictable name and then added you
// as an owner still holds it through their ownership or their
// credentials. "" when there is nothing to say.
func (p Provenance) Caution(app *App) string {
	if f := p.CautionFacts(app); f != "" {
		return f + " " + CautionCheck
	}
	return ""
}

// CautionFacts is the Caution without what to do about it (CautionCheck):
// doctor gives that as its finding's fix.
func (p Provenance) CautionFacts(app *App) string {
	if app == nil || !p.Yours || !p.ByName || len(p.Extras) == 0 {
		return ""
	}
	return fmt.Sprintf("The application %q (appId %s), found by its name, is yours (%s), but it also has what pqentra never sets: %s.",
		Clean(app.DisplayName), app.AppID, p.Why, strings.Join(p.Extras, "; "))
}

// CautionCheck is what to do about a Caution.
const CautionCheck = "If you did not add them, someone else can use this app: stop and check its owners and credentials in the Entra admin center " +
	"(App registrations > the app > Owners, and Certificates & secrets)."

// DecideProvenance applies the rule. It is pure: the reads are the
// finder's job.
func DecideProvenance(app *App, owners []Owner, ownersKnown bool, user *User, roles []string, rolesKnown bool) Provenance {
	p := Provenance{Owners: owners, OwnersKnown: ownersKnown}
	if app == nil {
		return p
	}
	mine := false
	for _, o := range owners {
		if user != nil && user.ID != "" && equalFoldGUID(o.ID, user.ID) {
			mine = true
			continue
		}
		p.Extras = append(p.Extras, "owner "+Clean(o.Name))
	}
	for _, u := range app.RedirectURIs {
		p.Extras = append(p.Extras, "redirect URI "+Clean(u))
	}
	for _, c := range app.Credentials {
		p.Extras = append(p.Extras, Clean(c))
	}
	admin := ""
	if rolesKnown {
		for _, r := range editRoles {
			if hasAny(roles, []string{r}) {
				admin = r
				break
			}
		}
	}
	switch {
	case mine:
		p.Yours, p.Why = true, "you are one of its owners"
	case !ownersKnown:
		p.Why = "its owners could not be read, so pqentra cannot tell whose it is"
	case admin != "" && len(p.Extras) == 0:
		p.Yours, p.Why = true, "it has no owners, redirect URIs or credentials, and you hold the "+admin+" role"
	case admin != "":
		p.Why = "you are not one of its owners, and it carries what pqentra never sets (other owners, redirect URIs or credentials)"
	case len(owners) == 0:
		p.Why = "it has no owners, and you hold no role that may change any app (" + strings.Join(editRoles, ", ") + ")"
	default:
		p.Why = "you are not one of its owners"
	}
	return p
}

// OwnerNames are the owners for people, "(none)" when there are none and
// "(unknown)" when they could not be read.
func (p Provenance) OwnerNames() string {
	if !p.OwnersKnown {
		return "(unknown)"
	}
	if len(p.Owners) == 0 {
		return "(none)"
	}
	names := make([]string, len(p.Owners))
	for i, o := range p.Owners {
		names[i] = Clean(o.Name)
	}
	return strings.Join(names, ", ")
}

// NotYoursError refuses an app found by name that is not provably the
// user's. Nothing has been written when it is returned.
type NotYoursError struct {
	App        App
	Provenance Provenance
	// Name is the display name the user asked for.
	Name string
	// WaysOn are the two ways forward, in the words of the front end that
	// shows them; empty means the command line's (--display-name, --app-id).
	WaysOn []string
}

func (e *NotYoursError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the application %q (appId %s, object id %s) that pqentra found by the name %q is not provably yours: %s.\n",
		Clean(e.App.DisplayName), e.App.AppID, e.App.ObjectID, Clean(e.Name), e.Provenance.Why)
	fmt.Fprintf(&b, "Owners: %s.", e.Provenance.OwnerNames())
	if len(e.Provenance.Extras) > 0 {
		fmt.Fprintf(&b, " It also has: %s.", strings.Join(e.Provenance.Extras, "; "))
	}
	b.WriteString("\npqentra configures or deletes an app it finds by name only when you own it (or, as an application admin, when it has no owners, redirect URIs or credentials): " +
		"a name is not proof, since anyone may register an app under it first. Nothing was changed.\n")
	ways := e.WaysOn
	if len(ways) == 0 {
		ways = []string{
			"use another display name (--display-name \"" + Clean(e.Name) + " 2\"), or",
			"name this app on purpose with --app-id " + e.App.AppID + " (pqentra shows whose it is and asks first)",
		}
	}
	b.WriteString("Two ways on:")
	for _, w := range ways {
		b.WriteString("\n  - " + w)
	}
	return b.String()
}
