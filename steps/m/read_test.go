package m

import (
	"strings"
	"testing"
)

func TestReadAad(t *testing.T) {
	src := `section S;
/* K = [ Authentication = [ Aad = [ Resource = "comment" ] ] ]; */
A = [ Authentication = [ Aad = [
    AuthorizationUri = (path as text) as text => Helper(path),
    Resource = "api://a#(tab)b",
    Scope = null,
    DefaultClientApplication = []
] ] ];
B = [ Authentication = [ Anonymous = [], Aad = [ AuthorizationUri = "https://login.microsoftonline.com/common/oauth2/authorize", Resource = Extension.LoadString("Res") ] ], Label = "B" ];
C = [ Authentication = [ Aad = AadFromSomewhere ] ];
D = [ Authentication = [ Key = [] ] ];
E = [ Label = "no auth" ];
`
	fs, err := ReadAad(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 3 {
		t.Fatalf("got %d findings: %+v", len(fs), fs)
	}
	a, b, c := fs[0], fs[1], fs[2]
	if a.Kind != "A" || !a.IsRecord || a.AuthorizationURI.Kind != ValueFunction || a.Resource.Text != "api://a\tb" ||
		a.Scope.Kind != ValueNull || strings.Join(a.Others, ",") != "DefaultClientApplication" {
		t.Errorf("A: %+v", a)
	}
	if src[a.Resource.Value.Start:a.Resource.Value.End] != `"api://a#(tab)b"` || src[a.KindName.Start:a.KindName.End] != "A" {
		t.Errorf("A spans wrong: %+v", a)
	}
	if b.Kind != "B" || b.AuthorizationURI.Kind != ValueText || b.Resource.Kind != ValueOther || b.Resource.Source != `Extension.LoadString("Res")` || b.Scope.Present {
		t.Errorf("B: %+v", b)
	}
	if c.Kind != "C" || c.IsRecord || src[c.Aad.Start:c.Aad.End] != "AadFromSomewhere" {
		t.Errorf("C: %+v", c)
	}
	ks, err := Kinds(src)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, k := range ks {
		names = append(names, k.Name+":"+strings.Join(k.AuthKinds, "+"))
	}
	if got := strings.Join(names, " "); got != "A:Aad B:Anonymous+Aad C:Aad D:Key" {
		t.Errorf("Kinds = %s", got)
	}
	if _, err := ReadAad(`section S; A = [ Authentication = [ Aad = [ Resource = "x ] ] ];`); err == nil {
		t.Error("unterminated text accepted")
	}
}

func TestDiff(t *testing.T) {
	if Diff("a\n", "a\n") != "" {
		t.Error("equal texts should give no diff")
	}
	old := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"
	new := "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n11\n"
	want := "--- before\n+++ after\n@@ -2,9 +2,10 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n 9\n 10\n+11\n"
	if got := Diff(old, new); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	far := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n"
	farNew := "A\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nL\n"
	if got := Diff(far, farNew); strings.Count(got, "@@ ") != 2 {
		t.Errorf("distant changes should make two hunks:\n%s", got)
	}
}

// Certification asks for TestConnection in the kind record; Kinds says
// which kinds have one, wherever it stands among the fields.
func TestKindsTestConnection(t *testing.T) {
	src := `section S;
A = [ TestConnection = (path) => { "A.Contents" }, Authentication = [ Aad = [] ] ];
B = [ Authentication = [ Aad = [] ], Label = "B" ];
C = [ Authentication = [ Aad = [] ], TestConnection = (path) => { "C.Contents", path } ];
`
	ks, err := Kinds(src)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, k := range ks {
		got[k.Name] = k.TestConnection
	}
	if len(ks) != 3 || !got["A"] || got["B"] || !got["C"] {
		t.Errorf("TestConnection per kind: %v", got)
	}
}

func TestDeclaredKinds(t *testing.T) {
	for src, want := range map[string]string{
		`section C; [DataSource.Kind="C"] shared C.Contents = () => 1; C = [ Authentication = [ Anonymous = [] ] ];`: "C",
		`section C; [DataSource.Kind="C"] shared C.Contents = () => 1; C = [ Label = "C" ];`:                         "C",
		`section C; A = [ Authentication = [ Aad = [] ] ]; B = [ TestConnection = (p) => {} ];`:                      "A B",
		`let result = C.Contents() in result`:                                                                        "",
		`section Q; shared Q.Test = 1;`:                                                                              "",
	} {
		got, err := DeclaredKinds(src)
		if err != nil {
			t.Errorf("%s: %v", src, err)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s: got %q, want %q", src, got, want)
		}
	}
}
