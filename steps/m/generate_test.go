package m

import (
	"fmt"
	"strings"
	"testing"
)

var (
	shapes   = []Shape{ShapeRecord, ShapeKind, ShapeConnector}
	modes    = []AuthorizationURIMode{AuthCommon, AuthTenant, AuthDynamic}
	scopeSet = map[string][]string{
		"default": nil,
		"one":     {"api://00001111-aaaa-2222-bbbb-3333cccc4444/Data.Read"},
		"several": {"Data.Read", "api://00001111-aaaa-2222-bbbb-3333cccc4444/Data.Write", "Data.Read Admin.All"},
	}
	wantScope = map[string]string{"default": ".default", "one": "Data.Read", "several": "Data.Read Data.Write Admin.All"}
)

// document turns Generate's output into a section document for the parser.
func document(shape Shape, out string) string {
	switch shape {
	case ShapeRecord:
		return wrapField(out)
	case ShapeKind:
		return wrapMember(out)
	}
	return out
}

// checkGenerated re-reads generated M with ReadAad and compares values.
func checkGenerated(t *testing.T, o SnippetOptions, out string) {
	t.Helper()
	r, err := o.resolve()
	if err != nil {
		t.Fatal(err)
	}
	fs, err := ReadAad(document(r.shape, out))
	if err != nil {
		t.Fatalf("ReadAad: %v\n%s", err, out)
	}
	if len(fs) != 1 {
		t.Fatalf("ReadAad found %d Aad entries\n%s", len(fs), out)
	}
	f := fs[0]
	if !f.IsRecord || f.Resource.Kind != ValueText || f.Resource.Text != validRunes(strings.TrimSpace(o.Resource)) {
		t.Errorf("Resource reads back as %+v, want %q", f.Resource, o.Resource)
	}
	if f.Scope.Kind != ValueText || f.Scope.Text != validRunes(r.scope) {
		t.Errorf("Scope reads back as %+v, want %q", f.Scope, r.scope)
	}
	if r.mode == AuthDynamic {
		if f.AuthorizationURI.Kind != ValueFunction {
			t.Errorf("dynamic AuthorizationUri reads back as %+v", f.AuthorizationURI)
		}
	} else if f.AuthorizationURI.Text != r.authURI {
		t.Errorf("AuthorizationUri = %q, want %q", f.AuthorizationURI.Text, r.authURI)
	}
	if len(f.Others) > 0 {
		t.Errorf("unexpected Aad fields %v", f.Others)
	}
	if r.shape != ShapeRecord {
		if want := ConnectorName(o.Name); f.Kind != want {
			t.Errorf("kind %q, want %q", f.Kind, want)
		}
		if !hasTextLiteral(out, validRunes(r.label)) {
			t.Errorf("label %.40q not found as a text literal", r.label)
		}
	}
}

func hasTextLiteral(src, want string) bool {
	toks, err := Lex(src)
	if err != nil {
		return false
	}
	for _, tk := range toks {
		if tk.Kind == TokText {
			if s, err := DecodeText(tk.Text); err == nil && s == want {
				return true
			}
		}
	}
	return false
}

func TestGenerateCombinations(t *testing.T) {
	var in []mInput
	for _, sh := range shapes {
		for _, md := range modes {
			for sk, sc := range scopeSet {
				o := SnippetOptions{
					Resource: "api://00001111-aaaa-2222-bbbb-3333cccc4444", Scopes: sc,
					AuthorizationURI: md, Tenant: "contoso.onmicrosoft.com", Shape: sh, Name: "Contoso Sales",
				}
				out, err := Generate(o)
				if err != nil {
					t.Fatalf("%s/%s/%s: %v", sh, md, sk, err)
				}
				checkGenerated(t, o, out)
				if !strings.Contains(out, "Scope = "+Text(wantScope[sk])) {
					t.Errorf("%s/%s/%s: Scope is not %q:\n%s", sh, md, sk, wantScope[sk], out)
				}
				in = append(in, mInput{ID: fmt.Sprintf("%s/%s/%s", sh, md, sk), Text: document(sh, out)})
			}
		}
	}
	mparse(t, in)
}

