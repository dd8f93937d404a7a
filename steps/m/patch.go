package m

import (
	"fmt"
)

// Patch puts the Aad record described by o into the data source kind record
// of the connector document src and returns the new document.
//
// kind names the kind record to patch; it may be empty when the document has
// exactly one. An existing Aad = [ ... ] value is replaced; otherwise an Aad
// field is inserted as the first field of the Authentication record, so no
// existing byte has to change (no comma is added after someone else's
// field). Everything outside the Aad value — comments, layout, other
// authentication kinds, line endings — is kept byte for byte. The new text
// uses the document's line ending (CRLF or LF) and indentation (tabs or
// spaces, and the step size found around the kind record).
//
// o.Shape, o.Name and o.Label are ignored. With AuthDynamic the lookup is
// inlined in the AuthorizationUri function, so the patch is one field.
//
// Patch refuses, returning "" and an error, when src does not lex (an
// unterminated text literal or comment), its brackets do not balance, it has
// no kind record, or several and kind is empty, the named kind is missing,
// the Aad entry is not a record literal, or Authentication has two Aad fields.
func Patch(src, kind string, o SnippetOptions) (string, error) {
	r, err := o.resolve()
	if err != nil {
		return "", err
	}
	d, ks, err := parseKinds(src)
	if err != nil {
		return "", err
	}
	k, err := d.pickKind(ks, kind)
	if err != nil {
		return "", withPosition(src, err)
	}
	lay := detectLayout(src)
	var out string
	switch aads := k.aadFields(); len(aads) {
	case 0:
		out = d.insertAad(k, r, lay)
	case 1:
		f := aads[0]
		if !d.isRecord(f.valFrom, f.valTo) {
			sp := d.span(f.valFrom, f.valTo)
			return "", withPosition(src, &LexError{Offset: sp.Start,
				Msg: fmt.Sprintf("the Aad entry of %s is not a record (it is %.60q); fix it by hand", k.name, src[sp.Start:sp.End])})
		}
		out = d.replaceAad(k, f, r, lay)
	default:
		return "", withPosition(src, &LexError{Offset: d.tok(aads[1].nameFrom).Start,
			Msg: fmt.Sprintf("the Authentication record of %s has %d Aad fields; keep one and retry", k.name, len(aads))})
	}
	// Check our own work: the result must lex and show the new values.
	if err := d.verifyPatched(out, k, r); err != nil {
		return "", fmt.Errorf("internal error, the patched document does not check out (nothing written): %w", err)
	}
	return out, nil
}

// pickKind finds the kind record to patch: the one named, or the only one.
// A member that looks like a kind record but has no Authentication record
// is reported as exactly that, where it is.
func (d *doc) pickKind(ks []kindRecord, name string) (kindRecord, error) {
	var names []string
	for _, k := range ks {
		if name != "" && k.name == name {
			return k, nil
		}
		names = append(names, k.name)
	}
	for _, c := range d.incomplete {
		if (name == "" && len(ks) == 0) || c.name == name {
			return kindRecord{}, d.incompleteError(c)
		}
	}
	switch {
	case len(ks) == 0 || name != "":
		missing := name
		return kindRecord{}, &NoKindError{Missing: missing, Found: names}
	case len(ks) > 1:
		return kindRecord{}, &SeveralKindsError{Names: names}
	}
	return ks[0], nil
}

func (d *doc) incompleteError(c incompleteKind) error {
	msg := fmt.Sprintf("the data source kind record %s has no Authentication record; add Authentication = [] to it and run again", c.name)
	if c.authIsNotRecord {
		msg = fmt.Sprintf("the Authentication field of the data source kind record %s is not a record literal ([ … ]); put the Aad record into it by hand", c.name)
	}
	return &LexError{Offset: d.tok(c.nameTok).Start, Msg: msg}
}

