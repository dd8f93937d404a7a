package steps

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestExplainEveryKnownCode(t *testing.T) {
	ctx := ExplainContext{AppID: connectorApp, Cmd: Command{Globals: []string{"--cloud", "china"}}, LoginHost: "https://login.chinacloudapi.cn"}
	for _, code := range KnownErrorCodes() {
		for _, given := range []string{code, strings.TrimPrefix(code, "AADSTS"), code + ": something went wrong."} {
			k, err := ExplainError(given, ctx)
			if err != nil || k.Code != code || k.Says == "" || k.Cause == "" || len(k.Fix) == 0 || k.AppID != connectorApp {
				t.Fatalf("%s: %+v %v", given, k, err)
			}
			fix := strings.Join(k.Fix, "\n")
			if strings.Contains(fix, "APPID") || strings.Contains(fix, "`pqentra ") && !strings.Contains(fix, "`pqentra --cloud china ") {
				t.Errorf("%s: fix lines are not whole commands with the run's flags:\n%s", code, fix)
			}
			if strings.Contains(fix, "adminconsent") && !strings.Contains(fix, "https://login.chinacloudapi.cn/organizations/adminconsent?client_id="+connectorApp) {
				t.Errorf("%s: admin-consent URL of another cloud:\n%s", code, fix)
			}
		}
	}
}

func TestExplainReadsTheAppFromTheMessage(t *testing.T) {
	for code, msg := range map[string]string{
		"AADSTS500011": "AADSTS500011: The resource principal named api://" + connectorApp + " was not found in the tenant named Fabrikam.",
		"AADSTS650052": "AADSTS650052: The app is trying to access a service '" + connectorApp + "'(Contoso) that your organization '" + customerTenant + "' lacks a service principal for.",
		"AADSTS700016": "AADSTS700016: Application with identifier '" + connectorApp + "' was not found in the directory 'Fabrikam'.",
		"AADSTS90072":  "AADSTS90072: User account 'x@fabrikam.com' from identity provider 'https://sts.windows.net/" + customerTenant + "/' does not exist in tenant 'Contoso' and cannot access the application '" + connectorApp + "'(Contoso) in that tenant.",
	} {
		k, err := ExplainError(msg, ExplainContext{})
		if err != nil || k.Code != code || k.AppID != connectorApp || !strings.Contains(strings.Join(k.Fix, " "), connectorApp) {
			t.Errorf("%s: %+v %v", code, k, err)
		}
	}
	// 65001 names the client (Power Query), not the resource.
	k, _ := ExplainError("AADSTS65001: The user or administrator has not consented to use the application with ID 'a672d62c-fc7b-4e81-a576-e60dc46e951d'.", ExplainContext{})
	if k.AppID != "" || !strings.Contains(strings.Join(k.Fix, " "), "APPID above") {
		t.Errorf("%+v", k)
	}
}

func TestExplainRefusals(t *testing.T) {
	_, err := ExplainError("AADSTS99999", ExplainContext{})
	var u *ErrUnknownCode
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "https://login.microsoftonline.com/error?code=99999") {
		t.Fatal(err)
	}
	if _, err := ExplainError("it failed", ExplainContext{}); err == nil {
		t.Fatal("no code accepted")
	}
	if c, _ := ParseErrorCode("Need admin approval"); c != "AADSTS90094" {
		t.Fatal(c)
	}
}

// docs/troubleshooting.md has a row for every error doctor --error
// explains.
func TestTroubleshootingDocListsEveryExplainedError(t *testing.T) {
	b, err := os.ReadFile("../docs/troubleshooting.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, code := range KnownErrorCodes() {
		if !strings.Contains(doc, "| "+code+" ") && !strings.Contains(doc, "("+code+")") {
			t.Errorf("docs/troubleshooting.md has no row for %s", code)
		}
	}
}
