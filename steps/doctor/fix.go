package doctor

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/m"
)

// Gather reads what Diagnose needs about app besides the app itself: its
// service principal, owners, the tenant's consent setting and the names of
// the other preauthorized clients. Only the service principal read is
// essential; the others degrade to "unknown".
func Gather(ctx context.Context, dir steps.Directory, tenant *steps.Tenant, app *steps.App) (DiagnoseInput, error) {
	in := DiagnoseInput{Tenant: tenant, App: app, ClientNames: map[string]string{}}
	if app == nil {
		return in, nil
	}
	sp, err := dir.ServicePrincipalByAppID(ctx, app.AppID)
	if err != nil {
		return in, err
	}
	in.ServicePrincipal = sp
	if in.Owners, err = dir.Owners(ctx, app.ObjectID); err != nil {
		in.Owners, in.OwnersUnknown = nil, true
	}
	if ok, err := dir.UsersCanConsent(ctx); err == nil {
		in.UsersCanConsent = &ok
	}
	for _, p := range app.PreAuthorized {
		in.ClientNames[strings.ToLower(p.AppID)] = steps.ClientName(ctx, dir, p.AppID)
	}
	return in, nil
}

// appFixable are the findings --fix repairs through the engine.
var appFixable = []string{FindPreauthMissingExcel, FindPreauthMissingRefresh, FindPreauthDisabledScope,
	FindNoEnabledScope, FindAdminOnlyScope, FindUserConsentBlocked, FindNoServicePrincipal, FindNoIdentifierURI,
	FindConnectorScopeUnknown}

// PlanFix turns the app findings into desired states for the engine, one
// per scope to repair, the scope the clients should use first. Each keeps
// the app's identifier URI and preauthorizes Excel and Refresh; the
// planner never drops what it did not create, so other scopes and other
// preauthorized clients stay as they are. Nil when nothing is to be done.
func PlanFix(in DiagnoseInput, fs []Finding) ([]steps.Desired, error) {
	app := in.App
	if app == nil || !slices.ContainsFunc(fs, func(f Finding) bool {
		return f.Severity == SeverityError && slices.Contains(appFixable, f.ID)
	}) {
		return nil, nil
	}
	uri := fixIdentifierURI(in)
	var ds []steps.Desired
	for _, v := range fixScopeValues(in) {
		d := steps.Desired{AppID: app.AppID, IdentifierURI: uri, Scope: steps.ScopeSpec{Value: v, Type: steps.ConsentUsers}, Clients: steps.DefaultClients()}
		if err := d.Normalize(); err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	return ds, nil
}

// FixResource is the Resource the connector should name once fixed.
func FixResource(in DiagnoseInput) string {
	if in.App == nil {
		return ""
	}
	return steps.ResolveURI(fixIdentifierURI(in), in.App.AppID)
}

// fixIdentifierURI keeps the URI the connector already names, else the
// app's first usable one; an app without any gets the connector's (when
// Entra's policy allows it for sure) or the default api://{appId}.
func fixIdentifierURI(in DiagnoseInput) string {
	app := in.App
	res := ConnectorResources(in.Connector)
	for _, r := range res {
		if containsFold(app.IdentifierURIs, r) {
			return r
		}
	}
	for _, u := range app.IdentifierURIs {
		if steps.CheckIdentifierURIFor(u, app.AppID, app.SignInAudience, in.Tenant) == nil {
			return u
		}
	}
	if len(app.IdentifierURIs) == 0 {
		for _, r := range res {
			// A fix must not be refused: a URI the tenant's app management
			// policy refuses, or may refuse when it could not be read, is
			// not taken (the connector gets the default instead).
			if steps.ValidateIdentifierURISyntax(r) == nil && steps.CheckIdentifierURIFor(r, app.AppID, app.SignInAudience, in.Tenant) == nil && !steps.IsGUID(r) &&
				steps.CheckAppManagementPolicy(r, app, app.AppID, in.Tenant) == nil && steps.URIPolicyWarning(r, app, app.AppID, in.Tenant) == "" {
				return r
			}
		}
	}
	return steps.DefaultIdentifierURI
}

// ConnectorResources lists the text Resources of the connector's Aad
// records, in file order: what doctor finds the app by when no selector is
// given, and the URI its fix keeps.
func ConnectorResources(c *ConnectorInput) []string {
	var out []string
	if c == nil {
		return nil
	}
	for _, f := range c.Aad {
		if r := strings.TrimSpace(f.Resource.Text); f.IsRecord && f.Resource.Kind == m.ValueText && r != "" {
			out = append(out, r)
		}
	}
	return out
}

// fixScopeValues: the scopes the connector names; else the scope the
// Power Query clients are preauthorized for (an enabled User one first);
// else the app's best User scope; else Data.Read. Then every other requested
// scope that only admins can consent to.
func fixScopeValues(in DiagnoseInput) []string {
	app := in.App
	var out []string
	add := func(v string) {
		if v != "" && !containsFold(out, v) {
			out = append(out, v)
		}
	}
	named, _ := connectorScopeValues(in)
	for _, v := range named {
		add(v)
	}
	if len(out) == 0 {
		// The app's own scope (the wizard's Scope step starts from the
		// same one), else Data.Read.
		if s := app.ConnectorScope(); s != nil {
			add(s.Value)
		} else {
			add(steps.DefaultScopeValue)
		}
	}
	for _, s := range requestedScopes(in) {
		if s.IsEnabled && s.Type == steps.ConsentAdmins {
			add(s.Value)
		}
	}
	return out
}

// PreviewFix plans every desired state in turn, each against the state
// the changes before it leave, so the previews are exactly what will be
// sent (Converge plans again from a fresh read before sending).
func PreviewFix(st steps.State, ds []steps.Desired, o steps.Options) ([]steps.Change, error) {
	var all []steps.Change
	for _, d := range ds {
		p, err := steps.Diff(st, d, o)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Changes...)
		st = st.After(p.Changes)
	}
	return all, nil
}

