package tui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/m"
	"github.com/pqentra/pqentra/steps/service"
)

// The wizard's w takes a Power Query SDK project folder too (issue 18):
// the record goes into its connector file, a backup is kept, the test
// query file is never touched, and the summary says how to try the
// sign-in with the SDK.

const projConnector = "section Contoso;\n\n[DataSource.Kind=\"Contoso\", Publish=\"Contoso.Publish\"]\nshared Contoso.Contents = () => \"Hello\";\n\nContoso = [\n    Authentication = [\n        Anonymous = []\n    ]\n];\n"

const projQuery = "let\n    result = Contoso.Contents()\nin\n    result\n"

func patchFor(src, uri string) (string, error) {
	return m.Patch(src, "", m.SnippetOptions{Resource: uri})
}

var testCloud = service.Cloud{Name: "public", LoginHost: "https://login.microsoftonline.com", V1Issuer: "https://sts.windows.net", V2Issuer: "https://login.microsoftonline.com"}

func sdkProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "Contoso")
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestSnippetWriteIntoAnSDKProject(t *testing.T) {
	dir := sdkProject(t, map[string]string{"Contoso.pq": projConnector, "Contoso.query.pq": projQuery, "Contoso.proj": `<Project><ItemGroup><MezContent Include="Contoso.pq" /></ItemGroup></Project>`})
	f := newFlow(Options{Client: offlineClient(t), Snippet: snippetFor, PatchConnector: patchFor})
	f.state.App = &steps.App{AppID: "00001111-aaaa-2222-bbbb-3333cccc4444", DisplayName: "Contoso Connector"}
	if err := f.checkSnippetPath(dir); err != nil {
		t.Fatalf("the field refuses the project folder: %v", err)
	}
	said, err := f.saveSnippet(dir, "ignored: the record is made for the connector", false)
	if err != nil {
		t.Fatal(err)
	}
	conn := filepath.Join(dir, "Contoso.pq")
	if !strings.Contains(said, "Updated "+conn+" (original kept as "+conn+".bak)") {
		t.Errorf("said %q", said)
	}
	b, _ := os.ReadFile(conn)
	if !strings.Contains(string(b), `Resource = "api://00001111-aaaa-2222-bbbb-3333cccc4444"`) {
		t.Errorf("not patched:\n%s", b)
	}
	if q, _ := os.ReadFile(filepath.Join(dir, "Contoso.query.pq")); string(q) != projQuery {
		t.Errorf("the query file changed")
	}
	sum := f.summary()
	if !strings.Contains(sum, "\n    PQTest.exe run-test --extension "+filepath.Join(dir, "bin", "AnyCPU", "Debug", "Contoso.mez")) || !strings.Contains(sum, "data source kind Contoso") {
		t.Errorf("summary lacks the next steps:\n%s", sum)
	}
	if err := f.checkSnippetPath(filepath.Join(dir, "Contoso.query.pq")); err == nil || !strings.Contains(err.Error(), "test query file") {
		t.Errorf("the query file is accepted: %v", err)
	}
	two := sdkProject(t, map[string]string{"A.pq": projConnector, "B.pq": strings.ReplaceAll(projConnector, "Contoso", "B")})
	if err := f.checkSnippetPath(two); err == nil || !strings.Contains(err.Error(), "several connector files (A.pq, B.pq)") {
		t.Errorf("two candidates: %v", err)
	}
}

// s on the last step shows what the service must accept; c then copies
// it; s again goes back to the record.
func TestSnippetServiceKey(t *testing.T) {
	mo := New(context.Background(), Options{Client: offlineClient(t), Snippet: snippetFor, ServiceCloud: testCloud})
	mo.flow.state.App = &steps.App{AppID: "00001111-aaaa-2222-bbbb-3333cccc4444", DisplayName: "Contoso Connector",
		IdentifierURIs: []string{"api://00001111-aaaa-2222-bbbb-3333cccc4444"}}
	mo.flow.state.Tenant = &steps.Tenant{ID: "6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13"}
	mo.goToStep(steps.StepSnippet)
	s := mo.screen().(*snippetScreen)
	if !strings.Contains(s.extra(mo, 100), "s shows what your connector's service must accept") {
		t.Fatalf("s is not offered:\n%s", s.extra(mo, 100))
	}
	s.handleKey(mo, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("s")})
	view := s.extra(mo, 100)
	for _, want := range []string{"What your connector's service must accept", "api://00001111-aaaa-2222-bbbb-3333cccc4444", "https://sts.windows.net/6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13/"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	s.handleKey(mo, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("s")})
	if view := s.extra(mo, 100); !strings.Contains(view, "Paste this into your connector") {
		t.Errorf("s again did not go back:\n%s", view)
	}
	// Without a cloud (no service configuration), s is not offered.
	plain := New(context.Background(), Options{Client: offlineClient(t), Snippet: snippetFor})
	plain.flow.state.App = mo.flow.state.App
	plain.goToStep(steps.StepSnippet)
	if ps := plain.screen().(*snippetScreen); strings.Contains(ps.extra(plain, 100), "s shows") {
		t.Error("s offered without a cloud")
	}
}

