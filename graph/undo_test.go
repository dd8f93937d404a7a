package graph

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// Undo and restore through the real client (MSAL + msgraph-sdk-go over
// HTTPS) against the emulator, checked on the emulator's directory state.

func (e *testEnv) undo(t *testing.T, u steps.UndoSpec) *steps.UndoOutcome {
	t.Helper()
	if err := u.Normalize(); err != nil {
		t.Fatal(err)
	}
	out, err := steps.Undo(context.Background(), e.client, u, e.client.GraphBase(), false, nil)
	if err != nil {
		e.dumpLog(t)
		t.Fatalf("undo: %v", err)
	}
	return out
}

// deletedOfType lists the emulator's deleted items of one type.
func deletedOfType(emu *emulator.Server, typ string) []map[string]any {
	var out []map[string]any
	for _, d := range emu.DeletedItems() {
		if d["@odata.type"] == "#microsoft.graph."+typ {
			out = append(out, d)
		}
	}
	return out
}

func spsFor(emu *emulator.Server, appID string) int {
	n := 0
	for _, sp := range emu.ServicePrincipals() {
		if sp["appId"] == appID {
			n++
		}
	}
	return n
}

func TestUndoSetupThenRestore(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	appsBefore, spsBefore := len(env.emu.Applications()), len(env.emu.ServicePrincipals())
	env.converge(t, desired(t, "Contoso Connector"))
	app, scopeID := assertQuickstartState(t, env.emu, "Contoso Connector", "Data.Read")
	appID, oid := app["appId"].(string), app["id"].(string)

	env.emu.ResetLog()
	out := env.undo(t, steps.UndoSpec{DisplayName: "Contoso Connector"})
	if !out.Plan.Registered || !out.Deleted() {
		t.Fatalf("undo did not treat the app as pqentra's: %+v", out.Plan)
	}
	// The tenant is as before: nothing of the app left but the deleted items.
	if len(env.emu.Applications()) != appsBefore || len(env.emu.ServicePrincipals()) != spsBefore {
		t.Errorf("after undo: %d apps, %d SPs; before setup: %d, %d", len(env.emu.Applications()), len(env.emu.ServicePrincipals()), appsBefore, spsBefore)
	}
	if d := deletedOfType(env.emu, "application"); len(d) != 1 || d[0]["id"] != oid {
		t.Errorf("deleted applications: %v", d)
	}
	if d := deletedOfType(env.emu, "servicePrincipal"); len(d) != 1 || d[0]["appId"] != appID {
		t.Errorf("deleted service principals: %v", d)
	}
	// SP first, then the app, each exactly as previewed.
	kinds := []steps.OpKind{}
	for _, c := range out.Plan.Changes {
		kinds = append(kinds, c.Kind)
	}
	if len(kinds) != 2 || kinds[0] != steps.OpDeleteSP || kinds[1] != steps.OpDeleteApp {
		t.Errorf("changes %v, want delete SP then app", kinds)
	}
	assertDeletesMatchWire(t, env.emu.Log(), out.Plan.Changes)

	// Again: nothing to undo, no writes.
	env.emu.ResetLog()
	again := env.undo(t, steps.UndoSpec{DisplayName: "Contoso Connector"})
	if !again.Plan.Empty() || writes(env.emu.Log()) != 0 || !again.Deleted() {
		t.Errorf("re-run planned %d changes, sent %d writes, deleted=%v", len(again.Plan.Changes), writes(env.emu.Log()), again.Deleted())
	}

	// Restore: configured again, as setup left it.
	res, err := steps.Restore(context.Background(), env.client, appID, env.client.GraphBase(), false)
	if err != nil {
		env.dumpLog(t)
		t.Fatal(err)
	}
	if len(res.Plan.Changes) != 2 || res.Plan.Changes[0].Kind != steps.OpRestore || res.Plan.Changes[1].Kind != steps.OpRestore {
		t.Errorf("restore changes: %+v", res.Plan.Changes)
	}
	_, scopeAfter := assertQuickstartState(t, env.emu, "Contoso Connector", "Data.Read")
	if scopeAfter != scopeID {
		t.Errorf("restored scope id %s, was %s", scopeAfter, scopeID)
	}
	if len(env.emu.DeletedItems()) != 0 {
		t.Errorf("deleted items left after restore: %v", env.emu.DeletedItems())
	}
	// Setup on the restored app changes nothing.
	env.emu.ResetLog()
	env.converge(t, desired(t, "Contoso Connector"))
	if n := writes(env.emu.Log()); n != 0 {
		t.Errorf("setup after restore made %d writes", n)
	}
}

