package e2e

import (
	"strings"
	"testing"
	"time"

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
	t.Parallel()
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

// Rule 3: Entra replicates updates too. On an app with its URI but no
// scope, setup adds the scope and then preauthorizes it; the second PATCH
// meets the replica without the scope (400 InvalidValue), waits, and the
// run converges in one go, saying why it waited.
func TestBinaryUpdateReplicationIsWaitedOut(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{UpdateLag: time.Second})
	const appID = "3c5e7a9b-1d2f-4a6b-8c0d-2e4f6a8b0c1d"
	if _, _, err := emu.SeedApplication(map[string]any{"appId": appID, "displayName": "Replicating Connector",
		"identifierUris": []any{"api://" + appID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := emu.SeedServicePrincipal(appID, ""); err != nil {
		t.Fatal(err)
	}
	args := emuArgs(emu, "setup", "--non-interactive", "--app-id", appID, "--output", "json")
	p := runBinary(t, env, args...)
	if p.code != 0 {
		t.Fatalf("exit %d\n%s", p.code, p.stderr)
	}
	r := decodeReport(t, p)
	if r.Error != nil || len(r.PreAuthorizedApplications) != 2 || r.Snippet == "" {
		t.Fatalf("report %+v", r)
	}
	assertReportMatchesDirectory(t, emu, r)
	if !strings.Contains(p.stderr, "Waiting for Entra to replicate the application's last change") {
		t.Errorf("stderr does not say it waited for replication:\n%s", p.stderr)
	}
	refused := 0
	for _, l := range emu.Log() {
		if l.Graph && l.Method == "PATCH" && l.Status == 400 {
			refused++
		}
	}
	if refused == 0 {
		t.Fatal("no write was refused during the update lag: the test proves nothing")
	}
	p = runBinary(t, env, args...)
	if r := decodeReport(t, p); p.code != 0 || len(r.Changes) != 0 {
		t.Fatalf("re-run: exit %d, %d changes\n%s", p.code, len(r.Changes), p.stderr)
	}
}

// Rule 4: the service principal right after its app is refused with
// Graph's 403 "…backing application … must in the local tenant" while the
// app replicates. This run made the app, so that is waited out: exit 0,
// one app with its service principal.
func TestBinaryServicePrincipalRightAfterTheApp(t *testing.T) {
	emu, env := startEmulator(t, emulator.Options{ReplicationLag: time.Second})
	p := runBinary(t, env, emuArgs(emu, "setup", "--non-interactive", "--display-name", "Fresh SP Connector", "--output", "json")...)
	if p.code != 0 {
		t.Fatalf("exit %d\n%s", p.code, p.stderr)
	}
	r := decodeReport(t, p)
	if r.ServicePrincipalID == "" || r.Snippet == "" {
		t.Fatalf("report %+v", r)
	}
	assertReportMatchesDirectory(t, emu, r)
	forbidden := 0
	for _, l := range emu.Log() {
		if l.Graph && strings.HasPrefix(l.Path, "/v1.0/servicePrincipals") && l.Status == 403 {
			forbidden++
		}
	}
	if forbidden == 0 {
		t.Fatal("the service principal was never refused with 403: the test proves nothing")
	}
	if strings.Contains(p.stderr, "Cloud Application Administrator") {
		t.Errorf("replication was explained as a missing role:\n%s", p.stderr)
	}
}
