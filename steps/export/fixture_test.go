package export

import (
	"time"

	"github.com/pqentra/pqentra/steps"
)

// The values an attacker (or a careless admin) could put in a directory:
// each must come out of every format as an inert string.
var hostile = []string{
	`"; rm -rf ~; "`,
	`${file("/etc/passwd")}`,
	`$(id)`,
	"`id`",
	`%{ if true }x%{ endif }`,
	`'; touch /tmp/pqentra-pwned; echo '`,
	`back\slash \u0041 $$${x} %%{y}`,
	"line one\nline two\r\n\ttab",
}

const (
	tenantID = "6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13"
	appID    = "2dbceeb9-4f7a-4e48-a9aa-77c971c099ae"
	objectID = "6fb075de-fe7e-4564-b334-8d1ce467fd92"
	spID     = "9c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5"
	scopeID  = "a4b9e96e-6644-4bce-8c12-0493312be1d8"
	otherID  = "5d8c6c1e-2f4b-4d0a-9a51-6f2e8b7c3a10"
	offID    = "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918"
	client3  = "0b1c2d3e-4f50-4617-8283-949596979899"
)

func v2() *int32 { v := int32(2); return &v }

// sample is the state setup leaves, plus what a real app often also has.
func sample() Input {
	return Input{
		Tenant: steps.Tenant{ID: tenantID, DisplayName: "Contoso (demo)"},
		App: steps.App{
			ObjectID: objectID, AppID: appID, DisplayName: "Contoso Connector", SignInAudience: "AzureADMyOrg",
			UniqueName:     "pqentra-0123456789abcdef0123",
			IdentifierURIs: []string{"api://" + appID, "https://api.contoso.com/connector"},
			Scopes: []steps.Scope{
				{ID: scopeID, Value: "Data.Read", Type: "User", IsEnabled: true,
					AdminConsentDisplayName: "Read Contoso Connector data (Data.Read)",
					AdminConsentDescription: "Allows Power Query connectors to read data in Contoso Connector on behalf of the signed-in user.",
					UserConsentDisplayName:  "Read your Contoso Connector data",
					UserConsentDescription:  "Allows Power Query to read your data in Contoso Connector on your behalf."},
				{ID: otherID, Value: "Files.Write", Type: "Admin", IsEnabled: true,
					AdminConsentDisplayName: "Write files", AdminConsentDescription: "Allows writing files."},
				{ID: offID, Value: "Old.Read", Type: "User", IsEnabled: false,
					AdminConsentDisplayName: "Old", AdminConsentDescription: "Old scope."},
			},
			PreAuthorized: []steps.PreAuthorizedApp{
				{AppID: steps.ClientExcel.AppID, DelegatedPermissionIDs: []string{scopeID}},
				{AppID: steps.ClientRefresh.AppID, DelegatedPermissionIDs: []string{scopeID}},
				{AppID: client3, DelegatedPermissionIDs: []string{scopeID, otherID}},
			},
			RequestedAccessTokenVersion: v2(),
		},
		ServicePrincipal: &steps.ServicePrincipal{ID: spID, AppID: appID, DisplayName: "Contoso Connector"},
		Cloud:            "public",
		GraphRoot:        "https://graph.microsoft.com",
		Date:             time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC),
		Version:          "1.2.3",
	}
}

// hostileSample puts hostile values everywhere a directory string lands.
func hostileSample(h string) Input {
	in := sample()
	in.Tenant.DisplayName = h
	in.App.DisplayName = h
	in.App.Scopes[0].AdminConsentDisplayName = h
	in.App.Scopes[0].AdminConsentDescription = h
	in.App.Scopes[0].UserConsentDisplayName = h
	in.App.Scopes[0].UserConsentDescription = h
	in.App.Scopes[1].Value = "Files.Write"
	in.App.UniqueName = h
	in.App.IdentifierURIs = []string{"api://" + appID, "https://api.contoso.com/" + h}
	return in
}
