package export

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// Az writes a bash script for the Azure CLI that brings the tenant to the
// same state, idempotently (run it twice, nothing changes the second time):
//
//  1. PATCH /applications(uniqueName='…') with Prefer: create-if-missing —
//     the app with its name, audience and scopes (created when missing);
//  2. a second PATCH with its Application ID URIs and preauthorized clients:
//     a preauthorization may only name a scope the app already has, and an
//     api://{appId} URI needs the app's id, which a new app only gets in 1;
//  3. `az ad sp create`, unless the service principal exists.
//
// Every directory value is single-quoted for bash (and JSON-encoded inside
// bodies), so nothing in it is ever expanded or run.
func Az(in Input) (string, error) {
	a := in.App
	unique := a.UniqueName
	if unique == "" {
		unique = SuggestUniqueName(a)
	}
	graph := strings.TrimRight(orDefault(in.GraphRoot, "https://graph.microsoft.com"), "/") + "/v1.0"
	appURL := graph + "/applications(uniqueName='" + url.PathEscape(strings.ReplaceAll(unique, "'", "''")) + "')"

	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("#!/usr/bin/env bash\n")
	b.WriteString(header("#", in, "bash script for the Azure CLI"))
	// Directory values are single-quoted on purpose, so a $ in them stays
	// a $: tell shellcheck that is meant.
	w("# shellcheck disable=SC2016 # values from the directory are literal on purpose\n")
	switch in.Cloud {
	case "usgov":
		w("# First: az cloud set --name AzureUSGovernment\n")
	case "china":
		w("# First: az cloud set --name AzureChinaCloud\n")
	}
	w("# Sign in first: az login --tenant %s\n", shellQuote(in.Tenant.ID))
	if a.UniqueName == "" {
		w("# The app had no uniqueName; step 1 gives it %s (a uniqueName cannot change once set).\n", commentText(unique))
	}
	w("set -euo pipefail\n\n")
	w("app_url=%s\n\n", shellQuote(appURL))

	first := map[string]any{
		"displayName":    a.DisplayName,
		"signInAudience": orDefault(a.SignInAudience, steps.AudienceSingle),
	}
	if a.UniqueName == "" {
		first["uniqueName"] = unique
	}
	api := map[string]any{"oauth2PermissionScopes": scopesJSON(a.Scopes)}
	if v := a.RequestedAccessTokenVersion; v != nil {
		api["requestedAccessTokenVersion"] = *v
	}
	first["api"] = api
	w("# 1. The application, created if missing, with its scopes. (Entra changes an enabled\n")
	w("#    scope only after it is disabled: if this fails with CannotDeleteOrUpdateEnabledEntitlement,\n")
	w("#    a scope was changed in Entra since the export; disable it there first.)\n")
	w("az rest --method PATCH --uri \"$app_url\" \\\n  --headers 'Content-Type=application/json' 'Prefer=create-if-missing' \\\n  --body %s \\\n  --output none\n\n", shellQuote(jsonText(first)))

	w("app_id=$(az rest --method GET --uri \"$app_url?\\$select=appId\" --query appId --output tsv)\n")
	w("if [[ ! $app_id =~ ^[0-9a-fA-F-]{36}$ ]]; then\n  echo \"unexpected appId: $app_id\" >&2\n  exit 1\nfi\n\n")

	// Step 2: the URIs (api://{appId} is filled in from the app's real id)
	// and the preauthorizations.
	w("# 2. The Application ID URIs and the preauthorized clients, now that the scopes exist.\n")
	var uris []string
	for _, u := range a.IdentifierURIs {
		if strings.EqualFold(u, "api://"+a.AppID) {
			uris = append(uris, `'"api://'"$app_id"'"'`)
		} else {
			uris = append(uris, shellQuote(jsonText(u)))
		}
	}
	pre := []map[string]any{}
	for _, p := range a.PreAuthorized {
		ids := p.DelegatedPermissionIDs
		if ids == nil {
			ids = []string{}
		}
		pre = append(pre, map[string]any{"appId": p.AppID, "delegatedPermissionIds": ids})
	}
	body := `'{"identifierUris":['` + strings.Join(uris, `','`) + `'],"api":{"preAuthorizedApplications":'` +
		shellQuote(jsonText(pre)) + `'}}'`
	if len(uris) == 0 {
		body = `'{"identifierUris":[],"api":{"preAuthorizedApplications":'` + shellQuote(jsonText(pre)) + `'}}'`
	}
	w("az rest --method PATCH --uri \"$app_url\" \\\n  --headers 'Content-Type=application/json' \\\n  --body %s \\\n  --output none\n\n", body)

	w("# 3. The service principal, unless it exists.\n")
	w("if ! az ad sp show --id \"$app_id\" --output none 2>/dev/null; then\n  az ad sp create --id \"$app_id\" --output none\nfi\n")
	w("echo \"Application (client) ID: $app_id\"\n")
	return b.String(), nil
}

// scopesJSON is the scopes as Graph takes them.
func scopesJSON(scopes []steps.Scope) []steps.Scope {
	if scopes == nil {
		return []steps.Scope{}
	}
	return scopes
}

// jsonText is v as compact JSON. Go escapes <, > and & too, which is
// harmless for Graph.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil { // strings, bools, ints and GUIDs only
		panic(err)
	}
	return string(b)
}

// shellQuote single-quotes s for bash: inside single quotes nothing is
// special but the quote itself, which becomes '\”.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
