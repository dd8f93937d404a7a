package m

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile are inputs that have broken naive M generators.
var hostile = []string{
	"", " ", `"`, `""`, `say "hi"`, `"]; shared X = 1; //`,
	"#(", "#(lf)", "#(#)", "a#(b", "#", "##((", "#(cr,lf)", "#(0041)", `#"quoted"`, "trailing #",
	"line1\nline2", "cr\rlf\r\nend", "tab\there", "nul\x00byte", "bell\a\x1b[31m", "\x7f",
	"é ü ß Ω", "e\u0301", "😀 emoji 👍🏽", "עברית RTL", "العربية", "\u202Eoverride\u202C",
	"\u200Bzero width", "\uFEFFbom", "\u2028ls\u2029ps", "\u00a0nbsp", "\U0001F600", "\uFFFD",
	strings.Repeat("x", 10000), strings.Repeat("#(", 100),
	"section", "let", "type", "shared", "#shared", "#table", "in", "null", "each", "Section",
	"Aad = [", "]];", "/* comment */", "// comment", "a.b", ".a", "a.", "a..b", "a.let", "1abc", "_", "Ab1_c",
	"\xff\xfe invalid utf8", "\xe2\x82", "My Connector", "my-connector",
}

func validRunes(s string) string { return asDecoded(s) }

