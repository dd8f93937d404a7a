package steps

import (
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
)

// State is what the directory holds for the app, as read before planning.
type State struct {
	Tenant *Tenant
	User   *User
	// App is nil when the application does not exist yet.
	App *App
	// ServicePrincipal is nil when the app has none in this tenant.
	ServicePrincipal *ServicePrincipal
	// Provenance says whether App is provably the user's (find.go).
	Provenance Provenance
	// Deleted, when App is nil, is the app in deleted items that holds the
	// name (or --app-id) this setup asks for, and DeletedSP its service
	// principal there (deletedkey.go).
	Deleted   *DeletedApp
	DeletedSP *ServicePrincipal
}

// DefaultGraphBase is the Graph root previews name when none is given.
const DefaultGraphBase = "https://graph.microsoft.com/v1.0"

// Options shape a plan.
type Options struct {
	// GraphBase is the Graph root the previews name, e.g.
	// https://graph.microsoft.com/v1.0.
	GraphBase string
	// Only limits the plan to these steps (and the earlier changes they
	// depend on), as the wizard does on each screen. Empty means all.
	Only []string
	// NewID makes scope ids; nil uses random GUIDs.
	NewID func() string
	// Progress, when set, hears about each change Converge sends.
	Progress func(ProgressEvent)
	// Command is how pqentra was started, for the commands an error
	// prints (the quota's purge commands).
	Command Command
	// Warn, when set, hears the plan's Warnings once, before anything is
	// sent (also on a dry run).
	Warn func(string)
	// RestoreDeleted: when the app is in deleted items (State.Deleted),
	// restore it and configure it, instead of stopping with a
	// *DeletedAppError.
	RestoreDeleted bool
}

// Plan is the ordered, minimal list of writes that brings State to Desired.
type Plan struct {
	Desired    Desired
	State      State
	UniqueName string // the upsert key, when the app is found or created by name
	Scope      Scope  // the scope as it will be stored (id resolved)
	Changes    []Change
	// Warnings are said before the changes are sent: what Graph may
	// refuse that pqentra could not check (URIPolicyWarning).
	Warnings []string
}

// Empty reports whether the directory already matches.
func (p *Plan) Empty() bool { return len(p.Changes) == 0 }

// op is one fine-grained intent before writes are merged.
type op struct {
	step    string
	kind    OpKind
	patch   AppPatch
	deps    []int
	summary string
}

// Diff computes the changes that bring st to d. d must be normalized. It is
// pure: the same inputs give the same plan (but for new scope ids). Each
// step plans its own ops (diffRegister, diffIdentifierURI, diffScope,
// diffPreauthorize); merge then turns them into as few writes as Graph's
// rules allow.
func Diff(st State, d Desired, o Options) (*Plan, error) {
	if o.GraphBase == "" {
		o.GraphBase = DefaultGraphBase
	}
	if o.NewID == nil {
		o.NewID = NewGUID
	}
	if st.App == nil && st.Deleted != nil {
		if !o.RestoreDeleted {
			return nil, &DeletedAppError{App: *st.Deleted}
		}
		return diffRestore(st, d, o)
	}
	if st.App == nil && d.AppID != "" {
		return nil, inputErr(FieldAppID, fmt.Errorf("no application with appId %s in this tenant: check the id on the app's Overview page and the tenant you signed in to, or register a new app instead", d.AppID))
	}
	pl := newPlanner(st, d, o)
	p := &Plan{Desired: d, State: st, UniqueName: pl.uniqueName}
	pl.diffRegister()
	if err := pl.diffIdentifierURI(); err != nil {
		return nil, err
	}
	p.Scope = pl.diffScope()
	pl.diffPreauthorize(p.Scope)
	ops := selectSteps(pl.ops, o.Only, pl.create)
	p.Changes = merge(ops, pl.cur, pl.isNew, p.UniqueName, pl.appID, o.GraphBase)
	if len(o.Only) == 0 || slices.Contains(o.Only, StepIdentifierURI) {
		p.Warnings = pl.warnings
	}
	return p, nil
}

