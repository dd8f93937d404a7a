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

var closer = map[byte]byte{'[': ']', '(': ')', '{': '}'}

// doc is a lexed document with comments removed and brackets matched.
type doc struct {
	src   string
	toks  []tok   // no comments
	cmts  []tok   // the comments
	match []int32 // for a bracket token, the index of its partner; else -1
	// incomplete lists the members that look like kind records without an
	// Authentication record; kinds fills it.
	incomplete []incompleteKind
}

// tok returns token i with its text.
func (d *doc) tok(i int) Token {
	t := d.toks[i]
	return Token{Kind: TokenKind(t.kind), Start: int(t.start), End: int(t.end), Text: d.src[t.start:t.end]}
}

// is reports whether token i is the punctuation p, without building a Token.
func (d *doc) is(i int, p string) bool {
	t := d.toks[i]
	return TokenKind(t.kind) == TokPunct && d.src[t.start:t.end] == p
}

// bytesPerToken is a low estimate of the source bytes per token, so the
// token slice is allocated once: growing a slice of millions of tokens
// copies it and briefly holds both copies.
const bytesPerToken = 3

func parseDoc(src string) (*doc, error) {
	if len(src) > maxSource {
		return nil, errTooLarge
	}
	d := &doc{src: src, toks: make([]tok, 0, len(src)/bytesPerToken+16)}
	lx := lexer{src: src}
	for {
		t, ok, err := lx.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if k := TokenKind(t.kind); k == TokLineComment || k == TokBlockComment {
			d.cmts = append(d.cmts, t)
		} else {
			d.toks = append(d.toks, t)
		}
	}
	d.match = make([]int32, len(d.toks))
	var stack []int32
	for i, t := range d.toks {
		d.match[i] = -1
		if TokenKind(t.kind) != TokPunct || t.end-t.start != 1 {
			continue
		}
		switch c := src[t.start]; c {
		case '[', '(', '{':
			stack = append(stack, int32(i))
		case ']', ')', '}':
			if len(stack) == 0 {
				return nil, &LexError{Offset: int(t.start), Msg: fmt.Sprintf("unbalanced %q: nothing to close", string(c))}
			}
			o := stack[len(stack)-1]
			open := src[d.toks[o].start]
			if closer[open] != c {
				l, col := lineCol(src, int(d.toks[o].start))
				return nil, &LexError{Offset: int(t.start), Msg: fmt.Sprintf("%q closes %q opened at line %d, column %d", string(c), string(open), l, col)}
			}
			stack = stack[:len(stack)-1]
			d.match[o], d.match[i] = int32(i), o
		}
	}
	if len(stack) > 0 {
		t := d.toks[stack[len(stack)-1]]
		return nil, &LexError{Offset: int(t.start), Msg: fmt.Sprintf("unbalanced %q: never closed", string(src[t.start]))}
	}
	return d, nil
}

// inComment reports whether offset i falls strictly inside a comment.
func (d *doc) inComment(i int) bool {
	for _, c := range d.cmts {
		if int(c.start) < i && i < int(c.end) {
			return true
		}
	}
	return false
}

// skip returns the index after token i, jumping over a bracketed group.
func (d *doc) skip(i int) int {
	if m := int(d.match[i]); m > i {
		return m + 1
	}
	return i + 1
}

// isRecord reports whether tokens [from, to) are exactly one [ ... ].
func (d *doc) isRecord(from, to int) bool {
	return to > from && d.is(from, "[") && int(d.match[from]) == to-1
}

// field is one name = value entry of a record literal. Token indexes.
type field struct {
	name             string // generalized identifier, decoded
	nameFrom, nameTo int
	valFrom, valTo   int // value tokens [valFrom, valTo)
}

func (d *doc) span(from, to int) Span { return Span{int(d.toks[from].start), int(d.toks[to-1].end)} }

