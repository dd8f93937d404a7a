package steps

import (
	"regexp"
	"strings"
	"testing"
)

var flagRE = regexp.MustCompile(`(^|[\s(` + "`" + `])--[a-z]`)

// F6: text that hides or disguises itself, invalid UTF-8 and characters a
// URI cannot hold are refused before anything is sent, and the error is an
// *InputError naming the field (cmd adds the flag name, the wizard shows it
// by the field).
func TestValidationRefusesHiddenText(t *testing.T) {
	cases := []struct {
		name  string
		field Field
		err   error
		want  string // in the message
	}{
		{"name RLO", FieldDisplayName, ValidateDisplayName("Contoso\u202eAPI"), "U+202E"},
		{"name LRE", FieldDisplayName, ValidateDisplayName("a\u202ab"), "U+202A"},
		{"name isolate", FieldDisplayName, ValidateDisplayName("a\u2066b"), "U+2066"},
		{"name PDI", FieldDisplayName, ValidateDisplayName("a\u2069b"), "U+2069"},
		{"name ZWSP", FieldDisplayName, ValidateDisplayName("Con\u200btoso"), "U+200B"},
		{"name BOM", FieldDisplayName, ValidateDisplayName("\ufeffContoso"), "U+FEFF"},
		{"name ALM", FieldDisplayName, ValidateDisplayName("a\u061cb"), "U+061C"},
		{"name line sep", FieldDisplayName, ValidateDisplayName("a\u2028b"), "U+2028"},
		{"name C1", FieldDisplayName, ValidateDisplayName("a\u009bb"), "U+009B"},
		{"name ESC", FieldDisplayName, ValidateDisplayName("a\x1b[31mb"), "U+001B"},
		{"name newline", FieldDisplayName, ValidateDisplayName("a\nb"), "line break"},
		{"name bad utf8", FieldDisplayName, ValidateDisplayName("Bad\xff\xfeName"), "not valid UTF-8"},
		{"uri RLO", FieldIdentifierURI, ValidateIdentifierURISyntax("https://contoso.example/a\u202eb"), "U+202E"},
		{"uri ZWSP", FieldIdentifierURI, ValidateIdentifierURISyntax("api://con\u200btoso"), "U+200B"},
		{"uri bad utf8", FieldIdentifierURI, ValidateIdentifierURISyntax("api://x\xffy"), "not valid UTF-8"},
		{"uri quote", FieldIdentifierURI, ValidateIdentifierURISyntax(`api://x"y`), `'"'`},
		{"uri angle", FieldIdentifierURI, ValidateIdentifierURISyntax(`https://contoso.com/<b>`), `'<'`},
		{"uri backslash", FieldIdentifierURI, ValidateIdentifierURISyntax(`api://x\y`), `'\\'`},
		{"uri non-ascii", FieldIdentifierURI, ValidateIdentifierURISyntax("https://contoso.com/données"), "percent-encode"},
		{"uri bad percent", FieldIdentifierURI, ValidateIdentifierURISyntax("https://contoso.com/a%zz"), "%XX"},
		{"scope RLO", FieldScope, ValidateScopeValue("Data\u202e.Read"), "U+202E"},
		{"scope empty", FieldScope, ValidateScopeValue(""), "empty"},
		{"tenant ZWSP", FieldTenant, ValidateTenant("contoso\u200b.com"), "U+200B"},
		{"tenant junk", FieldTenant, ValidateTenant("not a tenant"), "neither a tenant GUID nor a domain"},
		{"client", FieldClientAppID, ValidateGUID(FieldClientAppID, "nope"), "is not a GUID"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ie, ok := AsInputError(c.err)
			if !ok {
				t.Fatalf("not refused as input: %v", c.err)
			}
			if ie.Field != c.field {
				t.Errorf("field %q, want %q", ie.Field, c.field)
			}
			msg := ie.Error()
			if !strings.Contains(msg, c.want) {
				t.Errorf("message %q lacks %q", msg, c.want)
			}
			if flagRE.MatchString(msg) {
				t.Errorf("steps names a flag: %q", msg)
			}
			if strings.IndexFunc(msg, IsHidden) >= 0 {
				t.Errorf("the message echoes a hidden character: %q", msg)
			}
		})
	}
}