func TestTextExamples(t *testing.T) {
	cases := map[string]string{
		"":             `""`,
		"abc":          `"abc"`,
		`a"b`:          `"a""b"`,
		"a#(b":         `"a#(#)(b"`,
		"#(lf)":        `"#(#)(lf)"`,
		"#x#":          `"#x#"`,
		"a\nb":         `"a#(lf)b"`,
		"a\r\nb":       `"a#(cr,lf)b"`,
		"a\rb":         `"a#(cr)b"`,
		"a\tb":         `"a#(tab)b"`,
		"nul\x00":      `"nul#(0000)"`,
		"\u202E":       `"#(202E)"`,
		"é😀":           `"é😀"`,
		"\xff":         `"#(FFFD)"`,
		"\U000E0001":   `"#(000E0001)"`,
		"api://x/.def": `"api://x/.def"`,
	}
	for in, want := range cases {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestDecodeText(t *testing.T) {
	cases := map[string]string{
		`"#(cr,lf)"`:      "\r\n",
		`"#(000D,000a)"`:  "\r\n",
		`"#(0001F600)"`:   "😀",
		`#"a b"`:          "a b",
		`"x""y"`:          `x"y`,
		`"#(#)(tab)"`:     "#(tab)",
		`"# not escape("`: "# not escape(",
	}
	for in, want := range cases {
		got, err := DecodeText(in)
		if err != nil || got != want {
			t.Errorf("DecodeText(%s) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{`"#(xyz)"`, `"#(12)"`, `"#(lf"`, `"a"b"`, `abc`, `"#(110000)"`, `"#( lf)"`} {
		if _, err := DecodeText(bad); err == nil {
			t.Errorf("DecodeText(%s) accepted a malformed literal", bad)
		}
	}
}

func TestIdentifierExamples(t *testing.T) {
	cases := map[string]string{
		"MyConnector":          "MyConnector",
		"MyConnector.Contents": "MyConnector.Contents",
		"_x1":                  "_x1",
		"Ünïcode":              "Ünïcode",
		"section":              `#"section"`,
		"let":                  `#"let"`,
		"#shared":              `#"#shared"`,
		"a.let":                `#"a.let"`,
		"My Connector":         `#"My Connector"`,
		"my-connector":         `#"my-connector"`,
		"1st":                  `#"1st"`,
		"a..b":                 `#"a..b"`,
		"":                     `#""`,
		"x\u200By":             `#"x#(200B)y"`,
		`a"#(b`:                `#"a""#(#)(b"`,
	}
	for in, want := range cases {
		if got := Identifier(in); got != want {
			t.Errorf("Identifier(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestConnectorName(t *testing.T) {
	cases := map[string]string{
		"Contoso sales API": "ContosoSalesAPI",
		"my-connector":      "MyConnector",
		"MyConnector":       "MyConnector",
		"365 data":          "Connector365Data",
		"section":           "Section",
		"let":               "Let",
		"#shared":           "Shared",
		"":                  "MyConnector",
		"😀 עברית":           "MyConnector",
		"__x__y__":          "X__y",
		"café crème":        "CafCrMe",
	}
	for in, want := range cases {
		if got := ConnectorName(in); got != want {
			t.Errorf("ConnectorName(%q) = %q, want %q", in, got, want)
		}
	}
	for _, h := range hostile {
		n := ConnectorName(h)
		if !IsRegularIdentifier(n) || strings.Contains(n, ".") || len(n) > 64 || n == "" {
			t.Errorf("ConnectorName(%.40q) = %q: not a short plain identifier", h, n)
		}
		for _, c := range []byte(n) {
			if !isLetterByte(c) && !isDigitByte(c) && c != '_' {
				t.Errorf("ConnectorName(%.40q) = %q has %q", h, n, c)
			}
		}
	}
}

// checkTextInvariants: Text(s) lexes to exactly one text token, stays on
// one line, and decodes back to s.
func checkTextInvariants(t *testing.T, s string) {
	t.Helper()
	lit := Text(s)
	toks, err := Lex(lit)
	if err != nil {
		t.Fatalf("Text(%q) = %s does not lex: %v", s, lit, err)
	}
	if len(toks) != 1 || toks[0].Kind != TokText || toks[0].End != len(lit) {
		t.Fatalf("Text(%q) = %s lexes to %v", s, lit, toks)
	}
	if strings.ContainsAny(lit, "\r\n\x00") || !utf8.ValidString(lit) {
		t.Fatalf("Text(%q) = %q holds raw control characters or invalid UTF-8", s, lit)
	}
	got, err := DecodeText(lit)
	if err != nil || got != validRunes(s) {
		t.Fatalf("DecodeText(Text(%q)) = %q, %v", s, got, err)
	}
}

func checkIdentifierInvariants(t *testing.T, s string) {
	t.Helper()
	id := Identifier(s)
	toks, err := Lex(id)
	if err != nil {
		t.Fatalf("Identifier(%q) = %s does not lex: %v", s, id, err)
	}
	if len(toks) != 1 || toks[0].End != len(id) || (toks[0].Kind != TokIdent && toks[0].Kind != TokQuotedIdent) {
		t.Fatalf("Identifier(%q) = %s lexes to %v", s, id, toks)
	}
	if toks[0].Kind == TokIdent {
		for _, part := range strings.Split(id, ".") {
			if IsKeyword(part) {
				t.Fatalf("Identifier(%q) = %s: plain keyword", s, id)
			}
		}
	}
	got, err := DecodeIdentifier(id)
	if err != nil || got != validRunes(s) {
		t.Fatalf("DecodeIdentifier(Identifier(%q)) = %q, %v", s, got, err)
	}
}

func FuzzText(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(checkTextInvariants)
}

func FuzzIdentifier(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Add("MyConnector.Contents")
	f.Fuzz(checkIdentifierInvariants)
}

// TestHostileParse runs the fuzz seed corpus through Microsoft's parser: text
// literals as member values and in records, identifiers as member names and
// record field names.
func TestHostileParse(t *testing.T) {
	var in []mInput
	for i, s := range hostile {
		in = append(in,
			mInput{ID: fmt.Sprintf("text#%d %.30q", i, s), Text: "section Test;\nX = " + Text(s) + ";\nY = [ F = " + Text(s) + ", G = 1 ];\n"},
			mInput{ID: fmt.Sprintf("ident#%d %.30q", i, s), Text: "section Test;\n" + Identifier(s) + " = 1;\nY = [ " + Identifier(s) + " = 2 ];\nZ = " + Identifier(s) + ";\n"},
		)
	}
	mparse(t, in)
}
