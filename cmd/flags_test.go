package cmd

import (
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/pqentra/pqentra/steps"
)

// Flag parsing, tested as GitHub CLI tests it: each command is built with a
// runF that records the Options it would run with, so no directory, emulator
// or network is involved.

const guid = "00001111-aaaa-2222-bbbb-3333cccc4444"

func testFactory() *Factory {
	f := &Factory{IO: &IOStreams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard}}
	f.complete()
	return f
}

// parseWith builds a command with newCmd, runs args through it and returns
// the options runF saw (nil when it was not reached) and the error.
func parseWith[T any](f *Factory, newCmd func(*Factory, func(*T) error) *cobra.Command, args ...string) (*T, error) {
	var got *T
	c := newCmd(f, func(o *T) error { got = o; return nil })
	c.SetArgs(args)
	c.SetOut(io.Discard)
	c.SetErr(io.Discard)
	c.SetFlagErrorFunc(flagError)
	c.SilenceUsage, c.SilenceErrors = true, true
	_, err := c.ExecuteC()
	return got, err
}

// checkParse is the common part of every table: an error case must exit 2
// with wantErr in its message and not reach runF.
func checkParse[T any](t *testing.T, got *T, err error, wantErr string) bool {
	t.Helper()
	if wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("error %v, want one containing %q", err, wantErr)
		}
		if exitCode(err) != ExitUsage {
			t.Errorf("exit %d, want 2", exitCode(err))
		}
		if got != nil {
			t.Errorf("runF was reached with bad flags")
		}
		return false
	}
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if got == nil {
		t.Fatal("runF not reached")
	}
	return true
}

func TestNewCmdSetupFlags(t *testing.T) {
	excelRefresh := []string{steps.ClientExcel.AppID, steps.ClientRefresh.AppID}
	tests := []struct {
		name    string
		args    []string
		want    func(*testing.T, *SetupOptions)
		wantErr string
	}{
		{name: "defaults", args: []string{"--non-interactive", "--display-name", "Contoso"}, want: func(t *testing.T, o *SetupOptions) {
			d := o.Desired
			if !o.NonInteractive || o.Output != "text" || o.DryRun || d.DisplayName != "Contoso" || d.Scope.Value != "Data.Read" ||
				d.Scope.Type != steps.ConsentUsers || strings.Join(d.Clients, ",") != strings.Join(excelRefresh, ",") {
				t.Errorf("%+v", o)
			}
		}},
		{name: "audience by Graph's name", args: []string{"--non-interactive", "--display-name", "X", "--audience", "AzureADMultipleOrgs"}, want: func(t *testing.T, o *SetupOptions) {
			if o.Audience != "multi" || o.Desired.SignInAudience != steps.AudienceMulti {
				t.Errorf("%q %q", o.Audience, o.Desired.SignInAudience)
			}
		}},
		{name: "enum values ignore case", args: []string{"--non-interactive", "--display-name", "X", "--audience", "Single", "--scope-consent", "ADMINS", "-o", "JSON"}, want: func(t *testing.T, o *SetupOptions) {
			if o.Audience != "single" || o.Desired.SignInAudience != steps.AudienceSingle || o.Desired.Scope.Type != steps.ConsentAdmins || o.Output != "json" {
				t.Errorf("%+v", o)
			}
		}},
		{name: "clients", args: []string{"--non-interactive", "--app-id", guid, "--preauthorize", "excel,powerapps", "--preauthorize-client", "11112222-3333-4444-5555-666677778888"}, want: func(t *testing.T, o *SetupOptions) {
			want := []string{steps.ClientExcel.AppID, steps.ClientPowerApps.AppID, "11112222-3333-4444-5555-666677778888"}
			if strings.Join(o.Desired.Clients, ",") != strings.Join(want, ",") || o.Desired.AppID != guid {
				t.Errorf("%v", o.Desired.Clients)
			}
		}},
		{name: "wizard keeps flags", args: []string{"--display-name", "X", "--accessible"}, want: func(t *testing.T, o *SetupOptions) {
			if o.NonInteractive || !o.Accessible || o.Desired.DisplayName != "X" {
				t.Errorf("%+v", o)
			}
		}},
		{name: "bad audience", args: []string{"--audience", "everyone"}, wantErr: `--audience "everyone": use single or multi`},
		{name: "bad consent", args: []string{"--scope-consent", "nobody"}, wantErr: `--scope-consent "nobody": use users or admins`},
		{name: "bad output", args: []string{"-o", "yaml"}, wantErr: `--output "yaml": use text or json`},
		{name: "dry run needs non-interactive", args: []string{"--dry-run"}, wantErr: "need --non-interactive"},
		{name: "json needs non-interactive", args: []string{"-o", "json"}, wantErr: "need --non-interactive"},
		{name: "no name", args: []string{"--non-interactive"}, wantErr: "give --display-name"},
		{name: "bad client", args: []string{"--non-interactive", "--display-name", "X", "--preauthorize", "word"}, wantErr: `unknown client "word"`},
		{name: "argument", args: []string{"extra"}, wantErr: `takes no arguments (got "extra")`},
		// steps says what is wrong; the command line names the flag.
		{name: "bidi name", args: []string{"--non-interactive", "--display-name", "a\u202eb"}, wantErr: "--display-name: the display name contains U+202E"},
		{name: "URI not a URI", args: []string{"--non-interactive", "--display-name", "X", "--identifier-uri", `api://x"y`}, wantErr: "--identifier-uri: the Application ID URI"},
		{name: "empty scope", args: []string{"--non-interactive", "--display-name", "X", "--scope", ""}, wantErr: "--scope: the scope name is empty"},
		{name: "bad client id", args: []string{"--non-interactive", "--display-name", "X", "--preauthorize-client", "x"}, wantErr: `--preauthorize-client: the client app id "x" is not a GUID`},
		{name: "bad app id", args: []string{"--non-interactive", "--app-id", "x"}, wantErr: `--app-id: the app id "x" is not a GUID`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseWith(testFactory(), NewCmdSetup, tt.args...)
			if checkParse(t, got, err, tt.wantErr) {
				tt.want(t, got)
			}
		})
	}
}