func TestGenerateRecordExact(t *testing.T) {
	out, err := Generate(SnippetOptions{Resource: "api://00001111-aaaa-2222-bbbb-3333cccc4444"})
	if err != nil {
		t.Fatal(err)
	}
	want := `Aad = [
    AuthorizationUri = "https://login.microsoftonline.com/common/oauth2/authorize",
    Resource = "api://00001111-aaaa-2222-bbbb-3333cccc4444",
    Scope = ".default"
]`
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	out, err = Generate(SnippetOptions{Resource: "api://x", AuthorizationURI: AuthTenant, Tenant: "00001111-aaaa-2222-bbbb-3333cccc4444", LoginHost: "https://login.microsoftonline.us/", Shape: ShapeKind, Name: "my api", Label: "My API"})
	if err != nil {
		t.Fatal(err)
	}
	want = `MyApi = [
    Authentication = [
        Aad = [
            AuthorizationUri = "https://login.microsoftonline.us/00001111-aaaa-2222-bbbb-3333cccc4444/oauth2/authorize",
            Resource = "api://x",
            Scope = ".default"
        ]
    ],
    Label = "My API"
];`
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestGenerateConnectorPieces(t *testing.T) {
	out, err := Generate(SnippetOptions{Resource: "api://x", Shape: ShapeConnector, Name: "Contoso", AuthorizationURI: AuthDynamic})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"section Contoso;",
		`[DataSource.Kind = "Contoso", Publish = "Contoso.Publish"]`,
		"shared Contoso.Contents = (url as text) =>",
		"Contoso.Publish = [",
		"AuthorizationUri = (dataSourcePath) => " + HelperName + "(dataSourcePath)",
		HelperName + " = (url as text) as text =>",
		"ManualStatusHandling = {302, 401}",
		`Value.Metadata(response)`,
		`"authorization_uri="`,
		`Error.Record(`,
		`"DataSource.Error"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("connector lacks %q", want)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	bad := map[string]SnippetOptions{
		"no resource":    {Resource: "  "},
		"tenant missing": {Resource: "api://x", AuthorizationURI: AuthTenant},
		"tenant path":    {Resource: "api://x", AuthorizationURI: AuthTenant, Tenant: "a/b"},
		"bad mode":       {Resource: "api://x", AuthorizationURI: "v2"},
		"bad shape":      {Resource: "api://x", Shape: "json"},
		"http host":      {Resource: "api://x", LoginHost: "http://login.microsoftonline.com"},
		"host with path": {Resource: "api://x", LoginHost: "https://login.microsoftonline.com/common"},
		"foreign scope":  {Resource: "api://x", Scopes: []string{"https://graph.microsoft.com/User.Read"}},
	}
	for name, o := range bad {
		if out, err := Generate(o); err == nil {
			t.Errorf("%s: no error, got\n%s", name, out)
		}
	}
}

// TestGenerateHostile feeds hostile names, labels, resources and scopes
// through every shape and checks that the result parses and round-trips.
func TestGenerateHostile(t *testing.T) {
	var in []mInput
	for i, h := range hostile {
		for _, sh := range shapes {
			o := SnippetOptions{Resource: "api://" + h, Scopes: []string{h}, Shape: sh, Name: h, Label: h}
			if strings.Contains(h, "://") {
				o.Scopes = nil
			}
			out, err := Generate(o)
			if err != nil {
				t.Errorf("%q/%s: %v", h, sh, err)
				continue
			}
			checkGenerated(t, o, out)
			in = append(in, mInput{ID: fmt.Sprintf("hostile#%d/%s %.30q", i, sh, h), Text: document(sh, out)})
		}
	}
	mparse(t, in)
}
