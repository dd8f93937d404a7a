package tui

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// TestPlainPipedAnswers runs the accessible wizard with answers piped in,
// as a screen reader user or a script would, and checks stdout and the
// directory.
func TestPlainPipedAnswers(t *testing.T) {
	emu, c, _ := newEmulator(t, emulator.Options{})
	answers := strings.Join([]string{
		"",                // Register a new application (default)
		"Plain Connector", // display name
		"",                // this organization only
		"",                // send? yes
		"",                // api://{appId}
		"",                // send? yes
		"",                // Data.Read
		"",                // admins and users
		"",                // keep the consent texts
		"",                // send? yes
		"",                // the two Power Query clients, preselected
		"",                // no other client
		"",                // send? yes
		"",                // no file
	}, "\n") + "\n"
	var out, errw bytes.Buffer
	res, err := Plain(context.Background(), Options{Client: c, Snippet: snippetFor}, strings.NewReader(answers), &out, &errw)
	if err != nil {
		t.Fatalf("%v\nprompts:\n%s", err, errw.String())
	}
	as := apps(t, emu)
	if len(as) != 1 || as[0].DisplayName != "Plain Connector" {
		t.Fatalf("apps: %+v", as)
	}
	checkConfigured(t, emu, as[0], "Data.Read", steps.ConsentUsers)
	if got := strings.TrimSpace(out.String()); got != strings.TrimSpace(res.Snippet) || !strings.Contains(got, `Resource = "api://`+as[0].AppID+`"`) {
		t.Errorf("stdout is not the snippet:\n%s", got)
	}
	for _, want := range []string{"Signed in as adele@contoso.com", "Display name", "PATCH ", "Application (client) ID: " + as[0].AppID} {
		if !strings.Contains(errw.String(), want) {
			t.Errorf("prompts lack %q", want)
		}
	}
}

// TestPlainInputEnds: answers that stop early end the run with an error,
// never a loop or a crash.
func TestPlainInputEnds(t *testing.T) {
	_, c, _ := newEmulator(t, emulator.Options{})
	var out, errw bytes.Buffer
	_, err := Plain(context.Background(), Options{Client: c, Snippet: snippetFor, Command: steps.Command{Globals: []string{"--demo"}}},
		strings.NewReader("\n"), &out, &errw)
	if !errors.Is(err, errInputEnded) {
		t.Fatalf("err = %v, want errInputEnded", err)
	}
	// The way on is a whole command, with the run's global flags.
	if !strings.Contains(err.Error(), "run `pqentra --demo --accessible` again to continue") {
		t.Errorf("err = %v, want the command that goes on", err)
	}
}
