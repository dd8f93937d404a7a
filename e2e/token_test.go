package e2e

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/token/tokentest"
)

// token inspect (issue 18) on v1 and v2 tokens made here and signed with a
// throwaway key: every check passes for the token Power Query would get,
// each failing check exits 1 and says what to change, input that is not a
// JWT exits 2, and neither the token nor a personal claim is ever printed.

type inspectJSON struct {
	TokenVersion string         `json:"tokenVersion"`
	Header       map[string]any `json:"header"`
	Claims       map[string]any `json:"claims"`
	HiddenClaims []string       `json:"hiddenClaims"`
	Checks       []struct {
		Name    string `json:"name"`
		OK      bool   `json:"ok"`
		Message string `json:"message"`
	} `json:"checks"`
	NotChecked        []struct{ Name, Why string } `json:"notChecked"`
	OK                bool                         `json:"ok"`
	SignatureVerified *bool                        `json:"signatureVerified"`
	SignatureNote     string                       `json:"signatureNote"`
}

// noTokenIn fails when the output holds the token, its signature or a
// personal claim.
func noTokenIn(t *testing.T, p proc, tok string) {
	t.Helper()
	sig := tok[strings.LastIndex(tok, ".")+1:]
	for _, bad := range []string{tok[:30], sig[:30], "adele@contoso.com", "Adele Vance", "4b2c8d1e-7a3f-4e6b-9c5d-2f8a1b3c4d5e"} {
		if strings.Contains(p.stdout, bad) || strings.Contains(p.stderr, bad) {
			t.Errorf("output holds %q", bad)
		}
	}
}

