package emulator

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testClient = "14d82eec-204b-4c2f-b7e8-296a70dab67e"
	scopeRW    = "https://graph.microsoft.com/Application.ReadWrite.All"
)

// fakeClock is a settable Now for lag/expiry tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func start(t *testing.T, opts Options) *Server {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// startSignedIn starts an emulator and signs in with application
// read/write, the setup most Graph tests share.
func startSignedIn(t *testing.T, opts Options) (*Server, string) {
	t.Helper()
	s := start(t, opts)
	return s, signIn(t, s, scopeRW)
}

// postForm posts to the login host and decodes the JSON answer.
func postForm(t *testing.T, s *Server, path string, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := s.Client().PostForm(s.URL()+path, form)
	return jsonResponse(t, resp, err)
}

// jsonResponse returns the status and the JSON object of an answer (nil
// when the body is not one: tests assert on the status then).
func jsonResponse(t *testing.T, res *http.Response, err error) (int, map[string]any) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m
}

// signIn runs the device code flow over plain HTTP and returns the access token.
func signIn(t *testing.T, s *Server, scopes ...string) string {
	t.Helper()
	scope := strings.Join(append(scopes, "openid", "offline_access", "profile"), " ")
	st, dc := postForm(t, s, "/organizations/oauth2/v2.0/devicecode", url.Values{"client_id": {testClient}, "scope": {scope}})
	if st != 200 {
		t.Fatalf("devicecode: %d %v", st, dc)
	}
	if err := s.Approve(dc["user_code"].(string)); err != nil {
		t.Fatal(err)
	}
	st, tok := postForm(t, s, "/organizations/oauth2/v2.0/token", url.Values{
		"grant_type": {grantDeviceCode}, "device_code": {dc["device_code"].(string)}, "client_id": {testClient}, "scope": {scope},
	})
	if st != 200 {
		t.Fatalf("token: %d %v", st, tok)
	}
	return tok["access_token"].(string)
}

type resp struct {
	status int
	body   map[string]any
	header http.Header
	raw    []byte
}

// errCode is the Graph error code of a response ("" if none).
func (r resp) errCode() string {
	e, _ := r.body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func (r resp) errMessage() string {
	e, _ := r.body["error"].(map[string]any)
	c, _ := e["message"].(string)
	return c
}

// call sends a Graph request; body (if not nil) is JSON-encoded and
// gzipped like msgraph-sdk-go does. Extra headers come in pairs.
func call(t *testing.T, s *Server, token, method, path string, body any, hdr ...string) resp {
	t.Helper()
	var rd io.Reader
	req, err := http.NewRequest(method, s.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		raw, ok := body.(string)
		if !ok {
			b, _ := json.Marshal(body)
			raw = string(b)
		}
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = zw.Write([]byte(raw))
		_ = zw.Close()
		rd = &buf
		req, _ = http.NewRequest(method, s.URL()+path, rd)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Content-Encoding", "gzip")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := s.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp{status: res.StatusCode, body: m, header: res.Header, raw: raw}
}

func expect(t *testing.T, r resp, status int, code string) {
	t.Helper()
	if r.status != status || r.errCode() != code {
		t.Fatalf("got %d %q (%s), want %d %q", r.status, r.errCode(), r.raw, status, code)
	}
}

// scope builds a permission scope body.
func scope(id, value string, enabled bool) map[string]any {
	return map[string]any{
		"id": id, "value": value, "type": "User", "isEnabled": enabled,
		"adminConsentDisplayName": "Read data", "adminConsentDescription": "Allows reading data.",
		"userConsentDisplayName": "Read your data", "userConsentDescription": "Allows reading your data.",
	}
}

// createApp creates an app and returns (id, appId).
func createApp(t *testing.T, s *Server, tok string, body map[string]any) (string, string) {
	t.Helper()
	r := call(t, s, tok, "POST", "/v1.0/applications", body)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.raw)
	}
	return r.body["id"].(string), r.body["appId"].(string)
}
