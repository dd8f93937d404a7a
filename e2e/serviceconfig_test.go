package e2e

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// service-config (issue 18): what the connector's service must accept, for
// a single-tenant app made by setup (v1 tokens) and a multitenant app that
// asks for v2 tokens, in JSON, env and aspnet formats and as text; setup
// --output json carries the same object as "service".

// serviceJSON is the documented schema (docs/service-config.md).
type serviceJSON struct {
	SchemaVersion      int      `json:"schemaVersion"`
	Cloud              string   `json:"cloud"`
	TenantID           string   `json:"tenantId"`
	ClientID           string   `json:"clientId"`
	DisplayName        string   `json:"displayName"`
	SignInAudience     string   `json:"signInAudience"`
	Multitenant        bool     `json:"multitenant"`
	AccessTokenVersion int      `json:"accessTokenVersion"`
	Audiences          []string `json:"audiences"`
	Issuers            []struct {
		TokenVersion int    `json:"tokenVersion"`
		Issuer       string `json:"issuer"`
		Template     string `json:"template"`
	} `json:"issuers"`
	Scopes []struct {
		Name    string `json:"name"`
		ID      string `json:"id"`
		Enabled bool   `json:"enabled"`
	} `json:"scopes"`
	AllowedClients []struct {
		AppID  string   `json:"appId"`
		Name   string   `json:"name"`
		Scopes []string `json:"scopes"`
	} `json:"allowedClients"`
	Authority   string `json:"authority"`
	MetadataURL string `json:"metadataUrl"`
	JWKSURI     string `json:"jwksUri"`
}

var serviceKeys = []string{"allowedClients", "accessTokenVersion", "audiences", "authority", "clientId", "cloud", "displayName",
	"issuers", "jwksUri", "metadataUrl", "multitenant", "schemaVersion", "scopes", "signInAudience", "tenantId"}

