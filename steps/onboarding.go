package steps

import (
	"fmt"
	"strings"
)

// Onboarding is what a publisher sends the organizations that use a
// multitenant connector: each of them needs the app's service principal
// once, made by one of their admins in any of these ways. setup prints it
// (text, and "onboarding" in its JSON) and the wizard's last step shows it.
type Onboarding struct {
	// Command is `pqentra onboard --app-id …`, with the run's cloud and
	// host flags (a customer signs in to their own tenant, with their
	// own client).
	Command string `json:"command"`
	// AzureCLI and PowerShell do the same with Microsoft's tools.
	AzureCLI   string `json:"azureCli"`
	PowerShell string `json:"powerShell"`
	// AdminConsentURL lets the admin consent in a browser (organizations:
	// the admin's own tenant), which also creates the service principal.
	AdminConsentURL string `json:"adminConsentUrl"`
}

// NewOnboarding builds the onboarding instructions for appID in a cloud
// ("public", "usgov", "china") whose sign-in host is loginHost.
func NewOnboarding(appID, cloud, loginHost string, cmd Command) Onboarding {
	az, ps := "", ""
	switch strings.ToLower(cloud) {
	case "usgov":
		az, ps = "az cloud set --name AzureUSGovernment; ", " -Environment USGov"
	case "china":
		az, ps = "az cloud set --name AzureChinaCloud; ", " -Environment China"
	}
	return Onboarding{
		Command:         cmd.Line("onboard", "--app-id", appID),
		AzureCLI:        az + "az ad sp create --id " + appID,
		PowerShell:      "Connect-MgGraph -Scopes Application.ReadWrite.All" + ps + "; New-MgServicePrincipal -AppId " + appID,
		AdminConsentURL: AdminConsentURL(loginHost, "organizations", appID),
	}
}

// Text is the onboarding instructions for people.
func (o Onboarding) Text() string {
	var b strings.Builder
	// Paragraphs are one line each: the terminal or the wizard wraps them.
	b.WriteString("This app is multitenant: every organization whose users sign in with the connector needs its service ")
	b.WriteString("principal once, or its users meet AADSTS500011/AADSTS650052. Send an admin there one of:\n\n")
	fmt.Fprintf(&b, "  %s\n  %s\n  %s\n\nor the admin-consent page (it shows your app and asks the admin to accept):\n\n  %s\n\n",
		o.Command, o.AzureCLI, o.PowerShell, o.AdminConsentURL)
	fmt.Fprintf(&b, "It takes a %s of that organization.\n", OnboardRolesText())
	return b.String()
}
