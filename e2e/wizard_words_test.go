package e2e

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
)

// The wizard speaks in its own words: its Application ID URI field says
// which forms Entra takes (not only verified domains: a single-tenant app
// may use api://{tenantId}/<name>), and when Graph refuses a URI the fix
// names the field, not the command line's --identifier-uri.
func TestPlainWizardURIRefusalInItsOwnWords(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{AppManagementPolicy: &emulator.AppManagementPolicy{NonDefault: emulator.URIRestriction{Enabled: true}}})
	// Register (1, name, audience, send), then a custom URI and send it.
	cmd := binaryCmd(env, emuArgs(emu, "--accessible")...)
	cmd.Stdin = strings.NewReader("\nWizard Words\n\n\n" + "https://api.contoso.com/pq\n\n")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	_ = cmd.Run()
	all := out.String() + errb.String()
	for _, want := range []string{"api://{tenantId}/<name>", "Fix: Your tenant's app management policy", "Leave the Application ID URI empty to use api://{appId}"} {
		if !strings.Contains(all, want) {
			t.Errorf("the plain wizard does not say %q:\n%s", want, all)
		}
	}
	for _, bad := range []string{"--identifier-uri", "A custom URI must use one of the tenant's verified domains"} {
		if strings.Contains(all, bad) {
			t.Errorf("the plain wizard says %q:\n%s", bad, all)
		}
	}
}
