package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// Issue 21's defects through the built binary in a real terminal.

// demoDirs are the demo's state and cache folders for a wizard and the
// commands run after it on the same demo tenant.
func demoDirs(t *testing.T) []string {
	home := t.TempDir()
	return []string{"XDG_CACHE_HOME=" + home, "HOME=" + home, "XDG_STATE_HOME=" + t.TempDir(), quickDemo}
}

// doctorFindings runs `pqentra --demo doctor --app-id id --output json` on
// the demo tenant in env and returns the finding ids.
func doctorFindings(t *testing.T, env []string, id string) []string {
	t.Helper()
	p := runBinary(t, env, "--demo", "doctor", "--app-id", id, "--output", "json")
	var obj struct {
		AppID    string `json:"appId"`
		Findings []struct {
			ID string `json:"id"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(p.stdout), &obj); err != nil || obj.AppID != id {
		t.Fatalf("doctor: exit %d, %v\n%s\n%s", p.code, err, p.stdout, p.stderr)
	}
	var ids []string
	for _, f := range obj.Findings {
		ids = append(ids, f.ID)
	}
	return ids
}

// On the demo's half-configured "Contoso Legacy API" (an admin-only scope,
// no service principal, nothing preauthorized) the run creates the service
// principal, makes the scope "Admins and users" in place and preauthorizes
// the Power Query clients. u takes back exactly that — the service
// principal deleted, the scope admin-only again, the clients removed —
// and never the app: doctor then finds what it found before the run.
func TestE2EUndoTakesBackOnlyThisRun(t *testing.T) {
	t.Parallel()
	env := demoDirs(t)
	before := doctorFindings(t, env, demoLegacyAppID)
	p := newTmux(t).startBinary(140, 40, "on", env, "--demo")
	p.waitFor("┃ Resource application")
	p.keys("Down", "Enter")
	p.waitFor("┃ Find the application")
	p.keys("-l", "legacy")
	p.waitFor("Contoso Legacy API")
	p.keys("Enter")
	p.waitFor(demoLegacyAppID)
	p.enterTo("┃ Application ID URI", func(string) {})
	p.enterTo("┃ Scope name", func(string) {})
	if s := p.waitFor("> Legacy.Read"); strings.Contains(s, "Add the scope") {
		t.Errorf("the Scope step adds a second scope beside the app's own:\n%s", s)
	}
	for _, next := range []string{"┃ Who can consent", "┃ Edit the consent texts?", "┃ Client applications to preauthorize", "┃ Other client ID", "Paste this into"} {
		p.enterTo(next, func(string) {})
	}
	if after := doctorFindings(t, env, demoLegacyAppID); strings.Join(after, " ") == strings.Join(before, " ") {
		t.Fatalf("the run changed nothing doctor sees: %v", after)
	}
	p.keys("u")
	p.waitFor("Undo: take back what this run changed on the app")
	if s := p.screen(); strings.Contains(s, "DELETE /applications") || strings.Contains(s, "delete this app") {
		t.Fatalf("u offers to delete the app:\n%s", s)
	}
	p.keys("Left", "Enter")
	p.waitFor("Undone: took back")
	p.keys("q")
	p.waitExit()
	if after := doctorFindings(t, env, demoLegacyAppID); strings.Join(after, " ") != strings.Join(before, " ") {
		t.Errorf("doctor before the run found %v, after u %v", before, after)
	}
}

// The picker after a search, a move down, Shift+Tab, Ctrl-U and a new
// search: the cursor is on the app listed, the preview names it, and Enter
// picks it.
func TestE2EPickerAfterANewSearch(t *testing.T) {
	t.Parallel()
	env := demoDirs(t)
	for _, n := range []string{"Alpha One", "Alpha Two"} {
		if p := runBinary(t, env, "--demo", "setup", "--non-interactive", "--display-name", n); p.code != 0 {
			t.Fatalf("setup %s: %d %s", n, p.code, p.stderr)
		}
	}
	p := newTmux(t).startBinary(120, 40, "on", env, "--demo")
	p.waitFor("┃ Resource application")
	p.keys("Down", "Enter")
	p.waitFor("┃ Find the application")
	p.keys("-l", "alpha")
	p.waitFor("Alpha Two")
	p.keys("Enter")
	p.waitFor("┃ Application")
	p.keys("Down")
	p.waitFor("> Alpha Two") // the cursor on the second app listed
	p.keys("BTab")
	p.waitFor("┃ Find the application")
	p.keys("C-u")
	p.keys("-l", "legacy")
	s := p.waitFor("(" + demoLegacyAppID + ")") // the preview names the app listed
	if strings.Contains(s, "Alpha") {
		t.Errorf("an app no longer listed is still shown:\n%s", s)
	}
	p.keys("Enter")
	p.waitFor("> Contoso Legacy API") // the cursor is on it
	p.enterTo("┃ Application ID URI", func(string) {})
	p.waitFor(`App "Contoso Legacy API"`)
	p.keys("C-c")
}

// At 80×24 the Scope and Preauthorize steps' requests do not fit beside
// their fields: Enter shows them (and the guidance) before anything is
// sent, and Enter sends them only once they have all been on the screen.
func TestE2EScopeRequestsShownAt80x24(t *testing.T) {
	t.Parallel()
	p := newTmux(t).startBinary(80, 24, "on", demoDirs(t), "--demo")
	p.waitFor("┃ Resource application")
	p.keys("Enter")
	p.waitFor("┃ Display name")
	p.keys("-l", "Small")
	p.waitFor("> Small")
	for _, next := range []string{"┃ Supported account types", "┃ Application ID URI", "┃ Scope name", "┃ Who can consent", "┃ Edit the consent texts?"} {
		p.enterTo(next, func(string) {})
	}
	p.waitFor("The scope is saved enabled")
	p.keys("Enter")
	s := p.waitFor("esc back to the answers")
	for _, want := range []string{"Add the scope Data.Read", "PATCH /applications/", "oauth2PermissionScopes"} {
		if !strings.Contains(s, want) {
			t.Errorf("before sending, the screen lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "Scope saved") {
		t.Fatalf("the scope was sent unseen:\n%s", s)
	}
	p.sendReviewed("✓ Scope saved")
	// The Preauthorize step's pane has room for one line of the request's
	// summary, not the request: Enter shows it before sending too.
	p.waitFor("┃ Client applications to preauthorize")
	p.enterTo("┃ Other client ID", func(string) {})
	p.keys("Enter")
	s = p.waitFor("esc back to the answers")
	for _, want := range []string{"Preauthorize Power Query for Excel", "PATCH /applications/"} {
		if !strings.Contains(s, want) {
			t.Errorf("before preauthorizing, the screen lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "Clients preauthorized") {
		t.Fatalf("the preauthorization was sent unseen:\n%s", s)
	}
	p.sendReviewed("✓ Clients preauthorized")
	p.keys("C-c")
}
