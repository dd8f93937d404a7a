package m

import "strings"

// HelperName is the section member the connector shape defines for the
// dynamic AuthorizationUri.
const HelperName = "GetAuthorizationUrlFromWwwAuthenticate"

// wwwAuthenticateBody is the body (a let expression) of the function that
// finds the sign-in URL for the tenant that owns the data. It follows the
// Power Query SDK's documented pattern for Azure B2B/guest accounts: the
// service answers an unauthenticated request with 401 (or 302) and
//
//	WWW-Authenticate: Bearer authorization_uri="https://login.microsoftonline.com/{tenant}/oauth2/authorize"
//
// PARAM stands for the parameter name; 4-space indents, "\n" breaks.
const wwwAuthenticateBody = `let
    // ManualCredentials: send the request without a token (there is none yet).
    // ManualStatusHandling: let 302/401 through instead of raising an error.
    response = Web.Contents(PARAM, [ManualCredentials = true, ManualStatusHandling = {302, 401}]),
    headers = Record.FieldOrDefault(Value.Metadata(response), "Headers", []),
    wwwAuthenticate = Record.FieldOrDefault(headers, "WWW-Authenticate", ""),
    // The header is a list of key=value pairs separated by spaces and commas;
    // the authorization_uri value may be in double quotes.
    parts = Text.SplitAny(wwwAuthenticate, " ,"),
    pair = List.First(List.Select(parts, each Text.StartsWith(_, "authorization_uri=", Comparer.OrdinalIgnoreCase)), null),
    authorizationUri = if pair = null then "" else Text.Trim(Text.AfterDelimiter(pair, "="), """")
in
    if authorizationUri <> "" then
        authorizationUri
    else
        error Error.Record(
            "DataSource.Error",
            "The service did not name its Microsoft Entra sign-in URL (no authorization_uri in the WWW-Authenticate header).",
            [#"WWW-Authenticate" = wwwAuthenticate]
        )`

// dynamicInline is the AuthorizationUri value when the helper cannot be a
// section member (record and kind shapes, Patch): the function carries the
// whole lookup, so the pasted field works on its own.
func dynamicInline() string {
	return "(dataSourcePath) =>\n" +
		"    // Sign in to the tenant the service names (Azure B2B/guest accounts).\n" +
		indentLines(strings.ReplaceAll(wwwAuthenticateBody, "PARAM", "dataSourcePath"), "    ", true)
}

// dynamicHelperMember is the helper as a section member (connector shape).
func dynamicHelperMember() string {
	return "// Finds the Microsoft Entra sign-in URL for the tenant that owns the data, so\n" +
		"// Azure B2B/guest accounts sign in to the right tenant (Power Query SDK pattern).\n" +
		HelperName + " = (url as text) as text =>\n" +
		indentLines(strings.ReplaceAll(wwwAuthenticateBody, "PARAM", "url"), "    ", true) + ";"
}

// indentLines prefixes every line of s with ind (the first too when first).
// Safe on generated M because text literals never contain raw line breaks.
func indentLines(s, ind string, first bool) string {
	lines := strings.Split(s, "\n")
	for i := range lines {
		if (i > 0 || first) && lines[i] != "" {
			lines[i] = ind + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}
