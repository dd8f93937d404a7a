package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
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

// Rule 5: a deleted app keeps its unique name for 30 days. Setup after
// undo finds it in deleted items and stops before any write, naming the
// app, when it was deleted and the two ways on as whole commands with the
// run's global flags; the printed --restore-deleted command, run as
// printed, restores the app and finishes the setup in one run.
func TestBinarySetupAfterUndoFindsTheDeletedApp(t *testing.T) {
	emu, env := startEmulator(t, emulator.Options{})
	setup := emuArgs(emu, "setup", "--non-interactive", "--display-name", "Deleted Connector")
	p := runBinary(t, env, append(setup, "--output", "json")...)
	if p.code != 0 {
		t.Fatalf("setup: exit %d\n%s", p.code, p.stderr)
	}
	appID := decodeReport(t, p).AppID
	if p = runBinary(t, env, emuArgs(emu, "undo", "--display-name", "Deleted Connector", "--yes")...); p.code != 0 {
		t.Fatalf("undo: exit %d\n%s", p.code, p.stderr)
	}
	_, writesBefore := emu.Counts()

	p = runBinary(t, env, setup...)
	if p.code != 1 {
		t.Fatalf("setup after undo: exit %d\n%s", p.code, p.stderr)
	}
	hosts := "--authority-host " + emu.URL() + " --graph-endpoint " + emu.URL()
	restoreLine := "pqentra " + hosts + ` setup --display-name "Deleted Connector" --non-interactive --restore-deleted`
	for _, want := range []string{appID, "deleted items", "Nothing was changed", restoreLine,
		"pqentra " + hosts + " restore --app-id " + appID, "pqentra " + hosts + " undo --app-id " + appID + " --purge"} {
		if !strings.Contains(p.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, p.stderr)
		}
	}
	if _, writes := emu.Counts(); writes != writesBefore {
		t.Fatalf("%d writes were sent", writes-writesBefore)
	}
	j := runBinary(t, env, append(setup, "--output", "json")...)
	if r := decodeReport(t, j); j.code != 1 || r.Error == nil || !strings.Contains(*r.Error, "--restore-deleted") {
		t.Fatalf("json: exit %d %s", j.code, j.stdout)
	}

	// The printed command, run as printed.
	run := exec.Command("sh", "-c", restoreLine+" --output json")
	run.Env = append([]string{"PATH=" + filepath.Dir(binary) + ":" + os.Getenv("PATH"), "TERM=dumb"}, env...)
	var out, errb bytes.Buffer
	run.Stdout, run.Stderr = &out, &errb
	p = proc{exitOf(t, run.Run()), out.String(), errb.String()}
	if p.code != 0 {
		t.Fatalf("%s: exit %d\n%s", restoreLine, p.code, p.stderr)
	}
	r := decodeReport(t, p)
	if r.AppID != appID || r.ServicePrincipalID == "" || r.Snippet == "" {
		t.Fatalf("restored report %+v", r)
	}
	assertReportMatchesDirectory(t, emu, r)
	for _, d := range emu.DeletedItems() {
		if d["appId"] == appID {
			t.Errorf("still in deleted items: %v", d["@odata.type"])
		}
	}
}

// Rule 6: Identifier URI protection (the app management policy). When the
// user may read it, a URI it refuses stops setup with exit 2 before any
// write, naming the setting; when Graph refuses one (the policy was not
// readable), the error gives the same guidance in words, not only Graph's
// text.
func TestBinaryIdentifierURIProtection(t *testing.T) {
	emu, env := startEmulator(t, emulator.Options{UserRoles: []string{"Global Reader"}})
	p := runBinary(t, env, emuArgs(emu, "setup", "--non-interactive", "--display-name", "Protected Connector", "--identifier-uri", "api://myapi")...)
	if p.code != 2 || !strings.Contains(p.stderr, "uriAdditionWithoutUniqueTenantIdentifier") || !strings.Contains(p.stderr, "api://{appId}") {
		t.Fatalf("readable policy: exit %d\n%s", p.code, p.stderr)
	}
	if _, writes := emu.Counts(); writes != 0 {
		t.Fatalf("%d writes sent", writes)
	}

	emu, env = startEmulator(t, emulator.Options{AppManagementPolicy: &emulator.AppManagementPolicy{NonDefault: emulator.URIRestriction{Enabled: true}}})
	p = runBinary(t, env, emuArgs(emu, "setup", "--non-interactive", "--display-name", "Protected Connector", "--identifier-uri", "https://api.contoso.com/pq")...)
	if p.code != 1 {
		t.Fatalf("Graph's refusal: exit %d\n%s", p.code, p.stderr)
	}
	for _, want := range []string{"InvalidIdentifierUriAsPerAppPolicy", "nonDefaultUriAddition", "api://{appId} or api://{tenantId}/{appId}", "Leave out --identifier-uri"} {
		if !strings.Contains(p.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, p.stderr)
		}
	}
	// The default URI is allowed under either setting: a re-run without
	// --identifier-uri converges.
	p = runBinary(t, env, emuArgs(emu, "setup", "--non-interactive", "--display-name", "Protected Connector", "--output", "json")...)
	if p.code != 0 {
		t.Fatalf("re-run with the default URI: exit %d\n%s", p.code, p.stderr)
	}
	assertReportMatchesDirectory(t, emu, decodeReport(t, p))
}