func TestBinaryTokenInspect(t *testing.T) {
	t.Parallel()
	emu, env := startEmulator(t, emulator.Options{})
	tid := emu.TenantID()
	p := runBinary(t, env, emuArgs(emu, "setup", "--non-interactive", "--display-name", "Contoso Connector")...)
	m := regexp.MustCompile(`Application \(client\) ID: +(\S+)`).FindStringSubmatch(p.stdout)
	if p.code != 0 || m == nil {
		t.Fatalf("setup: exit %d\n%s\n%s", p.code, p.stdout, p.stderr)
	}
	appID := m[1]
	// The multitenant app that asks for v2 tokens.
	v2App := seedMultitenantV2(t, emu)

	base := tokentest.Claims{TenantID: tid, AppID: appID, Resource: "api://" + appID, Client: steps.ClientExcel.AppID, Scope: "Data.Read", Now: time.Now()}
	dir := t.TempDir()
	file := func(name, tok string) string {
		p := filepath.Join(dir, name)
		writeFile(t, p, tok+"\n", 0o600)
		return p
	}
	inspect := func(tok string, args ...string) (proc, inspectJSON) {
		t.Helper()
		p := runBinary(t, env, emuArgs(emu, append([]string{"token", "inspect", "--output", "json", file("t.jwt", tok)}, args...)...)...)
		noTokenIn(t, p, tok)
		var r inspectJSON
		if err := json.Unmarshal([]byte(p.stdout), &r); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s\n%s", err, p.stdout, p.stderr)
		}
		return p, r
	}
	check := func(r inspectJSON, name string) (bool, string) {
		for _, c := range r.Checks {
			if c.Name == name {
				return c.OK, c.Message
			}
		}
		t.Fatalf("no %s check: %+v", name, r.Checks)
		return false, ""
	}

	// The v1 token Power Query gets for the app setup made: every check
	// passes, against the app read from the directory.
	v1 := tokentest.Sign(base.V1())
	p, r := inspect(v1, "--app-id", appID)
	if p.code != 0 || !r.OK || len(r.Checks) != 7 || len(r.NotChecked) != 0 || r.TokenVersion != "1.0" {
		t.Fatalf("v1: exit %d %+v\n%s", p.code, r, p.stderr)
	}
	if r.SignatureVerified == nil || *r.SignatureVerified || !strings.Contains(r.SignatureNote, "not checked") ||
		!strings.Contains(r.SignatureNote, "https://login.microsoftonline.com/"+tid+"/discovery/v2.0/keys") {
		t.Errorf("signature: %v %q", r.SignatureVerified, r.SignatureNote)
	}
	if r.Claims["aud"] != "api://"+appID || r.Claims["upn"] != nil || strings.Join(r.HiddenClaims, ",") != "name,oid,sub,unique_name,upn" {
		t.Errorf("claims %v hidden %v", r.Claims, r.HiddenClaims)
	}

	// The v2 token of the multitenant app, from a user of another tenant.
	other := base
	other.TenantID, other.AppID = "11111111-2222-3333-4444-555555555555", v2App
	v2 := tokentest.Sign(other.V2())
	p, r = inspect(v2, "--app-id", v2App)
	if p.code != 0 || !r.OK || r.TokenVersion != "2.0" {
		t.Fatalf("v2: exit %d %+v\n%s", p.code, r, p.stderr)
	}
	if _, msg := check(r, "issuer"); !strings.Contains(msg, "https://login.microsoftonline.com/{tenantid}/v2.0") {
		t.Errorf("issuer: %s", msg)
	}

	// Each failing check: exit 1, and what to change.
	fails := []struct {
		name, check, want string
		claims            map[string]any
		args              []string
	}{
		{"service accepts only the app id", "audience", "The service accepts only " + appID + "; v1 tokens carry the Application ID URI api://" + appID,
			base.V1(), []string{"--app-id", appID, "--audience", appID}},
		{"other resource", "audience", "is not this app's", with(base.V1(), "aud", "api://someone-else"), []string{"--app-id", appID}},
		{"issuer of another cloud", "issuer", "add --cloud china", with(base.V1(), "iss", "https://sts.chinacloudapi.cn/"+tid+"/"), []string{"--app-id", appID}},
		{"another tenant", "tenant", "not the app's tenant", with(with(base.V1(), "tid", "11111111-2222-3333-4444-555555555555"), "iss", "https://sts.windows.net/11111111-2222-3333-4444-555555555555/"), []string{"--app-id", appID}},
		{"scope", "scope", "names none of the app's enabled scopes", with(base.V1(), "scp", "User.Read"), []string{"--app-id", appID}},
		{"client", "client", "not requested by Power Query", with(base.V1(), "appid", "04b07795-8ddb-461a-bbee-02f9e1bf7b46"), []string{"--app-id", appID}},
		{"expired", "lifetime", "clock skew allowed: 5m", with(base.V1(), "exp", time.Now().Add(-time.Hour).Unix()), []string{"--app-id", appID}},
		{"skew", "lifetime", "clock skew allowed: 30s", with(base.V1(), "exp", time.Now().Add(-2*time.Minute).Unix()), []string{"--app-id", appID, "--clock-skew", "30s"}},
		{"version", "version", "the app asks for v2.0 tokens", with(other.V1(), "aud", "api://"+v2App), []string{"--app-id", v2App}},
	}
	for _, f := range fails {
		tok := tokentest.Sign(f.claims)
		p, r := inspect(tok, f.args...)
		ok, msg := check(r, f.check)
		if p.code != 1 || r.OK || ok || !strings.Contains(msg, f.want) {
			t.Errorf("%s: exit %d, %s ok=%v %q\nwant %q", f.name, p.code, f.check, ok, msg, f.want)
		}
	}

	// A client the app does not preauthorize gets the doctor --fix line,
	// with the run's global flags, that works as printed.
	p, r = inspect(tokentest.Sign(with(base.V1(), "appid", steps.ClientPowerApps.AppID)), "--app-id", appID)
	if ok, msg := check(r, "client"); p.code != 1 || ok || !strings.Contains(msg, "run `pqentra --authority-host "+emu.URL()+" --graph-endpoint "+emu.URL()+" doctor --app-id "+appID+" --fix`") {
		t.Errorf("client fix: %q", msg)
	}

	// No sign-in: explicit values only, from stdin, as text.
	reads, writes := emu.Counts()
	codes := emu.DeviceCodesIssued()
	cmd := binaryCmd(env, "--tenant", tid, "token", "inspect", "--audience", "api://"+appID, "--scope", "Data.Read", "-")
	cmd.Stdin = strings.NewReader("Bearer " + v1 + "\n")
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	code := exitOf(t, cmd.Run())
	pt := proc{code, out.String(), errb.String()}
	noTokenIn(t, pt, v1)
	if pt.code != 0 || !strings.Contains(pt.stdout, "✓ audience") || !strings.Contains(pt.stdout, "✓ tenant") || strings.Contains(pt.stdout, "✗") ||
		!strings.Contains(pt.stdout, "personal claims not shown") || !strings.Contains(pt.stdout, "The signature is not checked") {
		t.Errorf("stdin: exit %d\n%s\n%s", pt.code, pt.stdout, pt.stderr)
	}
	if r, w := emu.Counts(); r != reads || w != writes || emu.DeviceCodesIssued() != codes {
		t.Errorf("token inspect without --app-id talked to the directory")
	}

	// Not a JWT: exit 2 with a clear message, one JSON object, no trace.
	for _, bad := range []string{"hello", "a.b", "e30.e30", v1[:20] + ".x.y.z.w"} {
		p := runBinary(t, env, "token", "inspect", "--audience", "x", "--output", "json", file("bad.txt", bad))
		var v map[string]string
		if p.code != 2 || json.Unmarshal([]byte(p.stdout), &v) != nil || !strings.HasPrefix(v["error"], "not a JWT") ||
			!strings.Contains(p.stderr, "error: not a JWT") || strings.Contains(p.stderr, "goroutine") {
			t.Errorf("%q: exit %d\n%s\n%s", bad, p.code, p.stdout, p.stderr)
		}
	}
	if p := runBinary(t, env, "token", "inspect", file("t.jwt", v1)); p.code != 2 || !strings.Contains(p.stderr, "say what to check the token against") {
		t.Errorf("no expectation: exit %d\n%s", p.code, p.stderr)
	}
	if p := runBinary(t, env, "--tenant", "contoso.com", "token", "inspect", "--audience", "x", file("t.jwt", v1)); p.code != 2 || !strings.Contains(p.stderr, "a GUID") {
		t.Errorf("tenant domain: exit %d\n%s", p.code, p.stderr)
	}
}

