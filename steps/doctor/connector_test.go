package doctor

import (
	"strings"
	"testing"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/m"
)

const dynamicAuth = `AuthorizationUri = (dataSourcePath) =>
                let
                    r = Web.Contents(dataSourcePath, [ManualCredentials = true, ManualStatusHandling = {401}]),
                    h = Record.FieldOrDefault(Value.Metadata(r), "Headers", [])[#"WWW-Authenticate"]
                in
                    Text.BetweenDelimiters(h, "authorization_uri=", " ")`

func TestDiagnoseConnector(t *testing.T) {
	res := `Resource = "` + tURI + `"`
	auth := `AuthorizationUri = "` + tCommon + `"`
	cases := []struct {
		name   string
		single bool // app is single-tenant
		src    string
		id     string
		sev    Severity
		code   string
	}{
		{"no scope", false, connectorSrc(auth, res), FindConnectorScopeMissing, SeverityError, ErrScopeNotFound},
		{"scope null", false, connectorSrc(auth, res, `Scope = null`), FindConnectorScopeNull, SeverityError, ErrScopeNotFound},
		{"scope unknown", false, connectorSrc(auth, res, `Scope = "Data.Write"`), FindConnectorScopeUnknown, SeverityError, ErrScopeNotFound},
		{"wrong resource", false, connectorSrc(auth, `Resource = "https://api.fabrikam.com"`, `Scope = ".default"`), FindConnectorResource, SeverityError, ErrNoResource},
		{"no resource", false, connectorSrc(auth, `Scope = ".default"`), FindConnectorResource, SeverityError, ErrNoResource},
		{"non-entra", false, connectorSrc(`AuthorizationUri = "https://login.contoso.com/authorize"`, res, `Scope = ".default"`), FindConnectorAuthURI, SeverityError, ""},
		{"other cloud", false, connectorSrc(`AuthorizationUri = "https://login.microsoftonline.us/common/oauth2/authorize"`, res, `Scope = ".default"`), FindConnectorAuthURI, SeverityError, ""},
		{"v2 endpoint", false, connectorSrc(`AuthorizationUri = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize"`, res, `Scope = ".default"`), FindConnectorAuthURI, SeverityError, ErrResourceOnV2},
		{"no auth uri", false, connectorSrc(res, `Scope = ".default"`), FindConnectorAuthURI, SeverityError, ""},
		{"multi with tenant uri", false, connectorSrc(`AuthorizationUri = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/authorize"`, res, `Scope = ".default"`), FindAuthURITenantMismatch, SeverityError, ErrGuestUser},
		// What setup emits for a single-tenant app: not a fault, only a
		// note about guests (doctor and setup agree).
		{"single with common", true, connectorSrc(auth, res, `Scope = ".default"`), FindAuthURIGuests, SeverityInfo, ""},
		{"single with other tenant", true, connectorSrc(`AuthorizationUri = "https://login.microsoftonline.com/fabrikam.com/oauth2/authorize"`, res, `Scope = ".default"`), FindAuthURITenantMismatch, SeverityError, ErrNoResource},
		{"typo field", false, connectorSrc(auth, res, `Scopes = ".default"`), FindConnectorScopeMissing, SeverityError, ErrScopeNotFound},
		{"no aad", false, strings.Replace(connectorSrc(auth), "Aad = [", "Implicit = [", 1), FindConnectorNoAad, SeverityError, ""},
		{"unreadable", false, connectorSrc(`AuthorizationUri = "oops`), FindConnectorUnreadable, SeverityError, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := healthyInput()
			if c.single {
				in.App.SignInAudience = steps.AudienceSingle
			}
			in = withConnector(t, in, c.src)
			fs := Diagnose(in)
			f := find(fs, c.id)
			if f == nil {
				t.Fatalf("no %s in %v", c.id, ids(fs, ""))
			}
			if f.Severity != c.sev || f.Error != c.code {
				t.Fatalf("got %+v", *f)
			}
			if f.Severity == SeverityError && len(ids(fs, SeverityError)) != 1 {
				t.Errorf("expected exactly one error, got %v", ids(fs, SeverityError))
			}
		})
	}
}

func TestDiagnoseConnectorAcceptsGoodForms(t *testing.T) {
	single := healthyInput()
	single.App.SignInAudience = steps.AudienceSingle
	for name, c := range map[string]struct {
		in  DiagnoseInput
		src string
	}{
		"dynamic":           {healthyInput(), connectorSrc(dynamicAuth, `Resource = "`+tURI+`"`, `Scope = ".default"`)},
		"named scope":       {healthyInput(), connectorSrc(goodFields[0], goodFields[1], `Scope = "Data.Read"`)},
		"prefixed scope":    {healthyInput(), connectorSrc(goodFields[0], goodFields[1], `Scope = "`+tURI+`/Data.Read"`)},
		"appId resource":    {healthyInput(), connectorSrc(goodFields[0], `Resource = "`+strings.ToUpper(tAppID)+`"`, goodFields[2])},
		"single, tenant id": {single, connectorSrc(`AuthorizationUri = "https://login.microsoftonline.com/`+tTenant+`/oauth2/authorize"`, goodFields[1], goodFields[2])},
		"single, domain":    {single, connectorSrc(`AuthorizationUri = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/authorize"`, goodFields[1], goodFields[2])},
	} {
		fs := Diagnose(withConnector(t, c.in, c.src))
		if got := append(ids(fs, SeverityError), ids(fs, SeverityWarning)...); len(got) != 0 {
			t.Errorf("%s: unexpected %v", name, got)
		}
	}
}

