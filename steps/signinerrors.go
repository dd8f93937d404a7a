package steps

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// The sign-in errors a connector's users meet in Power Query (and the
// admins they ask), what causes each, and the pqentra command that fixes
// it: `pqentra doctor --error 'AADSTS650052: …'` prints one, for the app at
// hand; docs/troubleshooting.md lists them all.

// KnownError is what pqentra knows about one sign-in error.
type KnownError struct {
	Code string `json:"code"` // e.g. "AADSTS650052"
	// Says is the gist of what Entra shows.
	Says  string `json:"says"`
	Cause string `json:"cause"`
	// Fix is what to do, one step each; pqentra commands are whole, in
	// backticks.
	Fix []string `json:"fix"`
	// AppID is the resource app the explanation is for ("" when neither
	// the command line nor the error named one).
	AppID string `json:"appId,omitempty"`
}

// ExplainContext is the app at hand and how pqentra was started.
type ExplainContext struct {
	AppID     string // the connector's resource app, when known
	Cmd       Command
	LoginHost string // for the admin-consent URL
}

// ErrUnknownCode is an error code pqentra has no explanation for.
type ErrUnknownCode struct {
	Code string
	// AppID is the app at hand ("" when neither the command line nor the
	// error named one), Cmd how pqentra was started: the doctor command
	// printed is whole.
	AppID string
	Cmd   Command
}

func (e *ErrUnknownCode) Error() string {
	n := strings.TrimPrefix(e.Code, "AADSTS")
	where := ""
	if e.AppID == "" {
		where = " (APPID: your app's Application (client) ID)"
	}
	return fmt.Sprintf("pqentra has no explanation of %s: Microsoft's page for it is https://login.microsoftonline.com/error?code=%s; "+
		"`%s` checks the app for every cause pqentra knows%s", e.Code, n, e.Cmd.Line("doctor", "--app-id", AppIDOrPlaceholder(e.AppID)), where)
}

var (
	aadstsCodeRE = regexp.MustCompile(`(?i)AADSTS(\d{4,8})`)
	bareCodeRE   = regexp.MustCompile(`^\s*(\d{4,8})\s*$`)
	guidRE2      = `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`
	// resourceIn finds the resource app's id in an error's text, per code
	// (the first GUID is not always it: 65001 names the client).
	resourceIn = map[string]*regexp.Regexp{
		"AADSTS500011": regexp.MustCompile(`(?i)resource principal named (?:api://)?(` + guidRE2 + `)`),
		"AADSTS650052": regexp.MustCompile(`(?i)access a service '(` + guidRE2 + `)'`),
		"AADSTS700016": regexp.MustCompile(`(?i)identifier '(` + guidRE2 + `)'`),
		"AADSTS90072":  regexp.MustCompile(`(?i)access the application '(` + guidRE2 + `)'`),
		"AADSTS50020":  regexp.MustCompile(`(?i)access the application '(` + guidRE2 + `)'`),
		"AADSTS650053": regexp.MustCompile(`(?i)on the resource '(` + guidRE2 + `)'`),
	}
)

// ParseErrorCode finds the error code in what the user pasted: a code
// ("AADSTS650052", "650052") or Entra's whole message, or the words "Need
// admin approval".
func ParseErrorCode(text string) (string, error) {
	if m := aadstsCodeRE.FindStringSubmatch(text); m != nil {
		return "AADSTS" + m[1], nil
	}
	if m := bareCodeRE.FindStringSubmatch(text); m != nil {
		return "AADSTS" + m[1], nil
	}
	if strings.Contains(strings.ToLower(text), "need admin approval") {
		return "AADSTS90094", nil
	}
	return "", errors.New("no error code in it: give the AADSTS code Power Query showed (e.g. AADSTS650052, or just 650052), or the whole message")
}