// decodeService decodes one JSON object holding exactly the documented keys.
func decodeService(t *testing.T, raw []byte) serviceJSON {
	t.Helper()
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, raw)
	}
	var got []string
	for k := range keys {
		got = append(got, k)
	}
	slices.Sort(got)
	want := slices.Clone(serviceKeys)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("keys %v, want %v", got, want)
	}
	var s serviceJSON
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBinaryServiceConfigSingleTenantV1(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{})
	tid := emu.TenantID()
	p := runBinary(t, env, emuArgs(emu, "setup", "--non-interactive", "--display-name", "Contoso Connector", "--output", "json")...)
	if p.code != 0 {
		t.Fatalf("setup: exit %d\n%s", p.code, p.stderr)
	}
	var setup struct {
		AppID   string `json:"appId"`
		Scope   struct{ ID string }
		Service json.RawMessage `json:"service"`
	}
	if err := json.Unmarshal([]byte(p.stdout), &setup); err != nil || setup.Service == nil {
		t.Fatalf("setup JSON has no service object: %v\n%s", err, p.stdout)
	}
	s := decodeService(t, setup.Service)
	appID := setup.AppID
	if s.SchemaVersion != 1 || s.Cloud != "public" || s.TenantID != tid || s.ClientID != appID || s.Multitenant || s.AccessTokenVersion != 1 ||
		s.SignInAudience != "AzureADMyOrg" || !slices.Equal(s.Audiences, []string{"api://" + appID, appID}) {
		t.Errorf("service: %+v", s)
	}
	if len(s.Issuers) != 2 || s.Issuers[0].Issuer != "https://sts.windows.net/"+tid+"/" || s.Issuers[0].TokenVersion != 1 ||
		s.Issuers[1].Issuer != "https://login.microsoftonline.com/"+tid+"/v2.0" || s.Issuers[0].Template != "" {
		t.Errorf("issuers: %+v", s.Issuers)
	}
	if len(s.Scopes) != 1 || s.Scopes[0].Name != "Data.Read" || s.Scopes[0].ID != setup.Scope.ID || !s.Scopes[0].Enabled {
		t.Errorf("scopes: %+v", s.Scopes)
	}
	// Client names are their service principals' in the tenant.
	if len(s.AllowedClients) != 2 || s.AllowedClients[0].AppID != steps.ClientExcel.AppID || !strings.Contains(s.AllowedClients[0].Name, "Power Query for Excel") ||
		s.AllowedClients[1].AppID != steps.ClientRefresh.AppID || !slices.Equal(s.AllowedClients[1].Scopes, []string{"Data.Read"}) {
		t.Errorf("clients: %+v", s.AllowedClients)
	}
	if s.JWKSURI != "https://login.microsoftonline.com/"+tid+"/discovery/v2.0/keys" || s.Authority != "https://login.microsoftonline.com/"+tid ||
		s.MetadataURL != "https://login.microsoftonline.com/"+tid+"/v2.0/.well-known/openid-configuration" {
		t.Errorf("keys: %+v", s)
	}

	// service-config prints the same object, by app id and by name.
	writes := graphWrites(emu)
	for _, sel := range [][]string{{"--app-id", appID}, {"--display-name", "Contoso Connector"}} {
		p = runBinary(t, env, emuArgs(emu, append([]string{"service-config", "--output", "json"}, sel...)...)...)
		if p.code != 0 {
			t.Fatalf("service-config %v: exit %d\n%s", sel, p.code, p.stderr)
		}
		var a, b any
		_ = json.Unmarshal(setup.Service, &a)
		_ = json.Unmarshal([]byte(p.stdout), &b)
		if ja, _ := json.Marshal(a); string(ja) != mustJSON(t, b) {
			t.Errorf("service-config %v differs from setup's service:\n%s\n%s", sel, ja, p.stdout)
		}
	}

	p = runBinary(t, env, emuArgs(emu, "service-config", "--app-id", appID, "--format", "env")...)
	wantEnv := "ENTRA_TENANT_ID=" + tid + "\n" +
		"ENTRA_CLIENT_ID=" + appID + "\n" +
		"ENTRA_AUDIENCES=api://" + appID + "," + appID + "\n" +
		"ENTRA_ISSUERS=https://sts.windows.net/" + tid + "/,https://login.microsoftonline.com/" + tid + "/v2.0\n" +
		"ENTRA_MULTITENANT=false\n" +
		"ENTRA_ACCESS_TOKEN_VERSION=1\n" +
		"ENTRA_SCOPES=Data.Read\n" +
		"ENTRA_ALLOWED_CLIENTS=" + steps.ClientExcel.AppID + "," + steps.ClientRefresh.AppID + "\n" +
		"ENTRA_AUTHORITY=https://login.microsoftonline.com/" + tid + "\n" +
		"ENTRA_METADATA_URL=https://login.microsoftonline.com/" + tid + "/v2.0/.well-known/openid-configuration\n" +
		"ENTRA_JWKS_URI=https://login.microsoftonline.com/" + tid + "/discovery/v2.0/keys\n"
	if p.code != 0 || p.stdout != wantEnv {
		t.Errorf("env: exit %d\n%s\nwant\n%s\n%s", p.code, p.stdout, wantEnv, p.stderr)
	}

	p = runBinary(t, env, emuArgs(emu, "service-config", "--app-id", appID, "--format", "aspnet")...)
	var asp struct {
		AzureAd struct {
			Instance, TenantId, ClientId, Scopes string
			Audiences                            []string
		}
	}
	if err := json.Unmarshal([]byte(p.stdout), &asp); p.code != 0 || err != nil {
		t.Fatalf("aspnet: exit %d %v\n%s", p.code, err, p.stdout)
	}
	if a := asp.AzureAd; a.Instance != "https://login.microsoftonline.com/" || a.TenantId != tid || a.ClientId != appID ||
		!slices.Equal(a.Audiences, []string{"api://" + appID, appID}) || a.Scopes != "Data.Read" {
		t.Errorf("aspnet: %+v", a)
	}

	p = runBinary(t, env, emuArgs(emu, "service-config", "--app-id", appID)...)
	for _, want := range []string{
		"api://" + appID + "  v1 tokens carry this Application ID URI",
		"https://sts.windows.net/" + tid + "/ ",
		"Token version: 1",
		"Data.Read  (id " + setup.Scope.ID + ", enabled)",
		steps.ClientRefresh.AppID + "  Power BI Data Refresh",
	} {
		if !strings.Contains(p.stdout, want) {
			t.Errorf("text lacks %q:\n%s", want, p.stdout)
		}
	}
	if n := graphWrites(emu); n != writes {
		t.Errorf("service-config wrote to the directory: %d writes", n-writes)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBinaryServiceConfigMultitenantV2(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{})
	tid := emu.TenantID()
	appID := seedMultitenantV2(t, emu)
	p := runBinary(t, env, emuArgs(emu, "service-config", "--display-name", "Fabrikam Multi", "--format", "json")...)
	if p.code != 0 {
		t.Fatalf("exit %d\n%s", p.code, p.stderr)
	}
	s := decodeService(t, []byte(p.stdout))
	if !s.Multitenant || s.AccessTokenVersion != 2 || s.SignInAudience != "AzureADMultipleOrgs" {
		t.Errorf("service: %+v", s)
	}
	if len(s.Issuers) != 2 || s.Issuers[0].Template != "https://sts.windows.net/{tenantid}/" ||
		s.Issuers[1].Template != "https://login.microsoftonline.com/{tenantid}/v2.0" || s.Issuers[1].Issuer != "https://login.microsoftonline.com/"+tid+"/v2.0" {
		t.Errorf("issuers: %+v", s.Issuers)
	}
	if s.Authority != "https://login.microsoftonline.com/organizations" || s.JWKSURI != "https://login.microsoftonline.com/organizations/discovery/v2.0/keys" {
		t.Errorf("authority %s keys %s", s.Authority, s.JWKSURI)
	}

	p = runBinary(t, env, emuArgs(emu, "service-config", "--app-id", appID, "--format", "env")...)
	for _, want := range []string{"ENTRA_MULTITENANT=true\n", "ENTRA_ACCESS_TOKEN_VERSION=2\n",
		"ENTRA_ISSUER_TEMPLATES=https://sts.windows.net/{tenantid}/,https://login.microsoftonline.com/{tenantid}/v2.0\n",
		"ENTRA_ALLOWED_CLIENTS=" + steps.ClientExcel.AppID + "\n", "ENTRA_AUTHORITY=https://login.microsoftonline.com/organizations\n"} {
		if !strings.Contains(p.stdout, want) {
			t.Errorf("env lacks %q:\n%s", want, p.stdout)
		}
	}
	p = runBinary(t, env, emuArgs(emu, "service-config", "--app-id", appID, "--format", "aspnet")...)
	if !strings.Contains(p.stdout, `"TenantId": "organizations"`) || !strings.Contains(p.stdout, `"Audiences": [`) {
		t.Errorf("aspnet:\n%s", p.stdout)
	}
	p = runBinary(t, env, emuArgs(emu, "service-config", "--app-id", appID)...)
	for _, want := range []string{"users of any organization (multitenant)", "{tenantid} is the token's tid", "Token version: 2"} {
		if !strings.Contains(p.stdout, want) {
			t.Errorf("text lacks %q:\n%s", want, p.stdout)
		}
	}
}

