package m

import (
	"strings"
	"testing"
)

func TestLexTokens(t *testing.T) {
	src := "section A.B; // c [\nX = #\"a b\" & \"q\"\"[\" /* ] */ + 1.5e3 + 0xFF + .5, {1..3}, #shared, x => y <> z ?? w;"
	toks, err := Lex(src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tk := range toks {
		if src[tk.Start:tk.End] != tk.Text {
			t.Fatalf("token %q has wrong offsets", tk.Text)
		}
		got = append(got, tk.Text)
	}
	want := []string{"section", "A.B", ";", "// c [", "X", "=", `#"a b"`, "&", `"q""["`, "/* ] */", "+", "1.5e3", "+", "0xFF", "+", ".5", ",",
		"{", "1", "..", "3", "}", ",", "#shared", ",", "x", "=>", "y", "<>", "z", "??", "w", ";"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if toks[3].Kind != TokLineComment || toks[6].Kind != TokQuotedIdent || toks[8].Kind != TokText || toks[9].Kind != TokBlockComment || toks[23].Kind != TokHashKeyword {
		t.Errorf("kinds wrong: %+v", toks)
	}
}

func TestLexErrors(t *testing.T) {
	for src, want := range map[string]string{
		`x = "abc`:            "unterminated text",
		`x = #"abc`:           "unterminated text",
		"x = /* abc":          "unterminated /*",
		`x = "#(lf"`:          "unterminated #(",
		`x = "#(0041,zz)"`:    "bad escape",
		"x = \"a\"\"":         "unterminated text",
		"/* a */ \"#(cr\" ":   "unterminated #(",
		"x = \"#(cr\" & f(1)": "bad escape",
		"x = \"ok\" // \"no":  "",
	} {
		_, err := Lex(src)
		switch {
		case want == "" && err != nil:
			t.Errorf("Lex(%q): %v", src, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("Lex(%q) = %v, want error containing %q", src, err, want)
		}
	}
}
