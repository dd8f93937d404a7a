package emulator

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A dropped create followed, during replication lag, by the client's retry:
// Graph refuses the retry with 400 naming the upsert key, and there is still
// exactly one app.
func TestLostCreateThenRetryDuringLagConflictsOnTheKey(t *testing.T) {
	s, tok := startSignedIn(t, Options{ReplicationLag: time.Hour})
	s.DropResponse(MatchWrite("PATCH", "uniqueName='lost'"), 1)
	body, _ := json.Marshal(map[string]any{"displayName": "Lost"})
	req, _ := http.NewRequest("PATCH", s.URL()+"/v1.0/applications(uniqueName='lost')", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Prefer", "create-if-missing")
	if res, err := s.Client().Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("the answer was not dropped: %d", res.StatusCode)
	}
	r := call(t, s, tok, "PATCH", "/v1.0/applications(uniqueName='lost')", map[string]any{"displayName": "Lost"}, "Prefer", "create-if-missing")
	expect(t, r, 400, "Request_BadRequest")
	if !strings.Contains(string(r.raw), "property uniqueName already exists") {
		t.Fatal(r.raw)
	}
	if n := len(s.Applications()); n != 1 {
		t.Fatalf("%d apps", n)
	}
}

func TestDelayNextStallsWithoutApplying(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	s.DelayNext(MatchWrite("PATCH", "uniqueName='slow'"), time.Hour, 1)
	body, _ := json.Marshal(map[string]any{"displayName": "Slow"})
	req, _ := http.NewRequest("PATCH", s.URL()+"/v1.0/applications(uniqueName='slow')", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Prefer", "create-if-missing")
	c := s.Client()
	c.Timeout = 200 * time.Millisecond
	start := time.Now()
	if res, err := c.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("a stalled request was answered: %d", res.StatusCode)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("the client's timeout did not end the stall")
	}
	// The server notices the client left and applies nothing.
	deadline := time.Now().Add(5 * time.Second)
	for {
		log := s.Log()
		if len(log) > 0 && log[len(log)-1].Injected == "stall" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no stall logged: %+v", log)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := len(s.Applications()); n != 0 {
		t.Fatalf("a stalled write was applied: %d apps", n)
	}
	// Only the next one was delayed.
	expect(t, call(t, s, tok, "PATCH", "/v1.0/applications(uniqueName='slow')", map[string]any{"displayName": "Slow"}, "Prefer", "create-if-missing"), 201, "")
}

func TestLatencySlowsEveryGraphAnswer(t *testing.T) {
	s, tok := startSignedIn(t, Options{Latency: 150 * time.Millisecond})
	start := time.Now()
	expect(t, call(t, s, tok, "GET", "/v1.0/me", nil), 200, "")
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("answered in %s", d)
	}
}

func TestSwitchCertificateIsAPermanentTLSFailure(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	c := s.Client()
	get := func() error {
		req, _ := http.NewRequest("GET", s.URL()+"/v1.0/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := c.Do(req)
		if err == nil {
			res.Body.Close()
		}
		return err
	}
	if err := get(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SwitchCertificate(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ { // the old, trusted connection is gone too
		err := get()
		if err == nil || !strings.Contains(err.Error(), "x509: certificate signed by unknown authority") {
			t.Fatalf("attempt %d: want x509 unknown authority, got %v", i, err)
		}
	}
	// A client that does not check sees the new certificate is not ours.
	insecure := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	res, err := insecure.Get(s.URL() + "/v1.0/me")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	old, _ := pem.Decode(s.CACertPEM())
	if len(res.TLS.PeerCertificates) == 0 || bytes.Equal(res.TLS.PeerCertificates[0].Raw, old.Bytes) {
		t.Fatal("no new certificate")
	}
}

func TestServicePrincipalCreationDenied(t *testing.T) {
	s, tok := startSignedIn(t, Options{UsersCannotCreateServicePrincipals: true})
	r := call(t, s, tok, "PATCH", "/v1.0/applications(uniqueName='nosp')", map[string]any{"displayName": "No SP"}, "Prefer", "create-if-missing")
	expect(t, r, 201, "")
	appID := r.body["appId"].(string)
	expect(t, call(t, s, tok, "PATCH", "/v1.0/servicePrincipals(appId='"+appID+"')", map[string]any{}, "Prefer", "create-if-missing"), 403, "Authorization_RequestDenied")
	expect(t, call(t, s, tok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": appID}), 403, "Authorization_RequestDenied")
	if n := len(s.ServicePrincipals()); n != 5 {
		t.Fatalf("%d service principals, want the 5 first-party ones", n)
	}
}
