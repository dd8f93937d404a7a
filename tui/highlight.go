package tui

import (
	"strings"

	"github.com/pqentra/pqentra/steps/m"
)

// highlight colours M source with the engine's own lexer, so what is
// coloured is exactly what Power Query will parse. Text that does not lex
// is shown plain.
func (mo *Model) highlight(src string) string {
	toks, err := m.Lex(src)
	if err != nil {
		return src
	}
	var b strings.Builder
	pos := 0
	for _, t := range toks {
		b.WriteString(src[pos:t.Start])
		text := src[t.Start:t.End]
		switch {
		case t.Kind == m.TokText || t.Kind == m.TokVerbatim:
			text = mo.st.mText.Render(text)
		case t.Kind == m.TokIdent && m.IsKeyword(t.Text):
			text = mo.st.mKeyword.Render(text)
		case t.Kind == m.TokIdent || t.Kind == m.TokQuotedIdent:
			text = mo.st.mIdent.Render(text)
		case t.Kind == m.TokPunct:
			text = mo.st.mPunct.Render(text)
		}
		b.WriteString(text)
		pos = t.End
	}
	b.WriteString(src[pos:])
	return b.String()
}
