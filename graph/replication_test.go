package graph

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// A refusal that is not this run's own write replicating is not waited
// out: a preauthorization naming a scope the app never had fails at once,
// with Graph's words and a hint.
func TestUnknownScopeIsExplainedNotWaitedOut(t *testing.T) {
	env := newTestEnv(t, emulator.Options{UpdateLag: 3 * time.Second})
	oid, _ := seedApp(t, env.emu, map[string]any{"displayName": "No Such Scope"})
	err := env.client.PatchApplication(context.Background(), oid, steps.AppPatch{PreAuthorized: &[]steps.PreAuthorizedApp{
		{AppID: excel, DelegatedPermissionIDs: []string{"0f0f0f0f-1111-4222-8333-444455556666"}}}})
	e, ok := steps.AsError(err)
	if !ok || e.Code != "InvalidValue" || !strings.Contains(e.Hint, "Expose an API") {
		t.Fatalf("got %v", err)
	}
	if slept, n := env.clock.Slept(); n != 0 {
		t.Fatalf("waited %s (%d pauses) for a scope nobody wrote", slept, n)
	}
	for _, note := range env.notes {
		if strings.Contains(note, "replicate") {
			t.Errorf("told the user it waits for replication: %q", note)
		}
	}
}

// While Entra replicates this run's own change, the user is told so.
func TestUpdateReplicationIsAnnounced(t *testing.T) {
	env := newTestEnv(t, emulator.Options{UpdateLag: 3 * time.Second})
	oid, _ := seedApp(t, env.emu, map[string]any{"displayName": "Announced"})
	ctx := context.Background()
	const id = "1a2b3c4d-1111-4222-8333-444455556666"
	scopes := []steps.Scope{{ID: id, Value: "Data.Read", Type: steps.ConsentUsers, IsEnabled: true,
		AdminConsentDisplayName: "Read", AdminConsentDescription: "Read data", UserConsentDisplayName: "Read", UserConsentDescription: "Read data"}}
	if err := env.client.PatchApplication(ctx, oid, steps.AppPatch{Scopes: &scopes}); err != nil {
		t.Fatal(err)
	}
	if err := env.client.PatchApplication(ctx, oid, steps.AppPatch{PreAuthorized: &[]steps.PreAuthorizedApp{
		{AppID: excel, DelegatedPermissionIDs: []string{id}}}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(env.notes, "\n"), "Waiting for Entra to replicate the application's last change") {
		t.Errorf("notes: %q", env.notes)
	}
	if slept, _ := env.clock.Slept(); slept < 3*time.Second {
		t.Errorf("waited %s on the clock for 3 s of update lag", slept)
	}
}

// Rule 4: the service principal created right after its app meets the
// replica without the app — Graph's 403 "…the backing application of the
// service principal being created must in the local tenant" (and the 400
// "does not reference a valid application object"). This run just made
// the app, so both are waited out and setup converges.
func TestServicePrincipalRightAfterTheAppIsWaitedOut(t *testing.T) {
	env := newTestEnv(t, emulator.Options{ReplicationLag: 3 * time.Second})
	env.converge(t, desired(t, "Fresh SP Connector"))
	assertQuickstartState(t, env.emu, "Fresh SP Connector", "Data.Read")
	forbidden := 0
	for _, r := range env.emu.Log() {
		if strings.HasPrefix(r.Path, "/v1.0/servicePrincipals") && r.Method == "PATCH" && r.Status == 403 {
			forbidden++
		}
	}
	if forbidden == 0 {
		t.Fatal("the service principal was never refused with 403: the test proves nothing")
	}
}

// The same 403 for an app this run did not just create is a refusal: not
// waited out, explained, with the replication case named as the one to
// retry.
func TestBackingApplication403ForAnOldAppIsExplained(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	_, appID := seedApp(t, env.emu, map[string]any{"displayName": "Old App"})
	env.emu.FailNext(emulator.MatchWrite("PATCH", "/servicePrincipals"), 403, "Authorization_RequestDenied",
		"When using this permission, the backing application of the service principal being created must in the local tenant", 1)
	_, err := env.client.UpsertServicePrincipal(context.Background(), appID)
	e, ok := steps.AsError(err)
	if !ok {
		t.Fatalf("got %v", err)
	}
	if e.Status != 403 || !strings.Contains(e.Hint, "replicating") || !strings.Contains(e.Hint, "Enterprise applications") {
		t.Fatalf("got %v (hint %q)", err, e.Hint)
	}
	if _, n := env.clock.Slept(); n != 0 {
		t.Fatalf("waited %d times for an app created long ago", n)
	}
}
