package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/graph/emulator/emulatortest"
	"github.com/pqentra/pqentra/graph/emulator/hostile"
	"github.com/pqentra/pqentra/steps"
)

// The built binary against a broken or hostile endpoint in front of the
// emulator (issue 17): no token leaves for a place it was not issued for,
// nothing is changed, no panic (exit 1, an error naming the request and
// the field, one JSON object under --output json), no hang.

type hostileEnv struct {
	emu      *emulator.Server
	proxy    *hostile.Proxy
	http     *hostile.Sink // plain http, another port
	https    *hostile.Sink // https, another port, trusted like the proxy
	env      []string
	objectID string
	appID    string
}

func newHostileEnv(t *testing.T) *hostileEnv {
	t.Helper()
	emu := emulatortest.Start(t, emulator.Options{})
	h := &hostileEnv{emu: emu, proxy: hostile.Start(emu), http: hostile.StartSink(false), https: hostile.StartSink(true)}
	t.Cleanup(h.proxy.Close)
	t.Cleanup(h.http.Close)
	t.Cleanup(h.https.Close)
	ca := filepath.Join(t.TempDir(), "proxy-ca.pem")
	if err := os.WriteFile(ca, h.proxy.CAPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	h.env = append(emulatortest.Dirs(t), "SSL_CERT_FILE="+ca)
	// The user's app, as an earlier setup left it.
	var err error
	h.objectID, h.appID, err = emu.SeedApplication(map[string]any{
		"displayName": "Contoso Connector", "uniqueName": steps.UniqueName("Contoso Connector"),
		"identifierUris": []any{}, "api": map[string]any{"oauth2PermissionScopes": []any{map[string]any{
			"id": "8d0c5f6e-3b2a-4c1d-9e8f-7a6b5c4d3e2f", "value": "Data.Read", "type": "User", "isEnabled": true,
			"adminConsentDisplayName": "Read", "adminConsentDescription": "Read", "userConsentDisplayName": "Read",
			"userConsentDescription": "Read"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// run runs pqentra against the proxy, and fails the test if it hangs.
func (h *hostileEnv) run(t *testing.T, args ...string) proc {
	t.Helper()
	args = append(args, "--authority-host", h.proxy.URL, "--graph-endpoint", h.proxy.URL)
	cmd := binaryCmd(h.env, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return proc{exitOf(t, err), out.String(), errb.String()}
	case <-time.After(90 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("pqentra %v hung (killed after 90 s)\n%s", args, errb.String())
	}
	return proc{}
}

// safe checks what every hostile case must leave: no panic, exit 1, one
// JSON object with error (when asked for JSON), no token at a sink, no
// write to the directory.
func (h *hostileEnv) safe(t *testing.T, name string, p proc, json_ bool, wants ...string) {
	t.Helper()
	if strings.Contains(p.stderr, "panic:") || strings.Contains(p.stderr, "goroutine ") {
		t.Errorf("%s: panicked:\n%s", name, p.stderr)
	}
	if p.code != 1 {
		t.Errorf("%s: exit %d, want 1\n%s", name, p.code, p.stderr)
	}
	msg := p.stderr
	if json_ {
		var v map[string]any
		dec := json.NewDecoder(strings.NewReader(p.stdout))
		if err := dec.Decode(&v); err != nil || dec.More() {
			t.Errorf("%s: stdout is not one JSON object (%v):\n%s", name, err, p.stdout)
		}
		e, _ := v["error"].(string)
		if e == "" {
			t.Errorf("%s: the JSON object has no error:\n%s", name, p.stdout)
		}
		msg = e
	}
	for _, w := range wants {
		if !strings.Contains(msg, w) {
			t.Errorf("%s: the error lacks %q:\n%s", name, w, msg)
		}
	}
	for _, s := range append(h.http.Seen(), h.https.Seen()...) {
		t.Errorf("%s: a request reached a sink: %+v", name, s)
	}
	if _, w := h.emu.Counts(); w != 0 {
		t.Errorf("%s: %d writes reached the directory", name, w)
	}
}

var setupJSON = []string{"setup", "--non-interactive", "--display-name", "Contoso Connector", "--output", "json"}

func TestBinaryRefusesRedirects(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		match func(*http.Request) bool
		sink  func(h *hostileEnv) string
	}{
		{"Graph to http on another port", hostile.Path("GET", "/v1.0/applications"), func(h *hostileEnv) string { return h.http.URL }},
		{"Graph to https on another port", hostile.Path("GET", "/v1.0/applications"), func(h *hostileEnv) string { return h.https.URL }},
		{"Graph /me to http", hostile.Path("GET", "/v1.0/me"), func(h *hostileEnv) string { return h.http.URL }},
		{"sign-in token endpoint to https on another port", hostile.Path("POST", "/oauth2/v2.0/token"), func(h *hostileEnv) string { return h.https.URL }},
		{"sign-in discovery to http", hostile.Path("GET", "openid-configuration"), func(h *hostileEnv) string { return h.http.URL }},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h := newHostileEnv(t)
			sink := c.sink(h)
			h.proxy.Add(hostile.Rule{Match: c.match, Respond: hostile.Redirect(http.StatusTemporaryRedirect, sink)})
			p := h.run(t, setupJSON...)
			h.safe(t, c.name, p, true, "redirect")
		})
	}
}

// appAnswer matches the reads of the user's app (by its uniqueName).
func appAnswer(r *http.Request) bool {
	return r.Method == "GET" && strings.Contains(r.URL.Path, "/v1.0/applications(uniqueName=")
}

func TestBinaryRefusesMalformedGraphData(t *testing.T) {
	t.Parallel()
	api := func(edit func(api map[string]any)) func([]byte) []byte {
		return hostile.EditJSON(func(v map[string]any) {
			if a, ok := v["api"].(map[string]any); ok {
				edit(a)
			}
		})
	}
	for _, c := range []struct {
		name  string
		rule  hostile.Rule
		args  []string
		wants []string
	}{
		{"null scope", hostile.Rule{Match: appAnswer, Rewrite: api(func(a map[string]any) { a["oauth2PermissionScopes"] = []any{nil} })},
			setupJSON, []string{"oauth2PermissionScopes[0]", "read the application"}},
		{"null preauthorized app", hostile.Rule{Match: appAnswer, Rewrite: api(func(a map[string]any) { a["preAuthorizedApplications"] = []any{nil} })},
			setupJSON, []string{"preAuthorizedApplications[0]"}},
		{"null identifier URI", hostile.Rule{Match: appAnswer, Rewrite: hostile.EditJSON(func(v map[string]any) { v["identifierUris"] = []any{nil} })},
			setupJSON, []string{"read the application"}},
		{"null in a list", hostile.Rule{Match: hostile.Path("GET", "/v1.0/applications"), Rewrite: hostile.EditJSON(func(v map[string]any) {
			if _, ok := v["value"]; ok {
				v["value"] = []any{nil}
			}
		})}, []string{"setup", "--non-interactive", "--display-name", "Another Connector", "--output", "json"}, []string{"value[0]"}},
		{"wrong type", hostile.Rule{Match: appAnswer, Rewrite: hostile.EditJSON(func(v map[string]any) { v["appId"] = 42 })},
			setupJSON, []string{"read the application"}},
		{"wrong type of api", hostile.Rule{Match: appAnswer, Rewrite: hostile.EditJSON(func(v map[string]any) { v["api"] = "x" })},
			setupJSON, []string{"read the application"}},
		{"id that is not a GUID", hostile.Rule{Match: appAnswer, Rewrite: hostile.EditJSON(func(v map[string]any) { v["id"] = "../../me" })},
			setupJSON, []string{"id", "GUID"}},
		{"scope id that is not a GUID", hostile.Rule{Match: appAnswer, Rewrite: api(func(a map[string]any) {
			a["oauth2PermissionScopes"] = []any{map[string]any{"id": "nope", "value": "Data.Read", "type": "User", "isEnabled": true}}
		})}, setupJSON, []string{"read the application"}},
		{"another app than asked for", hostile.Rule{Match: appAnswer, Rewrite: hostile.EditJSON(func(v map[string]any) {
			v["uniqueName"] = "pqentra-00000000000000000000"
		})}, setupJSON, []string{"uniqueName"}},
		{"empty /me", hostile.Rule{Match: hostile.Path("GET", "/v1.0/me"), Rewrite: func([]byte) []byte { return []byte(`{}`) }},
			[]string{"whoami"}, []string{"/me", "id is missing"}},
		{"device-code page over http", hostile.Rule{Match: hostile.Path("POST", "/devicecode"), Rewrite: hostile.EditJSON(func(v map[string]any) {
			v["verification_uri"] = "http://127.0.0.1:1/devicelogin"
		})}, setupJSON, []string{"not https", "http://127.0.0.1:1/devicelogin"}},
		{"sign-in token of the wrong type", hostile.Rule{Match: hostile.Path("POST", "/oauth2/v2.0/token"), Rewrite: hostile.EditJSON(func(v map[string]any) {
			v["access_token"] = 42
			v["expires_in"] = []any{nil}
		})}, setupJSON, nil},
		{"sign-in discovery with nulls", hostile.Rule{Match: hostile.Path("GET", "openid-configuration"), Rewrite: hostile.EditJSON(func(v map[string]any) {
			v["token_endpoint"] = nil
			v["scopes_supported"] = []any{nil}
		})}, setupJSON, nil},
		{"huge answer, declared", hostile.Rule{Match: appAnswer, Respond: hostile.Huge(17<<20, true)},
			setupJSON, []string{"16 MiB"}},
		{"huge answer, streamed", hostile.Rule{Match: appAnswer, Respond: hostile.Huge(40<<20, false)},
			setupJSON, []string{"16 MiB"}},
		{"Retry-After of 11 days", hostile.Rule{Match: appAnswer, Respond: hostile.Throttle("999999")},
			setupJSON, []string{"asked to wait"}},
		{"Retry-After beyond any duration", hostile.Rule{Match: appAnswer, Respond: hostile.Throttle("1e300")},
			setupJSON, []string{"asked to wait"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h := newHostileEnv(t)
			h.proxy.Add(c.rule)
			h.safe(t, c.name, h.run(t, c.args...), strings.Contains(strings.Join(c.args, " "), "--output json"), c.wants...)
		})
	}
}
