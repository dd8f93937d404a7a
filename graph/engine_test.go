package graph

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// These tests run the engine (steps) through the real MSAL and
// msgraph-sdk-go clients against the emulator and assert what a user would
// check: the state left in the directory and the requests sent.

const (
	excel   = "a672d62c-fc7b-4e81-a576-e60dc46e951d"
	refresh = "b52893c8-bc2e-47fc-918b-77022b299bbc"
)

func desired(t *testing.T, name string) steps.Desired {
	t.Helper()
	d := steps.Desired{DisplayName: name}
	if err := d.Normalize(); err != nil {
		t.Fatal(err)
	}
	return d
}

func (e *testEnv) converge(t *testing.T, d steps.Desired) *steps.Outcome {
	t.Helper()
	out, err := steps.Converge(context.Background(), e.client, d, steps.Options{GraphBase: e.client.GraphBase()}, false)
	if err != nil {
		e.dumpLog(t)
		t.Fatalf("converge: %v", err)
	}
	return out
}

// writes counts the Graph writes in the log that were not injected faults.
func writes(log []emulator.LoggedRequest) (n int) {
	for _, r := range log {
		if r.Graph && r.Method != "GET" && r.Injected == "" {
			n++
		}
	}
	return n
}

// appsNamed returns the stored applications with that display name.
func appsNamed(emu *emulator.Server, name string) []map[string]any {
	var out []map[string]any
	for _, a := range emu.Applications() {
		if a["displayName"] == name {
			out = append(out, a)
		}
	}
	return out
}

