package graph

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"github.com/pqentra/pqentra/steps"
)

// translate turns what msgraph-sdk-go returned into a *steps.Error that
// says what happened and how to fix it. what names the call ("register the
// application"); f names the run, for the commands a hint prints.
func translate(err error, what string, f followUp) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if e, ok := steps.AsError(err); ok {
		return e
	}
	if msg := guardErrorMessage(err, what); msg != "" {
		// Refused by the transport guard: permanent, never retried.
		return &steps.Error{Err: err, Message: steps.Clean(msg), Hint: guardHint}
	}
	var thr *ThrottledError
	if errors.As(err, &thr) {
		return &steps.Error{Err: err, Status: thr.Status, Retryable: true, Message: "could not " + what + ": " + thr.Error(),
			Hint: "Nothing is half-made. Run the same command again after that wait; it picks up where it stopped."}
	}
	out := &steps.Error{Err: err}
	var odata *odataerrors.ODataError
	var api abs.ApiErrorable
	var uerr *url.Error
	switch {
	case errors.As(err, &odata):
		out.Status = odata.GetStatusCode()
		if m := odata.GetErrorEscaped(); m != nil {
			out.Code = deref(m.GetCode())
			out.Message = steps.Clean(deref(m.GetMessage()))
		}
	case errors.As(err, &api):
		out.Status = api.GetStatusCode()
		out.Message = steps.Clean(err.Error())
	case errors.As(err, &uerr):
		if strings.Contains(err.Error(), "sign-in failed") {
			out.Retryable = true
			var se *SignInError
			if errors.As(err, &se) {
				// The request signed in on the way and that failed: say
				// what the sign-in found (the host offline, say), not the
				// first URL error inside it (Go's "dial tcp" text).
				out.Message, out.Hint = steps.CleanMultiline("sign-in failed: "+se.Summary), steps.CleanMultiline(se.Hint)
				return out
			}
			out.Message = steps.CleanMultiline(unwrapURLError(uerr))
			return out
		}
		return translateTransport(err, uerr, what)
	default:
		// Most often an answer msgraph-sdk-go could not parse.
		out.Message = "could not " + what + ": " + steps.CleanMultiline(err.Error())
		return out
	}
	if out.Message == "" {
		out.Message = fmt.Sprintf("could not %s", what)
	} else {
		out.Message = fmt.Sprintf("could not %s: %s", what, out.Message)
	}
	out.Hint = hintFor(out.Status, out.Code, out.Message, f)
	out.Retryable = out.Status == 429 || out.Status >= 500
	return out
}

func unwrapURLError(u *url.Error) string {
	if u.Err != nil {
		return u.Err.Error()
	}
	return u.Error()
}

// hintFor is the fix for the Graph errors people meet while doing the
// quickstart. Commands in it are whole, built from f.run, and answers are
// named in the front end's words (f.run.Says).
func hintFor(status int, code, msg string, f followUp) string {
	low := strings.ToLower(msg)
	switch {
	case status == 401 || code == "InvalidAuthenticationToken":
		return "Your sign-in has expired or was revoked: " + f.signInAgain() + "."
	case code == "Authorization_RequestDenied" || status == 403:
		return "Your account is not allowed to register or change applications in this tenant. Ask an administrator for the " +
			"Application Developer or Cloud Application Administrator role (or to make you an owner of the app), or to set " +
			"\"Users can register applications\" to Yes (Entra admin center > Identity > Users > User settings). Then run the command again."
	case code == "InvalidIdentifierUriAsPerAppPolicy" || code == "InvalidUniqueTenantIdentifierAsPerAppPolicy" ||
		strings.Contains(low, "identifier-uri-addition-error"):
		return uriPolicyHint(code, low, f)
	case code == "HostNameNotOnVerifiedDomain" || strings.Contains(low, "identifieruris") && strings.Contains(low, "verified domain"):
		// Only forms every audience may use are recommended: a
		// multitenant app cannot have api://{tenantId}/<name>.
		return "An Application ID URI must be api://{appId} (the default) or use a verified domain of your tenant (or a " +
			"subdomain), e.g. https://api.contoso.com/connector; only a single-tenant app may also use api://{tenantId}/<name>. " +
			"Add and verify the domain under Custom domain names, or " + f.run.Says("leave out --identifier-uri to use the default.",
			"leave the Application ID URI empty to use the default api://{appId}.")
	case strings.Contains(low, "same value for property uniquename already exists"):
		// The app's id is not known here (deleted items could not be
		// read before registering, or setup would have named it).
		return "An application already holds this unique name — perhaps one in deleted items, where Entra keeps a deleted app's " +
			"name for 30 days. Find it in the Entra admin center (App registrations > Deleted applications): restore it there or with `" +
			f.run.Line("restore", "--app-id", steps.AppIDOrPlaceholder("")) + "` (APPID: its Application (client) ID), or purge it there; " +
			f.run.Says("or register under another --display-name.", "or register the app under another display name.")
	case strings.Contains(low, "same value for property identifieruris already exists"):
		return "Another application in this tenant already uses that Application ID URI — perhaps one in deleted items, which keeps " +
			"its URIs for 30 days. Pick another one, or " + f.run.Says("work on that app with --app-id (restore a deleted one first).",
			"choose that app under \"Use an existing application\" (restore a deleted one first).")
	case strings.Contains(low, "delegatedpermissionids") && strings.Contains(low, "cannot be found"):
		return "A preauthorized client names a scope id the application does not have (as Entra sees it now). If the scope was " +
			"added a moment ago, Entra may still be replicating it: run the same command again in a minute. Otherwise remove " +
			"that preauthorization (Entra admin center > App registrations > the app > Expose an API), or let `" +
			f.run.Line("doctor", "--app-id", steps.AppIDOrPlaceholder(f.appID), "--fix") + "` do it" + appIDWhere(f.appID) + "."
	case code == "CannotDeleteOrUpdateEnabledEntitlement":
		return "Entra only changes a scope after it has been disabled. pqentra does this in two steps, so the app was probably " +
			"changed by someone else meanwhile: run the command again."
	case status == 429 || status == 503 || status == 504:
		return "Graph is busy and asked us to slow down. Nothing is lost: wait a minute and run the same command again."
	case status >= 500:
		return "Graph had a problem on its side. Nothing is half-made: run the same command again."
	case status == 404:
		return "The object was not found: check the id, and that you signed in to the right tenant (--tenant)."
	}
	return ""
}

