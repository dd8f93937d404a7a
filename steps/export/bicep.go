package export

import (
	"fmt"
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// BicepExtension is the Microsoft Graph Bicep extension (v1.0 types, the
// 1.0.0 release that made it generally available; it needs Bicep 0.36.1)
// the file declares, as a registry reference so it compiles without a
// bicepconfig.json alias.
const BicepExtension = "br:mcr.microsoft.com/bicep/extensions/microsoftgraph/v1.0:1.0.0"

// Bicep writes a template for the Microsoft Graph Bicep extension:
// Microsoft.Graph/applications@v1.0 keyed by the app's uniqueName (the
// client-provided key Bicep upserts by, so deploying it adopts the existing
// app) and Microsoft.Graph/servicePrincipals@v1.0 keyed by appId. An app
// without a uniqueName cannot be addressed: ErrNoUniqueName.
func Bicep(in Input) (string, error) {
	a := in.App
	if a.UniqueName == "" {
		return "", ErrNoUniqueName
	}
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	b.WriteString(header("//", in, "Bicep, Microsoft Graph extension v1.0"))
	w("// Needs Bicep 0.36.1 or later. Deploy with\n")
	w("// `az deployment group create --template-file <this file> --resource-group <any>`.\n\n")
	w("extension %s\n\n", bicepString(BicepExtension))

	w("resource app 'Microsoft.Graph/applications@v1.0' = {\n")
	w("  uniqueName: %s\n", bicepString(a.UniqueName))
	w("  displayName: %s\n", bicepString(a.DisplayName))
	w("  signInAudience: %s\n", bicepString(orDefault(a.SignInAudience, steps.AudienceSingle)))
	w("  identifierUris: [\n")
	for _, u := range a.IdentifierURIs {
		w("    %s\n", bicepString(u))
	}
	w("  ]\n  api: {\n")
	if v := a.RequestedAccessTokenVersion; v != nil {
		w("    requestedAccessTokenVersion: %d\n", *v)
	}
	w("    oauth2PermissionScopes: [\n")
	for _, s := range a.Scopes {
		w("      {\n")
		w("        id: %s\n", bicepString(s.ID))
		w("        value: %s\n", bicepString(s.Value))
		w("        type: %s\n", bicepString(orDefault(s.Type, steps.ConsentUsers)))
		w("        isEnabled: %t\n", s.IsEnabled)
		w("        adminConsentDisplayName: %s\n", bicepString(s.AdminConsentDisplayName))
		w("        adminConsentDescription: %s\n", bicepString(s.AdminConsentDescription))
		if s.UserConsentDisplayName != "" {
			w("        userConsentDisplayName: %s\n", bicepString(s.UserConsentDisplayName))
		}
		if s.UserConsentDescription != "" {
			w("        userConsentDescription: %s\n", bicepString(s.UserConsentDescription))
		}
		w("      }\n")
	}
	w("    ]\n    preAuthorizedApplications: [\n")
	for _, p := range a.PreAuthorized {
		w("      {\n        appId: %s", bicepString(p.AppID))
		if c, ok := steps.KnownClientByAppID(p.AppID); ok {
			w(" // %s", commentText(c.Name))
		}
		w("\n        delegatedPermissionIds: [\n")
		for _, id := range p.DelegatedPermissionIDs {
			w("          %s\n", bicepString(id))
		}
		w("        ]\n      }\n")
	}
	w("    ]\n  }\n}\n\n")

	w("resource servicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = {\n  appId: app.appId\n}\n\n")
	w("output appId string = app.appId\n")
	return b.String(), nil
}

// SuggestUniqueName is a uniqueName to give an app that has none, so Bicep
// can address it: readable, and unique through the appId. (It is not the
// name pqentra setup gives the apps it registers, so undo still treats the
// app as one pqentra did not make.)
func SuggestUniqueName(a steps.App) string {
	base := label("", a.DisplayName, map[string]bool{})
	base = strings.ReplaceAll(base, "_", "-")
	if len(base) > 40 {
		base = strings.TrimRight(base[:40], "-")
	}
	if base == "" {
		base = "app"
	}
	return base + "-" + strings.SplitN(a.AppID, "-", 2)[0]
}

// bicepString quotes s as a Bicep string literal: single quotes, with
// backslash, quote, $ (which could open an interpolation) and control
// characters escaped.
func bicepString(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch {
		case r == '\'':
			b.WriteString(`\'`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '$':
			b.WriteString(`\$`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(&b, `\u{%X}`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}