// assertQuickstartState checks the directory holds what the quickstart asks
// for: api://{appId}, an enabled User scope, both Power Query clients
// preauthorized for it, and a service principal.
func assertQuickstartState(t *testing.T, emu *emulator.Server, name, scopeValue string) (app map[string]any, scopeID string) {
	t.Helper()
	apps := appsNamed(emu, name)
	if len(apps) != 1 {
		t.Fatalf("want exactly one app named %q, have %d", name, len(apps))
	}
	app = apps[0]
	appID := app["appId"].(string)
	uris, _ := app["identifierUris"].([]any)
	if !containsAny(uris, "api://"+appID) {
		t.Errorf("identifierUris = %v, want api://%s", uris, appID)
	}
	api := app["api"].(map[string]any)
	for _, s := range api["oauth2PermissionScopes"].([]any) {
		sc := s.(map[string]any)
		if sc["value"] == scopeValue {
			scopeID = sc["id"].(string)
			if sc["type"] != "User" || sc["isEnabled"] != true {
				t.Errorf("scope %s = %v, want type User, enabled", scopeValue, sc)
			}
		}
	}
	if scopeID == "" {
		t.Fatalf("no scope %s in %v", scopeValue, api["oauth2PermissionScopes"])
	}
	for _, client := range []string{excel, refresh} {
		found := false
		for _, p := range api["preAuthorizedApplications"].([]any) {
			pa := p.(map[string]any)
			if pa["appId"] == client && containsAny(pa["delegatedPermissionIds"].([]any), scopeID) {
				found = true
			}
		}
		if !found {
			t.Errorf("client %s not preauthorized for %s: %v", client, scopeID, api["preAuthorizedApplications"])
		}
	}
	sps := 0
	for _, sp := range emu.ServicePrincipals() {
		if sp["appId"] == appID {
			sps++
		}
	}
	if sps != 1 {
		t.Errorf("want one service principal for %s, have %d", appID, sps)
	}
	return app, scopeID
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func containsAny(list []any, s string) bool {
	for _, x := range list {
		if str, ok := x.(string); ok && strings.EqualFold(str, s) {
			return true
		}
	}
	return false
}

func TestFreshSetupThenRerun(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	out := env.converge(t, desired(t, "Contoso Connector"))
	assertQuickstartState(t, env.emu, "Contoso Connector", "Data.Read")
	if n := writes(env.emu.Log()); n != 3 {
		t.Errorf("fresh setup made %d writes, budget is 3", n)
	}
	assertPreviewsMatchWire(t, env.emu.Log(), out.Plan.Changes)

	env.emu.ResetLog()
	again := env.newClient(t)
	out2, err := steps.Converge(context.Background(), again, desired(t, "Contoso Connector"), steps.Options{GraphBase: again.GraphBase()}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(out2.Plan.Changes) != 0 || writes(env.emu.Log()) != 0 {
		t.Errorf("re-run planned %d changes and made %d writes, want 0", len(out2.Plan.Changes), writes(env.emu.Log()))
	}
	if n := env.emu.DeviceCodesIssued(); n != 1 {
		t.Errorf("second run issued a device code again (%d in all): the token cache was not reused", n)
	}
	assertCacheFileMode(t, env.cachePath)
}

// assertPreviewsMatchWire checks each applied change was sent exactly as
// previewed: same method, same URL path, same JSON (kiota's @odata.type
// annotations aside).
func assertPreviewsMatchWire(t *testing.T, log []emulator.LoggedRequest, changes []steps.Change) {
	t.Helper()
	var sent []emulator.LoggedRequest
	for _, r := range log {
		if r.Graph && r.Method != "GET" && r.Injected == "" {
			// A write refused while Entra replicated and then sent again
			// unchanged is one change on the wire.
			if n := len(sent); n > 0 && sent[n-1].Status >= 400 && sameWrite(sent[n-1], r) {
				sent[n-1] = r
				continue
			}
			sent = append(sent, r)
		}
	}
	if len(sent) != len(changes) {
		t.Fatalf("sent %d writes for %d changes", len(sent), len(changes))
	}
	for i, c := range changes {
		r := sent[i]
		if r.Method != c.Method || !strings.HasSuffix(c.URL, r.Path) {
			t.Errorf("change %d previewed %s %s, sent %s %s", i, c.Method, c.URL, r.Method, r.Path)
		}
		var want, got any
		if err := json.Unmarshal(c.Body, &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(r.Body, &got); err != nil {
			t.Fatalf("wire body %q: %v", r.Body, err)
		}
		got = stripODataType(got)
		if !reflect.DeepEqual(want, got) {
			t.Errorf("change %d: preview body\n%s\nbut sent\n%s", i, c.Body, r.Body)
		}
		if p := c.Headers["Prefer"]; p != "" && r.Header.Get("Prefer") != p {
			t.Errorf("change %d: Prefer %q not sent (got %q)", i, p, r.Header.Get("Prefer"))
		}
	}
}

func stripODataType(v any) any {
	switch x := v.(type) {
	case map[string]any:
		delete(x, "@odata.type")
		for k, e := range x {
			x[k] = stripODataType(e)
		}
	case []any:
		for i, e := range x {
			x[i] = stripODataType(e)
		}
	}
	return v
}

func assertCacheFileMode(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("token cache not written: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("token cache mode %v, want 0600", fi.Mode().Perm())
	}
	di, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if di.Mode().Perm() != 0o700 {
		t.Errorf("token cache folder mode %v, want 0700", di.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	if len(b) == 0 {
		t.Error("token cache is empty")
	}
}

// seedApp stores an app as a partial setup left it.
func seedApp(t *testing.T, emu *emulator.Server, app map[string]any) (objectID, appID string) {
	t.Helper()
	oid, aid, err := emu.SeedApplication(app)
	if err != nil {
		t.Fatal(err)
	}
	return oid, aid
}

const scopeA = "11111111-2222-4333-8444-555555555555"

func scopeJSON(id, value, typ string, enabled bool) map[string]any {
	return map[string]any{"id": id, "value": value, "type": typ, "isEnabled": enabled,
		"adminConsentDisplayName": "Read data", "adminConsentDescription": "Read data as the user",
		"userConsentDisplayName": "Read your data", "userConsentDescription": "Read your data"}
}

// partialState is an app as someone left it, and the changes setup must
// plan for it.
type partialState struct {
	name      string
	app       func(appID string) map[string]any // nil fields are left out
	withSP    bool
	wantSteps [][]string // steps of each planned change, in order
}

func TestPartialStatesOnlyMissingChanges(t *testing.T) {
	cases := []partialState{
		{name: "app only",
			app:       func(string) map[string]any { return map[string]any{} },
			wantSteps: [][]string{{steps.StepRegister}, {steps.StepIdentifierURI, steps.StepScope}, {steps.StepPreauthorize}}},
		{name: "uri but no scope", withSP: true,
			app:       func(string) map[string]any { return map[string]any{"identifierUris": []any{"api://{appId}"}} },
			wantSteps: [][]string{{steps.StepScope}, {steps.StepPreauthorize}}},
		{name: "scope disabled", withSP: true,
			app: func(string) map[string]any {
				return map[string]any{"identifierUris": []any{"api://{appId}"},
					"api": map[string]any{"oauth2PermissionScopes": []any{scopeJSON(scopeA, "Data.Read", "User", false)}}}
			},
			wantSteps: [][]string{{steps.StepScope, steps.StepPreauthorize}}},
		{name: "one client missing", withSP: true,
			app: func(string) map[string]any {
				return map[string]any{"identifierUris": []any{"api://{appId}"},
					"api": map[string]any{"oauth2PermissionScopes": []any{scopeJSON(scopeA, "Data.Read", "User", true)},
						"preAuthorizedApplications": []any{map[string]any{"appId": excel, "delegatedPermissionIds": []any{scopeA}}}}}
			},
			wantSteps: [][]string{{steps.StepPreauthorize}}},
		{name: "admin-only scope is disabled, then changed", withSP: true,
			app: func(string) map[string]any {
				return map[string]any{"identifierUris": []any{"api://{appId}"},
					"api": map[string]any{"oauth2PermissionScopes": []any{scopeJSON(scopeA, "Data.Read", "Admin", true)},
						"preAuthorizedApplications": []any{
							map[string]any{"appId": excel, "delegatedPermissionIds": []any{scopeA}},
							map[string]any{"appId": refresh, "delegatedPermissionIds": []any{scopeA}}}}}
			},
			wantSteps: [][]string{{steps.StepScope}, {steps.StepScope}}},
	}
	// Each case also runs with update replication (issue 16 rule 3): the
	// scope added by one PATCH is not there yet for the preauthorizing
	// one, the scope disabled by one PATCH is still enabled for the one
	// that changes it, reads show the app as it was; each is waited out.
	for _, updateLag := range []time.Duration{0, 3 * time.Second} {
		for _, tc := range cases {
			name := tc.name
			if updateLag > 0 {
				name += " under update lag"
			}
			t.Run(name, func(t *testing.T) { convergePartial(t, tc, updateLag) })
		}
	}
}

// convergePartial seeds the partial state, runs setup and checks the plan,
// the wire and the directory.
func convergePartial(t *testing.T, tc partialState, updateLag time.Duration) {
	env := newTestEnv(t, emulator.Options{UpdateLag: updateLag})
	app := map[string]any{"displayName": "Partial", "signInAudience": "AzureADMyOrg"}
	for k, v := range tc.app("") {
		app[k] = v
	}
	// The URI names the app id, which the emulator picks: seed
	// without it, then set it.
	// The URI names the app id, which the emulator picks, and a
	// preauthorization may only name a stored scope: seed without
	// them, then PATCH them in as a person would have.
	uris := app["identifierUris"]
	delete(app, "identifierUris")
	var pre []steps.PreAuthorizedApp
	if api, ok := app["api"].(map[string]any); ok {
		for _, p := range asList(api["preAuthorizedApplications"]) {
			pa := p.(map[string]any)
			var ids []string
			for _, id := range pa["delegatedPermissionIds"].([]any) {
				ids = append(ids, id.(string))
			}
			pre = append(pre, steps.PreAuthorizedApp{AppID: pa["appId"].(string), DelegatedPermissionIDs: ids})
		}
		delete(api, "preAuthorizedApplications")
	}
	oid, appID := seedApp(t, env.emu, app)
	var patch steps.AppPatch
	if uris != nil {
		patch.IdentifierURIs = &[]string{"api://" + appID}
	}
	if pre != nil {
		patch.PreAuthorized = &pre
	}
	if !patch.Empty() {
		if err := env.client.PatchApplication(context.Background(), oid, patch); err != nil {
			t.Fatal(err)
		}
	}
	if tc.withSP {
		if _, err := env.emu.SeedServicePrincipal(appID, "Partial"); err != nil {
			t.Fatal(err)
		}
	}
	d := steps.Desired{AppID: appID}
	if err := d.Normalize(); err != nil {
		t.Fatal(err)
	}
	env.emu.ResetLog()
	out := env.converge(t, d)
	var got [][]string
	for _, c := range out.Plan.Changes {
		got = append(got, c.Steps)
	}
	if !reflect.DeepEqual(got, tc.wantSteps) {
		t.Errorf("changes by step = %v, want %v\n%s", got, tc.wantSteps, steps.PreviewAll(out.Plan.Changes))
	}
	assertPreviewsMatchWire(t, env.emu.Log(), out.Plan.Changes)
	_, scopeID := assertQuickstartState(t, env.emu, "Partial", "Data.Read")
	if scopeID != scopeA && tc.name != "app only" && tc.name != "uri but no scope" {
		t.Errorf("the existing scope %s was replaced by %s", scopeA, scopeID)
	}
	if updateLag > 0 && len(tc.wantSteps) > 1 && refusedWrites(env.emu.Log()) == 0 {
		t.Error("two writes in a row under update lag, and none was refused: the test proves nothing")
	}
}

func TestKeepsOtherScopesAndClients(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	other := "99999999-8888-4777-8666-555555555555"
	otherClient := "0b1c2d3e-4f50-4617-8283-949596979899"
	oid, appID := seedApp(t, env.emu, map[string]any{"displayName": "Busy API",
		"api": map[string]any{
			"requestedAccessTokenVersion": 2,
			"oauth2PermissionScopes":      []any{scopeJSON(other, "Files.Write", "Admin", true)}}})
	_ = oid
	if err := env.client.PatchApplication(context.Background(), oid, steps.AppPatch{
		PreAuthorized: &[]steps.PreAuthorizedApp{{AppID: otherClient, DelegatedPermissionIDs: []string{other}}},
		Scopes:        &[]steps.Scope{{ID: other, Value: "Files.Write", Type: "Admin", IsEnabled: true, AdminConsentDisplayName: "Read data", AdminConsentDescription: "Read data as the user", UserConsentDisplayName: "Read your data", UserConsentDescription: "Read your data"}},
	}); err != nil {
		t.Fatal(err)
	}
	d := steps.Desired{AppID: appID}
	if err := d.Normalize(); err != nil {
		t.Fatal(err)
	}
	env.converge(t, d)
	app, _ := assertQuickstartState(t, env.emu, "Busy API", "Data.Read")
	api := app["api"].(map[string]any)
	if v, _ := api["requestedAccessTokenVersion"].(float64); v != 2 {
		if iv, ok := api["requestedAccessTokenVersion"].(int); !ok || iv != 2 {
			t.Errorf("requestedAccessTokenVersion changed: %v", api["requestedAccessTokenVersion"])
		}
	}
	var kept bool
	for _, s := range api["oauth2PermissionScopes"].([]any) {
		sc := s.(map[string]any)
		if sc["id"] == other && sc["type"] == "Admin" && sc["isEnabled"] == true {
			kept = true
		}
	}
	if !kept {
		t.Errorf("the app's own Files.Write scope was not kept as it was: %v", api["oauth2PermissionScopes"])
	}
	kept = false
	for _, p := range api["preAuthorizedApplications"].([]any) {
		pa := p.(map[string]any)
		if pa["appId"] == otherClient && containsAny(pa["delegatedPermissionIds"].([]any), other) {
			kept = true
		}
	}
	if !kept {
		t.Errorf("the other preauthorized client was dropped: %v", api["preAuthorizedApplications"])
	}
}

func TestThrottlingAndReplicationLagConverge(t *testing.T) {
	env := newTestEnv(t, emulator.Options{ThrottleEvery: 3, RetryAfter: 1, ReplicationLag: 2 * time.Second})
	env.converge(t, desired(t, "Laggy Connector"))
	assertQuickstartState(t, env.emu, "Laggy Connector", "Data.Read")
	throttled, _, _ := env.emu.Injected()
	if throttled == 0 {
		t.Error("the emulator throttled nothing: the test proves nothing")
	}
	if len(env.notes) == 0 {
		t.Error("the user was not told about throttling or replication waits")
	}
}

func TestLostResponsesAreRetriedWithoutDuplicates(t *testing.T) {
	env := newTestEnv(t, emulator.Options{ReplicationLag: 500 * time.Millisecond})
	// Every write's answer is lost once, after the server applied it.
	env.emu.DropResponse(func(r *http.Request) bool { return r.Method == "PATCH" }, 3)
	env.converge(t, desired(t, "Lossy Connector"))
	assertQuickstartState(t, env.emu, "Lossy Connector", "Data.Read")
	if _, _, dropped := env.emu.Injected(); dropped != 3 {
		t.Errorf("dropped %d answers, want 3", dropped)
	}
}

// crashAfter is the real client, but the process "dies" right after the
// n-th write reached the directory.
type crashAfter struct {
	*Client
	n, seen int
}

var errCrash = errors.New("simulated crash")

func (c *crashAfter) tick() error {
	c.seen++
	if c.seen == c.n {
		return errCrash
	}
	return nil
}

func (c *crashAfter) UpsertApplication(ctx context.Context, u string, p steps.AppPatch) (*steps.App, bool, error) {
	a, created, err := c.Client.UpsertApplication(ctx, u, p)
	if err == nil {
		err = c.tick()
	}
	return a, created, err
}

func (c *crashAfter) PatchApplication(ctx context.Context, id string, p steps.AppPatch) error {
	err := c.Client.PatchApplication(ctx, id, p)
	if err == nil {
		err = c.tick()
	}
	return err
}

func (c *crashAfter) UpsertServicePrincipal(ctx context.Context, appID string) (*steps.ServicePrincipal, error) {
	sp, err := c.Client.UpsertServicePrincipal(ctx, appID)
	if err == nil {
		err = c.tick()
	}
	return sp, err
}

func TestCrashAfterEachWriteThenRerunConverges(t *testing.T) {
	for n := 1; n <= 3; n++ {
		t.Run("after write "+strconv.Itoa(n), func(t *testing.T) {
			env := newTestEnv(t, emulator.Options{ReplicationLag: 300 * time.Millisecond})
			d := desired(t, "Crashy Connector")
			dir := &crashAfter{Client: env.client, n: n}
			_, err := steps.Converge(context.Background(), dir, d, steps.Options{GraphBase: env.client.GraphBase()}, false)
			if !errors.Is(err, errCrash) {
				t.Fatalf("want the simulated crash, got %v", err)
			}
			// A new process: new client, same token cache.
			env.client = env.newClient(t)
			env.converge(t, d)
			assertQuickstartState(t, env.emu, "Crashy Connector", "Data.Read")
		})
	}
}

func TestForbiddenCreateIsExplained(t *testing.T) {
	env := newTestEnv(t, emulator.Options{UsersCannotRegisterApps: true})
	_, err := steps.Converge(context.Background(), env.client, desired(t, "Denied"), steps.Options{GraphBase: env.client.GraphBase()}, false)
	e, ok := steps.AsError(err)
	if !ok || e.Status != 403 || !strings.Contains(e.Hint, "Application Developer") || !strings.Contains(e.Hint, "Cloud Application Administrator") {
		t.Fatalf("want a 403 naming the roles, got %v", err)
	}
	if len(env.emu.Applications()) != 0 {
		t.Error("an app was created although Graph said no")
	}
}

func TestRejectedIdentifierURIIsExplainedBeforeSending(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	d := steps.Desired{DisplayName: "Custom URI", IdentifierURI: "https://api.fabrikam.com/connector"}
	if err := d.Normalize(); err != nil {
		t.Fatal(err)
	}
	env.emu.ResetLog()
	_, err := steps.Converge(context.Background(), env.client, d, steps.Options{GraphBase: env.client.GraphBase()}, false)
	if err == nil || !strings.Contains(err.Error(), "verified domain") {
		t.Fatalf("want a verified-domain explanation, got %v", err)
	}
	if w := writes(env.emu.Log()); w != 0 {
		t.Errorf("%d writes sent for a URI the plan could reject", w)
	}
	// On a verified domain it works.
	d.IdentifierURI = "https://api.contoso.com/connector"
	env.converge(t, d)
	apps := appsNamed(env.emu, "Custom URI")
	if len(apps) != 1 || !containsAny(apps[0]["identifierUris"].([]any), "https://api.contoso.com/connector") {
		t.Fatalf("custom URI not set: %v", apps)
	}
}

func sameWrite(a, b emulator.LoggedRequest) bool {
	return a.Method == b.Method && a.Path == b.Path && string(a.Body) == string(b.Body)
}
