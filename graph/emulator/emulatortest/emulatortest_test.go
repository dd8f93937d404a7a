package emulatortest

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pqentra/pqentra/graph/emulator"
)

// What a child process gets from Env is enough to reach the emulator over
// verified TLS, and nothing else is trusted by it.
func TestEnvTrustsTheEmulatorOnly(t *testing.T) {
	emu := Start(t, emulator.Options{})
	env := map[string]string{}
	for _, kv := range Env(t, emu) {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	for _, k := range []string{"SSL_CERT_FILE", "XDG_CACHE_HOME", "XDG_STATE_HOME", "HOME"} {
		if env[k] == "" {
			t.Fatalf("Env lacks %s: %v", k, env)
		}
	}
	pem, err := os.ReadFile(env["SSL_CERT_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("SSL_CERT_FILE holds no certificate")
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	res, err := client.Get(emu.URL() + "/organizations/v2.0/.well-known/openid-configuration")
	if err != nil {
		t.Fatalf("the emulator is not reachable with SSL_CERT_FILE's trust: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("openid-configuration: %s", res.Status)
	}
	if got := strings.Join(Flags(emu), " "); got != "--authority-host "+emu.URL()+" --graph-endpoint "+emu.URL() {
		t.Errorf("Flags = %q", got)
	}
}

// Start's pretend user approves a device code by itself; with
// ManualApproval nobody does. The emulator's clock is moved on instead of
// waiting.
func TestApprovalDefaults(t *testing.T) {
	for _, c := range []struct {
		approve time.Duration
		pending bool
	}{{0, false}, {ManualApproval, true}} {
		now := time.Now()
		emu := Start(t, emulator.Options{AutoApprove: c.approve, Now: func() time.Time { return now }})
		code := post(t, emu, "devicecode", url.Values{"client_id": {testClient}, "scope": {"https://graph.microsoft.com/.default"}})["device_code"]
		now = now.Add(time.Minute)
		got := post(t, emu, "token", url.Values{"grant_type": {"device_code"}, "client_id": {testClient}, "device_code": {fmt.Sprint(code)}})
		if (got["error"] == "authorization_pending") != c.pending {
			t.Errorf("AutoApprove %v: the poll answers %v", c.approve, got)
		}
	}
}

const testClient = "14d82eec-204b-4c2f-b7e8-296a70dab67e"

func post(t *testing.T, emu *emulator.Server, endpoint string, form url.Values) map[string]any {
	t.Helper()
	res, err := emu.Client().PostForm(emu.URL()+"/organizations/oauth2/v2.0/"+endpoint, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var v map[string]any
	if err := json.NewDecoder(res.Body).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
