package tui

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// Issue 10 F6 in the wizard: it validates with the same steps functions as
// the command line, so a display name with a bidi override, an Application
// ID URI a URI cannot be, and a scope with a zero-width space are refused
// where they are typed, and asked again; nothing hidden reaches Graph.
func TestPlainRefusesHiddenInput(t *testing.T) {
	emu, c, _ := newEmulator(t, emulator.Options{})
	answers := strings.Join([]string{
		"",                     // Register a new application (default)
		"Plain\u202eConnector", // display name with U+202E: refused
		"Plain Connector",      // asked again
		"",                     // this organization only
		"",                     // send? yes
		`api://x"y`,            // not a URI: refused
		"",                     // asked again: api://{appId}
		"",                     // send? yes
		"Data\u200b.Read",      // zero-width space: refused
		"",                     // asked again: Data.Read
		"",                     // admins and users
		"",                     // keep the consent texts
		"",                     // send? yes
		"",                     // the two Power Query clients, preselected
		"",                     // no other client
		"",                     // send? yes
		"",                     // no file
	}, "\n") + "\n"
	var out, errw bytes.Buffer
	if _, err := Plain(context.Background(), Options{Client: c, Snippet: snippetFor}, strings.NewReader(answers), &out, &errw); err != nil {
		t.Fatalf("%v\nprompts:\n%s", err, errw.String())
	}
	for _, want := range []string{"U+202E", `'"'`, "U+200B"} {
		if !strings.Contains(errw.String(), want) {
			t.Errorf("prompts do not explain %s:\n%s", want, errw.String())
		}
	}
	as := apps(t, emu)
	if len(as) != 1 || as[0].DisplayName != "Plain Connector" {
		t.Fatalf("apps: %+v", as)
	}
	checkConfigured(t, emu, as[0], "Data.Read", steps.ConsentUsers)
	for _, r := range emu.Log() {
		if strings.ContainsAny(string(r.Body), "\u202e\u200b") || strings.Contains(string(r.Body), `x\"y`) {
			t.Errorf("%s %s carried refused input: %s", r.Method, r.Path, r.Body)
		}
	}
}