// ExplainError explains the error in text for the app at hand. The app is
// ctx.AppID, else the one the error's message names.
func ExplainError(text string, ctx ExplainContext) (KnownError, error) {
	code, err := ParseErrorCode(text)
	if err != nil {
		return KnownError{}, err
	}
	entry, ok := knownErrors[code]
	if !ok {
		return KnownError{}, &ErrUnknownCode{Code: code, AppID: strings.ToLower(ctx.AppID), Cmd: ctx.Cmd}
	}
	appID := strings.ToLower(ctx.AppID)
	if appID == "" {
		if re := resourceIn[code]; re != nil {
			if m := re.FindStringSubmatch(text); m != nil {
				appID = strings.ToLower(m[1])
			}
		}
	}
	id := appID
	if id == "" {
		id = "APPID"
	}
	h := explainHelp{id: id, cmd: ctx.Cmd, consent: AdminConsentURL(ctx.LoginHost, "organizations", id)}
	k := KnownError{Code: code, Says: entry.says, Cause: entry.cause, Fix: entry.fix(h), AppID: appID}
	if appID == "" && strings.Contains(strings.Join(k.Fix, " "), "APPID") {
		k.Fix = append(k.Fix, "APPID above is the app's Application (client) ID: give it with --app-id for whole commands.")
	}
	return k, nil
}

// KnownErrorCodes are the codes ExplainError knows, in the order the docs
// list them.
func KnownErrorCodes() []string { return append([]string(nil), knownOrder...) }

type explainHelp struct {
	id      string
	cmd     Command
	consent string
}

func (h explainHelp) run(args ...string) string { return "`" + h.cmd.Line(args...) + "`" }

type knownEntry struct {
	says, cause string
	fix         func(h explainHelp) []string
}

var knownOrder = []string{"AADSTS500011", "AADSTS650052", "AADSTS65001", "AADSTS90094", "AADSTS650057", "AADSTS650053",
	"AADSTS90072", "AADSTS50020", "AADSTS700016", "AADSTS53003"}

