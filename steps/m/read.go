package m

import "fmt"

// ValueKind classifies the M written for an Aad field's value.
type ValueKind string

const (
	ValueText     ValueKind = "text"       // a plain text literal; AadValue.Text has it decoded
	ValueNull     ValueKind = "null"       // the literal null (for Scope: Power Query then asks for user_impersonation)
	ValueFunction ValueKind = "function"   // (x) => ..., (x as text) as text => ..., or each ...
	ValueOther    ValueKind = "expression" // anything else: a name, a call, a concatenation, ...
)

// AadValue is one field (AuthorizationUri, Resource or Scope) of an Aad record.
type AadValue struct {
	Present bool
	Name    Span      // the field name
	Value   Span      // the value expression
	Source  string    // the value's M source, as written
	Kind    ValueKind // what the value is
	Text    string    // the decoded value when Kind == ValueText
}

// AadFinding describes the Aad entry of one data source kind record.
type AadFinding struct {
	Kind     string // the kind's name (the section member's name, decoded)
	KindName Span   // where that name is written
	Field    Span   // the whole Aad = ... field
	Aad      Span   // the Aad field's value
	IsRecord bool   // the value is a record literal; the fields below are only read then
	// AuthorizationURI, Resource and Scope are the documented fields.
	AuthorizationURI, Resource, Scope AadValue
	// Others lists any other field names in the Aad record (Label,
	// DefaultClientApplication, typos such as Scopes ...), in order.
	Others []string
}

// KindInfo is a data source kind record found in a section document.
type KindInfo struct {
	Name      string
	NameSpan  Span
	AuthKinds []string // field names of its Authentication record: Aad, OAuth, Anonymous, ...
	// TestConnection: the record has a TestConnection field (the handler
	// scheduled refresh through a gateway calls, and certification asks for).
	TestConnection bool
}

// Kinds lists the data source kind records of a connector document: section
// members whose value is a record with an Authentication record field.
func Kinds(src string) ([]KindInfo, error) {
	d, ks, err := parseKinds(src)
	if err != nil {
		return nil, err
	}
	out := make([]KindInfo, 0, len(ks))
	for _, k := range ks {
		info := KindInfo{Name: k.name, NameSpan: d.span(k.nameTok, k.nameTok+1), TestConnection: k.testConnection}
		for _, f := range k.authFields {
			info.AuthKinds = append(info.AuthKinds, f.name)
		}
		out = append(out, info)
	}
	return out, nil
}

// ReadAad reports, for every data source kind record that has an Aad entry,
// what that entry says. A document that does not lex, or whose brackets do not
// balance, is an error; an Aad entry that is not a record is reported with
// IsRecord false rather than as an error, so doctor can explain it.
func ReadAad(src string) ([]AadFinding, error) {
	d, ks, err := parseKinds(src)
	if err != nil {
		return nil, err
	}
	var out []AadFinding
	for _, k := range ks {
		for _, f := range k.aadFields() {
			fd, err := d.readAad(k, f)
			if err != nil {
				return nil, withPosition(src, err)
			}
			out = append(out, fd)
		}
	}
	return out, nil
}

func (d *doc) readAad(k kindRecord, f field) (AadFinding, error) {
	fd := AadFinding{
		Kind:     k.name,
		KindName: d.span(k.nameTok, k.nameTok+1),
		Field:    d.span(f.nameFrom, f.valTo),
		Aad:      d.span(f.valFrom, f.valTo),
		IsRecord: d.isRecord(f.valFrom, f.valTo),
	}
	if !fd.IsRecord {
		return fd, nil
	}
	fs, err := d.fields(f.valFrom)
	if err != nil {
		return fd, err
	}
	for _, g := range fs {
		var dst *AadValue
		switch g.name {
		case "AuthorizationUri":
			dst = &fd.AuthorizationURI
		case "Resource":
			dst = &fd.Resource
		case "Scope":
			dst = &fd.Scope
		default:
			fd.Others = append(fd.Others, g.name)
			continue
		}
		if dst.Present {
			return fd, &LexError{Offset: d.tok(g.nameFrom).Start, Msg: fmt.Sprintf("Aad record of %s has %s twice", k.name, g.name)}
		}
		*dst, err = d.value(g)
		if err != nil {
			return fd, err
		}
	}
	return fd, nil
}

func (d *doc) value(g field) (AadValue, error) {
	v := AadValue{Present: true, Name: d.span(g.nameFrom, g.nameTo), Value: d.span(g.valFrom, g.valTo)}
	v.Source = d.src[v.Value.Start:v.Value.End]
	first := d.tok(g.valFrom)
	single := g.valTo-g.valFrom == 1
	switch {
	case single && (first.Kind == TokText || first.Kind == TokVerbatim):
		s, err := DecodeText(first.Text)
		if err != nil {
			return v, err
		}
		v.Kind, v.Text = ValueText, s
	case single && first.Kind == TokIdent && first.Text == "null":
		v.Kind = ValueNull
	case first.Kind == TokIdent && first.Text == "each":
		v.Kind = ValueFunction
	case first.Is("(") && d.isFunction(g.valFrom, g.valTo):
		v.Kind = ValueFunction
	default:
		v.Kind = ValueOther
	}
	return v, nil
}

// isFunction: ( params ) [as type] => ...  The parameter list is one
// bracketed group; the return type, if any, is a short run of names.
func (d *doc) isFunction(from, to int) bool {
	i := int(d.match[from]) + 1
	if i < to && d.tok(i).Kind == TokIdent && d.tok(i).Text == "as" {
		i++
		for i < to && (d.tok(i).Kind == TokIdent || d.tok(i).Kind == TokQuotedIdent) && d.tok(i).Text != "as" {
			i++ // e.g. "as text", "as nullable text"
		}
	}
	return i < to && d.is(i, "=>")
}

// parseKinds lexes and bracket-matches a document and finds its data
// source kind records: what Kinds, ReadAad and Patch all start from.
// Its errors carry line and column.
func parseKinds(src string) (*doc, []kindRecord, error) {
	if err := checkEncoding(src); err != nil {
		return nil, nil, err
	}
	d, err := parseDoc(src)
	if err != nil {
		return nil, nil, withPosition(src, err)
	}
	ks, err := d.kinds()
	if err != nil {
		return nil, nil, withPosition(src, err)
	}
	return d, ks, nil
}

// DeclaredKinds names the data source kinds a section document declares:
// its kind records, and the members that a [DataSource.Kind="…"]
// attribute, the section's name or a TestConnection field mark as kinds
// although they have no Authentication record yet (Patch adds one). An SDK
// project's connector file declares at least one; its query file none.
func DeclaredKinds(src string) ([]string, error) {
	d, ks, err := parseKinds(src)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, k := range ks {
		out = append(out, k.name)
	}
	for _, c := range d.incomplete {
		out = append(out, c.name)
	}
	return out, nil
}
