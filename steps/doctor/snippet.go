package doctor

import (
	"slices"
	"strings"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/m"
)

// snippetChecks are the findings that make a snippet's sign-in fail because
// of what it asks for: the scopes it names (or .default), whether the Power
// Query clients may use them, and whether Entra knows the app at all.
var snippetChecks = []string{FindNoServicePrincipal, FindNoEnabledScope, FindConnectorScopeUnknown,
	FindPreauthMissingExcel, FindPreauthMissingRefresh, FindPreauthDisabledScope, FindAdminOnlyScope}

// SnippetKind is how findings about a generated snippet name it.
const SnippetKind = "the snippet"

// DiagnoseSnippet checks the Aad record `pqentra snippet --app-id` is about
// to write against the app it names, with the same rules doctor uses for a
// connector: in needs App, ServicePrincipal (nil: the app has none) and
// Command. It returns only the errors Power Query's sign-in would hit, each
// with a command that fixes it.
func DiagnoseSnippet(in DiagnoseInput, resource string, scopes []string) []Finding {
	if in.App == nil {
		return nil
	}
	text := strings.Join(scopes, " ")
	if strings.TrimSpace(text) == "" {
		text = m.DefaultScope
	}
	in.Connector = &ConnectorInput{Aad: []m.AadFinding{{Kind: SnippetKind, IsRecord: true,
		AuthorizationURI: m.AadValue{Present: true, Kind: m.ValueFunction}, // not judged here
		Resource:         m.AadValue{Present: true, Kind: m.ValueText, Text: resource},
		Scope:            m.AadValue{Present: true, Kind: m.ValueText, Text: text}}}}
	if in.UsersCanConsent == nil {
		yes := true // unknown; the scope and preauthorization checks do not depend on it
		in.UsersCanConsent = &yes
	}
	var out []Finding
	for _, f := range Diagnose(in) {
		if f.Severity != SeverityError || !slices.Contains(snippetChecks, f.ID) {
			continue
		}
		// The other fixes are `doctor --app-id … --fix`, without
		// --connector: the snippet has no Path.
		if f.ID == FindConnectorScopeUnknown {
			f.Fix = snippetScopeFix(in, scopeValues(text, resource))
		}
		f.Kind = ""
		f.Message = strings.ReplaceAll(f.Message, "The Aad record of "+SnippetKind, "This Aad record")
		out = append(out, f)
	}
	return out
}

// snippetScopeFix: setup adds a missing scope (and preauthorizes the Power
// Query clients for it); or the snippet can ask for .default.
func snippetScopeFix(in DiagnoseInput, named []string) string {
	var missing []string
	for _, v := range named {
		if s := in.App.ScopeByValue(v); v != m.DefaultScope && (s == nil || !s.IsEnabled) {
			missing = append(missing, v)
		}
	}
	if len(missing) == 1 && steps.ValidateScopeValue(missing[0]) == nil {
		return "Add the scope to the app: run `" + in.Command.Line("setup", "--non-interactive", "--app-id", in.App.AppID, "--scope", missing[0]) +
			"`; or leave out --scope to request .default."
	}
	return "Leave out --scope to request .default (every scope the Power Query clients are preauthorized for), or name scopes the app exposes."
}