// Rule 8: the per-user object quota (250 in Entra, 4 here), deleted
// objects included. The run exits 1 saying deleted objects count, how many
// apps pqentra registered hold quota in deleted items, and the commands
// (with the run's global flags) that purge them.
func TestBinaryQuotaExceeded(t *testing.T) {
	emu, env := startEmulator(t, emulator.Options{UserObjectQuota: 4})
	for _, args := range [][]string{
		{"setup", "--non-interactive", "--display-name", "Quota One"},
		{"undo", "--display-name", "Quota One", "--yes"},
		{"setup", "--non-interactive", "--display-name", "Quota Two"},
	} {
		if p := runBinary(t, env, emuArgs(emu, args...)...); p.code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, p.code, p.stderr)
		}
	}
	var oneID string
	for _, d := range emu.DeletedItems() {
		if d["displayName"] == "Quota One" && d["@odata.type"] == "#microsoft.graph.application" {
			oneID, _ = d["appId"].(string)
		}
	}
	p := runBinary(t, env, emuArgs(emu, "setup", "--non-interactive", "--display-name", "Quota Three")...)
	if p.code != 1 {
		t.Fatalf("exit %d\n%s", p.code, p.stderr)
	}
	hosts := "--authority-host " + emu.URL() + " --graph-endpoint " + emu.URL()
	for _, want := range []string{"Directory_QuotaExceeded", "objects in deleted items count", "1 application pqentra registered is in deleted items",
		"pqentra " + hosts + " restore --app-id " + oneID + " && pqentra " + hosts + " undo --app-id " + oneID + " --purge --yes"} {
		if !strings.Contains(p.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, p.stderr)
		}
	}
}

// Rule 10: offline. A sign-in host that does not resolve, or where nothing
// answers, is named, with what to check and that --demo works offline;
// never Go's raw "dial tcp" text. Under --output json the one object says
// the same.
func TestBinaryOfflineSaysWhichHost(t *testing.T) {
	env := []string{"XDG_CACHE_HOME=" + t.TempDir(), "HOME=" + t.TempDir()}
	for host, why := range map[string]string{"127.0.0.1:1": "connection refused", "login.pqentra-offline.invalid": "does not resolve"} {
		p := runBinary(t, env, "setup", "--non-interactive", "--display-name", "Offline", "--authority-host", "https://"+host,
			"--graph-endpoint", "https://"+host)
		if p.code != 1 {
			t.Fatalf("%s: exit %d\n%s", host, p.code, p.stderr)
		}
		for _, want := range []string{"cannot reach the sign-in server " + host, why, "proxy", "pqentra --demo"} {
			if !strings.Contains(p.stderr, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", host, want, p.stderr)
			}
		}
		if strings.Contains(p.stderr, "dial tcp") {
			t.Errorf("%s: raw Go error:\n%s", host, p.stderr)
		}
	}
	p := runBinary(t, env, "whoami", "--output", "json", "--authority-host", "https://127.0.0.1:1", "--graph-endpoint", "https://127.0.0.1:1")
	if p.code != 1 || !strings.Contains(p.stdout, `"error"`) || !strings.Contains(p.stdout, "127.0.0.1:1") || strings.Contains(p.stdout, "dial tcp") {
		t.Fatalf("json: exit %d\n%s", p.code, p.stdout)
	}
}

// Rule 10 for every command that signs in: offline, doctor, undo, restore,
// export, onboard, service-config and snippet --app-id name the sign-in
// host and why in words, as setup and whoami do — not Go's "dial tcp"
// text (their first Graph request signs in on the way).
func TestBinaryOfflineEveryCommandSaysWhichHost(t *testing.T) {
	t.Parallel()
	env := []string{"XDG_CACHE_HOME=" + t.TempDir(), "HOME=" + t.TempDir()}
	const id = "00001111-aaaa-2222-bbbb-3333cccc4444"
	for _, args := range [][]string{
		{"doctor", "--app-id", id},
		{"undo", "--app-id", id, "--yes"},
		{"restore", "--app-id", id},
		{"export", "--app-id", id, "--format", "terraform"},
		{"onboard", "--app-id", id, "--yes"},
		{"service-config", "--app-id", id},
		{"snippet", "--app-id", id},
		{"doctor", "--app-id", id, "--output", "json"},
	} {
		p := runBinary(t, env, append(args, "--authority-host", "https://127.0.0.1:1", "--graph-endpoint", "https://127.0.0.1:1")...)
		all := p.stdout + p.stderr
		if p.code != 1 || strings.Contains(all, "dial tcp") || !strings.Contains(all, "cannot reach the sign-in server 127.0.0.1:1") || !strings.Contains(all, "pqentra --demo") {
			t.Errorf("%s: exit %d\n%s", strings.Join(args, " "), p.code, all)
		}
	}
}
