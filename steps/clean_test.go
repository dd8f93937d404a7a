package steps

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// Every character of the hidden class, one per kind the issue names.
var hiddenSamples = []rune{
	0x00, 0x07, 0x1b, 0x7f, // C0, DEL
	0x80, 0x85, 0x9b, 0x9f, // C1 (0x9b is a one-byte CSI to some terminals)
	0x00ad, 0x061c, 0x200b, 0x200d, 0x200e, 0x200f, // soft hyphen, ALM, zero-width, marks
	0x2028, 0x2029, // line and paragraph separators (Zl, Zp)
	0x202a, 0x202e, 0x2066, 0x2069, // bidi embeddings, overrides, isolates
	0xfeff, 0xe0041, // BOM / ZWNBSP, a tag character (Cf above the BMP)
}

func TestCleanDropsTheWholeHiddenClass(t *testing.T) {
	for _, r := range hiddenSamples {
		in := "a" + string(r) + "b"
		if !IsHidden(r) {
			t.Errorf("IsHidden(%U) = false", r)
		}
		if r == 0x1b || r == 0x9b || r == 0x9f { // escape introducers take the b along
			if got := Clean(in); got != "a" {
				t.Errorf("Clean(%q) = %q", in, got)
			}
			continue
		}
		if got := Clean(in); got != "ab" && got != "a b" {
			t.Errorf("Clean(%q) = %q", in, got)
		}
		if got := CleanMultiline(in); strings.ContainsRune(got, r) {
			t.Errorf("CleanMultiline(%q) = %q keeps %U", in, got, r)
		}
	}
	for _, r := range "aZ ✓Ü漢字😀\u00a0" {
		if IsHidden(r) {
			t.Errorf("IsHidden(%U) = true for a visible character", r)
		}
	}
}

func TestInertJSONEscapesHiddenCharacters(t *testing.T) {
	var s strings.Builder
	s.WriteString("name ")
	for _, r := range hiddenSamples {
		s.WriteRune(r)
	}
	s.WriteString(" end ✓ <&>")
	v := map[string]any{"displayName": s.String(), "n": 1}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, v); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	for i := 0; i < len(out); {
		r, size := utf8.DecodeRune(out[i:])
		if IsHidden(r) && r != '\n' {
			t.Errorf("raw %U at byte %d of %q", r, i, out)
		}
		i += size
	}
	// The JSON means the same.
	var back map[string]any
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if back["displayName"] != v["displayName"] {
		t.Errorf("round trip changed the string:\n%q\n%q", back["displayName"], v["displayName"])
	}
	if !bytes.Contains(out, []byte(`\u202e`)) || !bytes.Contains(out, []byte(`\u009b`)) || !bytes.Contains(out, []byte(`\udb40\udc41`)) {
		t.Errorf("escapes missing: %s", out)
	}
	if !bytes.Contains(out, []byte("✓")) {
		t.Errorf("visible non-ASCII was escaped: %s", out)
	}
}

func TestPreviewBodiesAreInert(t *testing.T) {
	name := "Evil\u202e\u009b2J\u2028Na\u200bme"
	d := mustDesired(t, Desired{AppID: "11111111-2222-4333-8444-555555555555"})
	app := &App{ObjectID: "99999999-2222-4333-8444-555555555555", AppID: d.AppID, DisplayName: name, SignInAudience: AudienceSingle}
	p, err := Diff(State{Tenant: tenant, App: app, ServicePrincipal: &ServicePrincipal{ID: "x"}}, d, Options{NewID: fixedID(sid)})
	if err != nil {
		t.Fatal(err)
	}
	text := PreviewAll(p.Changes)
	if HasHidden(strings.ReplaceAll(text, "\n", "")) {
		t.Errorf("the preview holds raw hidden characters:\n%q", text)
	}
	// The app's raw name never reaches the consent texts of a new scope.
	var scope *Scope
	for _, c := range p.Changes {
		if c.Patch.Scopes != nil {
			for i := range *c.Patch.Scopes {
				scope = &(*c.Patch.Scopes)[i]
			}
		}
	}
	if scope == nil {
		t.Fatal("no scope written")
	}
	for _, s := range []string{scope.AdminConsentDisplayName, scope.AdminConsentDescription, scope.UserConsentDisplayName, scope.UserConsentDescription} {
		if HasHidden(s) || !strings.Contains(s, "EvilName") { // the CSI \u009b2J goes whole
			t.Errorf("consent text %q: want the cleaned name", s)
		}
	}
}
