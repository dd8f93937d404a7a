package tui

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pqentra/pqentra/graph"
	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// The plain and the full-screen wizard are two front ends over one flow:
// given the same answers they leave the directory in the same state and
// tell the user the same things. One table, both wizards.
func TestBothWizardsSameAnswersSameResult(t *testing.T) {
	cases := []struct {
		name string
		seed func(t *testing.T, emu *emulator.Server)
		// plain are the lines typed into the plain wizard.
		plain []string
		// full drives the full-screen wizard the same way.
		full func(h *harness)
		// say are messages both must show.
		say []string
		// dirHas are in the directory both leave (directoryOf).
		dirHas []string
		// plainSay are only the plain wizard's words for what say has.
		plainSay []string
	}{{
		name: "a new app with the quickstart's defaults",
		plain: []string{"", "Same Answers", "", "", // register, send
			"", "", // URI, send
			"", "", "", "", // scope, consent, texts, send
			"", "", "", // clients, other, send
			"", ""}, // no file, keep
		full: func(h *harness) { h.registerNew("Same Answers"); h.restWithDefaults() },
		say: []string{"✓ Application registered, service principal in place (2 requests sent)", "✓ Application ID URI set (1 request sent)",
			"✓ Scope saved (1 request sent)", "✓ Clients preauthorized (1 request sent)"},
	}, {
		name: "an existing app with an admin-only scope",
		seed: seedAdminOnly,
		plain: []string{"2", "Hand", "", "", // existing, search, the first found, send
			"", "", // URI, send
			"", "", "", "", // its own scope, made Admins and users, texts, send
			"", "", "", // clients, other, send
			"", ""},
		full: func(h *harness) {
			h.waitFor("┃ Resource application")
			h.press(tea.KeyDown, "")
			h.press(tea.KeyEnter, "┃ Find the application")
			h.typeText("Hand", "Hand Made API")
			h.press(tea.KeyEnter, "┃ Application")
			h.submit("┃ Application ID URI")
			h.restWithDefaults()
		},
		say: []string{"✓ Using the existing application; service principal created (1 request sent)",
			"What the doctor found on this app", "which only admins can consent to",
			"this step makes it Admins and users", "✓ Scope saved (2 requests sent)"},
	}, {
		name: "a new app with an admins-only scope of its own name",
		plain: []string{"", "Own Scope", "", "",
			"", "",
			"Files.Read", "2", "", "",
			"", "", "",
			"", ""},
		full: func(h *harness) {
			h.registerNew("Own Scope")
			h.press(tea.KeyEnter, "┃ Scope name")
			h.press(tea.KeyCtrlU, "")
			h.typeText("Files.Read", "> Files.Read")
			h.press(tea.KeyEnter, "┃ Who can consent")
			h.press(tea.KeyDown, "")
			h.press(tea.KeyEnter, "┃ Edit the consent texts?")
			h.submit("┃ Client applications to preauthorize")
			h.press(tea.KeyEnter, "┃ Other client ID")
			h.submit("Paste this into your connector")
		},
		say: []string{"Admins only: users who connect will see \"Need admin approval\"", "✓ Scope saved (1 request sent)"},
	}, {
		// The checklist starts from the app: Power Apps, already
		// preauthorized for the app's scope, is checked and kept; switching
		// it off is refused in both, and it is still there afterwards.
		name: "an existing app that already preauthorizes Power Apps",
		seed: seedPowerApps,
		plain: []string{"2", "Hand", "", "", // existing, search, the first found, send
			"", "", // URI, send
			"", "", "", // its own scope (nothing to send)
			"3", "", "", "", // switch Power Apps off (refused), keep the list, other, send
			"", ""},
		full: func(h *harness) {
			h.waitFor("┃ Resource application")
			h.press(tea.KeyDown, "")
			h.press(tea.KeyEnter, "┃ Find the application")
			h.typeText("Hand", "Hand Made API")
			h.press(tea.KeyEnter, "┃ Application")
			h.submit("┃ Application ID URI")
			h.submit("┃ Scope name")
			h.press(tea.KeyEnter, "┃ Who can consent")
			h.press(tea.KeyEnter, "┃ Edit the consent texts?")
			h.submit("┃ Client applications to preauthorize")
			h.waitFor("[•] Power Apps and Power Automate (kept)") // checked
			h.press(tea.KeyDown, "")
			h.press(tea.KeyDown, "")
			h.rune(' ', "Power Apps and Power Automate is already preauthorized")
			h.waitFor("[•] Power Apps and Power Automate (kept)") // still checked
			// Ctrl-A with every client checked selects none: refused too.
			h.press(tea.KeyCtrlA, "Power Apps and Power Automate is already preauthorized")
			h.waitFor("[•] Power Query for Excel")
			h.press(tea.KeyEnter, "┃ Other client ID")
			h.submit("Paste this into your connector")
		},
		say: []string{"Power Apps and Power Automate (kept)", "are marked (kept) and stay: the wizard only adds",
			"Power Apps and Power Automate is already preauthorized and stays: the wizard only adds clients",
			"✓ Clients preauthorized (1 request sent)"},
		plainSay: []string{"3. [x] Power Apps and Power Automate (kept)"},
		dirHas:   []string{steps.ClientPowerApps.AppID + ": Legacy.Read", steps.ClientExcel.AppID + ": Legacy.Read", steps.ClientRefresh.AppID + ": Legacy.Read"},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The plain wizard.
			emu, cl, _ := newEmulator(t, emulator.Options{})
			if c.seed != nil {
				c.seed(t, emu)
			}
			var out, errw bytes.Buffer
			res, err := Plain(context.Background(), Options{Client: cl, Snippet: snippetFor},
				strings.NewReader(strings.Join(c.plain, "\n")+"\n"), &out, &errw)
			if err != nil {
				t.Fatalf("plain: %v\n%s", err, errw.String())
			}
			plainSaid := errw.String()
			plainDir := directoryOf(t, emu)

			// The full-screen wizard.
			h := start(t, emulator.Options{}, 140, 40, steps.Desired{})
			if c.seed != nil {
				c.seed(t, h.emu)
			}
			c.full(h)
			fm := h.finish()
			fullDir := directoryOf(t, h.emu)

			if !reflect.DeepEqual(plainDir, fullDir) {
				t.Errorf("the directory differs:\nplain:       %s\nfull screen: %s", plainDir, fullDir)
			}
			for _, want := range c.plainSay {
				if !strings.Contains(plainSaid, want) {
					t.Errorf("the plain wizard never says %q:\n%s", want, plainSaid)
				}
			}
			for _, want := range c.dirHas {
				if !strings.Contains(plainDir, want) {
					t.Errorf("the directory lacks %q: %s", want, plainDir)
				}
			}
			// The form column of each frame, read as text: the preview pane
			// beside it (after │) is not what the wizard says.
			var left []string
			for _, l := range strings.Split(ansiRE.ReplaceAllString(h.out.String(), "")+h.views.String(), "\n") {
				l, _, _ = strings.Cut(l, "│")
				left = append(left, l)
			}
			fullSaid := strings.Join(left, "\n")
			for _, want := range c.say {
				if !strings.Contains(strings.Join(strings.Fields(plainSaid), " "), want) {
					t.Errorf("the plain wizard never says %q:\n%s", want, plainSaid)
				}
				if !strings.Contains(strings.Join(strings.Fields(fullSaid), " "), want) {
					t.Errorf("the full-screen wizard never says %q", want)
				}
			}
			if a, b := withoutIDs(res.Summary), withoutIDs(fm.Result().Summary); a != b {
				t.Errorf("the summaries differ:\nplain:\n%s\nfull screen:\n%s", a, b)
			}
		})
	}
}

