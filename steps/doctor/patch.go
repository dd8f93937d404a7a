package doctor

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pqentra/pqentra/steps/m"
)

// FixConnector repairs the connector's Aad records for the error findings
// doctor reports about them, and returns the new text (src itself when
// nothing needs changing). A wrong value is replaced in place and a
// missing field inserted after the record's last documented field, so
// everything else — a dynamic AuthorizationUri function, comments, layout
// — is kept byte for byte. Only a file without any Aad record gets a whole
// record, through m.Patch.
func FixConnector(src string, in DiagnoseInput) (string, error) {
	fs, err := m.ReadAad(src)
	if err != nil {
		return "", err
	}
	resource := FixResource(in)
	if len(fs) == 0 {
		if resource == "" {
			return "", fmt.Errorf("no application to name as Resource")
		}
		// The same record setup and snippet emit.
		return m.Patch(src, "", m.SnippetOptions{Resource: resource, LoginHost: in.LoginHost, AuthorizationURI: m.AuthCommon})
	}
	out := src
	for i := range fs {
		// Re-read after each record: earlier edits move the spans.
		cur, err := m.ReadAad(out)
		if err != nil || len(cur) != len(fs) {
			return "", fmt.Errorf("internal error: the connector no longer reads back after patching %s", fs[i].Kind)
		}
		if out, err = fixRecord(out, cur[i], in, resource); err != nil {
			return "", err
		}
	}
	return out, nil
}

type edit struct {
	start, end int
	text       string
}

func fixRecord(src string, f m.AadFinding, in DiagnoseInput, resource string) (string, error) {
	if !f.IsRecord {
		return src, nil
	}
	errs := map[string]bool{}
	for _, x := range diagnoseAad(in, f) {
		if x.Severity == SeverityError {
			errs[x.ID] = true
		}
	}
	var edits []edit
	var inserts []string
	set := func(v m.AadValue, name, text string) {
		if v.Present {
			edits = append(edits, edit{v.Value.Start, v.Value.End, m.Text(text)})
		} else {
			inserts = append(inserts, name+" = "+m.Text(text))
		}
	}
	if errs[FindConnectorAuthURI] || errs[FindAuthURITenantMismatch] {
		set(f.AuthorizationURI, "AuthorizationUri", wantAuthURI(in, f.AuthorizationURI))
	}
	if errs[FindConnectorResource] && resource != "" {
		set(f.Resource, "Resource", resource)
	}
	if errs[FindConnectorScopeMissing] || errs[FindConnectorScopeNull] {
		set(f.Scope, "Scope", m.DefaultScope)
	}
	if len(inserts) > 0 {
		last := lastField(f)
		if last == nil {
			return "", fmt.Errorf("the Aad record of %s is empty; fix it with `%s`", f.Kind, in.snippetPatchFix(f.Kind))
		}
		sep := " "
		if ind, ok := lineIndentAt(src, last.Name.Start); ok {
			sep = newlineOf(src) + ind
		}
		text := ""
		for _, s := range inserts {
			text += "," + sep + s
		}
		edits = append(edits, edit{last.Value.End, last.Value.End, text})
	}
	// Apply from the end so earlier offsets stay valid; an insertion at a
	// value's end goes before that value's replacement.
	slices.SortStableFunc(edits, func(a, b edit) int { return b.start - a.start })
	out := src
	for _, e := range edits {
		out = out[:e.start] + e.text + out[e.end:]
	}
	return out, nil
}

// lastField is the documented field written last in the record.
func lastField(f m.AadFinding) *m.AadValue {
	var last *m.AadValue
	for _, v := range []*m.AadValue{&f.AuthorizationURI, &f.Resource, &f.Scope} {
		if v.Present && (last == nil || v.Value.End > last.Value.End) {
			last = v
		}
	}
	return last
}

// lineIndentAt returns the indentation of the line at pos when only
// white space precedes pos on it.
func lineIndentAt(src string, pos int) (string, bool) {
	start := strings.LastIndexAny(src[:pos], "\r\n") + 1
	ind := src[start:pos]
	return ind, strings.TrimLeft(ind, " \t") == ""
}

func newlineOf(src string) string {
	if strings.Contains(src, "\r\n") {
		return "\r\n"
	}
	return "\n"
}