// Bad usage exits 2 before anything is sent; an unknown app exits 1; with
// JSON output both still print one object.
func TestBinaryServiceConfigErrors(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{})
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"service-config"}, 2, "say which app"},
		{[]string{"service-config", "--app-id", "nope", "--output", "json"}, 2, "--app-id"},
		{[]string{"service-config", "--app-id", "00001111-aaaa-2222-bbbb-3333cccc4444", "--output", "json", "--format", "env"}, 2, "disagree"},
		{[]string{"service-config", "--app-id", "00001111-aaaa-2222-bbbb-3333cccc4444", "--output", "json"}, 1, "no application with appId"},
	} {
		p := runBinary(t, env, emuArgs(emu, c.args...)...)
		if p.code != c.code || !strings.Contains(p.stderr, c.want) {
			t.Errorf("%v: exit %d\n%s", c.args, p.code, p.stderr)
		}
		if slices.Contains(c.args, "json") {
			var v map[string]string
			if err := json.Unmarshal([]byte(p.stdout), &v); err != nil || !strings.Contains(v["error"], c.want) {
				t.Errorf("%v: stdout is not one {\"error\"} object: %q", c.args, p.stdout)
			}
		}
	}
}

// seedMultitenantV2 stores "Fabrikam Multi": a multitenant app that asks
// for v2 tokens, its scope Data.Read preauthorized for Power Query for
// Excel. It returns the app id.
func seedMultitenantV2(t *testing.T, emu *emulator.Server) string {
	t.Helper()
	const appID = "3c5e7a9b-1d2f-4a6b-8c0d-2e4f6a8b0c1d"
	const scopeID = "7d9f1b3c-5e7a-4c2b-9d0e-4f6a8b0c2d3e"
	_, _, err := emu.SeedApplication(map[string]any{"appId": appID, "displayName": "Fabrikam Multi", "signInAudience": "AzureADMultipleOrgs",
		"identifierUris": []any{"api://" + appID},
		"api": map[string]any{"requestedAccessTokenVersion": 2,
			"oauth2PermissionScopes": []any{map[string]any{"id": scopeID, "value": "Data.Read", "type": "User", "isEnabled": true,
				"adminConsentDisplayName": "Read", "adminConsentDescription": "Read"}}}})
	if err != nil {
		t.Fatal(err)
	}
	// The preauthorization goes in a second write, as Graph wants: it may
	// only name a scope already stored.
	graph := graphAs(t, emu)
	id, _ := appAPI(t, graph, appID)
	graph("PATCH", "/applications/"+id, map[string]any{"api": map[string]any{"preAuthorizedApplications": []any{
		map[string]any{"appId": steps.ClientExcel.AppID, "delegatedPermissionIds": []any{scopeID}}}}})
	return appID
}
