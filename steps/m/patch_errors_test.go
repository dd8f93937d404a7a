package m

import (
	"errors"
	"strings"
	"testing"
)

// Issue 9: patch errors say where (line:column, never a byte offset), carry
// no "m:" prefix, and a kind record without Authentication is reported as
// exactly that.
func TestPatchErrorsSayLineAndColumn(t *testing.T) {
	for name, c := range map[string]struct{ src, kind, want string }{
		"unterminated text": {"section X;\nX = [\n  Authentication = [ Anonymous = [] ],\n  Label = \"oops ];\n", "",
			`line 4, column 11: unterminated text literal`},
		"mismatched": {"section X;\r\nX = [ Authentication = [ Anonymous = [] ) ];\r\n", "",
			`line 2, column 41: ")" closes "[" opened at line 2, column 24`},
		"column counts characters": {"section É;\nÉ = [ Authentication = [ Aad = \"é\" ] ];\n", "",
			`line 2, column 32: the Aad entry of É is not a record`},
		"two aad": {"section X;\nX = [ Authentication = [\n    Aad = [],\n    Aad = [] ] ];\n", "",
			`line 4, column 5: the Authentication record of X has 2 Aad fields`},
		"kind named like the section, no Authentication": {"section Contoso;\n\nContoso = [\n    Label = \"Contoso\"\n];\n", "",
			`line 3, column 1: the data source kind record Contoso has no Authentication record; add Authentication = [] to it`},
		"kind named by DataSource.Kind, no Authentication": {"section S;\n[DataSource.Kind=\"Kind\"]\nshared S.Contents = () => 1;\nKind = [ TestConnection = (p) => {} ];\n", "",
			`line 4, column 1: the data source kind record Kind has no Authentication record`},
		"named with --kind, no Authentication": {"section S;\nA = [ Authentication = [] ];\nB = [ Label = \"b\" ];\n[DataSource.Kind=\"B\"] shared B.Contents = 1;\n", "B",
			`line 3, column 1: the data source kind record B has no Authentication record`},
		"Authentication is a name": {"section S;\nS = [ Authentication = Auth ];\nAuth = [ Anonymous = [] ];\n", "",
			`line 2, column 1: the Authentication field of the data source kind record S is not a record literal`},
	} {
		_, err := Patch(c.src, c.kind, SnippetOptions{Resource: resourceURI})
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: got %v\nwant prefix %s", name, err, c.want)
		}
		if err != nil && (strings.Contains(err.Error(), "m:") || strings.Contains(err.Error(), "offset")) {
			t.Errorf("%s: %v shows an internal prefix or a byte offset", name, err)
		}
	}
}

func TestPatchSeveralKindsNamesThem(t *testing.T) {
	_, err := Patch(patchFixtures["two-kinds"], "", SnippetOptions{Resource: resourceURI})
	var sk *SeveralKindsError
	if !errors.As(err, &sk) || len(sk.Names) != 2 {
		t.Fatalf("got %v, want a SeveralKindsError with both names", err)
	}
}

func TestUTF16IsRefused(t *testing.T) {
	utf16 := func(s string, bom bool, be bool) string {
		var b []byte
		if bom {
			if be {
				b = append(b, 0xfe, 0xff)
			} else {
				b = append(b, 0xff, 0xfe)
			}
		}
		for _, r := range s { // ASCII only here
			if be {
				b = append(b, 0, byte(r))
			} else {
				b = append(b, byte(r), 0)
			}
		}
		return string(b)
	}
	src := patchFixtures["anonymous"]
	for name, in := range map[string]string{
		"LE with BOM": utf16(src, true, false), "BE with BOM": utf16(src, true, true),
		"LE without BOM": utf16(src, false, false), "BE without BOM": utf16(src, false, true),
	} {
		if _, err := Patch(in, "", SnippetOptions{Resource: resourceURI}); !errors.Is(err, ErrUTF16) ||
			!strings.HasPrefix(err.Error(), "the file is UTF-16; save it as UTF-8") {
			t.Errorf("Patch(%s) = %v, want ErrUTF16", name, err)
		}
		if _, err := ReadAad(in); !errors.Is(err, ErrUTF16) {
			t.Errorf("ReadAad(%s) = %v, want ErrUTF16", name, err)
		}
	}
}

// A UTF-8 byte order mark (Visual Studio writes one) is kept, and the
// record is found behind it.
func TestPatchKeepsUTF8BOM(t *testing.T) {
	src := "\ufeffsection Contoso;\r\n\r\nContoso = [\r\n    Authentication = [\r\n        Anonymous = []\r\n    ]\r\n];\r\n"
	out, err := Patch(src, "", SnippetOptions{Resource: resourceURI})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "\ufeffsection Contoso;\r\n") || strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
		t.Errorf("BOM or CRLF lost:\n%q", out)
	}
}