func TestValidationAccepts(t *testing.T) {
	for _, err := range []error{
		ValidateDisplayName("🚀 Données 東京 Connector"),
		ValidateDisplayName("مرحبا Connector"),
		ValidateIdentifierURISyntax("api://{appId}"),
		ValidateIdentifierURISyntax("https://api.contoso.com/connector"),
		ValidateIdentifierURISyntax("api://6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13/legacy"),
		ValidateIdentifierURISyntax("https://contoso.com/a%20b"),
		ValidateTenant(""), ValidateTenant("organizations"), ValidateTenant("contoso.onmicrosoft.com"),
		ValidateTenant("xn--mnchen-3ya.de"), ValidateTenant(tTenant),
		ValidateResource("api://" + tAppID), ValidateResource("https://api.contoso.com/x"), ValidateResource(tAppID),
	} {
		if err != nil {
			t.Error(err)
		}
	}
}

// snippet --resource: an api:// URI, an https:// URI or a GUID.
func TestValidateResource(t *testing.T) {
	for _, bad := range []string{"foo", "", "http://contoso.com", "api://", "urn:x:y", "api://x\u202ey", `api://x"y`, "api://a b"} {
		err := ValidateResource(bad)
		ie, ok := AsInputError(err)
		if !ok || ie.Field != FieldResource {
			t.Errorf("%q: %v", bad, err)
			continue
		}
		if !strings.Contains(err.Error(), "api://"+ExampleGUID) && !strings.Contains(err.Error(), "U+202E") {
			t.Errorf("%q: no example in %q", bad, err)
		}
	}
}

// Normalize is Defaults then Validate; Validate changes nothing.
func TestDefaultsThenValidate(t *testing.T) {
	d := Desired{DisplayName: " Contoso ", SignInAudience: "multi", Scope: ScopeSpec{Type: "admins"}}
	d.Defaults()
	if d.DisplayName != "Contoso" || d.SignInAudience != AudienceMulti || d.Scope.Value != DefaultScopeValue ||
		d.Scope.Type != ConsentAdmins || d.IdentifierURI != DefaultIdentifierURI || len(d.Clients) != 2 {
		t.Fatalf("%+v", d)
	}
	before := d
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	if d.DisplayName != before.DisplayName || d.Scope != before.Scope {
		t.Error("Validate changed the desired state")
	}
	bad := Desired{DisplayName: "x", SignInAudience: "galactic"}
	bad.Defaults()
	if ie, ok := AsInputError(bad.Validate()); !ok || ie.Field != FieldAudience {
		t.Errorf("unknown audience: %v", ie)
	}
	bad = Desired{AppID: "nope"}
	bad.Defaults()
	if ie, ok := AsInputError(bad.Validate()); !ok || ie.Field != FieldAppID {
		t.Errorf("bad app id: %v", ie)
	}
}

// Clean and validation share one class: what validation refuses, Clean
// removes.
func TestHiddenClassIsClean(t *testing.T) {
	for _, r := range []rune{0x1b, 0x7f, 0x9b, 0xad, 0x061c, 0x200b, 0x200e, 0x2028, 0x2029, 0x202a, 0x202e, 0x2066, 0x2069, 0xfeff} {
		if !IsHidden(r) {
			t.Errorf("U+%04X is not hidden", r)
		}
	}
	for _, r := range []rune{'a', ' ', 'é', '東', '🚀', 0x0301} {
		if IsHidden(r) {
			t.Errorf("U+%04X is hidden", r)
		}
	}
}

// An app id that names no app is the user's input too: the error says so
// without a flag name, so the wizard can show it as it is.
func TestDiffUnknownAppIsInputError(t *testing.T) {
	d := Desired{AppID: tAppID}
	d.Defaults()
	_, err := Diff(State{}, d, Options{})
	ie, ok := AsInputError(err)
	if !ok || ie.Field != FieldAppID || flagRE.MatchString(err.Error()) {
		t.Fatalf("%v", err)
	}
}

const (
	tAppID  = "11111111-2222-4333-8444-555555555555"
	tTenant = "6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13"
)
