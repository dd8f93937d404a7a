package e2e

import (
	"strings"
	"testing"
)

// demoSalesAppID is the demo publisher's multitenant "Contoso Sales
// Connector" (cmd/demo.go).
const demoSalesAppID = "5c7e9a1b-3d2f-4e6a-8b0c-1d2e3f4a5b6c"

// The wizard's last screen for a multitenant app, as a person sees it at
// 80×24 without colour: o shows the admin-consent URL with the app id
// whole and scrolls (PgDn) to its end; s names the service-config command
// as it runs (--demo, the app id); w writes the record, and q leaves the
// summary with the onboarding block in the scroll-back all the same.
func TestE2EWizardLastScreenOfAMultitenantApp(t *testing.T) {
	t.Parallel()
	env := append(demoDirs(t), "NO_COLOR=1")
	p := newTmux(t).startBinary(80, 24, "on", env, "--demo")
	p.waitFor("┃ Resource application")
	p.keys("Down", "Enter")
	p.waitFor("┃ Find the application")
	p.keys("-l", "Sales")
	p.waitFor("Contoso Sales Connector  " + demoSalesAppID)
	p.keys("Enter")
	p.waitFor("┃ > Contoso Sales Connector")
	for _, next := range []string{"┃ Application ID URI", "┃ Scope name", "┃ Who can consent", "┃ Edit the consent texts?",
		"┃ Client applications to preauthorize", "┃ Other client ID", "Paste this into"} {
		p.enterTo(next, func(string) {})
	}
	// The screen is taller than the window: it says so and scrolls.
	p.waitFor("↓ more below (PgDn, mouse wheel)")

	consent := "https://login.microsoftonline.com/organizations/adminconsent?client_id=" + demoSalesAppID
	p.keys("o")
	if s := p.waitFor("This app is multitenant"); !strings.Contains(s, "↓ more below (PgDn, mouse wheel)") || !strings.Contains(s, "pgup/pgdn scroll") {
		t.Errorf("o at 80×24 does not say how to see the rest:\n%s", s)
	}
	p.keys("PageDown")
	s := trimRows(p.waitFor("c copies it (whole)"))
	if !strings.Contains(strings.ReplaceAll(s, "\n", ""), consent) || strings.Contains(s, "→") || !strings.Contains(s, "\n"+demoSalesAppID+"\n") {
		t.Errorf("the admin-consent URL is cut, or its app id broken:\n%s", s)
	}
	p.keys("o")
	p.waitFor("Paste this into")
	p.keys("s")
	if s := trimRows(p.waitFor("What your connector's service must accept")); !strings.Contains(s, "  pqentra --demo service-config --app-id "+demoSalesAppID+"\n") {
		t.Errorf("s does not name the service-config command whole:\n%s", s)
	}
	p.keys("s")
	p.waitFor("Paste this into")

	file := t.TempDir() + "/Sales.aad.pq"
	p.keys("w")
	p.waitFor("Write the Aad record to")
	p.keys("C-u")
	p.keys("-l", file)
	p.keys("Enter")
	p.waitFor("Wrote " + file)
	p.keys("q")
	p.waitExit()
	sb := p.scrollback()
	for _, want := range []string{"Wrote " + file, "This app is multitenant", consent,
		"pqentra --demo --demo-tenant customer onboard --app-id " + demoSalesAppID} {
		if !strings.Contains(sb, want) {
			t.Errorf("the scroll-back after w and q lacks %q:\n%s", want, sb)
		}
	}
}

// trimRows takes the blanks off the end of each row of a screen, so that
// a URL broken at the window's edge reads whole with its breaks removed.
func trimRows(s string) string {
	rows := strings.Split(s, "\n")
	for i, r := range rows {
		rows[i] = strings.TrimRight(r, " ")
	}
	return strings.Join(rows, "\n")
}
