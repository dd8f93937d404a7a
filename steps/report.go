package steps

import "context"

// Report is the JSON object `pqentra setup --output json` prints: the state
// the directory is left in, and the changes made (or planned, on a dry run).
//
// Outside a dry run every field describes what Graph holds, read back after
// the run, never what was asked for: after a failure the app is read again,
// and a field that could not be read is empty and named in Unknown.
type Report struct {
	TenantID                  string          `json:"tenantId"`
	AppID                     string          `json:"appId"`
	ObjectID                  string          `json:"objectId"`
	ServicePrincipalID        string          `json:"servicePrincipalId"`
	DisplayName               string          `json:"displayName"`
	SignInAudience            string          `json:"signInAudience"`
	IdentifierURI             string          `json:"identifierUri"`
	Scope                     ReportScope     `json:"scope"`
	PreAuthorizedApplications []ReportPreAuth `json:"preAuthorizedApplications"`
	Changes                   []Change        `json:"changes"`
	DryRun                    bool            `json:"dryRun"`
	// Unknown names the fields above that could not be read back (the
	// read after a failure failed too, or the run was interrupted).
	Unknown []string `json:"unknown,omitempty"`
}

// ReportScope is the connector's scope in a Report.
type ReportScope struct {
	ID        string `json:"id"`
	Value     string `json:"value"`
	Type      string `json:"type"`
	IsEnabled bool   `json:"isEnabled"`
}

// ReportPreAuth is one preauthorized client in a Report.
type ReportPreAuth struct {
	AppID                  string   `json:"appId"`
	DisplayName            string   `json:"displayName"`
	DelegatedPermissionIDs []string `json:"delegatedPermissionIds"`
}

// BuildReport describes an outcome. Client display names are looked up in
// the tenant (their service principals), falling back to the names pqentra
// knows; a failed lookup is not an error.
func BuildReport(ctx context.Context, dir Directory, o *Outcome, dryRun bool) Report {
	r := Report{Changes: o.Plan.Changes, DryRun: dryRun, PreAuthorizedApplications: []ReportPreAuth{}}
	if r.Changes == nil {
		r.Changes = []Change{}
	}
	if o.Final.Tenant != nil {
		r.TenantID = o.Final.Tenant.ID
	}
	switch {
	case dryRun:
		plannedReport(ctx, dir, o, &r)
	case o.Known:
		observedReport(ctx, dir, o, &r)
	default:
		// The app exists if it was read or created during the run (apps
		// do not vanish); everything else may have changed unseen.
		if app := o.Plan.State.App; app != nil {
			r.AppID, r.ObjectID = app.AppID, app.ObjectID
		} else {
			r.Unknown = append(r.Unknown, "appId", "objectId")
		}
		r.Unknown = append(r.Unknown, "servicePrincipalId", "displayName", "signInAudience", "identifierUri", "scope", "preAuthorizedApplications")
	}
	return r
}

// observedReport fills r from the directory as read after the run.
func observedReport(ctx context.Context, dir Directory, o *Outcome, r *Report) {
	app := o.Final.App
	if app == nil {
		return
	}
	d := o.Plan.Desired
	r.AppID, r.ObjectID, r.DisplayName, r.SignInAudience = app.AppID, app.ObjectID, app.DisplayName, app.SignInAudience
	if uri := ResolveURI(d.IdentifierURI, app.AppID); containsFold(app.IdentifierURIs, uri) {
		r.IdentifierURI = uri
	}
	if s := app.ScopeByValue(d.Scope.Value); s != nil {
		r.Scope = ReportScope{ID: s.ID, Value: s.Value, Type: s.Type, IsEnabled: s.IsEnabled}
	}
	if o.Final.ServicePrincipal != nil {
		r.ServicePrincipalID = o.Final.ServicePrincipal.ID
	}
	addPreAuthorized(ctx, dir, app, r)
}

// plannedReport fills r for a dry run: the app as it will be once the plan
// is applied (the ids of a new app are not known yet).
func plannedReport(ctx context.Context, dir Directory, o *Outcome, r *Report) {
	st := o.Final
	d := o.Plan.Desired
	r.DisplayName = d.DisplayName
	r.SignInAudience = d.SignInAudience
	r.IdentifierURI = d.IdentifierURI
	r.Scope = ReportScope{ID: o.Plan.Scope.ID, Value: o.Plan.Scope.Value, Type: o.Plan.Scope.Type, IsEnabled: o.Plan.Scope.IsEnabled}
	app := st.App
	if app == nil {
		if r.SignInAudience == "" {
			r.SignInAudience = AudienceSingle
		}
		for _, c := range d.Clients {
			r.PreAuthorizedApplications = append(r.PreAuthorizedApplications,
				ReportPreAuth{AppID: c, DisplayName: ClientName(ctx, dir, c), DelegatedPermissionIDs: []string{r.Scope.ID}})
		}
		return
	}
	r.AppID, r.ObjectID, r.DisplayName, r.SignInAudience = app.AppID, app.ObjectID, app.DisplayName, app.SignInAudience
	r.IdentifierURI = ResolveURI(d.IdentifierURI, app.AppID)
	if s := app.ScopeByValue(d.Scope.Value); s != nil {
		r.Scope = ReportScope{ID: s.ID, Value: s.Value, Type: s.Type, IsEnabled: s.IsEnabled}
	}
	if st.ServicePrincipal != nil {
		r.ServicePrincipalID = st.ServicePrincipal.ID
	}
	addPreAuthorized(ctx, dir, app, r)
}

func addPreAuthorized(ctx context.Context, dir Directory, app *App, r *Report) {
	for _, p := range app.PreAuthorized {
		ids := p.DelegatedPermissionIDs
		if ids == nil {
			ids = []string{}
		}
		r.PreAuthorizedApplications = append(r.PreAuthorizedApplications,
			ReportPreAuth{AppID: p.AppID, DisplayName: ClientName(ctx, dir, p.AppID), DelegatedPermissionIDs: ids})
	}
}

// ClientName is a client application's name: pqentra's one name for the
// Power Query clients (KnownClients — the tenant calls a672d62c… "Microsoft
// Power Query for Excel", the wizard and the docs "Power Query for Excel"),
// else the name this tenant knows it by (its service principal's display
// name), else its id; a failed lookup is not an error.
func ClientName(ctx context.Context, dir Reader, appID string) string {
	if c, ok := KnownClientByAppID(appID); ok {
		return c.Name
	}
	if dir != nil {
		if sp, err := dir.ServicePrincipalByAppID(ctx, appID); err == nil && sp != nil && sp.DisplayName != "" {
			return sp.DisplayName
		}
	}
	return ClientLabel(appID)
}
