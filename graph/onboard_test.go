package graph

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// customerClient adds a customer tenant to e's emulator and returns a
// client signed in there (its own token cache: another person's machine).
func (e *testEnv) customerClient(t *testing.T, opts emulator.Options) (*emulator.Server, *Client) {
	t.Helper()
	opts.AutoApprove = time.Millisecond
	opts.Now = e.clock.Now
	cust, err := e.emu.AddTenant(opts)
	if err != nil {
		t.Fatal(err)
	}
	e.emu.SetSignInTenant(cust)
	saved := e.cachePath
	e.cachePath = filepath.Join(t.TempDir(), "customer", "msal_token_cache.json")
	c := e.newClient(t)
	e.cachePath = saved
	if err := c.EnsureSignedIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.emu.SetSignInTenant(e.emu)
	return cust, c
}

func TestCreateServicePrincipalOfAnotherTenantsApp(t *testing.T) {
	ctx := context.Background()
	env := newTestEnv(t, emulator.Options{})
	multi, _, err := env.client.UpsertApplication(ctx, steps.UniqueName("Contoso Connector"),
		steps.AppPatch{DisplayName: ptr("Contoso Connector"), SignInAudience: ptr(steps.AudienceMulti)})
	if err != nil {
		t.Fatal(err)
	}
	single, _, err := env.client.UpsertApplication(ctx, steps.UniqueName("Contoso Internal"), steps.AppPatch{DisplayName: ptr("Contoso Internal")})
	if err != nil {
		t.Fatal(err)
	}
	cust, c := env.customerClient(t, emulator.CustomerOptions())

	// Not visible before: no app, no service principal.
	if app, err := c.ApplicationByAppID(ctx, multi.AppID); app != nil || err != nil {
		t.Fatalf("customer reads the publisher's app: %v %v", app, err)
	}
	if sp, err := c.ServicePrincipalByAppID(ctx, multi.AppID); sp != nil || err != nil {
		t.Fatalf("%v %v", sp, err)
	}
	// Single-tenant and unknown: Graph's NoBackingApplicationObject.
	for _, id := range []string{single.AppID, "11111111-2222-4333-8444-555555555555"} {
		_, err := c.CreateServicePrincipal(ctx, id)
		if !errors.Is(err, steps.ErrNoBackingApplication) {
			t.Fatalf("%s: %v", id, err)
		}
	}
	sp, err := c.CreateServicePrincipal(ctx, multi.AppID)
	if err != nil {
		t.Fatal(err)
	}
	if sp.AppOwnerOrganizationID != env.emu.TenantID() || sp.AppDisplayName != "Contoso Connector" || sp.Disabled {
		t.Fatalf("%+v", sp)
	}
	// Sent again (an answer lost): the conflict reads it back.
	again, err := c.CreateServicePrincipal(ctx, multi.AppID)
	if err != nil || again.ID != sp.ID {
		t.Fatalf("%+v %v", again, err)
	}
	read, err := c.ServicePrincipalByAppID(ctx, multi.AppID)
	if err != nil || read.AppOwnerOrganizationID != env.emu.TenantID() || read.AppDisplayName != "Contoso Connector" {
		t.Fatalf("%+v %v", read, err)
	}
	if n := len(cust.ServicePrincipals()); n != 6 { // five Microsoft ones and this
		t.Fatalf("%d service principals", n)
	}
}

func TestCreateServicePrincipalForbidden(t *testing.T) {
	ctx := context.Background()
	env := newTestEnv(t, emulator.Options{})
	multi, _, err := env.client.UpsertApplication(ctx, steps.UniqueName("Contoso Connector"),
		steps.AppPatch{DisplayName: ptr("Contoso Connector"), SignInAudience: ptr(steps.AudienceMulti)})
	if err != nil {
		t.Fatal(err)
	}
	o := emulator.CustomerOptions()
	o.UserRoles = nil
	_, c := env.customerClient(t, o)
	_, err = c.CreateServicePrincipal(ctx, multi.AppID)
	e, ok := steps.AsError(err)
	if !ok || e.Status != 403 || errors.Is(err, steps.ErrNoBackingApplication) {
		t.Fatalf("%v", err)
	}
}
