package export

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// Terraform writes the configuration for hashicorp/azuread 3.x with its
// split application resources, and an import block (Terraform 1.5+) per
// resource with the real object ids, so `terraform plan` against the tenant
// adopts the existing objects and shows no changes.
//
// Import ids, as the provider parses them:
//   - azuread_application_registration: /applications/{objectId}
//   - azuread_application_identifier_uri: /applications/{objectId}/identifierUris/{base64(uri), path-escaped}
//   - azuread_application_permission_scope: /applications/{objectId}/permissionScopes/{scopeId}
//   - azuread_application_pre_authorized: {objectId}/preAuthorizedApplication/{clientAppId}
//   - azuread_service_principal: /servicePrincipals/{objectId}
func Terraform(in Input) (string, error) {
	a := in.App
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	b.WriteString(header("#", in, "Terraform, hashicorp/azuread >= 3.0"))
	w("# Sign in as the provider documents (e.g. `az login`), then `terraform init && terraform plan`.\n\n")

	w("terraform {\n  required_version = \">= 1.5\"\n  required_providers {\n    azuread = {\n      source  = \"hashicorp/azuread\"\n      version = \">= 3.0\"\n    }\n  }\n}\n\n")
	w("provider \"azuread\" {\n  tenant_id   = %s\n  environment = %s\n}\n\n", hclString(in.Tenant.ID), hclString(terraformEnvironment(in.Cloud)))

	app := "azuread_application_registration.app"
	w("import {\n  to = %s\n  id = %s\n}\n\n", app, hclString("/applications/"+a.ObjectID))
	w("resource \"azuread_application_registration\" \"app\" {\n")
	w("  display_name     = %s\n", hclString(a.DisplayName))
	w("  sign_in_audience = %s\n", hclString(orDefault(a.SignInAudience, steps.AudienceSingle)))
	ignore := []string{"description", "notes", "service_management_reference", "homepage_url", "logout_url",
		"marketing_url", "privacy_statement_url", "support_url", "terms_of_service_url"}
	if v := a.RequestedAccessTokenVersion; v != nil {
		w("  requested_access_token_version = %d\n", *v)
	} else {
		// Graph stores null (meaning v1); the provider reads that as 0,
		// which no value in the configuration can match.
		ignore = append([]string{"requested_access_token_version"}, ignore...)
	}
	w("\n  # Not part of the connector setup: left as they are in Entra.\n")
	w("  lifecycle {\n    ignore_changes = [%s]\n  }\n}\n", strings.Join(ignore, ", "))

	used := map[string]bool{}
	for _, uri := range a.IdentifierURIs {
		name := label("uri_", uri, used)
		id := "/applications/" + a.ObjectID + "/identifierUris/" + url.PathEscape(base64.StdEncoding.EncodeToString([]byte(uri)))
		w("\nimport {\n  to = azuread_application_identifier_uri.%s\n  id = %s\n}\n\n", name, hclString(id))
		w("resource \"azuread_application_identifier_uri\" %q {\n", name)
		w("  application_id = %s.id\n", app)
		w("  identifier_uri = %s\n}\n", hclString(uri))
	}

	on, off := enabledScopes(a)
	scopeRef := map[string]string{}
	for _, s := range on {
		name := label("scope_", s.Value, used)
		scopeRef[strings.ToLower(s.ID)] = "azuread_application_permission_scope." + name + ".scope_id"
		w("\nimport {\n  to = azuread_application_permission_scope.%s\n  id = %s\n}\n\n", name, hclString("/applications/"+a.ObjectID+"/permissionScopes/"+s.ID))
		w("resource \"azuread_application_permission_scope\" %q {\n", name)
		w("  application_id             = %s.id\n", app)
		w("  scope_id                   = %s\n", hclString(s.ID))
		w("  value                      = %s\n", hclString(s.Value))
		w("  type                       = %s\n", hclString(orDefault(s.Type, steps.ConsentUsers)))
		w("  admin_consent_display_name = %s\n", hclString(s.AdminConsentDisplayName))
		w("  admin_consent_description  = %s\n", hclString(s.AdminConsentDescription))
		if s.UserConsentDisplayName != "" {
			w("  user_consent_display_name  = %s\n", hclString(s.UserConsentDisplayName))
		}
		if s.UserConsentDescription != "" {
			w("  user_consent_description   = %s\n", hclString(s.UserConsentDescription))
		}
		w("}\n")
	}
	for _, s := range off {
		w("\n# The scope %s (%s) is disabled in Entra. azuread_application_permission_scope\n", commentText(s.Value), commentText(s.ID))
		w("# always writes a scope enabled, so it is not managed here.\n")
	}

	for _, p := range a.PreAuthorized {
		name := label("preauth_", clientKey(p.AppID), used)
		w("\nimport {\n  to = azuread_application_pre_authorized.%s\n  id = %s\n}\n\n", name, hclString(a.ObjectID+"/preAuthorizedApplication/"+p.AppID))
		if c, ok := steps.KnownClientByAppID(p.AppID); ok {
			w("# %s\n", commentText(c.Name))
		}
		w("resource \"azuread_application_pre_authorized\" %q {\n", name)
		w("  application_id       = %s.id\n", app)
		w("  authorized_client_id = %s\n", hclString(p.AppID))
		var ids []string
		for _, id := range p.DelegatedPermissionIDs {
			if ref, ok := scopeRef[strings.ToLower(id)]; ok {
				ids = append(ids, ref) // also orders it after the scope
			} else {
				ids = append(ids, hclString(id))
			}
		}
		w("  permission_ids       = [%s]\n}\n", strings.Join(ids, ", "))
	}

	if sp := in.ServicePrincipal; sp != nil {
		w("\nimport {\n  to = azuread_service_principal.app\n  id = %s\n}\n\n", hclString("/servicePrincipals/"+sp.ID))
		w("resource \"azuread_service_principal\" \"app\" {\n")
		w("  client_id = %s.client_id\n\n", app)
		w("  # Owners are managed in Entra, not here.\n")
		w("  lifecycle {\n    ignore_changes = [owners]\n  }\n}\n")
	} else {
		w("\n# The app has no service principal in this tenant: this creates it.\n")
		w("resource \"azuread_service_principal\" \"app\" {\n  client_id = %s.client_id\n}\n", app)
	}
	return b.String(), nil
}

// clientKey names a preauthorized client's resource: excel, refresh,
// powerapps, or its app id.
func clientKey(appID string) string {
	if c, ok := steps.KnownClientByAppID(appID); ok {
		return c.Key
	}
	return appID
}

// terraformEnvironment is the azuread provider's `environment` for a cloud.
func terraformEnvironment(cloud string) string {
	switch cloud {
	case "usgov":
		return "usgovernmentl4"
	case "china":
		return "china"
	}
	return "global"
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// hclString quotes s as an HCL string literal that stays literal: quotes,
// backslashes and control characters are escaped, and so are the template
// introducers ${ and %{ (as $${ and %%{), so a value can never become an
// interpolation or a directive.
func hclString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case (r == '$' || r == '%') && i+1 < len(rs) && rs[i+1] == '{':
			b.WriteRune(r)
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
