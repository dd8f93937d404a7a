package cmd

import (
	"github.com/pqentra/pqentra/graph/emulator"
)

// demoLegacyApp is a half-configured app the demo tenant starts with, made
// the way people often click it together by hand: a custom URI, an
// admin-only scope, no preauthorized clients and no service principal. It
// gives `pqentra --demo doctor --display-name "Contoso Legacy API"` (and the
// wizard's "use an existing application") something real to find and fix.
const demoLegacyApp = "Contoso Legacy API"

// demoLegacyAppID is fixed so that the commands doctor prints for it
// (`pqentra --demo doctor --app-id … --fix`) name the same app in the next
// demo run.
const demoLegacyAppID = "8a4d6f2e-1c3b-4e5a-9d7f-0b2c4e6a8d10"

func seedDemo(emu *emulator.Server) error {
	_, _, err := emu.SeedApplication(map[string]any{
		"appId":          demoLegacyAppID,
		"displayName":    demoLegacyApp,
		"signInAudience": "AzureADMyOrg",
		"identifierUris": []any{"api://" + emu.TenantID() + "/legacy"},
		"api": map[string]any{
			"oauth2PermissionScopes": []any{map[string]any{
				"id": "5d8c6c1e-2f4b-4d0a-9a51-6f2e8b7c3a10", "value": "Legacy.Read", "type": "Admin", "isEnabled": true,
				"adminConsentDisplayName": "Read legacy data",
				"adminConsentDescription": "Allows the app to read legacy data as the signed-in user.",
			}},
		},
	})
	return err
}
