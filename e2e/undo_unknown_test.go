package e2e

import (
	"encoding/json"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/graph/emulator/emulatortest"
)

// undo --app-id of an app that exists nowhere says so under --output json:
// "found": false and the id asked for (it printed "appId": "" before), and
// nothing to undo is still exit 0 (issue 17).
func TestBinaryUndoUnknownAppIDSaysSo(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{})
	const id = "0f0e0d0c-0b0a-4908-8706-050403020100"
	p := runBinary(t, env, append([]string{"undo", "--app-id", id, "--yes", "--output", "json"}, emulatortest.Flags(emu)...)...)
	var v map[string]any
	if err := json.Unmarshal([]byte(p.stdout), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s\n%s", err, p.stdout, p.stderr)
	}
	if p.code != 0 || v["appId"] != id || v["found"] != false || v["deleted"] != false {
		t.Errorf("exit %d, %v\n%s", p.code, v, p.stderr)
	}
	if _, w := emu.Counts(); w != 0 {
		t.Errorf("%d writes", w)
	}
}