// The plain wizard: a folder at the file prompt patches the connector;
// the summary holds the next steps, and the service configuration is
// offered last.
func TestPlainWritesIntoAnSDKProject(t *testing.T) {
	dir := sdkProject(t, map[string]string{"Contoso.pq": projConnector, "Contoso.query.pq": projQuery})
	_, c, _ := newEmulator(t, emulator.Options{})
	answers := strings.Join([]string{"", "Plain Connector", "", "", "", "", "", "", "", "", "", "", "",
		"y",  // write to a file
		dir,  // the project folder
		"y"}, // show the service configuration
		"\n") + "\n"
	var out, errw bytes.Buffer
	res, err := Plain(context.Background(), Options{Client: c, Snippet: snippetFor, PatchConnector: patchFor, ServiceCloud: testCloud},
		strings.NewReader(answers), &out, &errw)
	if err != nil {
		t.Fatalf("%v\n%s", err, errw.String())
	}
	b, _ := os.ReadFile(filepath.Join(dir, "Contoso.pq"))
	if !strings.Contains(string(b), "Aad = [") {
		t.Errorf("not patched:\n%s", b)
	}
	if !strings.Contains(errw.String(), "Updated "+filepath.Join(dir, "Contoso.pq")) || !strings.Contains(res.Summary, "PQTest.exe set-credential") {
		t.Errorf("prompts:\n%s\nsummary:\n%s", errw.String(), res.Summary)
	}
	if !strings.Contains(out.String(), "Audiences (aud) to accept:") {
		t.Errorf("stdout lacks the service configuration:\n%s", out.String())
	}
}

// o on the last step of a multitenant app shows what to send the
// organizations that use the connector; c copies it whole (the terminal
// gets it through OSC 52); o again goes back. A single-tenant app has no o.
func TestSnippetOnboardingKey(t *testing.T) {
	const appID = "00001111-aaaa-2222-bbbb-3333cccc4444"
	var term strings.Builder
	onboarding := func(id string) steps.Onboarding {
		return steps.NewOnboarding(id, "public", "https://login.microsoftonline.com", steps.Command{Globals: []string{"--demo", "--demo-tenant", "customer"}})
	}
	mo := New(context.Background(), Options{Client: offlineClient(t), Snippet: snippetFor, Onboarding: onboarding, Out: &term,
		Getenv: func(string) string { return "" }})
	mo.flow.state.App = &steps.App{AppID: appID, DisplayName: "Contoso Connector", SignInAudience: steps.AudienceMulti,
		IdentifierURIs: []string{"api://" + appID}}
	mo.goToStep(steps.StepSnippet)
	s := mo.screen().(*snippetScreen)
	if !strings.Contains(s.extra(mo, 100), "o shows what to send the organizations") || !strings.Contains(mo.result.Summary, "pqentra --demo --demo-tenant customer onboard --app-id "+appID) {
		t.Fatalf("o is not offered, or the summary lacks the onboarding:\n%s\n%s", s.extra(mo, 100), mo.result.Summary)
	}
	s.handleKey(mo, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("o")})
	// At 80 columns the commands wrap whole, and the URL, one word wider
	// than the line, breaks after its client_id= with the id whole.
	if narrow := s.extra(mo, 80); !strings.Contains(narrow, "onboard --app-id") || strings.Count(narrow, appID) < 4 {
		t.Errorf("at 80 columns the commands are cut:\n%s", narrow)
	}
	view := s.extra(mo, 140)
	for _, want := range []string{"This app is multitenant", "  pqentra --demo --demo-tenant customer onboard --app-id " + appID,
		"  az ad sp create --id " + appID, "adminconsent?client_id=", "c copies it"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	s.handleKey(mo, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("c")})
	if !strings.Contains(s.status, "onboarding instructions") || !strings.Contains(term.String(), "\x1b]52;c;") {
		t.Errorf("c did not copy: %q, terminal got %q", s.status, term.String())
	}
	s.handleKey(mo, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("o")})
	if view := s.extra(mo, 100); !strings.Contains(view, "Paste this into your connector") {
		t.Errorf("o again did not go back:\n%s", view)
	}
	single := New(context.Background(), Options{Client: offlineClient(t), Snippet: snippetFor, Onboarding: onboarding})
	single.flow.state.App = &steps.App{AppID: appID, DisplayName: "Contoso Connector", SignInAudience: steps.AudienceSingle,
		IdentifierURIs: []string{"api://" + appID}}
	single.goToStep(steps.StepSnippet)
	if ss := single.screen().(*snippetScreen); strings.Contains(ss.extra(single, 100), "o shows") {
		t.Error("o offered for a single-tenant app")
	}
}
