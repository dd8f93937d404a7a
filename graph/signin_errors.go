package graph

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/pqentra/pqentra/steps"
)

// SignInError is a sign-in failure in plain words: the AADSTS code when
// Entra gave one, one line of what happened, and what to do. It never
// holds a token, code or verifier: only Entra's error text.
type SignInError struct {
	Code    string // e.g. "AADSTS65001"; "" when none
	Summary string // one line
	Hint    string // the fix; may be several lines
	// ConsentURL is the admin-consent link to send to an admin (consent
	// failures only).
	ConsentURL string
	Err        error
}

func (e *SignInError) Error() string {
	s := "sign-in failed: " + e.Summary
	if e.Hint != "" {
		s += "\n" + e.Hint
	}
	return s
}

func (e *SignInError) Unwrap() error { return e.Err }

// AdminConsentLink is the admin-consent URL, for screens that offer to copy
// it (found through an interface, so they need not import this package).
func (e *SignInError) AdminConsentLink() string { return e.ConsentURL }

// errCodeExpired: the user did not finish the device code sign-in in time.
var errCodeExpired = errors.New("the device code expired before sign-in finished")

// deviceCodeRequestError marks a failure of the device-code request itself
// (the endpoint refused it), as opposed to a failure while polling.
type deviceCodeRequestError struct{ err error }

func (d deviceCodeRequestError) Error() string { return d.err.Error() }
func (d deviceCodeRequestError) Unwrap() error { return d.err }

var aadstsRE = regexp.MustCompile(`AADSTS\d+`)

// aadstsCode is the first AADSTS code in msg ("" if none).
func aadstsCode(msg string) string { return aadstsRE.FindString(msg) }

// fallbackReason says why auto sign-in should try the browser after the
// device code failed, or "" when the browser would not help.
func fallbackReason(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	code := aadstsCode(msg)
	if code == "AADSTS53003" {
		return "Your tenant's Conditional Access blocks device code sign-in (AADSTS53003); signing in in the browser instead."
	}
	var req deviceCodeRequestError
	if !errors.As(err, &req) || code == "" {
		return ""
	}
	switch code {
	case "AADSTS65001", "AADSTS90002", "AADSTS900023", "AADSTS50059", "AADSTS700016":
		// consent, tenant or client problems: the browser meets them too
		return ""
	}
	return fmt.Sprintf("The device code sign-in was refused (%s); signing in in the browser instead.", code)
}

// AdminConsentURL is the link an admin opens to consent, once for the
// tenant, to pqentra's permission for client. Its host follows --cloud and
// --authority-host.
func AdminConsentURL(ep Endpoints, tenant, clientID string) string {
	if tenant == "" {
		tenant = "organizations"
	}
	return ep.LoginHost + "/" + tenant + "/v2.0/adminconsent?client_id=" + clientID + "&scope=" + ep.Scope()
}

// explain turns an MSAL failure into a SignInError (a cancelled context
// stays itself, so the exit code is 130).
func (s *SignIn) explain(ctx context.Context, err error) error {
	if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "context canceled")) {
		return ctx.Err()
	}
	if errors.Is(err, errCodeExpired) {
		return &SignInError{Summary: "the code expired before you finished signing in", Hint: "Run the command again to get a new code.", Err: err}
	}
	msg := err.Error()
	code := aadstsCode(msg)
	if code == "AADSTS65001" || strings.Contains(msg, "consent_required") {
		return s.consentError(ctx, err, code)
	}
	if code == "AADSTS53003" {
		return &SignInError{Code: code, Summary: summarize(msg), Err: err,
			Hint: "Your tenant's Conditional Access blocks the device code flow. Sign in in the browser instead: --sign-in browser (or leave --sign-in at auto)."}
	}
	out := signInError(err)
	out.Code = code
	return out
}

// consentError is the guidance for AADSTS65001: which permission, which
// client, the admin-consent link, and the ways around it.
func (s *SignIn) consentError(ctx context.Context, err error, code string) error {
	if code == "" {
		code = "AADSTS65001"
	}
	client := s.cfg.ClientID
	name := "your client app"
	if client == DefaultClientID {
		name = "Microsoft Graph Command Line Tools"
	}
	link := AdminConsentURL(s.cfg.Endpoints, s.cfg.Tenant, client)
	var b strings.Builder
	fmt.Fprintf(&b, "pqentra needs the delegated Graph permission Application.ReadWrite.All through %s (%s),\n", name, client)
	fmt.Fprintf(&b, "and in your tenant that needs an admin's consent, given once for the whole tenant.\n")
	fmt.Fprintf(&b, "Send this link to an admin (Global Administrator, Privileged Role Administrator, Cloud Application\nAdministrator or Application Administrator):\n\n  %s\n\n", link)
	fmt.Fprintf(&b, "Or, without waiting for an admin:\n")
	if s.cfg.Method == MethodAuto && AzureCLISignedIn(ctx, s.cfg.Tenant) {
		fmt.Fprintf(&b, "  - you are signed in to the Azure CLI, which every tenant trusts: run again with --sign-in azure-cli\n")
	} else {
		fmt.Fprintf(&b, "  - sign in through the Azure CLI, which every tenant trusts: `az login`, then run again with --sign-in azure-cli\n")
	}
	fmt.Fprintf(&b, "  - or pass --client-id with a public client app your tenant owns that has this consent")
	return &SignInError{Code: code, Summary: firstAADSTSLine(err.Error()), Hint: b.String(), ConsentURL: link, Err: err}
}

