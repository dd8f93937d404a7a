package tui

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// At 100 columns the request pane is 49 cells wide and
// "/applications/<object id>" is 50: the line breaks before the id, which
// stays whole (a copied id works), instead of at the edge inside it.
func TestPreviewKeepsTheObjectIDWholeAt100Columns(t *testing.T) {
	h := start(t, emulator.Options{}, 100, 30, steps.Desired{})
	h.registerNew("Whole Ids")
	b, err := json.Marshal(h.emu.Applications())
	if err != nil {
		t.Fatal(err)
	}
	var objs []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(b, &objs); err != nil || len(objs) != 1 {
		t.Fatalf("applications: %s (%v)", b, err)
	}
	v := h.waitFor2("PATCH")
	if !strings.Contains(v, objs[0].ID) {
		t.Errorf("the preview splits the object id %s:\n%s", objs[0].ID, v)
	}
	h.quit()
}