func TestUndoPurge(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	env.converge(t, desired(t, "Purged Connector"))
	out := env.undo(t, steps.UndoSpec{DisplayName: "Purged Connector", Purge: true})
	if len(out.Plan.Changes) != 4 {
		t.Errorf("purge planned %d changes, want delete SP, delete app, purge both", len(out.Plan.Changes))
	}
	if n := len(env.emu.DeletedItems()); n != 0 || len(appsNamed(env.emu, "Purged Connector")) != 0 {
		t.Errorf("after purge: %d deleted items, %d apps", n, len(appsNamed(env.emu, "Purged Connector")))
	}
	// Restore now says it cannot.
	_, err := steps.Restore(context.Background(), env.client, out.Plan.State.AppID(), env.client.GraphBase(), false)
	if err == nil || !strings.Contains(err.Error(), "cannot come back") {
		t.Errorf("restore after purge: %v", err)
	}
	// An app already only in deleted items is not purged: Graph does not
	// show a deleted app's owners to pqentra's permission, and undo never
	// purges an app it cannot show is the user's (issue 17). Nothing is
	// sent; restoring it and undoing again with --purge works.
	env.converge(t, desired(t, "Later Connector"))
	later := env.undo(t, steps.UndoSpec{DisplayName: "Later Connector"})
	env.emu.ResetLog()
	u := steps.UndoSpec{DisplayName: "Later Connector", Purge: true}
	_, err = steps.Undo(context.Background(), env.client, u, env.client.GraphBase(), false, nil)
	var pe *steps.PurgeDeletedError
	if !errors.As(err, &pe) || writes(env.emu.Log()) != 0 || len(env.emu.DeletedItems()) != 2 {
		t.Errorf("purge of a deleted app: %v, %d writes, %d deleted items", err, writes(env.emu.Log()), len(env.emu.DeletedItems()))
	}
	laterID := later.Plan.State.AppID()
	if _, err := steps.Restore(context.Background(), env.client, laterID, env.client.GraphBase(), false); err != nil {
		t.Fatal(err)
	}
	out = env.undo(t, steps.UndoSpec{AppID: laterID, Purge: true})
	if len(out.Plan.Changes) != 4 || len(env.emu.DeletedItems()) != 0 {
		t.Errorf("purge after restore: %d changes, %d deleted items left", len(out.Plan.Changes), len(env.emu.DeletedItems()))
	}
}

func TestUndoOnExistingAppKeepsEverythingElse(t *testing.T) {
	t.Run("at once", func(t *testing.T) { undoOnExistingApp(t, 0) })
	// Update replication (issue 16 rule 3): the scope disabled by one
	// PATCH is still enabled for the PATCH that removes it; waited out.
	t.Run("under update lag", func(t *testing.T) { undoOnExistingApp(t, 3*time.Second) })
}