// firstAADSTSLine is Entra's one-line reason ("AADSTS65001: The user or
// administrator has not consented…"), without trace ids.
func firstAADSTSLine(msg string) string {
	if i := strings.Index(msg, "AADSTS"); i >= 0 {
		msg = msg[i:]
	}
	for _, cut := range []string{"\\r\\n", "\r\n", "\n", " Trace ID:"} {
		if j := strings.Index(msg, cut); j >= 0 {
			msg = msg[:j]
		}
	}
	return summarize(msg)
}

// signInError explains the other sign-in failures people actually meet.
func signInError(err error) *SignInError {
	msg := err.Error()
	out := &SignInError{Summary: summarize(msg), Err: err}
	switch {
	case strings.Contains(msg, "AADSTS700016"), strings.Contains(msg, "AADSTS7000218"):
		out.Hint = "The client app does not exist in this tenant or is not a public client: register a public client (Allow public client flows = Yes) and pass --client-id."
	case strings.Contains(msg, "AADSTS90002"), strings.Contains(msg, "AADSTS900023"):
		out.Hint = "The tenant was not found: check --tenant (a tenant GUID or a verified domain such as contoso.onmicrosoft.com)."
	case strings.Contains(msg, "AADSTS50059"):
		out.Hint = "No tenant could be identified: pass --tenant with your tenant id or domain."
	case strings.Contains(msg, "AADSTS50011"):
		out.Hint = "The client app does not accept the loopback redirect http://localhost: add it under Authentication > Mobile and desktop applications, or use --sign-in device."
	case strings.Contains(msg, "expired_token"), strings.Contains(msg, "code_expired"):
		out.Summary = "the code expired before you finished signing in"
		out.Hint = "Run the command again to get a new code."
	case strings.Contains(msg, "authorization_declined"), strings.Contains(msg, "access_denied"):
		out.Hint = "Sign-in was declined in the browser; run the command again to sign in."
	case strings.Contains(msg, "x509:") || strings.Contains(msg, "tls:"):
		i := strings.Index(msg, "x509:")
		if i < 0 {
			i = strings.Index(msg, "tls:")
		}
		out.Summary = "the sign-in server's TLS certificate is not trusted (" + summarize(firstLine(msg[i:])) + ")"
		out.Hint = "If you use a proxy or a test server with its own certificate authority, point SSL_CERT_FILE at its PEM file."
	case isUnreachable(err):
		host, why, _ := unreachable(err)
		out.Summary = "cannot reach the sign-in server " + host + ": " + why
		out.Hint = offlineHint(host) + " If you gave --cloud or --authority-host, check them too."
	default:
		out.Hint = "Check --tenant, --cloud and your network, then run the command again."
	}
	return out
}

// summarize folds MSAL's multi-line error (which may carry the server's
// AADSTS text) into one bounded, terminal-safe line.
// summarize is one readable line of an MSAL failure: Entra's own
// error_description when the reply carries one (without its trace ids),
// never MSAL's "http call(…)(POST) error: reply status code was 400" wrapper.
func summarize(msg string) string {
	if m := errorDescRE().FindStringSubmatch(msg); m != nil {
		if d, err := strconv.Unquote(`"` + m[1] + `"`); err == nil {
			d, _, _ = strings.Cut(d, "\r\n")
			d, _, _ = strings.Cut(d, "\n")
			d, _, _ = strings.Cut(d, " Trace ID:")
			if d = strings.TrimSpace(d); d != "" {
				msg = d
			}
		}
	} else {
		msg = httpCallRE().ReplaceAllString(msg, "")
	}
	s := strings.Join(strings.Fields(steps.Clean(msg)), " ")
	if r := []rune(s); len(r) > 400 {
		s = string(r[:400]) + "…"
	}
	return s
}

// Compiled on first use: pqentra --version and --help do no such work at
// start-up (e2e's TestStartupDoesNoEmulatorWork).
var (
	errorDescRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`"error_description"\s*:\s*"((?:[^"\\]|\\.)*)"`)
	})
	httpCallRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`http call\([^)]*\)(\([A-Z]+\))? error: (reply status code was \d+:?\s*)?`)
	})
)

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
