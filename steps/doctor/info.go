package doctor

import (
	"fmt"
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// diagnoseInfo reports what is worth knowing but not wrong: who owns the
// app, who may sign in, which other clients are trusted, and which token
// version the service must accept.
func diagnoseInfo(in DiagnoseInput) []Finding {
	app := in.App
	var out []Finding
	switch {
	case in.OwnersUnknown:
		out = append(out, Finding{ID: FindOwners, Severity: SeverityInfo, Message: "Could not read the application's owners."})
	case len(in.Owners) == 0:
		out = append(out, Finding{ID: FindOwners, Severity: SeverityInfo,
			Message: "The application has no owners: only admins (Application Administrator, Cloud Application Administrator) can change it.",
			Fix:     "Add an owner in the Entra admin center (App registrations > the app > Owners) so someone is responsible for it."})
	default:
		var names []string
		for _, o := range in.Owners {
			names = append(names, steps.Clean(o))
		}
		out = append(out, Finding{ID: FindOwners, Severity: SeverityInfo, Message: "Owners: " + strings.Join(names, ", ") + "."})
	}
	out = append(out, Finding{ID: FindSignInAudience, Severity: SeverityInfo,
		Message: fmt.Sprintf("Supported account types: %s (%s).", steps.AudienceText(app.SignInAudience), steps.Clean(app.SignInAudience))})
	var others []string
	for _, p := range app.PreAuthorized {
		if equalFoldGUID(p.AppID, steps.ClientExcel.AppID) || equalFoldGUID(p.AppID, steps.ClientRefresh.AppID) {
			continue
		}
		name := in.ClientNames[strings.ToLower(p.AppID)]
		if name == "" {
			name = steps.ClientLabel(p.AppID)
		}
		others = append(others, fmt.Sprintf("%s (%s) for %s", steps.Clean(name), p.AppID, scopeValuesOf(app, p.DelegatedPermissionIDs)))
	}
	if len(others) > 0 {
		out = append(out, Finding{ID: FindOtherPreauthorized, Severity: SeverityInfo,
			Message: "Also preauthorized: " + strings.Join(others, "; ") + ". doctor --fix leaves them as they are."})
	}
	tv := Finding{ID: FindTokenVersion, Severity: SeverityInfo,
		Message: "The app receives v1.0 access tokens (api.requestedAccessTokenVersion is not 2): your service must accept the issuer https://sts.windows.net/{tenant}/ and the Application ID URI as audience."}
	if v := app.RequestedAccessTokenVersion; v != nil && *v == 2 {
		tv.Message = "The app receives v2.0 access tokens (api.requestedAccessTokenVersion = 2): your service must accept the issuer " +
			"https://login.microsoftonline.com/{tenant}/v2.0 and the app id as audience."
	}
	tv.Fix = "Run `" + in.Command.Line("service-config", "--app-id", app.AppID) + "` for the audiences, issuers and keys your service must accept (--format aspnet or env to paste them)."
	out = append(out, tv)
	return out
}

func scopeValuesOf(app *steps.App, ids []string) string {
	var vals []string
	for _, id := range ids {
		if s := app.ScopeByID(id); s != nil {
			vals = append(vals, steps.Clean(s.Value))
		} else {
			vals = append(vals, id)
		}
	}
	if len(vals) == 0 {
		return "no scope"
	}
	return strings.Join(vals, ", ")
}
