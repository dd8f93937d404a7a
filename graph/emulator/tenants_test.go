package emulator

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// twoTenants starts a publisher (the first tenant) and a customer, each
// signed in with application read/write.
func twoTenants(t *testing.T, pub, cust Options) (p, c *Server, pubTok, custTok string) {
	t.Helper()
	p = start(t, pub)
	c, err := p.AddTenant(cust)
	if err != nil {
		t.Fatal(err)
	}
	pubTok = signIn(t, p, scopeRW)
	p.SetSignInTenant(c)
	custTok = signIn(t, c, scopeRW)
	p.SetSignInTenant(p)
	return p, c, pubTok, custTok
}

func claimsOf(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSecondTenantSignsInItsOwnUser(t *testing.T) {
	p, c, pubTok, custTok := twoTenants(t, Options{}, CustomerOptions())
	if p.URL() != c.URL() {
		t.Fatalf("one host for every tenant, got %s and %s", p.URL(), c.URL())
	}
	if got := claimsOf(t, custTok)["tid"]; got != c.TenantID() || got == p.TenantID() {
		t.Fatalf("customer token tid %v", got)
	}
	if got := claimsOf(t, pubTok)["tid"]; got != p.TenantID() {
		t.Fatalf("publisher token tid %v", got)
	}
	// Each token acts in its own tenant: /organization and /me answer it.
	org := call(t, c, custTok, "GET", "/v1.0/organization", nil)
	expect(t, org, 200, "")
	v := org.body["value"].([]any)[0].(map[string]any)
	if v["id"] != c.TenantID() || v["displayName"] != "Fabrikam (demo customer)" {
		t.Fatalf("%s", org.raw)
	}
	me := call(t, p, custTok, "GET", "/v1.0/me", nil)
	if me.body["userPrincipalName"] != "megan@fabrikam.com" || me.body["id"] == userObjectID {
		t.Fatalf("%s", me.raw)
	}
	me = call(t, p, pubTok, "GET", "/v1.0/me", nil)
	if me.body["userPrincipalName"] != "adele@contoso.com" {
		t.Fatalf("%s", me.raw)
	}
	// A token whose tid is rewritten to the other tenant is one that
	// tenant never issued.
	parts := strings.Split(custTok, ".")
	cl := claimsOf(t, custTok)
	cl["tid"] = p.TenantID()
	b, _ := json.Marshal(cl)
	forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString(b) + "." + parts[2]
	expect(t, call(t, p, forged, "GET", "/v1.0/organization", nil), 401, "InvalidAuthenticationToken")
	// The log is per tenant.
	for _, e := range c.Log() {
		if e.Graph && e.Header.Get("Authorization") == "Bearer "+pubTok {
			t.Fatal("a publisher request was served by the customer")
		}
	}
	// A sign-in naming the customer's domain signs in its user, whoever
	// sits at the keyboard; an unknown tenant is refused.
	st, dc := postForm(t, p, "/fabrikam.com/oauth2/v2.0/devicecode", url.Values{"client_id": {testClient}, "scope": {scopeRW}})
	if st != 200 {
		t.Fatalf("%d %v", st, dc)
	}
	if err := c.Approve(dc["user_code"].(string)); err != nil {
		t.Fatal(err)
	}
	st, tok := postForm(t, p, "/fabrikam.com/oauth2/v2.0/token", url.Values{"grant_type": {grantDeviceCode}, "device_code": {dc["device_code"].(string)}, "client_id": {testClient}})
	if st != 200 || claimsOf(t, tok["access_token"].(string))["tid"] != c.TenantID() {
		t.Fatalf("%d %v", st, tok)
	}
	st, _ = postForm(t, p, "/northwind.com/oauth2/v2.0/devicecode", url.Values{"client_id": {testClient}, "scope": {scopeRW}})
	if st != 400 {
		t.Fatalf("unknown tenant: %d", st)
	}
}

func TestAddTenantRefusesClashes(t *testing.T) {
	p := start(t, Options{})
	if _, err := p.AddTenant(Options{TenantID: p.TenantID(), VerifiedDomains: []string{"x.com"}}); err == nil {
		t.Fatal("same tenant id accepted")
	}
	o := CustomerOptions()
	o.VerifiedDomains = []string{"contoso.com"}
	if _, err := p.AddTenant(o); err == nil {
		t.Fatal("a domain of the first tenant accepted")
	}
}

func TestOnboardAnotherTenantsMultitenantApp(t *testing.T) {
	p, c, pubTok, custTok := twoTenants(t, Options{}, CustomerOptions())
	_, multiID := createApp(t, p, pubTok, map[string]any{"displayName": "Contoso Connector", "signInAudience": "AzureADMultipleOrgs"})
	expect(t, call(t, p, pubTok, "PATCH", "/v1.0/applications(appId='"+multiID+"')", map[string]any{
		"identifierUris": []string{"api://" + multiID},
		"api":            map[string]any{"oauth2PermissionScopes": []any{scope("5d8c6c1e-2f4b-4d0a-9a51-6f2e8b7c3a10", "Data.Read", true)}},
	}), 204, "")
	_, singleID := createApp(t, p, pubTok, map[string]any{"displayName": "Contoso Internal", "signInAudience": "AzureADMyOrg"})

	// The customer cannot read the publisher's applications at all.
	r := call(t, c, custTok, "GET", "/v1.0/applications?$filter="+url.QueryEscape("appId eq '"+multiID+"'"), nil)
	if r.status != 200 || len(r.body["value"].([]any)) != 0 {
		t.Fatalf("%s", r.raw)
	}
	expect(t, call(t, c, custTok, "GET", "/v1.0/applications(appId='"+multiID+"')", nil), 404, "Request_ResourceNotFound")
	expect(t, call(t, c, custTok, "GET", "/v1.0/servicePrincipals(appId='"+multiID+"')", nil), 404, "Request_ResourceNotFound")

	// A single-tenant app of another tenant, and an appId nobody
	// registered, are the same to the customer: no backing application.
	for _, id := range []string{singleID, "11111111-2222-4333-8444-555555555555"} {
		r = call(t, c, custTok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": id})
		expect(t, r, 400, "Request_BadRequest")
		d, _ := r.body["error"].(map[string]any)["details"].([]any)
		if len(d) != 1 || d[0].(map[string]any)["code"] != "NoBackingApplicationObject" || d[0].(map[string]any)["target"] != "appId" ||
			r.errMessage() != "The appId '"+id+"' of the service principal does not reference a valid application object." {
			t.Fatalf("%s", r.raw)
		}
	}

	// The multitenant one: its service principal, owned by the publisher.
	r = call(t, c, custTok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": multiID})
	expect(t, r, 201, "")
	if r.body["appOwnerOrganizationId"] != p.TenantID() || r.body["appDisplayName"] != "Contoso Connector" ||
		r.body["signInAudience"] != "AzureADMultipleOrgs" || len(r.body["oauth2PermissionScopes"].([]any)) != 1 {
		t.Fatalf("%s", r.raw)
	}
	spID := r.body["id"].(string)
	expect(t, call(t, c, custTok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": multiID}), 409, "Request_MultipleObjectsWithSameKeyValue")
	expect(t, call(t, c, custTok, "GET", "/v1.0/servicePrincipals(appId='"+multiID+"')", nil), 200, "")
	// ... in the customer's tenant only.
	expect(t, call(t, p, pubTok, "GET", "/v1.0/servicePrincipals(appId='"+multiID+"')", nil), 404, "Request_ResourceNotFound")
	if n := len(p.ServicePrincipals()); n != len(firstPartyApps) {
		t.Fatalf("publisher has %d service principals", n)
	}
	// Off-boarding.
	expect(t, call(t, c, custTok, "DELETE", "/v1.0/servicePrincipals/"+spID, nil), 204, "")
	expect(t, call(t, c, custTok, "GET", "/v1.0/servicePrincipals(appId='"+multiID+"')", nil), 404, "Request_ResourceNotFound")
}

func TestOnboardNeedsAnAdmin(t *testing.T) {
	cust := CustomerOptions()
	cust.UserRoles = nil
	p, c, pubTok, custTok := twoTenants(t, Options{}, cust)
	_, multiID := createApp(t, p, pubTok, map[string]any{"displayName": "Contoso Connector", "signInAudience": "AzureADMultipleOrgs"})
	r := call(t, c, custTok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": multiID})
	expect(t, r, 403, "Authorization_RequestDenied")
	if r.errMessage() != "When using this permission, the backing application of the service principal being created must in the local tenant" {
		t.Fatal(r.errMessage())
	}
	// Application Developer is not enough either (it covers the user's own
	// single-tenant apps).
	cust.UserRoles = []string{"Application Developer"}
	p2, c2, pubTok2, custTok2 := twoTenants(t, Options{}, cust)
	_, id2 := createApp(t, p2, pubTok2, map[string]any{"displayName": "Contoso Connector", "signInAudience": "AzureADMultipleOrgs"})
	expect(t, call(t, c2, custTok2, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": id2}), 403, "Authorization_RequestDenied")
	// Global Administrator may.
	cust.UserRoles = []string{"Global Administrator"}
	p3, c3, pubTok3, custTok3 := twoTenants(t, Options{}, cust)
	_, id3 := createApp(t, p3, pubTok3, map[string]any{"displayName": "Contoso Connector", "signInAudience": "AzureADMultipleOrgs"})
	expect(t, call(t, c3, custTok3, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": id3}), 201, "")
}

func TestOffboardNeedsAnAdmin(t *testing.T) {
	p, c, pubTok, custTok := twoTenants(t, Options{}, CustomerOptions())
	_, multiID := createApp(t, p, pubTok, map[string]any{"displayName": "Contoso Connector", "signInAudience": "AzureADMultipleOrgs"})
	r := call(t, c, custTok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": multiID})
	expect(t, r, 201, "")
	// Another user of the customer's tenant, without a role.
	c.mu.Lock()
	c.opts.UserRoles = nil
	c.mu.Unlock()
	expect(t, call(t, c, custTok, "DELETE", "/v1.0/servicePrincipals/"+r.body["id"].(string), nil), 403, "Authorization_RequestDenied")
	// Its own apps' service principals are not another tenant's.
	_, own := createApp(t, c, custTok, map[string]any{"displayName": "Fabrikam API"})
	r = call(t, c, custTok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": own})
	expect(t, r, 201, "")
	expect(t, call(t, c, custTok, "DELETE", "/v1.0/servicePrincipals/"+r.body["id"].(string), nil), 204, "")
}

func TestMultitenantIdentifierURIs(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	id, appID := createApp(t, s, tok, map[string]any{"displayName": "Contoso Connector", "signInAudience": "AzureADMultipleOrgs"})
	path := "/v1.0/applications/" + id
	for _, bad := range []string{
		"api://" + s.TenantID() + "/connector", // tenant id: not unique across tenants
		"api://connector/" + appID,
		"api://" + appID + "/connector",
		"api://connector",
		"https://fabrikam.com/api",
	} {
		r := call(t, s, tok, "PATCH", path, map[string]any{"identifierUris": []string{bad}})
		expect(t, r, 400, "HostNameNotOnVerifiedDomain")
		if !strings.Contains(r.errMessage(), "must use a verified domain of the organization or its subdomain: '"+bad+"'") {
			t.Fatal(r.errMessage())
		}
	}
	for _, good := range []string{"api://" + appID, "https://contoso.com/connector", "api://contoso.onmicrosoft.com/connector", "https://api.contoso.com"} {
		expect(t, call(t, s, tok, "PATCH", path, map[string]any{"identifierUris": []string{good}}), 204, "")
	}
	// Created with a tenant-id URI: refused, nothing made.
	r := call(t, s, tok, "POST", "/v1.0/applications", map[string]any{"displayName": "X", "signInAudience": "AzureADandPersonalMicrosoftAccount",
		"identifierUris": []string{"api://" + s.TenantID() + "/x"}})
	expect(t, r, 400, "HostNameNotOnVerifiedDomain")
	// Switching a single-tenant app with such a URI to multitenant is
	// refused; the app keeps what it had.
	single, _ := createApp(t, s, tok, map[string]any{"displayName": "Legacy", "identifierUris": []string{"api://" + s.TenantID() + "/legacy"}})
	expect(t, call(t, s, tok, "PATCH", "/v1.0/applications/"+single, map[string]any{"signInAudience": "AzureADMultipleOrgs"}), 400, "HostNameNotOnVerifiedDomain")
	r = call(t, s, tok, "GET", "/v1.0/applications/"+single, nil)
	if r.body["signInAudience"] != "AzureADMyOrg" {
		t.Fatalf("%s", r.raw)
	}
}

func TestStateFileKeepsBothTenants(t *testing.T) {
	file := filepath.Join(t.TempDir(), "demo.json")
	p := start(t, Options{StateFile: file})
	c, err := p.AddTenant(CustomerOptions())
	if err != nil {
		t.Fatal(err)
	}
	pubTok := signIn(t, p, scopeRW)
	p.SetSignInTenant(c)
	custTok := signIn(t, c, scopeRW)
	_, multiID := createApp(t, p, pubTok, map[string]any{"displayName": "Contoso Connector", "signInAudience": "AzureADMultipleOrgs"})
	expect(t, call(t, c, custTok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": multiID}), 201, "")
	p.Close()

	// A run with the publisher only keeps the customer's part.
	p1 := start(t, Options{StateFile: file})
	tok1 := signIn(t, p1, scopeRW)
	createApp(t, p1, tok1, map[string]any{"displayName": "Another"})
	p1.Close()

	p2 := start(t, Options{StateFile: file})
	c2, err := p2.AddTenant(CustomerOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !p2.Loaded() || !c2.Loaded() {
		t.Fatal("not loaded")
	}
	var found bool
	for _, sp := range c2.ServicePrincipals() {
		if sp["appId"] == multiID && sp["appOwnerOrganizationId"] == p2.TenantID() {
			found = true
		}
	}
	if !found || len(p2.Applications()) != 2 {
		t.Fatalf("customer SP kept: %v; publisher apps: %d", found, len(p2.Applications()))
	}
	// The index is rebuilt: the customer can still see the app to onboard.
	p2.SetSignInTenant(c2)
	tok2 := signIn(t, c2, scopeRW)
	expect(t, call(t, c2, tok2, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": multiID}), 409, "Request_MultipleObjectsWithSameKeyValue")
}