func undoOnExistingApp(t *testing.T, updateLag time.Duration) {
	env := newTestEnv(t, emulator.Options{UpdateLag: updateLag})
	other := "99999999-8888-4777-8666-555555555555"
	otherClient := "0b1c2d3e-4f50-4617-8283-949596979899"
	oid, appID := seedApp(t, env.emu, map[string]any{"displayName": "Busy API",
		"web": map[string]any{"redirectUris": []any{"https://busy.contoso.com/signin"}},
		"api": map[string]any{"oauth2PermissionScopes": []any{scopeJSON(other, "Files.Write", "Admin", true)}}})
	if err := env.client.PatchApplication(context.Background(), oid, steps.AppPatch{
		PreAuthorized: &[]steps.PreAuthorizedApp{{AppID: otherClient, DelegatedPermissionIDs: []string{other}}}}); err != nil {
		t.Fatal(err)
	}
	d := steps.Desired{AppID: appID}
	if err := d.Normalize(); err != nil {
		t.Fatal(err)
	}
	env.converge(t, d)
	_, scopeID := assertQuickstartState(t, env.emu, "Busy API", "Data.Read")
	// The other client is also preauthorized for Data.Read: removing the
	// scope must take that one permission from it, and keep the client.
	app := env.emu.Applications()[0]
	for _, a := range env.emu.Applications() {
		if a["appId"] == appID {
			app = a
		}
	}
	_ = app
	if err := env.client.PatchApplication(context.Background(), oid, steps.AppPatch{
		PreAuthorized: &[]steps.PreAuthorizedApp{
			{AppID: otherClient, DelegatedPermissionIDs: []string{other, scopeID}},
			{AppID: steps.ClientExcel.AppID, DelegatedPermissionIDs: []string{scopeID}},
			{AppID: steps.ClientRefresh.AppID, DelegatedPermissionIDs: []string{scopeID}}}}); err != nil {
		t.Fatal(err)
	}

	// Without --scope: only the Power Query preauthorizations go, in one write.
	env.emu.ResetLog()
	out := env.undo(t, steps.UndoSpec{AppID: appID})
	if out.Plan.Registered || out.Deleted() || len(out.Plan.Changes) != 1 {
		t.Fatalf("plan: %+v", out.Plan)
	}
	assertPreviewsMatchWire(t, env.emu.Log(), out.Plan.Changes)
	pre := preAuthorized(t, env.emu, appID)
	if len(pre) != 1 || pre[0]["appId"] != otherClient {
		t.Fatalf("preauthorizations left: %v", pre)
	}

	// With --scope and --identifier-uri: disable, then remove (two writes).
	env.emu.ResetLog()
	out = env.undo(t, steps.UndoSpec{AppID: appID, Scope: "data.read", IdentifierURI: "api://{appId}"})
	if len(out.Plan.Changes) != 2 {
		t.Fatalf("want disable then remove (2 writes), got %d: %s", len(out.Plan.Changes), steps.PreviewAll(out.Plan.Changes))
	}
	assertPreviewsMatchWire(t, env.emu.Log(), out.Plan.Changes)
	if refused := refusedWrites(env.emu.Log()); updateLag > 0 && refused == 0 {
		t.Error("under update lag the removal was not refused once: the test proves nothing")
	}
	var a map[string]any
	for _, x := range env.emu.Applications() {
		if x["appId"] == appID {
			a = x
		}
	}
	api := a["api"].(map[string]any)
	scopes := api["oauth2PermissionScopes"].([]any)
	if len(scopes) != 1 || scopes[0].(map[string]any)["id"] != other || scopes[0].(map[string]any)["isEnabled"] != true {
		t.Errorf("scopes left: %v", scopes)
	}
	pre = preAuthorized(t, env.emu, appID)
	if len(pre) != 1 || pre[0]["appId"] != otherClient || len(pre[0]["delegatedPermissionIds"].([]any)) != 1 {
		t.Errorf("preauthorizations left: %v", pre)
	}
	if uris := asList(a["identifierUris"]); len(uris) != 0 {
		t.Errorf("identifier URIs left: %v", uris)
	}
	if r := asList(a["web"].(map[string]any)["redirectUris"]); len(r) != 1 {
		t.Errorf("redirect URIs changed: %v", r)
	}
	if spsFor(env.emu, appID) != 1 || len(env.emu.DeletedItems()) != 0 {
		t.Error("undo on an app pqentra did not register touched its service principal or deleted something")
	}
	// Again: nothing to undo.
	env.emu.ResetLog()
	again := env.undo(t, steps.UndoSpec{AppID: appID, Scope: "Data.Read", IdentifierURI: "api://{appId}"})
	if !again.Plan.Empty() || writes(env.emu.Log()) != 0 {
		t.Errorf("re-run: %d changes, %d writes", len(again.Plan.Changes), writes(env.emu.Log()))
	}
	// --purge is refused on such an app, before anything is sent.
	u := steps.UndoSpec{AppID: appID, Purge: true}
	_ = u.Normalize()
	if _, err := steps.Undo(context.Background(), env.client, u, env.client.GraphBase(), false, nil); err == nil || !strings.Contains(err.Error(), "never deletes it") {
		t.Errorf("purge on a foreign app: %v", err)
	}
}

func preAuthorized(t *testing.T, emu *emulator.Server, appID string) []map[string]any {
	t.Helper()
	for _, a := range emu.Applications() {
		if a["appId"] == appID {
			var out []map[string]any
			for _, p := range asList(a["api"].(map[string]any)["preAuthorizedApplications"]) {
				out = append(out, p.(map[string]any))
			}
			return out
		}
	}
	t.Fatalf("no app %s", appID)
	return nil
}