// selectSteps keeps the ops of the chosen steps and what they depend on.
// A new application is always created first: no other write can name it.
func selectSteps(ops []op, only []string, create int) []op {
	if len(only) == 0 {
		return ops
	}
	keep := make([]bool, len(ops))
	var mark func(i int)
	mark = func(i int) {
		if keep[i] {
			return
		}
		keep[i] = true
		for _, d := range ops[i].deps {
			mark(d)
		}
	}
	for i, o := range ops {
		if slices.Contains(only, o.step) {
			mark(i)
			if create >= 0 && o.kind != OpUpsertSP {
				mark(create)
			}
		}
	}
	// Renumber dependencies.
	idx := make([]int, len(ops))
	var out []op
	for i, o := range ops {
		idx[i] = -1
		if keep[i] {
			idx[i] = len(out)
			out = append(out, o)
		}
	}
	for i := range out {
		var deps []int
		for _, d := range out[i].deps {
			deps = append(deps, idx[d])
		}
		out[i].deps = deps
	}
	return out
}

// merge turns ops into as few writes as Graph's rules allow. Each op gets a
// wave: one more than the latest wave it depends on. All application ops of
// a wave become one PATCH; the service principal is its own call.
func merge(ops []op, cur *App, isNew bool, uniqueName, appID, base string) []Change {
	wave := make([]int, len(ops))
	maxWave := 0
	for i, o := range ops {
		for _, d := range o.deps {
			wave[i] = max(wave[i], wave[d]+1)
		}
		maxWave = max(maxWave, wave[i])
	}
	// The projected application, to fill each api write with the other
	// collection as it stands at that point (never dropping an entry).
	proj := App{}
	if cur != nil {
		proj = *cur
		proj.Scopes = slices.Clone(cur.Scopes)
		proj.PreAuthorized = clonePre(cur.PreAuthorized)
	}
	created := !isNew
	var out []Change
	for w := 0; w <= maxWave; w++ {
		var app *Change
		var sp *Change
		appFirst, spFirst := -1, -1
		for i, o := range ops {
			if wave[i] != w {
				continue
			}
			if o.kind == OpUpsertSP {
				spFirst = i
				path := fmt.Sprintf("/servicePrincipals(appId='%s')", appID)
				sp = &Change{Step: o.step, Steps: []string{o.step}, Summary: o.summary, Kind: OpUpsertSP,
					Method: "PATCH", Path: path, URL: base + path, AppID: appID,
					Headers: map[string]string{"Prefer": "create-if-missing"}, Body: []byte(`{}`)}
				continue
			}
			if app == nil {
				appFirst = i
				app = &Change{Step: o.step, Kind: OpPatchApp, Method: "PATCH"}
				if !created {
					app.Kind = OpUpsertApp
					app.UniqueName = uniqueName
					app.Path = fmt.Sprintf("/applications(uniqueName='%s')", uniqueName)
					app.Headers = map[string]string{"Prefer": "create-if-missing"}
				} else {
					oid := PlaceholderObjectID
					if cur != nil {
						oid = cur.ObjectID
					}
					app.ObjectID = oid
					app.Path = "/applications/" + oid
				}
				app.URL = base + app.Path
				app.AppID = appID
			}
			if !slices.Contains(app.Steps, o.step) {
				app.Steps = append(app.Steps, o.step)
			}
			if app.Summary != "" {
				app.Summary += "; "
			}
			app.Summary += o.summary
			app.Patch = app.Patch.Then(o.patch)
		}
		// Within a wave, calls go in quickstart order.
		if sp != nil && (app == nil || spFirst < appFirst) {
			out = append(out, *sp)
			sp = nil
		}
		if app != nil {
			if app.Patch.Scopes != nil && app.Patch.PreAuthorized == nil && created {
				pre := clonePre(proj.PreAuthorized)
				app.Patch.PreAuthorized = &pre
			}
			if app.Patch.PreAuthorized != nil && app.Patch.Scopes == nil {
				scopes := slices.Clone(proj.Scopes)
				app.Patch.Scopes = &scopes
			}
			applyPatch(&proj, app.Patch)
			app.Body = PatchJSON(app.Patch)
			out = append(out, *app)
			created = true
		}
		if sp != nil {
			out = append(out, *sp)
		}
	}
	return out
}

