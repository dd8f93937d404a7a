package e2e

import (
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
)

// Issue 16: the rules where real Graph is stricter than our emulator was,
// driven through the built binary against the (now as strict) emulator.
// docs/graph-rules.md lists each rule with its source.

// Rule 2: the roles are read with an advanced query (a cast on
// transitiveMemberOf needs ConsistencyLevel: eventual and $count=true), so
// whoami lists them, and an Application Developer in a tenant where users
// may not register apps is let through.
func TestBinaryWhoamiListsRoles(t *testing.T) {
	emu, env := startEmulator(t, emulator.Options{UsersCannotRegisterApps: true, UserRoles: []string{"Application Developer"}})
	w := runBinary(t, env, emuArgs(emu, "whoami", "--output", "json")...)
	if w.code != 0 {
		t.Fatalf("whoami: exit %d\n%s", w.code, w.stderr)
	}
	who := whoami(t, w)
	if strings.Join(who.Roles, ",") != "Application Developer" || who.CanRegisterApps == nil || !*who.CanRegisterApps {
		t.Fatalf("whoami %+v\n%s", who, w.stderr)
	}
	txt := runBinary(t, env, emuArgs(emu, "whoami")...)
	if txt.code != 0 || strings.Contains(txt.stdout, "could not be read") || !strings.Contains(txt.stdout, "Application Developer") {
		t.Fatalf("whoami text: exit %d\n%s\n%s", txt.code, txt.stdout, txt.stderr)
	}
	p := runBinary(t, env, emuArgs(emu, "setup", "--non-interactive", "--display-name", "Developer Connector", "--output", "json")...)
	if p.code != 0 {
		t.Fatalf("setup: exit %d\n%s", p.code, p.stderr)
	}
	assertReportMatchesDirectory(t, emu, decodeReport(t, p))
}
