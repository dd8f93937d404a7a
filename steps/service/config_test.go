package service

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/steps"
)

const (
	tid   = "6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13"
	appID = "00001111-aaaa-2222-bbbb-3333cccc4444"
	scope = "9a6c1c2e-1111-4c3b-8d1e-000000000001"
)

var public = Cloud{Name: "public", LoginHost: "https://login.microsoftonline.com", V1Issuer: "https://sts.windows.net", V2Issuer: "https://login.microsoftonline.com"}

func app(audience string, version *int32) steps.App {
	return steps.App{AppID: appID, DisplayName: "Contoso Connector", SignInAudience: audience,
		IdentifierURIs: []string{"api://" + appID},
		Scopes: []steps.Scope{{ID: scope, Value: "Data.Read", Type: "User", IsEnabled: true},
			{ID: "9a6c1c2e-1111-4c3b-8d1e-000000000002", Value: "Old.Read", IsEnabled: false}},
		PreAuthorized: []steps.PreAuthorizedApp{
			{AppID: steps.ClientExcel.AppID, DelegatedPermissionIDs: []string{scope}},
			{AppID: strings.ToUpper(steps.ClientRefresh.AppID), DelegatedPermissionIDs: []string{scope}}},
		RequestedAccessTokenVersion: version}
}

