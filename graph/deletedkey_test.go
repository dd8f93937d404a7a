package graph

import (
	"context"
	"errors"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// Rule 5: after undo, the app in deleted items still holds its unique
// name. Setup finds it there and stops before any write; with
// RestoreDeleted it restores the app (and its service principal) and
// converges in the same run, on the same app.
func TestSetupAfterUndoRestoresOnlyWhenAsked(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	ctx := context.Background()
	d := desired(t, "Held Name Connector")
	first := env.converge(t, d)
	appID := first.Final.App.AppID
	env.undo(t, steps.UndoSpec{DisplayName: "Held Name Connector"})

	env.emu.ResetLog()
	out, err := steps.Converge(ctx, env.client, d, steps.Options{GraphBase: env.client.GraphBase()}, false)
	var de *steps.DeletedAppError
	if !errors.As(err, &de) || de.App.AppID != appID || de.App.DeletedAt.IsZero() {
		t.Fatalf("got %v (outcome %+v)", err, out)
	}
	if n := writes(env.emu.Log()); n != 0 {
		t.Fatalf("%d writes sent before stopping", n)
	}

	env.emu.ResetLog()
	out, err = steps.Converge(ctx, env.client, d, steps.Options{GraphBase: env.client.GraphBase(), RestoreDeleted: true}, false)
	if err != nil {
		env.dumpLog(t)
		t.Fatal(err)
	}
	if k := out.Plan.Changes[0]; k.Kind != steps.OpRestore || k.AppID != appID {
		t.Fatalf("first change %+v, want the restore", k)
	}
	assertQuickstartState(t, env.emu, "Held Name Connector", "Data.Read")
	if out.Final.App.AppID != appID || out.Final.ServicePrincipal == nil || len(env.emu.DeletedItems()) != 0 {
		t.Fatalf("final %+v, %d deleted items left", out.Final, len(env.emu.DeletedItems()))
	}
	if len(env.emu.Applications()) != 1 {
		t.Fatalf("%d applications", len(env.emu.Applications()))
	}
}
