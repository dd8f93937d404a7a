package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
)

// Issue 12's situations, through the built binary: device code blocked by
// Conditional Access, admin consent required, a user who may not register
// apps, and whoami in each.

var (
	helpersOnce sync.Once
	helpersDir  string
	helpersErr  error
)

// helpers builds the stand-ins for az and $BROWSER into one folder.
func helpers(t *testing.T) string {
	t.Helper()
	helpersOnce.Do(func() {
		helpersDir, helpersErr = os.MkdirTemp("", "pqentra-helpers")
		if helpersErr != nil {
			return
		}
		for name, pkg := range map[string]string{"az": "./testdata/fakeaz", "fakebrowser": "./testdata/fakebrowser"} {
			out, err := exec.Command("go", "build", "-o", filepath.Join(helpersDir, name), pkg).CombinedOutput()
			if err != nil {
				helpersErr = &buildError{name, string(out)}
				return
			}
		}
	})
	if helpersErr != nil {
		t.Fatal(helpersErr)
	}
	return helpersDir
}

type buildError struct{ name, out string }

func (b *buildError) Error() string { return "build " + b.name + ": " + b.out }

// azLogin gives the stand-in az a signed-in session, the way `az login`
// does: a device-code sign-in with the Azure CLI's client against the
// emulator; the emulator issues the refresh token. It returns the
// environment entry pointing az at it.
func azLogin(t *testing.T, emu *emulator.Server) string {
	t.Helper()
	c := emu.Client()
	res, err := c.PostForm(emu.URL()+"/organizations/oauth2/v2.0/devicecode", url.Values{
		"client_id": {emulator.AzureCLIClientID}, "scope": {"https://graph.microsoft.com/.default offline_access openid profile"}})
	if err != nil {
		t.Fatal(err)
	}
	var dc map[string]any
	_ = json.NewDecoder(res.Body).Decode(&dc)
	res.Body.Close()
	if err := emu.Approve(dc["user_code"].(string)); err != nil {
		t.Fatal(err)
	}
	res, err = c.PostForm(emu.URL()+"/organizations/oauth2/v2.0/token", url.Values{"grant_type": {"device_code"},
		"client_id": {emulator.AzureCLIClientID}, "device_code": {dc["device_code"].(string)}})
	if err != nil {
		t.Fatal(err)
	}
	var tok map[string]any
	_ = json.NewDecoder(res.Body).Decode(&tok)
	res.Body.Close()
	rt, _ := tok["refresh_token"].(string)
	if rt == "" {
		t.Fatalf("az login: %v", tok)
	}
	state := filepath.Join(t.TempDir(), "az.json")
	b, _ := json.Marshal(map[string]string{"authority": emu.URL(), "tenant": emu.TenantID(), "refreshToken": rt})
	if err := os.WriteFile(state, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return "FAKEAZ_STATE=" + state
}

// withPath puts dir first on PATH (replacing runBinary's PATH entry).
func withPath(env []string, dir string) []string {
	return append(env, "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// noSecrets fails when any token, code or verifier the emulator issued or
// received appears in the output.
func noSecrets(t *testing.T, emu *emulator.Server, p proc) {
	t.Helper()
	for _, s := range emu.Secrets() {
		if len(s) >= 16 && (strings.Contains(p.stdout, s) || strings.Contains(p.stderr, s)) {
			t.Fatalf("a token, code or verifier leaked into the output:\nstdout:\n%s\nstderr:\n%s", p.stdout, p.stderr)
		}
	}
}

type whoamiJSON struct {
	User struct {
		DisplayName       string `json:"displayName"`
		UserPrincipalName string `json:"userPrincipalName"`
		ID                string `json:"id"`
	} `json:"user"`
	Tenant struct {
		ID          string `json:"id"`
		DisplayName string `json:"displayName"`
	} `json:"tenant"`
	SignIn struct {
		Method   string `json:"method"`
		ClientID string `json:"clientId"`
	} `json:"signIn"`
	Scopes          []string `json:"scopes"`
	CanRegisterApps *bool    `json:"canRegisterApps"`
	Roles           []string `json:"roles"`
}

func whoami(t *testing.T, p proc) whoamiJSON {
	t.Helper()
	var w whoamiJSON
	dec := json.NewDecoder(strings.NewReader(p.stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		t.Fatalf("whoami --output json: %v\nstdout:\n%s\nstderr:\n%s", err, p.stdout, p.stderr)
	}
	// every key is present, even when empty (null is only for canRegisterApps)
	var raw map[string]json.RawMessage
	_ = json.Unmarshal([]byte(p.stdout), &raw)
	for _, k := range []string{"user", "tenant", "signIn", "scopes", "canRegisterApps", "roles"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("whoami JSON lacks %q: %s", k, p.stdout)
		}
	}
	if string(raw["scopes"]) == "null" || string(raw["roles"]) == "null" {
		t.Errorf("scopes and roles must be arrays: %s", p.stdout)
	}
	return w
}

type setupSignIn struct {
	AppID  string `json:"appId"`
	SignIn *struct {
		Method   string `json:"method"`
		ClientID string `json:"clientId"`
	} `json:"signIn"`
}

// (1) Conditional Access blocks the device code: auto says why in one line
// and finishes in the browser ($BROWSER gets the URL).
func TestBinaryDeviceCodeBlockedEndsInBrowser(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{BlockDeviceCode: true})
	h := helpers(t)
	opened := filepath.Join(t.TempDir(), "opened")
	env = append(env, "BROWSER="+filepath.Join(h, "fakebrowser"), "FAKEBROWSER_OPENED="+opened)
	hosts := []string{"--authority-host", emu.URL(), "--graph-endpoint", emu.URL()}
	p := runBinary(t, env, append([]string{"setup", "--non-interactive", "--display-name", "Contoso Connector", "--output", "json"}, hosts...)...)
	if p.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", p.code, p.stdout, p.stderr)
	}
	var out setupSignIn
	if err := json.Unmarshal([]byte(p.stdout), &out); err != nil || out.SignIn == nil {
		t.Fatalf("setup JSON: %v\n%s", err, p.stdout)
	}
	if out.SignIn.Method != "browser" || out.SignIn.ClientID != "14d82eec-204b-4c2f-b7e8-296a70dab67e" || out.AppID == "" {
		t.Fatalf("signIn %+v app %q", out.SignIn, out.AppID)
	}
	if !strings.Contains(p.stderr, "AADSTS53003") || !strings.Contains(p.stderr, "browser instead") || !strings.Contains(p.stderr, emu.URL()+"/organizations/oauth2/v2.0/authorize?") {
		t.Fatalf("stderr does not say why it moved to the browser, or lacks the URL:\n%s", p.stderr)
	}
	if _, err := os.Stat(opened); err != nil {
		t.Fatal("$BROWSER was not run")
	}
	if len(emu.Applications()) != 1 {
		t.Fatalf("%d apps", len(emu.Applications()))
	}
	noSecrets(t, emu, p)

	// (4) whoami: the cached browser sign-in is reused, no new prompt.
	w := runBinary(t, env, append([]string{"whoami", "--output", "json"}, hosts...)...)
	if w.code != 0 {
		t.Fatalf("whoami exit %d\n%s", w.code, w.stderr)
	}
	who := whoami(t, w)
	if who.User.UserPrincipalName != "adele@contoso.com" || who.User.ID == "" || who.User.DisplayName != "Adele Vance" ||
		who.Tenant.ID != emu.TenantID() || who.Tenant.DisplayName != "Contoso (demo)" ||
		who.CanRegisterApps == nil || !*who.CanRegisterApps || len(who.Roles) != 0 ||
		strings.Join(who.Scopes, " ") != "Application.ReadWrite.All" || who.SignIn.ClientID != "14d82eec-204b-4c2f-b7e8-296a70dab67e" {
		t.Fatalf("whoami %+v", who)
	}
	noSecrets(t, emu, w)
}

// (2) Admin consent required: exit 1 with the admin-consent URL and the
// alternatives; then --sign-in azure-cli through a signed-in az ends
// configured.
func TestBinaryConsentRequiredThenAzureCLI(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{AdminConsentRequired: true})
	h := helpers(t)
	hosts := []string{"--authority-host", emu.URL(), "--graph-endpoint", emu.URL()}
	setup := append([]string{"setup", "--non-interactive", "--display-name", "Contoso Connector", "--output", "json"}, hosts...)

	p := runBinary(t, env, setup...)
	consentURL := emu.URL() + "/organizations/v2.0/adminconsent?client_id=14d82eec-204b-4c2f-b7e8-296a70dab67e&scope=https://graph.microsoft.com/Application.ReadWrite.All"
	if p.code != 1 || !strings.Contains(p.stderr, "AADSTS65001") || !strings.Contains(p.stderr, consentURL) ||
		!strings.Contains(p.stderr, "--sign-in azure-cli") || !strings.Contains(p.stderr, "--client-id") || !strings.Contains(p.stderr, "Application.ReadWrite.All") {
		t.Fatalf("exit %d\nstderr:\n%s", p.code, p.stderr)
	}
	noSecrets(t, emu, p)

	// whoami fails the same way
	w := runBinary(t, env, append([]string{"whoami", "--output", "json"}, hosts...)...)
	if w.code != 1 || !strings.Contains(w.stderr, "AADSTS65001") {
		t.Fatalf("whoami: exit %d\n%s", w.code, w.stderr)
	}

	// az not installed, then not signed in
	empty := t.TempDir()
	azArgs := append([]string{"--sign-in", "azure-cli"}, setup...)
	p = runBinary(t, append(env, "PATH="+empty), azArgs...)
	if p.code != 1 || !strings.Contains(p.stderr, "install the Azure CLI") && !strings.Contains(p.stderr, "Install the Azure CLI") || !strings.Contains(p.stderr, "--sign-in device|browser") {
		t.Fatalf("az missing: exit %d\n%s", p.code, p.stderr)
	}
	p = runBinary(t, withPath(env, h), azArgs...)
	if p.code != 1 || !strings.Contains(p.stderr, "az login") {
		t.Fatalf("az not signed in: exit %d\n%s", p.code, p.stderr)
	}

	// signed in to az: auto points at azure-cli, never switches by itself
	azEnv := append(withPath(env, h), azLogin(t, emu))
	p = runBinary(t, azEnv, setup...)
	if p.code != 1 || !strings.Contains(p.stderr, "you are signed in to the Azure CLI") || len(emu.Applications()) != 0 {
		t.Fatalf("auto with az signed in: exit %d\n%s", p.code, p.stderr)
	}

	p = runBinary(t, azEnv, azArgs...)
	if p.code != 0 {
		t.Fatalf("azure-cli: exit %d\nstdout:\n%s\nstderr:\n%s", p.code, p.stdout, p.stderr)
	}
	var out setupSignIn
	if err := json.Unmarshal([]byte(p.stdout), &out); err != nil || out.SignIn == nil || out.SignIn.Method != "azure-cli" ||
		out.SignIn.ClientID != emulator.AzureCLIClientID || out.AppID == "" {
		t.Fatalf("setup JSON %v: %s", err, p.stdout)
	}
	noSecrets(t, emu, p)

	// (4) whoami through az; the policy needs Policy.Read.All, which az's
	// token lacks, so may-register is unknown (null).
	w = runBinary(t, azEnv, append([]string{"--sign-in", "azure-cli", "whoami", "--output", "json"}, hosts...)...)
	if w.code != 0 {
		t.Fatalf("whoami azure-cli: exit %d\n%s", w.code, w.stderr)
	}
	who := whoami(t, w)
	if who.SignIn.Method != "azure-cli" || who.SignIn.ClientID != emulator.AzureCLIClientID || who.CanRegisterApps != nil ||
		!contains(who.Scopes, "Application.ReadWrite.All") || who.User.UserPrincipalName != "adele@contoso.com" {
		t.Fatalf("whoami %+v", who)
	}
	noSecrets(t, emu, w)

	// azure-cli stores no token: a fresh cache folder stays empty
	cacheHome := t.TempDir()
	w = runBinary(t, append(azEnv, "XDG_CACHE_HOME="+cacheHome), append([]string{"--sign-in", "azure-cli", "whoami"}, hosts...)...)
	if entries, _ := os.ReadDir(cacheHome); w.code != 0 || len(entries) != 0 {
		t.Fatalf("whoami azure-cli: exit %d, cache folder %v\n%s", w.code, entries, w.stderr)
	}

	// logout: pqentra holds no token for az
	l := runBinary(t, azEnv, "--sign-in", "azure-cli", "logout")
	if l.code != 0 || !strings.Contains(l.stdout+l.stderr, "az logout") {
		t.Fatalf("logout: exit %d\n%s%s", l.code, l.stdout, l.stderr)
	}
}

