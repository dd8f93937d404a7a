package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/x/ansi"

	"github.com/pqentra/pqentra/steps"
)

// field is one question, bound to an answer, described once: the
// full-screen wizard turns it into a huh field (huhField), the plain wizard
// asks it as a prompt (plain.askField). Each step's builder below is the
// only place its questions are written.
type field struct {
	title, desc string
	// placeholder is an example value, shown as "e.g. …" (so that without
	// colour it cannot be mistaken for a typed value).
	placeholder string
	validate    func(string) error

	// Exactly one of these is set; it says what kind of field this is.
	text   *string   // free text
	choice *string   // one of options
	yes    *bool     // yes/no, labelled affirmative/negative
	checks *[]string // any of options

	options []choice
	// fixed are checks that stay on (clients already preauthorized):
	// switching one off is refused with fixedWhy(value), by the same rule
	// in both wizards (keepsFixed).
	fixed    []string
	fixedWhy func(value string) error

	affirmative, negative string
}

type choice struct{ label, value string }

// fieldGroup is asked together (one page of a form) when shown() is true.
type fieldGroup struct {
	fields []field
	shown  func() bool
}

func always() bool { return true }

func modeChoices() []choice {
	return []choice{{"Register a new application", modeNew}, {"Use an existing application", modeExisting}}
}

func audienceChoices() []choice {
	return []choice{{"Accounts in this organizational directory only", steps.AudienceSingle},
		{"Accounts in any organizational directory (multitenant)", steps.AudienceMulti}}
}

func consentChoices() []choice {
	return []choice{{"Admins and users", steps.ConsentUsers}, {"Admins only", steps.ConsentAdmins}}
}

// appChoice shows an app found in the tenant: its (cleaned) name and id.
// Given a width, the label fits it on one line — the name shortened, then
// the id cut to its first block — so that no id is ever split.
func appChoice(a steps.App, width int) choice {
	name, id := steps.Clean(a.DisplayName), a.AppID
	if width > 0 && ansi.StringWidth(name)+2+len(id) > width {
		id = strings.SplitN(id, "-", 2)[0] + "…"
		name = ellipsize(name, max(8, width-2-ansi.StringWidth(id)))
	}
	return choice{name + "  " + id, a.AppID}
}

func modeField(a *registerAnswers) field {
	return field{title: "Resource application", desc: "The app registration for the service your connector calls.",
		choice: &a.mode, options: modeChoices()}
}

// newAppGroup asks for a new app's name and audience.
func newAppGroup(a *registerAnswers) fieldGroup {
	return fieldGroup{shown: func() bool { return a.mode == modeNew }, fields: []field{
		{title: "Display name", desc: "What users see when they consent; you can rename it later.",
			placeholder: "Contoso Connector", text: &a.name, validate: steps.ValidateDisplayName},
		{title: "Supported account types", desc: "This organization only if the service is internal; any organization for a public, multitenant service.",
			choice: &a.audience, options: audienceChoices()},
	}}
}

// appQueryField is the existing-app search box.
func appQueryField(a *registerAnswers) field {
	return field{title: "Find the application", desc: "Any word of its name, or its Application (client) ID.",
		placeholder: "Contoso, or the app's client ID", text: &a.query}
}

// uriField describes the forms Entra takes for the app's audience, as
// steps checks them (CheckIdentifierURIFor, CheckAppManagementPolicy): a
// single-tenant app may also use api://{tenantId}/<name> and, where the
// tenant's app management policy allows, other api:// URIs; a multitenant
// app only the default or a verified domain.
func uriField(f *flow, a *uriAnswers) field {
	// As short as it can be: at 80x24 every line here is one less of the
	// request preview.
	desc := "Empty or api://{appId} always works. Also api://{tenantId}/<name>, a verified domain, other api:// if the policy allows."
	if steps.IsMultitenant(f.audience()) {
		desc = "Empty or api://{appId} always works. Otherwise a multitenant app needs a URI on a verified domain."
	}
	return field{title: "Application ID URI", desc: desc, text: &a.uri, validate: f.checkURI}
}

func scopeGroups(a *scopeAnswers) []fieldGroup {
	return []fieldGroup{
		{shown: always, fields: []field{
			{title: "Scope name", desc: "The quickstart uses Data.Read.", text: &a.value, validate: steps.ValidateScopeValue},
			{title: "Who can consent", choice: &a.consent, options: consentChoices()},
			{title: "Edit the consent texts?", yes: &a.editTexts, affirmative: "Edit", negative: "Keep"},
		}},
		{shown: func() bool { return a.editTexts }, fields: []field{
			{title: "Admin consent display name", text: &a.texts.AdminConsentDisplayName, validate: nonEmpty},
			{title: "Admin consent description", text: &a.texts.AdminConsentDescription, validate: nonEmpty},
			{title: "User consent display name", text: &a.texts.UserConsentDisplayName},
			{title: "User consent description", text: &a.texts.UserConsentDescription},
		}},
	}
}