// applyPatch updates a projected app as Graph would.
func applyPatch(a *App, p AppPatch) {
	if p.DisplayName != nil {
		a.DisplayName = *p.DisplayName
	}
	if p.SignInAudience != nil {
		a.SignInAudience = *p.SignInAudience
	}
	if p.IdentifierURIs != nil {
		a.IdentifierURIs = slices.Clone(*p.IdentifierURIs)
	}
	if p.Scopes != nil {
		a.Scopes = slices.Clone(*p.Scopes)
	}
	if p.PreAuthorized != nil {
		a.PreAuthorized = clonePre(*p.PreAuthorized)
	}
}

func setTexts(s *Scope, t ScopeTexts) {
	s.AdminConsentDisplayName = t.AdminConsentDisplayName
	s.AdminConsentDescription = t.AdminConsentDescription
	s.UserConsentDisplayName = t.UserConsentDisplayName
	s.UserConsentDescription = t.UserConsentDescription
}

// fillEmptyTexts gives an existing scope the texts Entra requires when it
// lacks them, and leaves texts someone wrote alone.
func fillEmptyTexts(s *Scope, t ScopeTexts) {
	if s.AdminConsentDisplayName == "" {
		s.AdminConsentDisplayName = t.AdminConsentDisplayName
	}
	if s.AdminConsentDescription == "" {
		s.AdminConsentDescription = t.AdminConsentDescription
	}
	if s.Type == ConsentUsers {
		if s.UserConsentDisplayName == "" {
			s.UserConsentDisplayName = t.UserConsentDisplayName
		}
		if s.UserConsentDescription == "" {
			s.UserConsentDescription = t.UserConsentDescription
		}
	}
}

func replaceScope(scopes []Scope, s Scope) []Scope {
	out := slices.Clone(scopes)
	for i := range out {
		if equalFoldGUID(out[i].ID, s.ID) {
			out[i] = s
		}
	}
	return out
}

func clonePre(in []PreAuthorizedApp) []PreAuthorizedApp {
	if in == nil {
		return []PreAuthorizedApp{}
	}
	out := make([]PreAuthorizedApp, len(in))
	for i, p := range in {
		out[i] = PreAuthorizedApp{AppID: p.AppID, DelegatedPermissionIDs: slices.Clone(p.DelegatedPermissionIDs)}
	}
	return out
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

// ClientLabel names a client for people: its known name, or its id.
func ClientLabel(appID string) string {
	if c, ok := KnownClientByAppID(appID); ok {
		return c.Name
	}
	return appID
}

// AudienceText says in the portal's words who may sign in.
func AudienceText(aud string) string {
	switch aud {
	case AudienceSingle:
		return "accounts in this organizational directory only"
	case AudienceMulti:
		return "accounts in any organizational directory"
	}
	return aud
}

// ConsentLabel says who can consent to a scope of type t, in the portal's
// words.
func ConsentLabel(t string) string {
	if t == ConsentAdmins {
		return "admins only"
	}
	return "admins and users"
}

// NewGUID returns a random (version 4) GUID, as Entra's portal uses for
// scope ids.
func NewGUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// After is the state as it will be once changes are applied: each app
// PATCH applied as Graph would, and a service principal once one is
// upserted. Previews of several plans in a row (doctor's fix) plan each
// against the state the ones before it leave.
func (s State) After(changes []Change) State {
	if s.App != nil {
		proj := *s.App
		proj.Scopes = slices.Clone(s.App.Scopes)
		proj.PreAuthorized = clonePre(s.App.PreAuthorized)
		s.App = &proj
	}
	for _, c := range changes {
		switch {
		case c.Kind == OpPatchApp && s.App != nil:
			applyPatch(s.App, c.Patch)
		case c.Kind == OpUpsertSP && s.ServicePrincipal == nil:
			s.ServicePrincipal = &ServicePrincipal{AppID: c.AppID}
		}
	}
	return s
}