// After FixConnector, the connector findings are gone and what was right
// (a dynamic function, comments, other fields) is kept byte for byte.
func TestFixConnector(t *testing.T) {
	auth := `AuthorizationUri = "` + tCommon + `"`
	res := `Resource = "` + tURI + `"`
	single := healthyInput()
	single.App.SignInAudience = steps.AudienceSingle
	cases := map[string]struct {
		in   DiagnoseInput
		src  string
		want []string // substrings of the result
	}{
		"no scope":        {healthyInput(), connectorSrc(auth, res), []string{res + `,` + "\n            " + `Scope = ".default"`}},
		"scope null":      {healthyInput(), connectorSrc(auth, res, `Scope = null`), []string{`Scope = ".default"`}},
		"wrong resource":  {healthyInput(), connectorSrc(auth, `Resource = "https://x.fabrikam.com"`, `Scope = ".default"`), []string{res}},
		"non-entra":       {healthyInput(), connectorSrc(`AuthorizationUri = "https://evil.example/authorize"`, res, `Scope = ".default"`), []string{auth}},
		"multi+tenant":    {healthyInput(), connectorSrc(`AuthorizationUri = "https://login.microsoftonline.com/contoso.com/oauth2/authorize"`, res, `Scope = ".default"`), []string{auth}},
		"single+other":    {single, connectorSrc(`AuthorizationUri = "https://login.microsoftonline.com/fabrikam.com/oauth2/authorize"`, res, `Scope = ".default"`), []string{"/" + tTenant + "/oauth2/authorize"}},
		"dynamic kept":    {healthyInput(), connectorSrc(dynamicAuth, res), []string{dynamicAuth, `Scope = ".default"`}},
		"nothing but uri": {healthyInput(), connectorSrc(auth), []string{auth + ",\n            " + res + ",\n            " + `Scope = ".default"`}},
		"no aad":          {healthyInput(), strings.Replace(connectorSrc(auth), "Aad = [", "Implicit = [", 1), []string{"Aad = [", res, `Scope = ".default"`}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			in := withConnector(t, c.in, c.src)
			out, err := FixConnector(c.src, in)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("missing %q in\n%s", w, out)
				}
			}
			after := Diagnose(withConnector(t, c.in, out))
			if errs := ids(after, SeverityError); len(errs) != 0 {
				t.Fatalf("still %v after fix:\n%s", errs, out)
			}
			if !strings.HasPrefix(out, "section Contoso;") || !strings.Contains(out, `Contoso.Publish = [`) {
				t.Errorf("rest of the file changed:\n%s", out)
			}
			if again, _ := FixConnector(out, withConnector(t, c.in, out)); again != out {
				t.Errorf("second fix changed the file again")
			}
		})
	}
}

func TestFixConnectorOneLineRecordAndCRLF(t *testing.T) {
	src := "section C;\r\nC = [ Authentication = [ Aad = [ AuthorizationUri = \"" + tCommon + "\", Resource = \"" + tURI + "\" ] ] ];\r\n"
	in := withConnector(t, healthyInput(), src)
	out, err := FixConnector(src, in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `Resource = "` + tURI + `", Scope = ".default" ]`; !strings.Contains(out, want) {
		t.Fatalf("got %s", out)
	}
	if _, err := m.ReadAad(out); err != nil {
		t.Fatal(err)
	}
}

// Certification and gateway refresh need TestConnection in an Aad kind:
// a note (info), which does not make doctor fail and which --fix leaves to the
// author.
func TestDiagnoseTestConnection(t *testing.T) {
	full := connectorSrc(`AuthorizationUri = "`+tCommon+`"`, `Resource = "`+tURI+`"`, `Scope = ".default"`)
	read := func(src string) DiagnoseInput {
		in := withConnector(t, healthyInput(), src)
		kinds, err := m.Kinds(src)
		if err != nil {
			t.Fatal(err)
		}
		in.Connector.Kinds = kinds
		return in
	}
	fs := Diagnose(read(full))
	f := find(fs, FindNoTestConnection)
	if f == nil || f.Severity != SeverityInfo || !Healthy(fs) || !strings.Contains(f.Message, "Contoso has no TestConnection") ||
		!strings.Contains(f.Fix, `TestConnection = (dataSourcePath) => { "Contoso.Contents", dataSourcePath }`) ||
		!strings.Contains(f.Fix, "https://learn.microsoft.com/power-query/handling-gateway-support") {
		t.Fatalf("got %+v in %v", f, ids(fs, ""))
	}
	with := strings.Replace(full, "Contoso = [\n", "Contoso = [\n    TestConnection = (dataSourcePath) => { \"Contoso.Contents\", dataSourcePath },\n", 1)
	if f := find(Diagnose(read(with)), FindNoTestConnection); f != nil {
		t.Errorf("reported with a TestConnection: %+v", f)
	}
	if r, err := PlanRepair(read(full), fs, full, steps.Options{}); err != nil || !r.Empty() {
		t.Errorf("--fix would change something for a note: %+v %v", r, err)
	}
}
