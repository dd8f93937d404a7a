package e2e

import (
	"strings"
	"testing"
)

// At 80×24 the Register step's pane shows the first request's summary and
// URL only, and the App ID URI step's ends at the body's first brace
// (issue 21). Through the built binary: Enter shows the requests, reads on
// to the service principal's, and only then sends; the App ID URI's body
// is on the screen before its PATCH is sent.
func TestE2ERegisterAndURIRequestsShownAt80x24(t *testing.T) {
	t.Parallel()
	p := newTmux(t).startBinary(80, 24, "on", demoDirs(t), "--demo")
	p.waitFor("┃ Resource application")
	p.keys("Enter")
	p.waitFor("┃ Display name")
	p.keys("-l", "Lead Test Connector")
	p.waitFor("> Lead Test Connector")
	p.keys("Enter")
	s := p.waitFor("↓ more below")
	if strings.Contains(s, "/servicePrincipals") {
		t.Fatalf("the pane was expected to cut the requests at 80×24:\n%s", s)
	}

	p.keys("Enter")
	s = p.waitFor(`"displayName": "Lead Test Connector"`)
	for _, want := range []string{"Not all of the requests fit", "enter more"} {
		if !strings.Contains(s, want) {
			t.Errorf("the first Enter's screen lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "Application registered") {
		t.Fatalf("registered on the first Enter:\n%s", s)
	}
	p.keys("Enter")
	s = p.waitFor("PATCH /servicePrincipals(appId='{appId}')")
	if !strings.Contains(s, reviewSend) || strings.Contains(s, "Application registered") {
		t.Fatalf("after the service principal's request came on the screen, Enter should send:\n%s", s)
	}
	p.keys("Enter")
	p.waitFor("✓ Application registered, service principal in place (2 requests sent)")

	s = p.waitFor("┃ Application ID URI")
	if strings.Contains(s, `"identifierUris"`) {
		t.Fatalf("the pane was expected to cut the URI's body at 80×24:\n%s", s)
	}
	p.keys("Enter")
	s = p.waitFor(reviewSend)
	for _, want := range []string{"PATCH /applications/", `"identifierUris": [`, `"api://`} {
		if !strings.Contains(s, want) {
			t.Errorf("before the URI is set, the screen lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "Application ID URI set") {
		t.Fatalf("the URI was set unseen:\n%s", s)
	}
	p.keys("Enter")
	p.waitFor("✓ Application ID URI set (1 request sent)")
	p.keys("C-c")
}
