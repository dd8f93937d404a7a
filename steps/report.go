package steps

import "context"

// Report is the JSON object `pqentra setup --output json` prints: the state
// the directory is left in, and the changes made (or planned, on a dry run).
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
	st := o.Final
	d := o.Plan.Desired
	if st.Tenant != nil {
		r.TenantID = st.Tenant.ID
	}
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
				ReportPreAuth{AppID: c, DisplayName: clientName(ctx, dir, c), DelegatedPermissionIDs: []string{r.Scope.ID}})
		}
		return r
	}
	r.AppID, r.ObjectID, r.DisplayName, r.SignInAudience = app.AppID, app.ObjectID, app.DisplayName, app.SignInAudience
	r.IdentifierURI = ResolveURI(d.IdentifierURI, app.AppID)
	if s := app.ScopeByValue(d.Scope.Value); s != nil {
		r.Scope = ReportScope{ID: s.ID, Value: s.Value, Type: s.Type, IsEnabled: s.IsEnabled}
	}
	if st.ServicePrincipal != nil {
		r.ServicePrincipalID = st.ServicePrincipal.ID
	}
	for _, p := range app.PreAuthorized {
		ids := p.DelegatedPermissionIDs
		if ids == nil {
			ids = []string{}
		}
		r.PreAuthorizedApplications = append(r.PreAuthorizedApplications,
			ReportPreAuth{AppID: p.AppID, DisplayName: clientName(ctx, dir, p.AppID), DelegatedPermissionIDs: ids})
	}
	return r
}

func clientName(ctx context.Context, dir Directory, appID string) string {
	if dir != nil {
		if sp, err := dir.ServicePrincipalByAppID(ctx, appID); err == nil && sp != nil && sp.DisplayName != "" {
			return sp.DisplayName
		}
	}
	return ClientLabel(appID)
}
