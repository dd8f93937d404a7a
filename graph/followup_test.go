package graph

import (
	"strings"
	"testing"

	"github.com/pqentra/pqentra/steps"
)

// A hint's next step is what this run can do: sign out of pqentra's cache
// with the run's global flags, renew the Azure CLI's sign-in, or — in the
// demo, which keeps no sign-in — just run again (a bare `pqentra logout`
// printed by a demo run would sign the user out of their real tenant).
func TestExpiredSignInHintFitsTheRun(t *testing.T) {
	msg := "could not read the signed-in user: Access token has expired or is not yet valid."
	for _, c := range []struct {
		name string
		f    followUp
		want string
		not  string
	}{
		{"cached, with flags", followUp{run: steps.Command{Globals: []string{"--tenant", "contoso.com"}}, cached: true},
			"run `pqentra --tenant contoso.com logout`, then run the command again", ""},
		{"demo", followUp{run: steps.Command{Globals: []string{"--demo"}}},
			"run the command again to sign in afresh", "logout"},
		{"azure cli", followUp{run: steps.Command{Globals: []string{"--sign-in", "azure-cli"}}, signIn: MethodAzureCLI},
			"run `az login` again", "pqentra"},
	} {
		h := hintFor(401, "InvalidAuthenticationToken", msg, c.f)
		if !strings.Contains(h, c.want) || c.not != "" && strings.Contains(h, c.not) {
			t.Errorf("%s: hint %q, want %q without %q", c.name, h, c.want, c.not)
		}
	}
}

// Graph's refusals of an Application ID URI say what to do in the words
// of the front end: the command line names --identifier-uri, the wizard
// its Application ID URI field.
func TestURIRefusalHintsInTheFrontEndsWords(t *testing.T) {
	refusals := []struct{ code, msg string }{
		{"InvalidIdentifierUriAsPerAppPolicy", "could not update the application: Identifier uri must comply with the format. See https://aka.ms/identifier-uri-addition-error"},
		{"InvalidUniqueTenantIdentifierAsPerAppPolicy", "could not update the application: See https://aka.ms/identifier-uri-addition-error"},
		{"HostNameNotOnVerifiedDomain", "could not update the application: Values of identifierUris property must use a verified domain of the organization or its subdomain"},
	}
	for _, r := range refusals {
		cli := hintFor(400, r.code, r.msg, followUp{})
		wiz := hintFor(400, r.code, r.msg, followUp{run: steps.Command{Wizard: true}})
		if !strings.Contains(strings.ToLower(cli), "leave out --identifier-uri") {
			t.Errorf("%s, command line: %q", r.code, cli)
		}
		if strings.Contains(wiz, "--") || !strings.Contains(strings.ToLower(wiz), "leave the application id uri empty") {
			t.Errorf("%s, wizard: %q", r.code, wiz)
		}
	}
}

// A write refused because a preauthorization names a missing scope names
// doctor --fix for the app, with the run's flags.
func TestMissingScopeHintNamesTheApp(t *testing.T) {
	msg := "could not update the application: Property api.preAuthorizedApplications.delegatedPermissionIds has a Permission Id that cannot be found."
	h := hintFor(400, "InvalidValue", msg, followUp{run: steps.Command{Globals: []string{"--demo"}}, appID: "00001111-aaaa-2222-bbbb-3333cccc4444"})
	if !strings.Contains(h, "`pqentra --demo doctor --app-id 00001111-aaaa-2222-bbbb-3333cccc4444 --fix`") {
		t.Errorf("hint %q", h)
	}
}