var knownErrors = map[string]knownEntry{
	"AADSTS500011": {
		says: "The resource principal named … was not found in the tenant named ….",
		cause: "The tenant the user signed in to has no service principal for the app the connector's Resource names. In an organization " +
			"that uses a published connector, nobody there has onboarded the publisher's multitenant app yet; in the app's own tenant, its " +
			"service principal is missing, or the Resource names a URI no app has.",
		fix: func(h explainHelp) []string {
			return []string{
				"In the user's organization (not the app's): an admin runs " + h.run("onboard", "--app-id", h.id) + ", or opens " + h.consent + ".",
				"In the app's own tenant: " + h.run("doctor", "--app-id", h.id, "--fix") + " creates the service principal; add --connector Your.pq to check the Resource too.",
			}
		},
	},
	"AADSTS650052": {
		says:  "The app is trying to access a service '…' that your organization '…' lacks a service principal for.",
		cause: "The user's organization has not onboarded the connector's resource app: it is a publisher's multitenant app, and this organization has no service principal of it.",
		fix: func(h explainHelp) []string {
			return []string{
				"An admin of the user's organization (Cloud Application Administrator, Application Administrator or Global Administrator) runs " +
					h.run("onboard", "--app-id", h.id) + ", or opens " + h.consent + ".",
				"The publisher makes sure the app is multitenant: " + h.run("setup", "--non-interactive", "--app-id", h.id, "--audience", "multi") + " prints what to send customers.",
			}
		},
	},
	"AADSTS65001": {
		says: "The user or administrator has not consented to use the application with ID '…'.",
		cause: "Power Query's client asks for the app's scope and nobody has consented: the client is not preauthorized for the scope, " +
			"the scope is admin-only, or the user's organization does not let users consent.",
		fix: func(h explainHelp) []string {
			return []string{
				"The publisher: " + h.run("doctor", "--app-id", h.id, "--fix") + " preauthorizes Power Query for Excel and Power BI Data Refresh for a scope admins and users can consent to.",
				"In an organization where users may not consent: an admin consents once for everyone at " + h.consent + ".",
			}
		},
	},
	"AADSTS90094": {
		says: "Need admin approval (the grant requires admin permission).",
		cause: "The scope the connector asks for is admin-only, or the user's organization does not let users consent, and the Power Query " +
			"client is not preauthorized for it.",
		fix: func(h explainHelp) []string {
			return []string{
				"The publisher: " + h.run("doctor", "--app-id", h.id, "--fix") + " makes the scope consentable by admins and users and preauthorizes the Power Query clients (no prompt at all then).",
				"Or an admin of the user's organization consents for everyone at " + h.consent + ".",
			}
		},
	},
	"AADSTS650057": {
		says:  "Invalid resource. The client has requested access to a resource which is not listed in the requested permissions in the client's application registration.",
		cause: "The Power Query client (Excel or the Power BI service) is not preauthorized for an enabled scope of the app.",
		fix: func(h explainHelp) []string {
			return []string{h.run("doctor", "--app-id", h.id, "--fix") + " preauthorizes both Power Query clients for the app's scope."}
		},
	},
	"AADSTS650053": {
		says:  "The application '…' asked for scope '…' that doesn't exist on the resource '…'.",
		cause: "The connector's Aad record has no Scope (Power Query then asks for user_impersonation) or names a scope the app does not have.",
		fix: func(h explainHelp) []string {
			return []string{h.run("doctor", "--app-id", h.id, "--connector", "Your.pq", "--fix") + " sets Scope = \".default\" in the Aad record (and adds a scope to the app if it has none)."}
		},
	},
	"AADSTS90072": {
		says: "User account '…' from identity provider '…' does not exist in tenant '…' and cannot access the application '…' in that tenant.",
		cause: "The user signed in to a tenant they do not belong to: the connector's AuthorizationUri names the publisher's tenant instead " +
			"of /common/, or the app is single-tenant, so users of other organizations are sent to its home tenant.",
		fix: func(h explainHelp) []string {
			return []string{
				"The publisher makes the app multitenant: " + h.run("setup", "--non-interactive", "--app-id", h.id, "--audience", "multi") + ".",
				"And the connector signs users in at their own tenant: " + h.run("doctor", "--app-id", h.id, "--connector", "Your.pq", "--fix") + " sets AuthorizationUri to /common/.",
				"Or, for a few outside users of a single-tenant app: the app's tenant invites them as guests.",
			}
		},
	},
	"AADSTS50020": {
		says: "User account '…' from identity provider '…' does not exist in tenant '…' and cannot access the application '…' in that tenant.",
		cause: "The account is not a member of the tenant it signed in to: a user of another organization (the connector pins the " +
			"publisher's tenant, or the app is single-tenant), or a personal Microsoft account where only work or school accounts work.",
		fix: func(h explainHelp) []string {
			return []string{
				"A personal account (live.com, outlook.com): sign in with a work or school account.",
				"Another organization's user: the publisher runs " + h.run("setup", "--non-interactive", "--app-id", h.id, "--audience", "multi") +
					" and " + h.run("doctor", "--app-id", h.id, "--connector", "Your.pq", "--fix") + " (AuthorizationUri /common/); that organization then onboards the app.",
			}
		},
	},
	"AADSTS700016": {
		says:  "Application with identifier '…' was not found in the directory '…'.",
		cause: "The user's tenant does not know the app: it is single-tenant (only its home tenant knows it), the id is wrong, or the app was deleted.",
		fix: func(h explainHelp) []string {
			return []string{
				"The publisher checks the app: " + h.run("doctor", "--app-id", h.id) + "; a single-tenant app that other organizations use becomes multitenant with " +
					h.run("setup", "--non-interactive", "--app-id", h.id, "--audience", "multi") + ".",
				"The user's organization then onboards it: " + h.run("onboard", "--app-id", h.id) + ".",
			}
		},
	},
	"AADSTS53003": {
		says:  "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
		cause: "A Conditional Access policy of the user's tenant blocks this sign-in (device compliance, location, or the device-code flow).",
		fix: func(h explainHelp) []string {
			return []string{
				"Connector users: an admin of their tenant finds the sign-in in the Entra sign-in logs (its Conditional Access tab names the policy) and adjusts it, or the user signs in from a compliant device.",
				"pqentra's own sign-in: in auto mode it switches to the browser by itself; or sign in that way: " + h.run("whoami", "--sign-in", "browser") + ".",
			}
		},
	},
}