// ApplyFix converges each desired state in order.
func ApplyFix(ctx context.Context, dir steps.Directory, ds []steps.Desired, o steps.Options) error {
	for _, d := range ds {
		if _, err := steps.Converge(ctx, dir, d, o, false); err != nil {
			return err
		}
	}
	return nil
}

// Repair is doctor's fix, planned: the desired states the engine
// converges, the exact requests they send (previewed before anything is
// asked), and the connector's text once fixed. Both `doctor --fix` and any
// other front end show and apply this one plan.
type Repair struct {
	Desired []steps.Desired
	Changes []steps.Change
	// Source and Connector are the connector's text as read and once fixed
	// (equal when nothing in it needs fixing, or without a connector).
	Source, Connector string
	// ConnectorErr says why the connector could not be fixed automatically;
	// it is then left as it is.
	ConnectorErr error
}

// PatchesConnector reports whether the repair changes the connector file.
func (r *Repair) PatchesConnector() bool { return r.Connector != r.Source }

// Empty reports whether doctor cannot fix anything by itself.
func (r *Repair) Empty() bool { return len(r.Changes) == 0 && !r.PatchesConnector() }

// PlanRepair plans the fix of fs: the engine's changes for the app, from
// the state in (nothing is read), and the patch of the connector whose
// text is src ("" without one).
func PlanRepair(in DiagnoseInput, fs []Finding, src string, o steps.Options) (*Repair, error) {
	ds, err := PlanFix(in, fs)
	if err != nil {
		return nil, fmt.Errorf("cannot plan the fix: %w", err)
	}
	changes, err := PreviewFix(steps.State{Tenant: in.Tenant, App: in.App, ServicePrincipal: in.ServicePrincipal}, ds, o)
	if err != nil {
		return nil, fmt.Errorf("cannot plan the fix: %w", err)
	}
	r := &Repair{Desired: ds, Changes: changes, Source: src, Connector: src}
	if c := in.Connector; c != nil && c.Err == nil {
		if fixed, err := FixConnector(src, in); err != nil {
			r.ConnectorErr = err
		} else {
			r.Connector = fixed
		}
	}
	return r, nil
}
