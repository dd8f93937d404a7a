package doctor

import (
	"strings"
	"testing"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/m"
)

// Every Fix line that says "run" names a whole command: the global flags as
// given (--demo here), the app by its id, the connector when there is one.
func TestFixLinesAreWholeCommands(t *testing.T) {
	in := healthyInput()
	in.ServicePrincipal = nil
	in.App.PreAuthorized = nil
	in.App.Scopes[0].Type = steps.ConsentAdmins
	in = withConnector(t, in, connectorSrc(`AuthorizationUri = "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize"`, `Resource = "`+tURI+`"`))
	in.Connector.Path = "My Connector.pq"
	in.Command = steps.Command{Globals: []string{"--demo"}}
	want := "run `pqentra --demo doctor --app-id " + tAppID + ` --connector "My Connector.pq" --fix` + "`"
	n := 0
	for _, f := range Diagnose(in) {
		if !strings.Contains(f.Fix, "run `") {
			continue
		}
		n++
		if !strings.Contains(f.Fix, want) {
			t.Errorf("%s: Fix %q lacks %q", f.ID, f.Fix, want)
		}
	}
	if n < 5 {
		t.Errorf("only %d findings with a command", n)
	}
}

// The admin-only fix says it changes that scope, and the plan does just
// that: the same scope id, made "Admins and users", disabled first as
// Entra requires — no second scope.
func TestAdminOnlyFixChangesTheScope(t *testing.T) {
	in := healthyInput()
	in.App.PreAuthorized = nil
	in.App.Scopes[0].Type = steps.ConsentAdmins
	fs := Diagnose(in)
	f := find(fs, FindAdminOnlyScope)
	if f == nil || !strings.Contains(f.Fix, `Change the scope to "Admins and users"`) || !strings.Contains(f.Fix, "disables it") {
		t.Fatalf("fix text: %+v", f)
	}
	app, ds, cs := fixAndProject(t, in)
	if len(ds) != 1 || ds[0].Scope.Value != "Data.Read" {
		t.Fatalf("desired %+v", ds)
	}
	if len(app.Scopes) != 1 || app.Scopes[0].ID != tScopeID || app.Scopes[0].Type != steps.ConsentUsers || !app.Scopes[0].IsEnabled {
		t.Errorf("scopes after the fix: %+v", app.Scopes)
	}
	if len(cs) < 2 || !strings.Contains(cs[0].Summary, "Disable the scope Data.Read first") {
		t.Errorf("changes: %v", cs)
	}
}

// Setup and doctor agree: the record setup prints for a single-tenant app
// (/common/, as the quickstart says) draws no warning or error from doctor.
func TestSetupSnippetIsHealthyForSingleTenant(t *testing.T) {
	in := healthyInput()
	in.App.SignInAudience = steps.AudienceSingle
	rec, err := m.Generate(m.SnippetOptions{Resource: tURI, Shape: m.ShapeConnector, Name: "Contoso"})
	if err != nil {
		t.Fatal(err)
	}
	in = withConnector(t, in, rec)
	fs := Diagnose(in)
	for _, f := range fs {
		if f.Severity != SeverityInfo {
			t.Errorf("%s (%s) on setup's own snippet", f.ID, f.Severity)
		}
	}
	if find(fs, FindAuthURIGuests) == nil {
		t.Error("no note about guests")
	}
	// FixConnector, asked to fix it anyway, leaves it alone.
	if out, err := FixConnector(rec, in); err != nil || out != rec {
		t.Errorf("FixConnector changed setup's snippet: %v\n%s", err, out)
	}
}

// snippet --app-id: the old scopeWarning, now Diagnose findings with fixes.
func TestDiagnoseSnippet(t *testing.T) {
	in := healthyInput()
	in.Command = steps.Command{Globals: []string{"--demo"}}
	if fs := DiagnoseSnippet(in, tURI, nil); len(fs) != 0 {
		t.Fatalf("healthy app: %v", ids(fs, ""))
	}
	fs := DiagnoseSnippet(in, tURI, []string{"Data.Write"})
	f := find(fs, FindConnectorScopeUnknown)
	if f == nil || !strings.Contains(f.Fix, "pqentra --demo setup --non-interactive --app-id "+tAppID+" --scope Data.Write") {
		t.Fatalf("unknown scope: %+v", fs)
	}
	in.App.Scopes[0].IsEnabled = false
	fs = DiagnoseSnippet(in, tURI, nil)
	if f := find(fs, FindNoEnabledScope); f == nil || !strings.Contains(f.Fix, "pqentra --demo doctor --app-id "+tAppID+" --fix`") {
		t.Fatalf("no enabled scope: %+v", fs)
	}
	for _, f := range fs {
		if f.Severity != SeverityError {
			t.Errorf("%s is not an error", f.ID)
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"api://x": "api://x", "My Connector.pq": `"My Connector.pq"`, "a$b": "'a$b'", "it's $x": `'it'\''s $x'`, "": `""`,
		`C:\Users\me\c.pq`: `'C:\Users\me\c.pq'`,
	} {
		if got := steps.ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
