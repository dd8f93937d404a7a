package doctor

import (
	"slices"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/m"
)

const (
	tAppID   = "11111111-2222-4333-8444-555555555555"
	tTenant  = "6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13"
	tScopeID = "aaaaaaaa-0000-4000-8000-000000000001"
	tAdminID = "aaaaaaaa-0000-4000-8000-000000000002"
	tOther   = "99999999-0000-4000-8000-000000000009"
	tURI     = "api://" + tAppID
	tCommon  = "https://login.microsoftonline.com/common/oauth2/authorize"
)

// healthyInput is an app set up exactly as the quickstart says.
func healthyInput() DiagnoseInput {
	yes := true
	return DiagnoseInput{
		Tenant: &steps.Tenant{ID: tTenant, VerifiedDomains: []string{"contoso.onmicrosoft.com"}},
		App: &steps.App{ObjectID: "o1", AppID: tAppID, DisplayName: "Contoso", SignInAudience: steps.AudienceMulti,
			IdentifierURIs: []string{tURI},
			Scopes: []steps.Scope{{ID: tScopeID, Value: "Data.Read", Type: steps.ConsentUsers, IsEnabled: true,
				AdminConsentDisplayName: "r", AdminConsentDescription: "r"}},
			PreAuthorized: []steps.PreAuthorizedApp{
				{AppID: steps.ClientExcel.AppID, DelegatedPermissionIDs: []string{tScopeID}},
				{AppID: steps.ClientRefresh.AppID, DelegatedPermissionIDs: []string{tScopeID}},
			}},
		ServicePrincipal: &steps.ServicePrincipal{ID: "sp", AppID: tAppID},
		Owners:           []string{"Adele Vance (adele@contoso.com)"},
		UsersCanConsent:  &yes,
		LoginHost:        "https://login.microsoftonline.com",
	}
}

// connectorSrc is a minimal connector whose Aad record holds fields.
func connectorSrc(fields ...string) string {
	return "section Contoso;\n\n[DataSource.Kind=\"Contoso\", Publish=\"Contoso.Publish\"]\n" +
		"shared Contoso.Contents = (url as text) => Web.Contents(url);\n\n" +
		"Contoso = [\n    Authentication = [\n        Aad = [\n            " +
		strings.Join(fields, ",\n            ") +
		"\n        ]\n    ],\n    Label = \"Contoso\"\n];\n\n" +
		"Contoso.Publish = [ Beta = true, Category = \"Other\", ButtonText = { \"Contoso\", \"Contoso\" } ];\n"
}

func withConnector(t *testing.T, in DiagnoseInput, src string) DiagnoseInput {
	t.Helper()
	fs, err := m.ReadAad(src)
	in.Connector = &ConnectorInput{Path: "Contoso.pq", Aad: fs, Err: err}
	return in
}

func ids(fs []Finding, sev Severity) []string {
	var out []string
	for _, f := range fs {
		if sev == "" || f.Severity == sev {
			out = append(out, f.ID)
		}
	}
	return out
}

func find(fs []Finding, id string) *Finding {
	for i := range fs {
		if fs[i].ID == id {
			return &fs[i]
		}
	}
	return nil
}

var goodFields = []string{`AuthorizationUri = "` + tCommon + `"`, `Resource = "` + tURI + `"`, `Scope = ".default"`}

func TestDiagnoseHealthy(t *testing.T) {
	in := withConnector(t, healthyInput(), connectorSrc(goodFields...))
	fs := Diagnose(in)
	if !Healthy(fs) || len(ids(fs, SeverityWarning)) != 0 {
		t.Fatalf("want healthy, got %+v", fs)
	}
	for _, id := range []string{FindOwners, FindSignInAudience, FindTokenVersion} {
		if f := find(fs, id); f == nil || f.Severity != SeverityInfo {
			t.Errorf("missing info %s: %+v", id, fs)
		}
	}
	if find(fs, FindOtherPreauthorized) != nil {
		t.Errorf("no other clients expected")
	}
}

