package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/steps"
)

// The run functions against a fake directory: what each command prints
// and returns for a given directory state, with the flags already parsed.

func bufIO() (*IOStreams, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, &out, &errb
}

func fakeSession(d *fakeDir) func(*Globals, SessionHooks) (*Session, error) {
	return func(*Globals, SessionHooks) (*Session, error) { return &Session{Dir: d}, nil }
}

// legacyApp is set up by hand the usual wrong way: admin-only scope, no
// preauthorized clients, no service principal.
func legacyApp() steps.App {
	return steps.App{ObjectID: "o1", AppID: guid, DisplayName: "Legacy", SignInAudience: steps.AudienceSingle,
		IdentifierURIs: []string{"api://" + guid},
		Scopes:         []steps.Scope{{ID: "5d8c6c1e-2f4b-4d0a-9a51-6f2e8b7c3a10", Value: "Legacy.Read", Type: steps.ConsentAdmins, IsEnabled: true}}}
}

func TestDoctorRunReportsFindingsAndFails(t *testing.T) {
	ios, out, _ := bufIO()
	d := newFakeDir(legacyApp())
	err := doctorRun(context.Background(), &DoctorOptions{IO: ios, OpenSession: fakeSession(d), Globals: &Globals{}, AppID: guid, Output: "text"})
	if exitCode(err) != ExitError {
		t.Errorf("exit %d (%v), want 1", exitCode(err), err)
	}
	for _, want := range []string{"Application: Legacy (" + guid + ")", "Tenant:      Contoso", "admin-only-scope", "no-service-principal", "--fix"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if d.writes != 0 {
		t.Errorf("doctor without --fix wrote %d times", d.writes)
	}
}

func TestDoctorRunJSONForAMissingApp(t *testing.T) {
	ios, out, _ := bufIO()
	err := doctorRun(context.Background(), &DoctorOptions{IO: ios, OpenSession: fakeSession(newFakeDir()), Globals: &Globals{}, AppID: guid, Output: "json"})
	var v doctorJSON
	if jerr := json.Unmarshal(out.Bytes(), &v); jerr != nil {
		t.Fatalf("not JSON: %v\n%s", jerr, out)
	}
	if exitCode(err) != ExitError || v.Healthy || len(v.Findings) == 0 {
		t.Errorf("exit %d, %+v", exitCode(err), v)
	}
}

func TestSnippetRunReadsTheAppsURI(t *testing.T) {
	ios, out, errb := bufIO()
	app := legacyApp()
	app.IdentifierURIs = []string{"https://contoso.com/api"}
	err := snippetRun(context.Background(), &SnippetOptions{IO: ios, OpenSession: fakeSession(newFakeDir(app)), Globals: &Globals{Cloud: "public"},
		AppID: guid, AuthURI: "common", Shape: "kind"})
	if err != nil {
		t.Fatalf("%v\n%s", err, errb)
	}
	if !strings.Contains(out.String(), `Resource = "https://contoso.com/api"`) || !strings.Contains(out.String(), "Legacy = [") {
		t.Errorf("snippet:\n%s", out)
	}
}

func TestSnippetRunWithoutURIOrApp(t *testing.T) {
	app := legacyApp()
	app.IdentifierURIs = nil
	ios, _, _ := bufIO()
	err := snippetRun(context.Background(), &SnippetOptions{IO: ios, OpenSession: fakeSession(newFakeDir(app)), Globals: &Globals{}, AppID: guid, AuthURI: "common", Shape: "record"})
	if err == nil || !strings.Contains(err.Error(), "has no Application ID URI yet: run `pqentra setup --non-interactive --app-id") {
		t.Errorf("%v", err)
	}
	err = snippetRun(context.Background(), &SnippetOptions{IO: ios, OpenSession: fakeSession(newFakeDir()), Globals: &Globals{}, AppID: guid, AuthURI: "common", Shape: "record"})
	if err == nil || !strings.Contains(err.Error(), "no application with appId "+guid) {
		t.Errorf("%v", err)
	}
}

func TestSetupRunDryRunPlansWithoutWriting(t *testing.T) {
	ios, out, errb := bufIO()
	d := newFakeDir()
	opts := &SetupOptions{IO: ios, OpenSession: fakeSession(d), Globals: &Globals{}, NonInteractive: true, DryRun: true, Output: "json",
		DisplayName: "Contoso Connector", Preauthorize: []string{"excel", "refresh"}, Scope: "Data.Read", ScopeConsent: "users"}
	var err error
	if opts.Desired, err = opts.desired(); err != nil {
		t.Fatal(err)
	}
	if err := setupRun(context.Background(), opts); err != nil {
		t.Fatalf("%v\n%s", err, errb)
	}
	var v struct {
		Changes []struct{ Method, URL string } `json:"changes"`
	}
	if err := json.Unmarshal(out.Bytes(), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(v.Changes) == 0 || d.writes != 0 {
		t.Errorf("%d planned changes, %d writes:\n%s", len(v.Changes), d.writes, out)
	}
	for _, c := range v.Changes {
		if !strings.HasPrefix(c.URL, "https://graph.example/v1.0/") {
			t.Errorf("preview names %s, not the session's Graph root", c.URL)
		}
	}
}