// with is claims with one claim set.
func with(claims map[string]any, k string, v any) map[string]any {
	out := map[string]any{}
	for key, val := range claims {
		out[key] = val
	}
	out[k] = v
	return out
}

// At a terminal with no FILE, token inspect asks for the token and does not
// echo it: the pasted token never reaches the screen or its scroll-back.
func TestBinaryTokenInspectPromptDoesNotEcho(t *testing.T) {
	t.Parallel()
	s := newTmux(t)
	tok := tokentest.Sign(tokentest.Claims{TenantID: "6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13", AppID: "00001111-aaaa-2222-bbbb-3333cccc4444",
		Resource: "api://00001111-aaaa-2222-bbbb-3333cccc4444", Client: steps.ClientExcel.AppID, Scope: "Data.Read", Now: time.Now()}.V1())
	p := s.startBinary(100, 30, "off", []string{"HOME=" + t.TempDir(), "XDG_CACHE_HOME=" + t.TempDir()},
		"token", "inspect", "--audience", "api://00001111-aaaa-2222-bbbb-3333cccc4444", "--tenant", "6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13")
	p.waitFor("Paste the access token and press Enter (it is not shown)")
	p.keys("-l", tok)
	p.keys("Enter")
	screen := p.waitFor("The signature is not checked")
	p.waitExit()
	all := p.scrollback()
	if strings.Contains(all, tok[:20]) || strings.Contains(all, tok[len(tok)-20:]) {
		t.Errorf("the token was echoed:\n%s", all)
	}
	if !strings.Contains(screen, "✓ audience") || !strings.Contains(screen, "✓ tenant") {
		t.Errorf("screen:\n%s", screen)
	}
}