// replaceAad swaps the [ ... ] value of an existing Aad field.
func (d *doc) replaceAad(k kindRecord, f field, r resolved, lay layout) string {
	open, close := d.tok(f.valFrom), d.tok(f.valTo-1)
	base := lineIndent(d.src, d.tok(f.nameFrom).Start)
	unit := ""
	// Prefer the step the existing Aad record uses for its own fields.
	if inner, err := d.fields(f.valFrom); err == nil && len(inner) > 0 {
		unit = stepBetween(d.src, base, d.tok(inner[0].nameFrom).Start)
	}
	if unit == "" {
		unit = stepBetween(d.src, lineIndent(d.src, d.tok(k.auth.nameFrom).Start), d.tok(f.nameFrom).Start)
	}
	if unit == "" {
		unit = lay.defaultUnit(base)
	}
	rec := lay.render(aadRecord(r, false), base, unit)
	return d.src[:open.Start] + rec + d.src[close.End:]
}

// insertAad adds Aad as the first field of the Authentication record.
func (d *doc) insertAad(k kindRecord, r resolved, lay layout) string {
	open := d.tok(k.auth.valFrom)
	close := d.tok(k.auth.valTo - 1)
	authIndent := lineIndent(d.src, d.tok(k.auth.nameFrom).Start)
	unit := stepBetween(d.src, lineIndent(d.src, d.tok(k.nameTok).Start), d.tok(k.auth.nameFrom).Start)
	if unit == "" {
		unit = lay.defaultUnit(authIndent)
	}
	indent := authIndent + unit
	firstStart := -1
	if len(k.authFields) > 0 {
		firstStart = d.tok(k.authFields[0].nameFrom).Start
		if startsLine(d.src, firstStart) {
			indent = lineIndent(d.src, firstStart)
		}
	}
	entry := indent + "Aad = " + lay.render(aadRecord(r, false), indent, unit)
	var ins string
	at := open.End
	switch {
	case firstStart < 0:
		// Empty Authentication record: Aad becomes its only field.
		ins = lay.nl + entry
		if !hasLineBreak(d.src[open.End:close.Start]) {
			ins += lay.nl + authIndent
		}
	case hasLineBreak(d.src[open.End:firstStart]):
		// Fields start on a later line: add a line of our own right after
		// the '[' line (keeping any comment on that line where it is).
		at = lineEnd(d.src, open.End)
		at += lineBreakLen(d.src, at)
		ins = entry + "," + lay.nl
		if at == len(d.src) || at > firstStart || d.inComment(at) {
			at, ins = open.End, lay.nl+entry+","
		}
	default:
		// One-line record: [ Anonymous = [] ] → [\n  Aad = [...], Anonymous = [] ]
		ins = lay.nl + entry + ","
	}
	return d.src[:at] + ins + d.src[at:]
}

// verifyPatched checks the patched document out, which equals src outside
// kind record k: that record must lex, balance and read back with the new
// values, and everything around it must be unchanged. Outside the record
// nothing needs re-reading: the prefix is the same bytes, and since the
// record ends at the same token boundary as before, the suffix lexes as it
// did. So the check costs the size of the record, not of the file.
func (d *doc) verifyPatched(out string, k kindRecord, r resolved) error {
	from := int(d.toks[k.from].start)
	to := len(d.src)
	if k.to < len(d.toks) {
		to = int(d.toks[k.to].end)
	}
	newTo := to + len(out) - len(d.src)
	if newTo < from || out[:from] != d.src[:from] || out[newTo:] != d.src[to:] {
		return fmt.Errorf("bytes outside the kind record %s changed", k.name)
	}
	fs, err := ReadAad(out[from:newTo])
	if err != nil {
		return err
	}
	for _, f := range fs {
		if f.Kind != k.name {
			continue
		}
		if !f.IsRecord || f.Resource.Text != asDecoded(r.resource) || f.Scope.Text != asDecoded(r.scope) ||
			(r.mode != AuthDynamic && f.AuthorizationURI.Text != r.authURI) ||
			(r.mode == AuthDynamic && f.AuthorizationURI.Kind != ValueFunction) {
			return fmt.Errorf("Aad of %s reads back differently", k.name)
		}
		return nil
	}
	return fmt.Errorf("Aad of %s not found after patching", k.name)
}
