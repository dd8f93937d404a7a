package export

import (
	"encoding/base64"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/steps"
)

// checkTerraform parses the HCL and checks every resource, attribute and
// import id against in, field by field.
func checkTerraform(t *testing.T, in Input, src string) {
	t.Helper()
	blocks := parseHCL(t, src)
	res, imports := resources(blocks)
	a := in.App
	const app = "azuread_application_registration.app"

	var prov tfBlock
	for _, b := range blocks {
		if b.typ == "provider" && b.labels[0] == "azuread" {
			prov = b
		}
	}
	if prov.attrs["tenant_id"] != in.Tenant.ID || prov.attrs["environment"] != terraformEnvironment(in.Cloud) {
		t.Errorf("provider block: %v", prov.attrs)
	}

	reg, ok := res[app]
	if !ok {
		t.Fatalf("no %s in\n%s", app, src)
	}
	if reg.attrs["display_name"] != a.DisplayName || reg.attrs["sign_in_audience"] != a.SignInAudience {
		t.Errorf("registration: %q %q, want %q %q", reg.attrs["display_name"], reg.attrs["sign_in_audience"], a.DisplayName, a.SignInAudience)
	}
	if v := a.RequestedAccessTokenVersion; v != nil && reg.attrs["requested_access_token_version"] != "2" {
		t.Errorf("requested_access_token_version = %v", reg.attrs["requested_access_token_version"])
	}
	if imports[app] != "/applications/"+a.ObjectID {
		t.Errorf("import id of the app: %q", imports[app])
	}

	// One identifier URI resource per URI, with the provider's import id.
	var uris []string
	for key, r := range res {
		if !strings.HasPrefix(key, "azuread_application_identifier_uri.") {
			continue
		}
		u := r.attrs["identifier_uri"].(string)
		uris = append(uris, u)
		if r.attrs["application_id"] != "ref:"+app+".id" {
			t.Errorf("%s.application_id = %v", key, r.attrs["application_id"])
		}
		seg := strings.TrimPrefix(imports[key], "/applications/"+a.ObjectID+"/identifierUris/")
		unescaped, err := url.PathUnescape(seg)
		if err != nil {
			t.Fatal(err)
		}
		dec, err := base64.StdEncoding.DecodeString(unescaped)
		if err != nil || string(dec) != u {
			t.Errorf("import id of %s: %q decodes to %q", key, imports[key], dec)
		}
	}
	if !sameSet(uris, a.IdentifierURIs) {
		t.Errorf("identifier URIs %q, want %q", uris, a.IdentifierURIs)
	}

	// Scopes: every enabled one, with its id kept.
	scopeByRef := map[string]string{}
	var got []steps.Scope
	for key, r := range res {
		if !strings.HasPrefix(key, "azuread_application_permission_scope.") {
			continue
		}
		s := steps.Scope{ID: r.attrs["scope_id"].(string), Value: r.attrs["value"].(string), Type: r.attrs["type"].(string), IsEnabled: true,
			AdminConsentDisplayName: r.attrs["admin_consent_display_name"].(string), AdminConsentDescription: r.attrs["admin_consent_description"].(string)}
		s.UserConsentDisplayName, _ = r.attrs["user_consent_display_name"].(string)
		s.UserConsentDescription, _ = r.attrs["user_consent_description"].(string)
		got = append(got, s)
		scopeByRef["ref:"+key+".scope_id"] = s.ID
		if imports[key] != "/applications/"+a.ObjectID+"/permissionScopes/"+s.ID {
			t.Errorf("import id of %s: %q", key, imports[key])
		}
	}
	want, _ := enabledScopes(a)
	for _, w := range want {
		found := false
		for _, g := range got {
			if reflect.DeepEqual(g, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("scope %+v not exported exactly; have %+v", w, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d scopes exported, want %d", len(got), len(want))
	}

	// Preauthorizations, permission ids resolved through the references.
	n := 0
	for key, r := range res {
		if !strings.HasPrefix(key, "azuread_application_pre_authorized.") {
			continue
		}
		n++
		client := r.attrs["authorized_client_id"].(string)
		var ids []string
		for _, id := range r.attrs["permission_ids"].([]string) {
			if v, ok := scopeByRef[id]; ok {
				id = v
			}
			ids = append(ids, id)
		}
		p := (&steps.App{PreAuthorized: a.PreAuthorized}).PreAuthorizedFor(client)
		if p == nil || !sameSet(ids, p.DelegatedPermissionIDs) {
			t.Errorf("%s: client %s ids %v, directory has %+v", key, client, ids, p)
		}
		if imports[key] != a.ObjectID+"/preAuthorizedApplication/"+client {
			t.Errorf("import id of %s: %q", key, imports[key])
		}
	}
	if n != len(a.PreAuthorized) {
		t.Errorf("%d preauthorizations exported, want %d", n, len(a.PreAuthorized))
	}

	sp, ok := res["azuread_service_principal.app"]
	if !ok || sp.attrs["client_id"] != "ref:"+app+".client_id" {
		t.Errorf("service principal: %v", sp.attrs)
	}
	if in.ServicePrincipal != nil && imports["azuread_service_principal.app"] != "/servicePrincipals/"+in.ServicePrincipal.ID {
		t.Errorf("import id of the SP: %q", imports["azuread_service_principal.app"])
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, x := range a {
		seen[strings.ToLower(x)]++
	}
	for _, x := range b {
		seen[strings.ToLower(x)]--
	}
	for _, v := range seen {
		if v != 0 {
			return false
		}
	}
	return true
}

func TestTerraformMatchesDirectory(t *testing.T) {
	in := sample()
	src, err := Terraform(in)
	if err != nil {
		t.Fatal(err)
	}
	checkTerraform(t, in, src)
	for _, want := range []string{
		"# Generated by pqentra 1.2.3 on 2026-11-29",
		"# Tenant: Contoso (demo) (" + tenantID + ")",
		`# App:    Contoso Connector (appId ` + appID,
		"# The scope Old.Read (" + offID + ") is disabled in Entra",
		`required_version = ">= 1.5"`,
		`version = ">= 3.0"`,
	} {
		if !strings.Contains(src, want) {
			t.Errorf("missing %q in\n%s", want, src)
		}
	}
}

func TestTerraformNullTokenVersionIsIgnoredNotChanged(t *testing.T) {
	in := sample()
	in.App.RequestedAccessTokenVersion = nil
	in.ServicePrincipal = nil
	in.Cloud = "usgov"
	src, _ := Terraform(in)
	checkTerraform(t, in, src)
	if strings.Contains(src, "requested_access_token_version =") || !strings.Contains(src, "ignore_changes = [requested_access_token_version,") {
		t.Errorf("null requestedAccessTokenVersion must be left alone:\n%s", src)
	}
	if strings.Contains(src, "/servicePrincipals/") {
		t.Error("an import block for a service principal that does not exist")
	}
}

func TestTerraformHostileValuesStayStrings(t *testing.T) {
	for _, h := range hostile {
		in := hostileSample(h)
		src, err := Terraform(in)
		if err != nil {
			t.Fatal(err)
		}
		// parseHCL evaluates every attribute with no functions and no
		// variables: an interpolation or directive would fail there, and
		// checkTerraform compares each value to the directory's.
		checkTerraform(t, in, src)
		for _, line := range strings.Split(src, "\n") {
			if strings.HasPrefix(line, "#") && strings.ContainsAny(line, "\r") {
				t.Errorf("a comment line carries a line break: %q", line)
			}
		}
	}
}

func TestHCLString(t *testing.T) {
	for in, want := range map[string]string{
		`a"b`:      `"a\"b"`,
		`${x}`:     `"$${x}"`,
		`%{x}`:     `"%%{x}"`,
		`$x %x`:    `"$x %x"`,
		"a\nb\x01": `"a\nb\u0001"`,
		`c:\dir`:   `"c:\\dir"`,
	} {
		if got := hclString(in); got != want {
			t.Errorf("hclString(%q) = %s, want %s", in, got, want)
		}
	}
}
