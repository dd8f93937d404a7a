package e2e

import (
	"strings"
	"testing"
)

// TestBinaryOnboardAsksInATerminal plays the demo's customer in a real
// terminal (tmux, 80×24, NO_COLOR): onboard shows the one request, asks,
// "n" sends nothing, and "y" onboards the publisher's app.
func TestBinaryOnboardAsksInATerminal(t *testing.T) {
	t.Parallel()
	tm := newTmux(t)
	state, home := t.TempDir(), t.TempDir()
	env := append([]string{"NO_COLOR=1", quickDemo}, "XDG_CACHE_HOME="+home, "XDG_STATE_HOME="+state, "HOME="+home)
	const app = "5c7e9a1b-3d2f-4e6a-8b0c-1d2e3f4a5b6c" // the demo publisher's published connector
	args := []string{"--demo", "--demo-tenant", "customer", "onboard", "--app-id", app}

	p := tm.startBinary(80, 24, "external", env, args...)
	p.waitFor("Create the service principal of app " + app + " in Fabrikam (demo customer)? [y/N]")
	if s := p.scrollback(); !strings.Contains(s, "POST https://") || !strings.Contains(s, `"appId": "`+app+`"`) {
		t.Errorf("the request is not on the screen before the question:\n%s", s)
	}
	p.keys("n", "Enter")
	p.waitFor("Nothing written.")
	p.waitExit()

	p = tm.startBinary(80, 24, "external", env, args...)
	p.waitFor("[y/N]")
	p.keys("y", "Enter")
	p.waitFor("Contoso Sales Connector")
	if s := p.scrollback(); !strings.Contains(s, "Onboarded") || strings.Contains(s, "\x1b[") {
		t.Errorf("after yes:\n%s", s)
	}
	p.waitExit()
	if r := runBinary(t, env, args...); r.code != 0 || !strings.Contains(r.stdout, "Already onboarded") {
		t.Errorf("the answer no was not kept, or yes did not write: exit %d\n%s", r.code, r.stdout)
	}
}
