package steps

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// An app in deleted items holding the name: the plan stops (no create that
// Graph would refuse), or with RestoreDeleted restores it first and plans
// the rest against the app as it comes back.
func TestDiffWithTheAppInDeletedItems(t *testing.T) {
	d := Desired{DisplayName: "Held"}
	if err := d.Normalize(); err != nil {
		t.Fatal(err)
	}
	del := &DeletedApp{App: App{ObjectID: "0b0b0b0b-1111-4222-8333-444455556666", AppID: "1c1c1c1c-1111-4222-8333-444455556666",
		DisplayName: "Held", UniqueName: UniqueName("Held"), SignInAudience: AudienceSingle},
		DeletedAt: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	st := State{Tenant: &Tenant{ID: "6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13"}, Deleted: del}

	_, err := Diff(st, d, Options{})
	var de *DeletedAppError
	if !errors.As(err, &de) {
		t.Fatalf("got %v", err)
	}
	de.Command = Command{Globals: []string{"--tenant", "contoso.com"}}
	msg := err.Error()
	for _, want := range []string{del.AppID, "2026-03-01 10:00 UTC", "until 2026-03-31", "Nothing was changed",
		`pqentra --tenant contoso.com setup --non-interactive --display-name Held --restore-deleted`,
		"pqentra --tenant contoso.com restore --app-id " + del.AppID,
		"pqentra --tenant contoso.com undo --app-id " + del.AppID + " --purge"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}

	p, err := Diff(st, d, Options{RestoreDeleted: true})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, c := range p.Changes {
		kinds = append(kinds, string(c.Kind)+" "+c.Path)
	}
	got := strings.Join(kinds, "\n")
	// The app, then (no deleted service principal) a new one, then the
	// URI/scope and the preauthorization on the app's own object id.
	for i, want := range []string{"/directory/deletedItems/" + del.ObjectID + "/restore", "/servicePrincipals(appId='" + del.AppID + "')",
		"/applications/" + del.ObjectID} {
		if i >= len(p.Changes) || !strings.HasSuffix(p.Changes[i].Path, want) {
			t.Fatalf("change %d is not %s:\n%s", i, want, got)
		}
	}
	if strings.Contains(got, PlaceholderObjectID) || strings.Contains(got, "uniqueName=") {
		t.Fatalf("a restore plan registers a new app:\n%s", got)
	}
}