func TestDiagnoseAppFindings(t *testing.T) {
	no := false
	cases := []struct {
		name   string
		mutate func(*DiagnoseInput)
		id     string
		sev    Severity
		code   string
	}{
		{"excel missing", func(in *DiagnoseInput) { in.App.PreAuthorized = in.App.PreAuthorized[1:] }, FindPreauthMissingExcel, SeverityError, ErrNotPreauthorized},
		{"refresh missing", func(in *DiagnoseInput) { in.App.PreAuthorized = in.App.PreAuthorized[:1] }, FindPreauthMissingRefresh, SeverityError, ErrNotPreauthorized},
		{"disabled scope", func(in *DiagnoseInput) {
			in.App.Scopes = append(in.App.Scopes, steps.Scope{ID: tAdminID, Value: "Other", Type: steps.ConsentUsers, IsEnabled: true})
			in.App.Scopes[0].IsEnabled = false
		}, FindPreauthDisabledScope, SeverityError, ErrNotPreauthorized},
		{"missing scope id", func(in *DiagnoseInput) { in.App.PreAuthorized[0].DelegatedPermissionIDs = []string{tOther} }, FindPreauthDisabledScope, SeverityError, ErrNotPreauthorized},
		{"no enabled scope", func(in *DiagnoseInput) { in.App.Scopes[0].IsEnabled = false }, FindNoEnabledScope, SeverityError, ErrScopeNotFound},
		{"no scope at all", func(in *DiagnoseInput) { in.App.Scopes = nil; in.App.PreAuthorized = nil }, FindNoEnabledScope, SeverityError, ErrScopeNotFound},
		{"admin only", func(in *DiagnoseInput) { in.App.Scopes[0].Type = steps.ConsentAdmins }, FindAdminOnlyScope, SeverityError, ErrAdminApproval},
		{"consent blocked, not preauthorized", func(in *DiagnoseInput) { in.UsersCanConsent = &no; in.App.PreAuthorized = nil }, FindUserConsentBlocked, SeverityError, ErrAdminApproval},
		{"consent blocked, preauthorized", func(in *DiagnoseInput) { in.UsersCanConsent = &no }, FindUserConsentBlocked, SeverityWarning, ErrAdminApproval},
		{"consent unknown", func(in *DiagnoseInput) { in.UsersCanConsent = nil }, FindUserConsentUnknown, SeverityInfo, ""},
		{"no sp", func(in *DiagnoseInput) { in.ServicePrincipal = nil }, FindNoServicePrincipal, SeverityError, ErrNoResource},
		{"no uri", func(in *DiagnoseInput) { in.App.IdentifierURIs = nil }, FindNoIdentifierURI, SeverityError, ErrNoResource},
		{"no app", func(in *DiagnoseInput) { in.App = nil }, FindAppNotFound, SeverityError, ErrNoResource},
		{"other clients", func(in *DiagnoseInput) {
			in.App.PreAuthorized = append(in.App.PreAuthorized, steps.PreAuthorizedApp{AppID: tOther, DelegatedPermissionIDs: []string{tScopeID}})
			in.ClientNames = map[string]string{tOther: "Fabrikam \x1b[31mTool"}
		}, FindOtherPreauthorized, SeverityInfo, ""},
		{"no owners", func(in *DiagnoseInput) { in.Owners = nil }, FindOwners, SeverityInfo, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := healthyInput()
			c.mutate(&in)
			fs := Diagnose(in)
			f := find(fs, c.id)
			if f == nil {
				t.Fatalf("no %s in %v", c.id, ids(fs, ""))
			}
			if f.Severity != c.sev || f.Error != c.code || f.Message == "" {
				t.Fatalf("%s: got %+v", c.id, *f)
			}
			if f.Severity == SeverityError && f.Fix == "" {
				t.Errorf("error without fix: %+v", *f)
			}
			if strings.ContainsRune(f.Message, 0x1b) {
				t.Errorf("server string not cleaned: %q", f.Message)
			}
			if Healthy(fs) == (c.sev == SeverityError) {
				t.Errorf("Healthy disagrees with severity %s", c.sev)
			}
		})
	}
}

func TestDiagnoseOrderErrorsFirst(t *testing.T) {
	in := healthyInput()
	in.ServicePrincipal = nil
	no := false
	in.UsersCanConsent = &no
	fs := Diagnose(in)
	var ranks []int
	for _, f := range fs {
		ranks = append(ranks, severityRank(f.Severity))
	}
	if !slices.IsSorted(ranks) {
		t.Fatalf("not grouped by severity: %v", ids(fs, ""))
	}
}