// fields splits the record whose '[' is token open into its fields. A part
// without '=' (not valid M in a record literal) yields an error.
func (d *doc) fields(open int) ([]field, error) {
	close := int(d.match[open])
	var out []field
	for i := open + 1; i < close; {
		start := i
		// A let expression's bindings are separated by commas without any
		// bracket around them, so commas between let and its in are not
		// field separators.
		lets := 0
		for i < close && (lets > 0 || !d.is(i, ",")) {
			if t := d.tok(i); t.Kind == TokIdent {
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
			if d.is(j, "=") {
				eq = j
				break
			}
			if d.match[j] >= 0 {
				break
			}
		}
		if eq <= start || eq+1 >= i {
			return nil, &LexError{Offset: d.tok(start).Start, Msg: "record field is not of the form name = value"}
		}
		var parts []string
		for j := start; j < eq; j++ {
			n, err := DecodeIdentifier(d.tok(j).Text)
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
	from, to   int   // the member's tokens: attributes or name up to (not including) its ';'
	open       int   // '[' of the kind record
	auth       field // the Authentication field; its value is a record
	authFields []field
	// testConnection: the kind record has a TestConnection field, which
	// refresh through a gateway (and certification) needs.
	testConnection bool
}

// incompleteKind is a record member that is meant to be a data source kind
// (a [DataSource.Kind="…"] attribute names it, it is named like the
// section, or it has the fields of one) but has no Authentication record.
type incompleteKind struct {
	name            string
	nameTok         int
	authIsNotRecord bool // it has an Authentication field, whose value is not a record literal
	kindFields      bool // it has fields only a kind record has (TestConnection, Authentication)
}

// kinds returns every section member whose value is a record with an
// Authentication field that is itself a record, and in d.incomplete the
// members that look like kind records but have no such field.
func (d *doc) kinds() ([]kindRecord, error) {
	var out []kindRecord
	var candidates []incompleteKind
	named := map[string]bool{} // names a [DataSource.Kind="…"] attribute gives
	i := 0
	// Optional attributes and the section header: [ ... ] section Name ;
	if i < len(d.toks) && d.is(i, "[") {
		i = d.skip(i)
	}
	if i < len(d.toks) && d.tok(i).Kind == TokIdent && d.tok(i).Text == "section" {
		if i+1 < len(d.toks) && (d.tok(i+1).Kind == TokIdent || d.tok(i+1).Kind == TokQuotedIdent) {
			if n, err := DecodeIdentifier(d.tok(i + 1).Text); err == nil {
				named[n] = true
			}
		}
		for i < len(d.toks) && !d.is(i, ";") {
			i = d.skip(i)
		}
		i++
	}
	for i < len(d.toks) {
		start := i
		end := i
		for end < len(d.toks) && !d.is(end, ";") {
			end = d.skip(end)
		}
		k, c, err := d.member(start, end, named)
		if err != nil {
			return nil, err
		}
		if k != nil {
			out = append(out, *k)
		} else if c != nil {
			candidates = append(candidates, *c)
		}
		i = end + 1
	}
	d.incomplete = d.incomplete[:0]
	for _, c := range candidates {
		if c.kindFields || named[c.name] {
			d.incomplete = append(d.incomplete, c)
		}
	}
	return out, nil
}

// member inspects tokens [from, to) of one section member. It returns the
// kind record, or for a record member without an Authentication record, a
// candidate for d.incomplete. Kind names in the member's attributes are
// added to named.
func (d *doc) member(from, to int, named map[string]bool) (*kindRecord, *incompleteKind, error) {
	i := from
	if i < to && d.is(i, "[") { // member attributes, e.g. [DataSource.Kind="X"]
		d.kindAttribute(i, named)
		i = d.skip(i)
	}
	if i < to && d.tok(i).Kind == TokIdent && d.tok(i).Text == "shared" {
		i++
	}
	if i+2 >= to || (d.tok(i).Kind != TokIdent && d.tok(i).Kind != TokQuotedIdent) || !d.is(i+1, "=") {
		return nil, nil, nil
	}
	if !d.isRecord(i+2, to) {
		return nil, nil, nil
	}
	name, err := DecodeIdentifier(d.tok(i).Text)
	if err != nil {
		return nil, nil, err
	}
	fs, err := d.fields(i + 2)
	if err != nil {
		return nil, nil, err
	}
	c := &incompleteKind{name: name, nameTok: i}
	var k *kindRecord
	testConnection := false
	for _, f := range fs {
		switch f.name {
		case "TestConnection":
			c.kindFields, testConnection = true, true
		case "Authentication":
			if k != nil {
				continue // the first Authentication field is the one read
			}
			if !d.isRecord(f.valFrom, f.valTo) {
				c.kindFields, c.authIsNotRecord = true, true
				continue
			}
			af, err := d.fields(f.valFrom)
			if err != nil {
				return nil, nil, err
			}
			k = &kindRecord{name: name, nameTok: i, from: from, to: to, open: i + 2, auth: f, authFields: af}
		}
	}
	if k != nil {
		k.testConnection = testConnection
		return k, nil, nil
	}
	return nil, c, nil
}

// kindAttribute adds the value of a DataSource.Kind = "X" field of the
// member attribute record at open to named.
func (d *doc) kindAttribute(open int, named map[string]bool) {
	fs, err := d.fields(open)
	if err != nil {
		return // attributes are not ours to judge
	}
	for _, f := range fs {
		if f.name == "DataSource.Kind" && f.valTo-f.valFrom == 1 && d.tok(f.valFrom).Kind == TokText {
			if n, err := DecodeText(d.tok(f.valFrom).Text); err == nil {
				named[n] = true
			}
		}
	}
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
