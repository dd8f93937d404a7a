package m

import (
	"fmt"
	"strings"
)

// This file finds data source kind records in a section document: section
// members of the form  Name = [ ..., Authentication = [ ... ], ... ];
// It works on the token stream (comments dropped) with brackets matched up
// front, so it never looks inside text literals or comments and never needs
// to understand expressions beyond "where does this bracket close".

// Span is a byte range [Start, End) in the source.
type Span struct{ Start, End int }

// doc is a lexed document with comments removed and brackets matched.
type doc struct {
	src   string
	toks  []Token // no comments
	cmts  []Token // the comments
	match []int   // for a bracket token, the index of its partner; else -1
}

var closer = map[string]string{"[": "]", "(": ")", "{": "}"}

func parseDoc(src string) (*doc, error) {
	all, err := Lex(src)
	if err != nil {
		return nil, err
	}
	d := &doc{src: src}
	for _, t := range all {
		if t.IsComment() {
			d.cmts = append(d.cmts, t)
		} else {
			d.toks = append(d.toks, t)
		}
	}
	d.match = make([]int, len(d.toks))
	var stack []int
	for i, t := range d.toks {
		d.match[i] = -1
		if t.Kind != TokPunct {
			continue
		}
		switch t.Text {
		case "[", "(", "{":
			stack = append(stack, i)
		case "]", ")", "}":
			if len(stack) == 0 {
				return nil, &LexError{t.Start, fmt.Sprintf("unbalanced %q: nothing to close", t.Text)}
			}
			o := stack[len(stack)-1]
			if closer[d.toks[o].Text] != t.Text {
				return nil, &LexError{t.Start, fmt.Sprintf("%q closes %q opened at offset %d", t.Text, d.toks[o].Text, d.toks[o].Start)}
			}
			stack = stack[:len(stack)-1]
			d.match[o], d.match[i] = i, o
		}
	}
	if len(stack) > 0 {
		t := d.toks[stack[len(stack)-1]]
		return nil, &LexError{t.Start, fmt.Sprintf("unbalanced %q: never closed", t.Text)}
	}
	return d, nil
}

// inComment reports whether offset i falls strictly inside a comment.
func (d *doc) inComment(i int) bool {
	for _, c := range d.cmts {
		if c.Start < i && i < c.End {
			return true
		}
	}
	return false
}

// skip returns the index after token i, jumping over a bracketed group.
func (d *doc) skip(i int) int {
	if d.match[i] > i {
		return d.match[i] + 1
	}
	return i + 1
}

// isRecord reports whether tokens [from, to) are exactly one [ ... ].
func (d *doc) isRecord(from, to int) bool {
	return to > from && d.toks[from].Is("[") && d.match[from] == to-1
}

// field is one name = value entry of a record literal. Token indexes.
type field struct {
	name             string // generalized identifier, decoded
	nameFrom, nameTo int
	valFrom, valTo   int // value tokens [valFrom, valTo)
}

func (d *doc) span(from, to int) Span { return Span{d.toks[from].Start, d.toks[to-1].End} }

// fields splits the record whose '[' is token open into its fields. A part
// without '=' (not valid M in a record literal) yields an error.
func (d *doc) fields(open int) ([]field, error) {
	close := d.match[open]
	var out []field
	for i := open + 1; i < close; {
		start := i
		// A let expression's bindings are separated by commas without any
		// bracket around them, so commas between let and its in are not
		// field separators.
		lets := 0
		for i < close && (lets > 0 || !d.toks[i].Is(",")) {
			if t := d.toks[i]; t.Kind == TokIdent {
				switch {
				case t.Text == "let":
					lets++
				case t.Text == "in" && lets > 0:
					lets--
				}
			}
			i = d.skip(i)
		}
		eq := -1
		for j := start; j < i; j++ {
			if d.toks[j].Is("=") {
				eq = j
				break
			}
			if d.match[j] >= 0 {
				break
			}
		}
		if eq <= start || eq+1 >= i {
			return nil, &LexError{d.toks[start].Start, "record field is not of the form name = value"}
		}
		var parts []string
		for j := start; j < eq; j++ {
			n, err := DecodeIdentifier(d.toks[j].Text)
			if err != nil {
				return nil, err
			}
			parts = append(parts, n)
		}
		out = append(out, field{name: strings.Join(parts, " "), nameFrom: start, nameTo: eq, valFrom: eq + 1, valTo: i})
		i++ // the comma
	}
	return out, nil
}

// kindRecord is a data source kind section member.
type kindRecord struct {
	name       string
	nameTok    int
	open       int   // '[' of the kind record
	auth       field // the Authentication field; its value is a record
	authFields []field
}

// kinds returns every section member whose value is a record with an
// Authentication field that is itself a record.
func (d *doc) kinds() ([]kindRecord, error) {
	var out []kindRecord
	i := 0
	// Optional attributes and the section header: [ ... ] section Name ;
	if i < len(d.toks) && d.toks[i].Is("[") {
		i = d.skip(i)
	}
	if i < len(d.toks) && d.toks[i].Kind == TokIdent && d.toks[i].Text == "section" {
		for i < len(d.toks) && !d.toks[i].Is(";") {
			i = d.skip(i)
		}
		i++
	}
	for i < len(d.toks) {
		start := i
		end := i
		for end < len(d.toks) && !d.toks[end].Is(";") {
			end = d.skip(end)
		}
		k, ok, err := d.member(start, end)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, k)
		}
		i = end + 1
	}
	return out, nil
}

// member inspects tokens [from, to) of one section member.
func (d *doc) member(from, to int) (kindRecord, bool, error) {
	i := from
	if i < to && d.toks[i].Is("[") { // member attributes, e.g. [DataSource.Kind="X"]
		i = d.skip(i)
	}
	if i < to && d.toks[i].Kind == TokIdent && d.toks[i].Text == "shared" {
		i++
	}
	if i+2 >= to || (d.toks[i].Kind != TokIdent && d.toks[i].Kind != TokQuotedIdent) || !d.toks[i+1].Is("=") {
		return kindRecord{}, false, nil
	}
	if !d.isRecord(i+2, to) {
		return kindRecord{}, false, nil
	}
	name, err := DecodeIdentifier(d.toks[i].Text)
	if err != nil {
		return kindRecord{}, false, err
	}
	fs, err := d.fields(i + 2)
	if err != nil {
		return kindRecord{}, false, err
	}
	for _, f := range fs {
		if f.name != "Authentication" || !d.isRecord(f.valFrom, f.valTo) {
			continue
		}
		af, err := d.fields(f.valFrom)
		if err != nil {
			return kindRecord{}, false, err
		}
		return kindRecord{name: name, nameTok: i, open: i + 2, auth: f, authFields: af}, true, nil
	}
	return kindRecord{}, false, nil
}

// aadFields returns the Aad fields of a kind's Authentication record.
func (k kindRecord) aadFields() []field {
	var out []field
	for _, f := range k.authFields {
		if f.name == "Aad" {
			out = append(out, f)
		}
	}
	return out
}