// clientGroup starts from the app: a client it already preauthorizes for
// the scope is checked, marked kept, and stays — the wizard, like setup,
// only adds preauthorizations, so unchecking one could not remove it and
// is refused instead of shown as if it would.
func clientGroup(a *preauthAnswers) fieldGroup {
	var opts []choice
	for _, c := range steps.KnownClients {
		label := clientOption(c)
		if slices.Contains(a.kept, c.AppID) {
			label = c.Name + " (kept)" // the description says why
		}
		opts = append(opts, choice{label, c.AppID})
	}
	desc := "Both are needed: Power Query for Excel signs users in (Desktop, Excel, gateway), Power BI Data Refresh refreshes in the service."
	if len(a.kept)+len(a.keptOthers) > 0 {
		desc += " Clients already preauthorized for " + a.scope + " are marked (kept) and stay: the wizard only adds."
	}
	if len(a.keptOthers) > 0 {
		desc += " Also kept: " + strings.Join(a.keptOthers, ", ") + "."
	}
	return fieldGroup{shown: always, fields: []field{
		{title: "Client applications to preauthorize", desc: desc,
			checks: &a.known, options: opts, fixed: a.kept, fixedWhy: keptClient},
		{title: "Other client ID (optional)", placeholder: "00001111-aaaa-2222-bbbb-3333cccc4444", text: &a.other, validate: validClientID},
	}}
}

// keptClient refuses to switch off a client already preauthorized.
func keptClient(appID string) error {
	return fmt.Errorf("%s is already preauthorized and stays: the wizard only adds clients "+
		"(to remove one: Entra admin center > App registrations > the app > Expose an API)", steps.ClientLabel(appID))
}

// keepsFixed refuses a choice of checks that switches a fixed one off.
func (fd field) keepsFixed(v []string) error {
	for _, id := range fd.fixed {
		if !slices.ContainsFunc(v, func(x string) bool { return strings.EqualFold(x, id) }) {
			return fd.fixedWhy(id)
		}
	}
	return nil
}

// clientOption is a short checklist label: name and where Power Query uses it.
func clientOption(c steps.Client) string {
	where := map[string]string{steps.ClientExcel.AppID: "Desktop, Excel, gateway",
		steps.ClientRefresh.AppID: "Power BI service refresh", steps.ClientPowerApps.AppID: "optional"}[c.AppID]
	if where == "" {
		return c.Name
	}
	return c.Name + " (" + where + ")"
}

// huhField builds the full-screen wizard's field for fd.
func (fd field) huhField() huh.Field {
	switch {
	case fd.text != nil:
		in := huh.NewInput().Title(fd.title).Description(fd.desc).Value(fd.text)
		if fd.placeholder != "" {
			in.Placeholder("e.g. " + fd.placeholder)
		}
		if fd.validate != nil {
			in.Validate(fd.validate)
		}
		return in
	case fd.choice != nil:
		return huh.NewSelect[string]().Title(fd.title).Description(fd.desc).Options(huhOptions(fd.options, nil)...).Value(fd.choice)
	case fd.yes != nil:
		return huh.NewConfirm().Title(fd.title).Description(fd.desc).Affirmative(fd.affirmative).Negative(fd.negative).Value(fd.yes)
	default:
		ms := huh.NewMultiSelect[string]().Title(fd.title).Description(fd.desc).Options(huhOptions(fd.options, *fd.checks)...).Value(fd.checks)
		if len(fd.fixed) > 0 {
			ms.Validate(fd.keepsFixed)
		}
		return ms
	}
}

func huhOptions(cs []choice, selected []string) []huh.Option[string] {
	var out []huh.Option[string]
	for _, c := range cs {
		on := slices.ContainsFunc(selected, func(v string) bool { return strings.EqualFold(v, c.value) })
		out = append(out, huh.NewOption(c.label, c.value).Selected(on))
	}
	return out
}

// huhGroup builds a form page from a field group; first is its first field.
func (g fieldGroup) huhGroup(extra ...huh.Field) (grp *huh.Group, first huh.Field) {
	var fs []huh.Field
	for _, fd := range g.fields {
		fs = append(fs, fd.huhField())
	}
	fs = append(fs, extra...)
	grp = huh.NewGroup(fs...)
	if g.shown != nil {
		shown := g.shown
		grp.WithHideFunc(func() bool { return !shown() })
	}
	return grp, fs[0]
}
