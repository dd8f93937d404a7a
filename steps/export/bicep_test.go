package export

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// The Graph Bicep resource shapes (v1.0 types) for the properties pqentra
// writes: a property outside them would fail `bicep build`.
var bicepShapes = map[string]map[string]bool{
	"Microsoft.Graph/applications@v1.0":      {"uniqueName": true, "displayName": true, "signInAudience": true, "identifierUris": true, "api": true},
	"Microsoft.Graph/servicePrincipals@v1.0": {"appId": true},
}
var apiShape = map[string]bool{"requestedAccessTokenVersion": true, "oauth2PermissionScopes": true, "preAuthorizedApplications": true}
var scopeShape = map[string]bool{"id": true, "value": true, "type": true, "isEnabled": true, "adminConsentDisplayName": true,
	"adminConsentDescription": true, "userConsentDisplayName": true, "userConsentDescription": true}
var preShape = map[string]bool{"appId": true, "delegatedPermissionIds": true}

// bicepFile is a parsed template: extension, resources (symbol -> type and
// body), outputs.
type bicepFile struct {
	extensions []string
	resources  map[string]bicepResource
	outputs    map[string]any
}

type bicepResource struct {
	typ  string
	body map[string]any
}

// bicepRef is a reference to another resource's property (app.appId).
type bicepRef string