// (3) A user who may not register apps: exit 1 before any write, naming the
// setting and the roles.
func TestBinaryMayNotRegisterStopsBeforeAnyWrite(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{UsersCannotRegisterApps: true})
	hosts := []string{"--authority-host", emu.URL(), "--graph-endpoint", emu.URL()}
	p := runBinary(t, env, append([]string{"setup", "--non-interactive", "--display-name", "Contoso Connector"}, hosts...)...)
	if p.code != 1 {
		t.Fatalf("exit %d\n%s", p.code, p.stderr)
	}
	for _, want := range []string{"Users can register applications", "Application Developer", "Cloud Application Administrator", "Application Administrator"} {
		if !strings.Contains(p.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, p.stderr)
		}
	}
	if _, writes := emu.Counts(); writes != 0 {
		t.Fatalf("%d writes were sent", writes)
	}
	noSecrets(t, emu, p)

	w := runBinary(t, env, append([]string{"whoami", "--output", "json"}, hosts...)...)
	if w.code != 0 {
		t.Fatalf("whoami: exit %d\n%s", w.code, w.stderr)
	}
	who := whoami(t, w)
	if who.CanRegisterApps == nil || *who.CanRegisterApps || len(who.Roles) != 0 || who.SignIn.Method != "device" {
		t.Fatalf("whoami %+v", who)
	}
	// the text form names the answer too
	txt := runBinary(t, env, append([]string{"whoami"}, hosts...)...)
	if txt.code != 0 || !strings.Contains(txt.stdout, "adele@contoso.com") || !strings.Contains(txt.stdout, "may not register") {
		t.Fatalf("whoami text: exit %d\n%s\n%s", txt.code, txt.stdout, txt.stderr)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Ctrl-C while the browser sign-in waits: exit 130, the loopback port
// closed, nothing written.
func TestBinaryCtrlCWhileWaitingForTheBrowser(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{})
	cmd := exec.Command(binary, "--sign-in", "browser", "setup", "--non-interactive", "--display-name", "X",
		"--authority-host", emu.URL(), "--graph-endpoint", emu.URL())
	// No $BROWSER and no display: nothing opens, the URL is only printed.
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "TERM=dumb"}, env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var seen strings.Builder
	buf := make([]byte, 4096)
	redirect := ""
	for redirect == "" {
		n, err := stderr.Read(buf)
		seen.Write(buf[:n])
		if i := strings.Index(seen.String(), "redirect_uri="); i >= 0 {
			rest := seen.String()[i+len("redirect_uri="):]
			if j := strings.IndexAny(rest, "&\n"); j >= 0 {
				redirect, _ = url.QueryUnescape(rest[:j])
			}
		}
		if err != nil {
			t.Fatalf("no URL printed: %v\n%s", err, seen.String())
		}
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	rest := make([]byte, 4096)
	n, _ := stderr.Read(rest)
	seen.Write(rest[:n])
	err = cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130\n%s", err, seen.String())
	}
	if !strings.Contains(seen.String(), "interrupted") {
		t.Errorf("stderr:\n%s", seen.String())
	}
	if _, err := http.PostForm(redirect, url.Values{"code": {"x"}}); err == nil {
		t.Errorf("%s still listening", redirect)
	}
	if _, writes := emu.Counts(); writes != 0 {
		t.Errorf("%d writes", writes)
	}
}