// seedAdminOnly stores an app made by hand in the admin center: a scope
// only admins can consent to, no URI, nothing preauthorized, no service
// principal.
func seedAdminOnly(t *testing.T, emu *emulator.Server) {
	t.Helper()
	if _, _, err := emu.SeedApplication(map[string]any{"displayName": "Hand Made API", "signInAudience": "AzureADMyOrg",
		"api": map[string]any{"oauth2PermissionScopes": []any{map[string]any{
			"id": i21ScopeID, "value": "Legacy.Read", "type": "Admin", "isEnabled": true,
			"adminConsentDisplayName": "Read legacy data", "adminConsentDescription": "Allows the app to read legacy data as the signed-in user."}}}}); err != nil {
		t.Fatal(err)
	}
}

// seedPowerApps stores an app set up by hand with its scope Legacy.Read
// (Admins and users) and Power Apps and Power Automate preauthorized for
// it, as a connector that serves Power Apps too would have it.
func seedPowerApps(t *testing.T, emu *emulator.Server) {
	t.Helper()
	objectID, _, err := emu.SeedApplication(map[string]any{"displayName": "Hand Made API", "signInAudience": "AzureADMyOrg",
		"api": map[string]any{"oauth2PermissionScopes": []any{map[string]any{
			"id": i21ScopeID, "value": "Legacy.Read", "type": "User", "isEnabled": true,
			"adminConsentDisplayName": "Read legacy data", "adminConsentDescription": "Allows the app to read legacy data as the signed-in user.",
			"userConsentDisplayName": "Read your legacy data", "userConsentDescription": "Allows the app to read your legacy data."}}}})
	if err != nil {
		t.Fatal(err)
	}
	// Graph takes a preauthorization only for a scope already stored: a
	// second write, as in the admin center.
	ep, err := graph.ResolveEndpoints("public", emu.URL(), emu.URL())
	if err != nil {
		t.Fatal(err)
	}
	c, err := graph.New(graph.Config{Endpoints: ep, ExtraRootsPEM: emu.CACertPEM()})
	if err != nil {
		t.Fatal(err)
	}
	pre := []steps.PreAuthorizedApp{{AppID: steps.ClientPowerApps.AppID, DelegatedPermissionIDs: []string{i21ScopeID}}}
	if err := c.PatchApplication(context.Background(), objectID, steps.AppPatch{PreAuthorized: &pre}); err != nil {
		t.Fatal(err)
	}
}

