package steps

import (
	"context"
	"slices"
	"strings"

	"github.com/pqentra/pqentra/steps/m"
)

// Gather reads what Diagnose needs about app besides the app itself: its
// service principal, owners, the tenant's consent setting and the names of
// the other preauthorized clients. Only the service principal read is
// essential; the others degrade to "unknown".
func Gather(ctx context.Context, dir Directory, tenant *Tenant, app *App) (DiagnoseInput, error) {
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
		in.ClientNames[strings.ToLower(p.AppID)] = clientName(ctx, dir, p.AppID)
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
func PlanFix(in DiagnoseInput, fs []Finding) ([]Desired, error) {
	app := in.App
	if app == nil || !slices.ContainsFunc(fs, func(f Finding) bool {
		return f.Severity == SeverityError && slices.Contains(appFixable, f.ID)
	}) {
		return nil, nil
	}
	uri := fixIdentifierURI(in)
	var ds []Desired
	for _, v := range fixScopeValues(in) {
		d := Desired{AppID: app.AppID, IdentifierURI: uri, Scope: ScopeSpec{Value: v, Type: ConsentUsers}, Clients: DefaultClients()}
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
	return ResolveURI(fixIdentifierURI(in), in.App.AppID)
}

// fixIdentifierURI keeps the URI the connector already names, else the
// app's first usable one; an app without any gets the connector's (when
// Entra's policy allows it) or the default api://{appId}.
func fixIdentifierURI(in DiagnoseInput) string {
	app := in.App
	res := ConnectorResources(in.Connector)
	for _, r := range res {
		if containsFold(app.IdentifierURIs, r) {
			return r
		}
	}
	for _, u := range app.IdentifierURIs {
		if CheckIdentifierURIPolicy(u, app.AppID, in.Tenant) == nil {
			return u
		}
	}
	if len(app.IdentifierURIs) == 0 {
		for _, r := range res {
			if ValidateIdentifierURISyntax(r) == nil && CheckIdentifierURIPolicy(r, app.AppID, in.Tenant) == nil && !IsGUID(r) {
				return r
			}
		}
	}
	return DefaultIdentifierURI
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
		var pre []Scope
		for _, pc := range powerQueryClients {
			if p := app.PreAuthorizedFor(pc.c.AppID); p != nil {
				for _, id := range p.DelegatedPermissionIDs {
					if s := app.ScopeByID(id); s != nil {
						pre = append(pre, *s)
					}
				}
			}
		}
		// Without a preauthorized scope, an enabled scope open to users is
		// reused; else the app's enabled admin-only scope is changed to
		// "Admins and users", as the quickstart asks (and as the
		// admin-only-scope finding says); else any scope; else Data.Read.
		var users, enabled []Scope
		for _, s := range app.Scopes {
			if s.Type == ConsentUsers && s.IsEnabled {
				users = append(users, s)
			}
			if s.IsEnabled {
				enabled = append(enabled, s)
			}
		}
		for _, v := range []string{bestScope(pre), bestScope(users), bestScope(enabled), bestScope(app.Scopes), DefaultScopeValue} {
			if v != "" {
				add(v)
				break
			}
		}
	}
	for _, s := range requestedScopes(in) {
		if s.IsEnabled && s.Type == ConsentAdmins {
			add(s.Value)
		}
	}
	return out
}

// bestScope prefers an enabled User scope, then any enabled one, then any.
func bestScope(ss []Scope) string {
	for _, ok := range []func(Scope) bool{
		func(s Scope) bool { return s.IsEnabled && s.Type == ConsentUsers },
		func(s Scope) bool { return s.IsEnabled },
		func(Scope) bool { return true },
	} {
		if i := slices.IndexFunc(ss, ok); i >= 0 {
			return ss[i].Value
		}
	}
	return ""
}

// PreviewFix plans every desired state in turn, each against the state
// the changes before it leave, so the previews are exactly what will be
// sent (Converge plans again from a fresh read before sending).
func PreviewFix(st State, ds []Desired, o Options) ([]Change, error) {
	var all []Change
	for _, d := range ds {
		p, err := Diff(st, d, o)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Changes...)
		if st.App != nil {
			proj := *st.App
			for _, c := range p.Changes {
				if c.Kind == OpPatchApp {
					applyPatch(&proj, c.Patch)
				}
			}
			st.App = &proj
		}
		if slices.ContainsFunc(p.Changes, func(c Change) bool { return c.Kind == OpUpsertSP }) {
			st.ServicePrincipal = &ServicePrincipal{AppID: d.AppID}
		}
	}
	return all, nil
}

// ApplyFix converges each desired state in order.
func ApplyFix(ctx context.Context, dir Directory, ds []Desired, o Options) error {
	for _, d := range ds {
		if _, err := Converge(ctx, dir, d, o, false); err != nil {
			return err
		}
	}
	return nil
}