// parseBicep is a small parser for the subset of Bicep pqentra writes:
// extension, resource and output statements, objects, arrays, strings with
// Bicep's escapes (an unescaped ${ is an error: it would interpolate),
// numbers, booleans and references. Anything else fails the test.
func parseBicep(src string) (*bicepFile, error) {
	p := &bicepParser{s: []rune(src)}
	f := &bicepFile{resources: map[string]bicepResource{}, outputs: map[string]any{}}
	for {
		p.skipSpace(true)
		if p.eof() {
			return f, nil
		}
		switch kw := p.ident(); kw {
		case "extension":
			p.skipSpace(false)
			s, err := p.str()
			if err != nil {
				return nil, err
			}
			f.extensions = append(f.extensions, s)
		case "resource":
			p.skipSpace(false)
			sym := p.ident()
			p.skipSpace(false)
			typ, err := p.str()
			if err != nil {
				return nil, err
			}
			if err := p.expect("="); err != nil {
				return nil, err
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			body, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("resource %s: body is not an object", sym)
			}
			f.resources[sym] = bicepResource{typ, body}
		case "output":
			p.skipSpace(false)
			name := p.ident()
			p.skipSpace(false)
			p.ident() // type
			if err := p.expect("="); err != nil {
				return nil, err
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			f.outputs[name] = v
		default:
			return nil, fmt.Errorf("unexpected %q at %d", kw, p.i)
		}
	}
}

type bicepParser struct {
	s []rune
	i int
}

func (p *bicepParser) eof() bool { return p.i >= len(p.s) }

// skipSpace skips blanks and comments, and newlines when nl.
func (p *bicepParser) skipSpace(nl bool) {
	for !p.eof() {
		c := p.s[p.i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || (nl && c == '\n'):
			p.i++
		case c == '/' && p.i+1 < len(p.s) && p.s[p.i+1] == '/':
			for !p.eof() && p.s[p.i] != '\n' {
				p.i++
			}
		default:
			return
		}
	}
}

func (p *bicepParser) ident() string {
	start := p.i
	for !p.eof() && (unicode.IsLetter(p.s[p.i]) || unicode.IsDigit(p.s[p.i]) || p.s[p.i] == '_') {
		p.i++
	}
	return string(p.s[start:p.i])
}

func (p *bicepParser) expect(tok string) error {
	p.skipSpace(false)
	if !strings.HasPrefix(string(p.s[p.i:min(p.i+len(tok), len(p.s))]), tok) {
		return fmt.Errorf("want %q at %d", tok, p.i)
	}
	p.i += len(tok)
	return nil
}

func (p *bicepParser) str() (string, error) {
	if p.eof() || p.s[p.i] != '\'' {
		return "", fmt.Errorf("want a string at %d", p.i)
	}
	p.i++
	var b strings.Builder
	for {
		if p.eof() {
			return "", errors.New("unterminated string")
		}
		c := p.s[p.i]
		p.i++
		switch c {
		case '\'':
			return b.String(), nil
		case '\n':
			return "", errors.New("line break inside a single-line string")
		case '$':
			if !p.eof() && p.s[p.i] == '{' {
				return "", fmt.Errorf("an interpolation ${ inside a string at %d", p.i)
			}
			b.WriteRune(c)
		case '\\':
			if p.eof() {
				return "", errors.New("dangling escape")
			}
			e := p.s[p.i]
			p.i++
			switch e {
			case '\\', '\'', '$':
				b.WriteRune(e)
			case 'n':
				b.WriteRune('\n')
			case 'r':
				b.WriteRune('\r')
			case 't':
				b.WriteRune('\t')
			case 'u':
				end := strings.IndexRune(string(p.s[p.i:]), '}')
				if p.s[p.i] != '{' || end < 0 {
					return "", errors.New("bad \\u escape")
				}
				n, err := strconv.ParseUint(string(p.s[p.i+1:p.i+end]), 16, 32)
				if err != nil {
					return "", err
				}
				b.WriteRune(rune(n))
				p.i += end + 1
			default:
				return "", fmt.Errorf("unknown escape \\%c", e)
			}
		default:
			b.WriteRune(c)
		}
	}
}

func (p *bicepParser) value() (any, error) {
	p.skipSpace(false)
	if p.eof() {
		return nil, errors.New("want a value")
	}
	switch c := p.s[p.i]; {
	case c == '\'':
		return p.str()
	case c == '{':
		p.i++
		obj := map[string]any{}
		for {
			p.skipSpace(true)
			if !p.eof() && p.s[p.i] == '}' {
				p.i++
				return obj, nil
			}
			k := p.ident()
			if k == "" {
				return nil, fmt.Errorf("want a property name at %d", p.i)
			}
			if _, dup := obj[k]; dup {
				return nil, fmt.Errorf("property %s twice", k)
			}
			if err := p.expect(":"); err != nil {
				return nil, err
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			obj[k] = v
			p.skipSpace(false)
			if !p.eof() && p.s[p.i] != '\n' && p.s[p.i] != '}' {
				return nil, fmt.Errorf("want a line break after %s at %d", k, p.i)
			}
		}
	case c == '[':
		p.i++
		list := []any{}
		for {
			p.skipSpace(true)
			if !p.eof() && p.s[p.i] == ']' {
				p.i++
				return list, nil
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
	case unicode.IsDigit(c):
		start := p.i
		for !p.eof() && unicode.IsDigit(p.s[p.i]) {
			p.i++
		}
		return strconv.Atoi(string(p.s[start:p.i]))
	default:
		id := p.ident()
		switch id {
		case "true", "false":
			return id == "true", nil
		case "":
			return nil, fmt.Errorf("unexpected %q at %d", c, p.i)
		}
		for !p.eof() && p.s[p.i] == '.' {
			p.i++
			id += "." + p.ident()
		}
		return bicepRef(id), nil
	}
}

// checkBicep parses the template and checks it against the Graph Bicep
// shapes and, value by value, against in.
func checkBicep(t *testing.T, in Input, src string) {
	t.Helper()
	f, err := parseBicep(src)
	if err != nil {
		t.Fatalf("Bicep does not parse: %v\n%s", err, src)
	}
	if !reflect.DeepEqual(f.extensions, []string{BicepExtension}) {
		t.Errorf("extensions: %v", f.extensions)
	}
	if len(f.resources) != 2 {
		t.Fatalf("resources: %v", f.resources)
	}
	for sym, r := range f.resources {
		shape, ok := bicepShapes[r.typ]
		if !ok {
			t.Errorf("%s: unknown type %s", sym, r.typ)
		}
		for k := range r.body {
			if !shape[k] {
				t.Errorf("%s: property %s is not one pqentra may write on %s", sym, k, r.typ)
			}
		}
	}
	app := f.resources["app"]
	a := in.App
	if app.typ != "Microsoft.Graph/applications@v1.0" || app.body["uniqueName"] != a.UniqueName ||
		app.body["displayName"] != a.DisplayName || app.body["signInAudience"] != a.SignInAudience {
		t.Errorf("app: %v", app.body)
	}
	var uris []string
	for _, u := range app.body["identifierUris"].([]any) {
		uris = append(uris, u.(string))
	}
	if !reflect.DeepEqual(uris, a.IdentifierURIs) {
		t.Errorf("identifierUris %q, want %q", uris, a.IdentifierURIs)
	}
	api := app.body["api"].(map[string]any)
	for k := range api {
		if !apiShape[k] {
			t.Errorf("api.%s is not an apiApplication property", k)
		}
	}
	if v := a.RequestedAccessTokenVersion; v != nil && api["requestedAccessTokenVersion"] != int(*v) {
		t.Errorf("requestedAccessTokenVersion = %v", api["requestedAccessTokenVersion"])
	}
	scopes := api["oauth2PermissionScopes"].([]any)
	if len(scopes) != len(a.Scopes) {
		t.Fatalf("%d scopes, want %d (disabled ones too: Bicep can say isEnabled: false)", len(scopes), len(a.Scopes))
	}
	for i, s := range scopes {
		m := s.(map[string]any)
		for k := range m {
			if !scopeShape[k] {
				t.Errorf("scope property %s", k)
			}
		}
		w := a.Scopes[i]
		str := func(k string) string { v, _ := m[k].(string); return v }
		if str("id") != w.ID || str("value") != w.Value || str("type") != w.Type || m["isEnabled"] != w.IsEnabled ||
			str("adminConsentDisplayName") != w.AdminConsentDisplayName || str("adminConsentDescription") != w.AdminConsentDescription ||
			str("userConsentDisplayName") != w.UserConsentDisplayName || str("userConsentDescription") != w.UserConsentDescription {
			t.Errorf("scope %d: %v, want %+v", i, m, w)
		}
	}
	pre := api["preAuthorizedApplications"].([]any)
	if len(pre) != len(a.PreAuthorized) {
		t.Fatalf("%d preauthorizations, want %d", len(pre), len(a.PreAuthorized))
	}
	for i, x := range pre {
		m := x.(map[string]any)
		for k := range m {
			if !preShape[k] {
				t.Errorf("preAuthorizedApplication property %s", k)
			}
		}
		var ids []string
		for _, id := range m["delegatedPermissionIds"].([]any) {
			ids = append(ids, id.(string))
		}
		if m["appId"] != a.PreAuthorized[i].AppID || !reflect.DeepEqual(ids, a.PreAuthorized[i].DelegatedPermissionIDs) {
			t.Errorf("preauthorization %d: %v, want %+v", i, m, a.PreAuthorized[i])
		}
	}
	sp := f.resources["servicePrincipal"]
	if sp.typ != "Microsoft.Graph/servicePrincipals@v1.0" || sp.body["appId"] != bicepRef("app.appId") {
		t.Errorf("service principal: %+v", sp)
	}
}

func TestBicepGolden(t *testing.T) {
	src, err := Bicep(sample())
	if err != nil {
		t.Fatal(err)
	}
	checkBicep(t, sample(), src)
	golden := filepath.Join("testdata", "sample.bicep")
	if *update {
		if err := os.WriteFile(golden, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if src != string(want) {
		t.Errorf("Bicep differs from %s (go test ./steps/export -update rewrites it):\n%s", golden, src)
	}
}

func TestBicepHostileValuesStayStrings(t *testing.T) {
	for _, h := range hostile {
		in := hostileSample(h)
		src, err := Bicep(in)
		if err != nil {
			t.Fatal(err)
		}
		checkBicep(t, in, src)
	}
}

func TestBicepNeedsUniqueName(t *testing.T) {
	in := sample()
	in.App.UniqueName = ""
	if _, err := Bicep(in); !errors.Is(err, ErrNoUniqueName) {
		t.Fatalf("err = %v", err)
	}
	in.App.DisplayName = "Contoso Legacy API (v2)"
	if got := SuggestUniqueName(in.App); got != "contoso-legacy-api-v2-2dbceeb9" {
		t.Errorf("SuggestUniqueName = %q", got)
	}
}
