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
