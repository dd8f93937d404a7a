package graph

import (
	"context"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
)

// The reads doctor makes, through MSAL and msgraph-sdk-go against the
// emulator (which, like Graph, wants Policy.Read.All for the policy).
func TestInspectReads(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	ctx := context.Background()
	oid, appID, err := env.emu.SeedApplication(map[string]any{"displayName": "Contoso Doctor"})
	if err != nil {
		t.Fatal(err)
	}
	owners, err := env.client.Owners(ctx, oid)
	if err != nil {
		env.dumpLog(t)
		t.Fatal(err)
	}
	if len(owners) != 1 || !strings.Contains(owners[0], "adele@contoso.com") {
		t.Fatalf("owners %q", owners)
	}

	for _, allowed := range []bool{true, false} {
		env.emu.SetUserConsentAllowed(allowed)
		got, err := env.client.UsersCanConsent(ctx)
		if err != nil {
			env.dumpLog(t)
			t.Fatal(err)
		}
		if got != allowed {
			t.Fatalf("UsersCanConsent = %v, want %v", got, allowed)
		}
	}
	if len(env.codes) != 1 {
		t.Fatalf("the Policy.Read.All token must come silently; device codes: %d", len(env.codes))
	}

	apps, err := env.client.ApplicationsByDisplayName(ctx, "contoso doctor")
	if err != nil || len(apps) != 1 || apps[0].AppID != appID {
		t.Fatalf("by display name: %+v %v", apps, err)
	}
	if _, err := env.client.Owners(ctx, "00000000-0000-4000-8000-0000000000ff"); err == nil {
		t.Fatal("owners of a missing app: want an error")
	}
}