func TestBuildSingleTenantV1(t *testing.T) {
	c := Build(Input{Tenant: steps.Tenant{ID: tid}, App: app(steps.AudienceSingle, nil), Cloud: public})
	got, _ := json.Marshal(c)
	want := `{"schemaVersion":1,"cloud":"public","tenantId":"` + tid + `","clientId":"` + appID + `","displayName":"Contoso Connector",` +
		`"signInAudience":"AzureADMyOrg","multitenant":false,"accessTokenVersion":1,` +
		`"audiences":["api://` + appID + `","` + appID + `"],` +
		`"issuers":[{"tokenVersion":1,"issuer":"https://sts.windows.net/` + tid + `/"},{"tokenVersion":2,"issuer":"https://login.microsoftonline.com/` + tid + `/v2.0"}],` +
		`"scopes":[{"name":"Data.Read","id":"` + scope + `","enabled":true},{"name":"Old.Read","id":"9a6c1c2e-1111-4c3b-8d1e-000000000002","enabled":false}],` +
		`"allowedClients":[{"appId":"a672d62c-fc7b-4e81-a576-e60dc46e951d","name":"Power Query for Excel","scopes":["Data.Read"]},` +
		`{"appId":"b52893c8-bc2e-47fc-918b-77022b299bbc","name":"Power BI Data Refresh","scopes":["Data.Read"]}],` +
		`"authority":"https://login.microsoftonline.com/` + tid + `",` +
		`"metadataUrl":"https://login.microsoftonline.com/` + tid + `/v2.0/.well-known/openid-configuration",` +
		`"jwksUri":"https://login.microsoftonline.com/` + tid + `/discovery/v2.0/keys"}`
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestBuildMultitenantV2(t *testing.T) {
	two := int32(2)
	c := Build(Input{Tenant: steps.Tenant{ID: tid}, App: app(steps.AudienceMulti, &two), Cloud: public,
		ClientName: func(string) string { return "from the tenant" }})
	if !c.Multitenant || c.AccessTokenVersion != 2 || c.AllowedClients[0].Name != "from the tenant" {
		t.Errorf("%+v", c)
	}
	if c.Issuers[0].Template != "https://sts.windows.net/{tenantid}/" || c.Issuers[1].Template != "https://login.microsoftonline.com/{tenantid}/v2.0" ||
		c.Issuers[0].Issuer != "https://sts.windows.net/"+tid+"/" {
		t.Errorf("issuers %+v", c.Issuers)
	}
	if c.MetadataURL != "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration" ||
		c.JWKSURI != "https://login.microsoftonline.com/organizations/discovery/v2.0/keys" {
		t.Errorf("keys %s %s", c.MetadataURL, c.JWKSURI)
	}
	env := Env(c)
	for _, want := range []string{
		"ENTRA_ISSUER_TEMPLATES=https://sts.windows.net/{tenantid}/,https://login.microsoftonline.com/{tenantid}/v2.0\n",
		"ENTRA_MULTITENANT=true\n", "ENTRA_ACCESS_TOKEN_VERSION=2\n", "ENTRA_SCOPES=Data.Read\n",
	} {
		if !strings.Contains(env, want) {
			t.Errorf("env lacks %q:\n%s", want, env)
		}
	}
	asp := ASPNet(c)
	if !strings.Contains(asp, `"TenantId": "organizations"`) || !strings.Contains(asp, `"Instance": "https://login.microsoftonline.com/"`) {
		t.Errorf("aspnet:\n%s", asp)
	}
	text := Text(c)
	if !strings.Contains(text, "{tenantid} is the token's tid") || !strings.Contains(text, "Token version: 2") {
		t.Errorf("text:\n%s", text)
	}
}

func TestFormatsSingleTenant(t *testing.T) {
	c := Build(Input{Tenant: steps.Tenant{ID: tid}, App: app(steps.AudienceSingle, nil), Cloud: public})
	wantEnv := "ENTRA_TENANT_ID=" + tid + "\n" +
		"ENTRA_CLIENT_ID=" + appID + "\n" +
		"ENTRA_AUDIENCES=api://" + appID + "," + appID + "\n" +
		"ENTRA_ISSUERS=https://sts.windows.net/" + tid + "/,https://login.microsoftonline.com/" + tid + "/v2.0\n" +
		"ENTRA_MULTITENANT=false\n" +
		"ENTRA_ACCESS_TOKEN_VERSION=1\n" +
		"ENTRA_SCOPES=Data.Read\n" +
		"ENTRA_ALLOWED_CLIENTS=a672d62c-fc7b-4e81-a576-e60dc46e951d,b52893c8-bc2e-47fc-918b-77022b299bbc\n" +
		"ENTRA_AUTHORITY=https://login.microsoftonline.com/" + tid + "\n" +
		"ENTRA_METADATA_URL=https://login.microsoftonline.com/" + tid + "/v2.0/.well-known/openid-configuration\n" +
		"ENTRA_JWKS_URI=https://login.microsoftonline.com/" + tid + "/discovery/v2.0/keys\n"
	if got := Env(c); got != wantEnv {
		t.Errorf("env:\n%s\nwant:\n%s", got, wantEnv)
	}
	wantASP := `{
  "AzureAd": {
    "Instance": "https://login.microsoftonline.com/",
    "TenantId": "` + tid + `",
    "ClientId": "` + appID + `",
    "Audiences": [
      "api://` + appID + `",
      "` + appID + `"
    ],
    "Scopes": "Data.Read"
  }
}
`
	if got := ASPNet(c); got != wantASP {
		t.Errorf("aspnet:\n%s\nwant:\n%s", got, wantASP)
	}
	text := Text(c)
	for _, want := range []string{"api://" + appID, "v1 tokens carry this Application ID URI", "v2 tokens carry the app id",
		"Old.Read", "disabled: never in a token", "Power BI Data Refresh", "Token version: 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "{tenantid}") {
		t.Errorf("single-tenant text names a template:\n%s", text)
	}
}

// Issuers per cloud: v1 tokens name sts.windows.net also in US
// Government, sts.chinacloudapi.cn in China.
func TestIssuersPerCloud(t *testing.T) {
	usgov := Cloud{Name: "usgov", LoginHost: "https://login.microsoftonline.us", V1Issuer: "https://sts.windows.net", V2Issuer: "https://login.microsoftonline.us"}
	china := Cloud{Name: "china", LoginHost: "https://login.chinacloudapi.cn", V1Issuer: "https://sts.chinacloudapi.cn", V2Issuer: "https://login.partner.microsoftonline.cn"}
	if is := Issuers(usgov, tid, false); is[0].Issuer != "https://sts.windows.net/"+tid+"/" || is[1].Issuer != "https://login.microsoftonline.us/"+tid+"/v2.0" {
		t.Errorf("usgov %+v", is)
	}
	if is := Issuers(china, tid, false); is[0].Issuer != "https://sts.chinacloudapi.cn/"+tid+"/" || is[1].Issuer != "https://login.partner.microsoftonline.cn/"+tid+"/v2.0" {
		t.Errorf("china %+v", is)
	}
	c := Build(Input{Tenant: steps.Tenant{ID: tid}, App: app(steps.AudienceSingle, nil), Cloud: china})
	if c.JWKSURI != "https://login.chinacloudapi.cn/"+tid+"/discovery/v2.0/keys" {
		t.Errorf("china keys %s", c.JWKSURI)
	}
}

// Values from the directory are untrusted: a display name with control
// characters does not reach the terminal raw.
func TestTextCleansDirectoryStrings(t *testing.T) {
	a := app(steps.AudienceSingle, nil)
	a.DisplayName = "Evil\x1b]52;c;aGk=\x07"
	if text := Text(Build(Input{Tenant: steps.Tenant{ID: tid}, App: a, Cloud: public})); strings.ContainsRune(text, 0x1b) {
		t.Errorf("escape in text: %q", text)
	}
}
