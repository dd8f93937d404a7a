package graph

import (
	"context"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// Rule 8: Directory_QuotaExceeded is explained: deleted objects count, how
// many apps pqentra registered are in deleted items, and how to purge them.
func TestQuotaExceededNamesTheDeletedApps(t *testing.T) {
	env := newTestEnv(t, emulator.Options{UserObjectQuota: 4})
	first := env.converge(t, desired(t, "Quota One")) // app + SP
	env.undo(t, steps.UndoSpec{DisplayName: "Quota One"})
	env.converge(t, desired(t, "Quota Two")) // 4 objects now, 2 of them deleted
	_, err := steps.Converge(context.Background(), env.client, desired(t, "Quota Three"),
		steps.Options{GraphBase: env.client.GraphBase(), Command: steps.Command{Globals: []string{"--demo"}}}, false)
	if !steps.IsQuotaExceeded(err) {
		t.Fatalf("got %v", err)
	}
	msg := err.Error()
	oneID := first.Final.App.AppID
	for _, want := range []string{"Directory_QuotaExceeded", "250", "deleted items count", "1 application pqentra registered is in deleted items",
		"pqentra --demo restore --app-id " + oneID + " && pqentra --demo undo --app-id " + oneID + " --purge --yes"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if n := len(appsNamed(env.emu, "Quota Three")); n != 0 {
		t.Errorf("%d apps named Quota Three", n)
	}
}