func TestNewCmdSnippetFlags(t *testing.T) {
	tests := []struct {
		name    string
		tenant  string
		args    []string
		want    SnippetOptions
		wantErr string
	}{
		{name: "defaults", args: []string{"--resource", "api://x"}, want: SnippetOptions{Resource: "api://x", AuthURI: "common", Shape: "record"}},
		{name: "connector", args: []string{"--resource", "api://x", "--shape", "Connector", "--name", "N", "--out", "N.pq", "--force"},
			want: SnippetOptions{Resource: "api://x", AuthURI: "common", Shape: "connector", Name: "N", Out: "N.pq", Force: true}},
		{name: "tenant mode with --tenant", tenant: "contoso.com", args: []string{"--resource", "api://x", "--authorization-uri", "tenant"},
			want: SnippetOptions{Resource: "api://x", AuthURI: "tenant", Shape: "record"}},
		{name: "patch with the default shape", args: []string{"--app-id", guid, "--patch", "C.pq", "--shape", "record", "--yes", "--kind", "K"},
			want: SnippetOptions{AppID: guid, AuthURI: "common", Shape: "record", Patch: "C.pq", Yes: true, Kind: "K"}},
		{name: "copy", args: []string{"--resource", "api://x", "--copy", "--scope", "Data.Read,Data.Write"},
			want: SnippetOptions{Resource: "api://x", AuthURI: "common", Shape: "record", Copy: true, Scopes: []string{"Data.Read", "Data.Write"}}},
		{name: "neither source", args: []string{}, wantErr: "give exactly one of --resource"},
		{name: "both sources", args: []string{"--resource", "api://x", "--app-id", guid}, wantErr: "give exactly one of --resource"},
		{name: "bad shape", args: []string{"--resource", "api://x", "--shape", "blob"}, wantErr: `--shape "blob": use record, kind or connector`},
		{name: "bad mode", args: []string{"--resource", "api://x", "--authorization-uri", "x"}, wantErr: `--authorization-uri "x": use common, tenant or dynamic`},
		{name: "tenant mode without --tenant", args: []string{"--resource", "api://x", "--authorization-uri", "tenant"}, wantErr: "needs --tenant"},
		{name: "patch and out", args: []string{"--resource", "api://x", "--patch", "a.pq", "--out", "b.pq"}, wantErr: "does not combine"},
		{name: "patch and shape", args: []string{"--resource", "api://x", "--patch", "a.pq", "--shape", "kind"}, wantErr: "does not combine"},
		{name: "bad app id", args: []string{"--app-id", "nope"}, wantErr: "--app-id: the app id \"nope\" is not a GUID"},
		{name: "argument", args: []string{"--resource", "api://x", "extra"}, wantErr: "takes no arguments"},
		{name: "tenant mode with --app-id reads the tenant", args: []string{"--app-id", guid, "--authorization-uri", "tenant"},
			want: SnippetOptions{AppID: guid, AuthURI: "tenant", Shape: "record"}},
		{name: "GUID resource", args: []string{"--resource", guid}, want: SnippetOptions{Resource: guid, AuthURI: "common", Shape: "record"}},
		{name: "resource not a URI", args: []string{"--resource", "foo"}, wantErr: "--resource: the Resource \"foo\" is neither an api:// URI, an https:// URI nor a GUID"},
		{name: "empty scope", args: []string{"--resource", "api://x", "--scope", ""}, wantErr: "--scope is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := testFactory()
			f.Globals.Tenant = tt.tenant
			got, err := parseWith(f, NewCmdSnippet, tt.args...)
			if !checkParse(t, got, err, tt.wantErr) {
				return
			}
			w := tt.want
			if got.Resource != w.Resource || got.AppID != w.AppID || got.AuthURI != w.AuthURI || got.Shape != w.Shape ||
				got.Name != w.Name || got.Out != w.Out || got.Force != w.Force || got.Copy != w.Copy || got.Patch != w.Patch ||
				got.Kind != w.Kind || got.Yes != w.Yes || strings.Join(got.Scopes, ",") != strings.Join(w.Scopes, ",") {
				t.Errorf("got %+v\nwant %+v", got, w)
			}
		})
	}
}

func TestNewCmdDoctorFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    DoctorOptions
		wantErr string
	}{
		{name: "app id", args: []string{"--app-id", guid}, want: DoctorOptions{AppID: guid, Output: "text"}},
		{name: "connector alone, json", args: []string{"--connector", "C.pq", "-o", "json"}, want: DoctorOptions{Connector: "C.pq", Output: "json"}},
		{name: "fix", args: []string{"--display-name", "X", "--fix", "--yes"}, want: DoctorOptions{DisplayName: "X", Fix: true, Yes: true, Output: "text"}},
		{name: "no selector", args: []string{}, wantErr: "say which app"},
		{name: "two selectors", args: []string{"--app-id", guid, "--display-name", "X"}, wantErr: "only one of"},
		{name: "yes without fix", args: []string{"--app-id", guid, "--yes"}, wantErr: "--yes only goes with --fix"},
		{name: "bad output", args: []string{"--app-id", guid, "--output", "yaml"}, wantErr: `--output "yaml": use text or json`},
		{name: "bad app id", args: []string{"--app-id", "x"}, wantErr: "--app-id: the app id \"x\" is not a GUID"},
		{name: "argument", args: []string{"myapp"}, wantErr: "takes no arguments"},
		{name: "hidden name", args: []string{"--display-name", "X\u200b"}, wantErr: "--display-name: the display name contains U+200B"},
		{name: "URI not a URI", args: []string{"--identifier-uri", "api://a b"}, wantErr: "--identifier-uri:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseWith(testFactory(), NewCmdDoctor, tt.args...)
			if !checkParse(t, got, err, tt.wantErr) {
				return
			}
			w := tt.want
			if got.AppID != w.AppID || got.IdentifierURI != w.IdentifierURI || got.DisplayName != w.DisplayName ||
				got.Connector != w.Connector || got.Fix != w.Fix || got.Yes != w.Yes || got.Output != w.Output {
				t.Errorf("got %+v\nwant %+v", got, w)
			}
			// The Fix lines repeat the selector the app was picked by.
			if sel := strings.Join(got.Command.Selector, " "); (got.DisplayName != "" && sel != "--display-name "+got.DisplayName) ||
				(got.AppID != "" && sel != "--app-id "+got.AppID) {
				t.Errorf("command selector %q", sel)
			}
		})
	}
}

func TestNewCmdLogoutFlags(t *testing.T) {
	got, err := parseWith(testFactory(), NewCmdLogout)
	checkParse(t, got, err, "")
	got, err = parseWith(testFactory(), NewCmdLogout, "extra")
	checkParse(t, got, err, `takes no arguments (got "extra")`)
}

func TestNewCmdRootFlags(t *testing.T) {
	f := testFactory()
	got, err := parseWith(f, NewCmdRoot, "--accessible", "--tenant", "contoso.com", "--cloud", "USGov", "--demo", "--no-color")
	if !checkParse(t, got, err, "") {
		return
	}
	if !got.Accessible || got.Globals.Tenant != "contoso.com" || got.Globals.Cloud != "usgov" || !got.Globals.Demo || !f.IO.NoColor {
		t.Errorf("%+v %+v", got, got.Globals)
	}
	got, err = parseWith(testFactory(), NewCmdRoot, "--cloud", "mars")
	checkParse(t, got, err, `--cloud "mars": use public, usgov or china`)
}