func TestUndoFaultsConvergeOnRerun(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	env.converge(t, desired(t, "Flaky Connector"))
	app := appsNamed(env.emu, "Flaky Connector")[0]
	appID := app["appId"].(string)
	// The SP delete's answer is lost after it was applied (the client
	// retries and finds it gone); the app delete then fails on Graph's side.
	env.emu.DropResponse(emulator.MatchWrite("DELETE", "/servicePrincipals/"), 1)
	env.emu.FailNext(emulator.MatchWrite("DELETE", "/applications/"), 500, "UnknownError", "Something went wrong.", 1)
	u := steps.UndoSpec{DisplayName: "Flaky Connector"}
	_ = u.Normalize()
	_, err := steps.Undo(context.Background(), env.client, u, env.client.GraphBase(), false, nil)
	if e, ok := steps.AsError(err); !ok || e.Status != 500 || !e.Retryable {
		t.Fatalf("want a retryable 500, got %v", err)
	}
	if spsFor(env.emu, appID) != 0 || len(appsNamed(env.emu, "Flaky Connector")) != 1 {
		t.Fatalf("state after the failed run: %d SPs, %d apps", spsFor(env.emu, appID), len(appsNamed(env.emu, "Flaky Connector")))
	}
	if _, _, dropped := env.emu.Injected(); dropped != 1 {
		t.Fatalf("the lost response was not injected (%d)", dropped)
	}
	// The re-run finishes without touching the SP again.
	out, err := steps.Undo(context.Background(), env.newClient(t), u, env.client.GraphBase(), false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Plan.Changes) != 1 || out.Plan.Changes[0].Kind != steps.OpDeleteApp {
		t.Errorf("re-run changes: %s", steps.PreviewAll(out.Plan.Changes))
	}
	if len(appsNamed(env.emu, "Flaky Connector")) != 0 || len(deletedOfType(env.emu, "application")) != 1 {
		t.Errorf("not converged: %d apps, deleted %v", len(appsNamed(env.emu, "Flaky Connector")), env.emu.DeletedItems())
	}
}

func TestUndoUnderThrottling(t *testing.T) {
	// Every 4th Graph request is answered 429 with Retry-After: 1.
	env := newTestEnv(t, emulator.Options{ThrottleEvery: 4, RetryAfter: 1})
	env.converge(t, desired(t, "Busy Connector"))
	appID := appsNamed(env.emu, "Busy Connector")[0]["appId"].(string)
	out := env.undo(t, steps.UndoSpec{AppID: appID, Purge: true})
	if throttled, _, _ := env.emu.Injected(); throttled == 0 {
		t.Fatal("nothing was throttled: the test proves nothing")
	}
	if !out.Deleted() || len(env.emu.DeletedItems()) != 0 || len(appsNamed(env.emu, "Busy Connector")) != 0 {
		t.Errorf("after a throttled undo --purge: deleted=%v, %d deleted items", out.Deleted(), len(env.emu.DeletedItems()))
	}
}

// assertDeletesMatchWire checks each change was sent as previewed (method
// and path; deletes have no body).
func assertDeletesMatchWire(t *testing.T, log []emulator.LoggedRequest, changes []steps.Change) {
	t.Helper()
	var sent []emulator.LoggedRequest
	for _, r := range log {
		if r.Graph && r.Method != "GET" && r.Injected == "" {
			sent = append(sent, r)
		}
	}
	if len(sent) != len(changes) {
		t.Fatalf("sent %d writes for %d changes", len(sent), len(changes))
	}
	for i, c := range changes {
		if sent[i].Method != c.Method || !strings.HasSuffix(c.URL, sent[i].Path) {
			t.Errorf("change %d previewed %s %s, sent %s %s", i, c.Method, c.URL, sent[i].Method, sent[i].Path)
		}
	}
}

// refusedWrites counts the writes Graph refused with a 400 (under update
// lag: the ones sent before the previous write had replicated).
func refusedWrites(log []emulator.LoggedRequest) (n int) {
	for _, r := range log {
		if r.Graph && r.Method != "GET" && r.Status == 400 {
			n++
		}
	}
	return n
}