// directoryOf is the emulator's apps as a user compares them: ids that
// differ between two directories (app ids, scope ids) left out.
func directoryOf(t *testing.T, emu *emulator.Server) string {
	t.Helper()
	type scope struct {
		Value, Type string
		Enabled     bool
	}
	type appView struct {
		Name, Audience string
		URIs           []string
		Scopes         []scope
		Preauthorized  []string // client: scope values
		HasSP          bool
	}
	b, _ := json.Marshal(emu.ServicePrincipals())
	sps := string(b)
	var views []appView
	for _, a := range apps(t, emu) {
		v := appView{Name: a.DisplayName, HasSP: strings.Contains(sps, `"appId":"`+a.AppID+`"`)}
		for _, u := range a.IdentifierURIs {
			v.URIs = append(v.URIs, strings.ReplaceAll(u, a.AppID, "{appId}"))
		}
		byID := map[string]string{}
		for _, s := range a.API.Scopes {
			v.Scopes = append(v.Scopes, scope{s.Value, s.Type, s.IsEnabled})
			byID[s.ID] = s.Value
		}
		for _, p := range a.API.Pre {
			var vals []string
			for _, id := range p.DelegatedPermissionIDs {
				vals = append(vals, byID[id])
			}
			sort.Strings(vals)
			v.Preauthorized = append(v.Preauthorized, p.AppID+": "+strings.Join(vals, ","))
		}
		sort.Strings(v.Preauthorized)
		views = append(views, v)
	}
	sort.Slice(views, func(i, j int) bool { return views[i].Name < views[j].Name })
	out, _ := json.Marshal(views)
	return string(out)
}

var guidRE = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)

// withoutIDs replaces GUIDs, which differ between two directories.
func withoutIDs(s string) string {
	return guidRE.ReplaceAllString(s, "{id}")
}