// uriPolicyHint explains a refusal by the tenant's app management policy
// (Identifier URI protection) in words: which setting, which forms it
// allows, and what to do. Graph's own text only points at a web page.
func uriPolicyHint(code, low string, f followUp) string {
	if code == "InvalidIdentifierUriAsPerAppPolicy" || strings.Contains(low, "must comply with the format") {
		return "Your tenant's app management policy (the setting " + steps.SettingNonDefault + ") allows a new Application ID URI " +
			"only in the default forms api://{appId} or api://{tenantId}/{appId}. " +
			f.run.Says("Leave out --identifier-uri to use api://{appId}", "Leave the Application ID URI empty to use api://{appId}") +
			" (change the connector's Resource to match), or ask an administrator to exempt the app (apps that receive v2 tokens are exempt). " +
			"Existing URIs are not affected."
	}
	return "Your tenant's app management policy (the setting " + steps.SettingUniqueTenantIdentifier + ", which Microsoft has switched " +
		"on in tenants since 2025) allows a new Application ID URI only with a unique tenant identifier in it: api://{appId} (the " +
		"default), api://{tenantId}/<name>, or a URI on one of your verified domains, e.g. https://api.contoso.com/connector. " +
		f.run.Says("Leave out --identifier-uri for the default.", "Leave the Application ID URI empty for the default.") +
		" Existing URIs are not affected."
}

// appIDWhere says what APPID stands for when the app is not known.
func appIDWhere(appID string) string {
	if appID != "" {
		return ""
	}
	return " (APPID: the app's Application (client) ID)"
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// isNotFound reports a Graph 404.
func isNotFound(err error) bool {
	e, ok := steps.AsError(err)
	return ok && e.Status == 404
}

// isKeyConflict reports Graph's "Another object with the same value for
// property <prop> already exists." It is recognised by the property the
// message names, whatever the status and code: real Graph answers a taken
// uniqueName or identifier URI with 400 Request_BadRequest (also the retry
// of a create whose answer was lost, while the app replicates), older
// endpoints and other objects with 409 or
// Request_MultipleObjectsWithSameKeyValue. Matching one status or code made
// the recovery after a lost create unreachable against real Graph.
func isKeyConflict(e *steps.Error, prop string) bool {
	return strings.Contains(strings.ToLower(e.Message), "same value for property "+strings.ToLower(prop)+" already exists")
}

// isSPNameTaken reports that the app's service principal exists already:
// Graph answers a second one with 409 Request_MultipleObjectsWithSameKeyValue
// "…because the service principal name {appId} is already in use." (older
// answers name the property servicePrincipalNames instead).
func isSPNameTaken(e *steps.Error) bool {
	low := strings.ToLower(e.Message)
	return isKeyConflict(e, "servicePrincipalNames") ||
		strings.Contains(low, "service principal name") && strings.Contains(low, "already in use") ||
		e.Status == 409 && e.Code == "Request_MultipleObjectsWithSameKeyValue"
}

// isNetwork reports a transient error with no HTTP answer (a lost
// response), worth sending again. Permanent transport errors (TLS) are not
// Retryable; a request that timed out is not sent again in this run.
func isNetwork(err error) bool {
	e, ok := steps.AsError(err)
	return ok && e.Status == 0 && e.Retryable && !isTimeout(err)
}
