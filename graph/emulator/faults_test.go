package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
)

func TestThrottle(t *testing.T) {
	s, tok := startSignedIn(t, Options{ThrottleEvery: 3, RetryAfter: 7})
	var statuses []int
	for i := 0; i < 6; i++ {
		r := call(t, s, tok, "POST", "/v1.0/applications", map[string]any{"displayName": "x"})
		statuses = append(statuses, r.status)
		if r.status == 429 {
			if r.header.Get("Retry-After") != "7" || r.errCode() != "TooManyRequests" {
				t.Fatalf("%v %s", r.header, r.raw)
			}
		}
	}
	if want := []int{201, 201, 429, 201, 201, 429}; !equalInts(statuses, want) {
		t.Fatalf("%v, want %v", statuses, want)
	}
	if n := len(s.Applications()); n != 4 {
		t.Fatalf("throttled requests applied: %d apps", n)
	}
	reads, writes := s.Counts()
	th, _, _ := s.Injected()
	if reads != 0 || writes != 4 || th != 2 {
		t.Fatalf("counts %d %d %d", reads, writes, th)
	}
	var injected int
	for _, l := range s.Log() {
		if l.Injected == "throttle" && l.Status == 429 && l.Graph {
			injected++
		}
	}
	if injected != 2 {
		t.Fatal("log")
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFailNext(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	s.FailNext(MatchWrite("POST", "/applications"), 503, "ServiceUnavailable", "Try later.", 2)
	for i := 0; i < 2; i++ {
		r := call(t, s, tok, "POST", "/v1.0/applications", map[string]any{"displayName": "x"})
		expect(t, r, 503, "ServiceUnavailable")
		if r.errMessage() != "Try later." {
			t.Fatal(r.errMessage())
		}
	}
	// GETs do not match a write matcher; the fault is used up afterwards
	expect(t, call(t, s, tok, "GET", "/v1.0/applications", nil), 200, "")
	expect(t, call(t, s, tok, "POST", "/v1.0/applications", map[string]any{"displayName": "x"}), 201, "")
	if len(s.Applications()) != 1 {
		t.Fatal("faulted request applied")
	}
	_, faulted, _ := s.Injected()
	reads, writes := s.Counts()
	if faulted != 2 || reads != 1 || writes != 1 {
		t.Fatal(faulted, reads, writes)
	}
	// a matcher may look at the body
	s.FailNext(func(r *http.Request) bool {
		var b bytes.Buffer
		_, _ = b.ReadFrom(r.Body)
		return strings.Contains(b.String(), "poison")
	}, 400, "Request_BadRequest", "poisoned", 1)
	expect(t, call(t, s, tok, "POST", "/v1.0/applications", map[string]any{"displayName": "poison"}), 400, "Request_BadRequest")
	expect(t, call(t, s, tok, "POST", "/v1.0/applications", map[string]any{"displayName": "fine"}), 201, "")
}

func TestDropResponse(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	s.DropResponse(MatchWrite("PATCH", "uniqueName='dropped'"), 1)
	body, _ := json.Marshal(map[string]any{"displayName": "D"})
	req, _ := http.NewRequest("PATCH", s.URL()+"/v1.0/applications(uniqueName='dropped')", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Prefer", "create-if-missing")
	res, err := s.Client().Do(req)
	if err == nil {
		res.Body.Close()
		t.Fatalf("got a response: %d", res.StatusCode)
	}
	// the write was applied
	if apps := s.Applications(); len(apps) != 1 || apps[0]["uniqueName"] != "dropped" {
		t.Fatal(apps)
	}
	// the client's retry then sees the object (204, no duplicate)
	r := call(t, s, tok, "PATCH", "/v1.0/applications(uniqueName='dropped')", map[string]any{"displayName": "D"}, "Prefer", "create-if-missing")
	expect(t, r, 204, "")
	log := s.Log()
	var dropped *LoggedRequest
	for i := range log {
		if log[i].Injected == "drop" {
			dropped = &log[i]
		}
	}
	if dropped == nil || dropped.Status != 201 || string(dropped.Body) != string(body) {
		t.Fatalf("%+v", dropped)
	}
	_, _, d := s.Injected()
	if _, writes := s.Counts(); d != 1 || writes != 2 {
		t.Fatal(d, writes)
	}
}

func TestMatchWrite(t *testing.T) {
	mk := func(method, path string) *http.Request {
		r, _ := http.NewRequest(method, "https://x"+path, nil)
		return r
	}
	any := MatchWrite("", "/applications")
	if !any(mk("POST", "/v1.0/applications")) || !any(mk("DELETE", "/v1.0/applications/1")) || any(mk("GET", "/v1.0/applications")) {
		t.Fatal("any write")
	}
	patch := MatchWrite("PATCH", "servicePrincipals(appId=")
	if !patch(mk("PATCH", "/v1.0/servicePrincipals(appId='1')")) || patch(mk("POST", "/v1.0/servicePrincipals")) {
		t.Fatal("patch")
	}
}

func TestLogAndReset(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	call(t, s, tok, "POST", "/v1.0/applications", map[string]any{"displayName": "logged"}, "client-request-id", "abc")
	var found bool
	for _, l := range s.Log() {
		if l.Graph && l.Method == "POST" {
			found = true
			if !strings.Contains(string(l.Body), `"logged"`) || l.Status != 201 || l.Header.Get("Content-Encoding") != "gzip" || l.Path != "/v1.0/applications" {
				t.Fatalf("%+v", l)
			}
		}
		if !l.Graph && !strings.Contains(l.Path, "oauth2") {
			t.Fatalf("unexpected %+v", l)
		}
	}
	if !found {
		t.Fatal("not logged")
	}
	s.ResetLog()
	if r, w := s.Counts(); len(s.Log()) != 0 || r != 0 || w != 0 {
		t.Fatal("not reset")
	}
	r := call(t, s, tok, "GET", "/v1.0/me", nil, "client-request-id", "abc")
	if r.header.Get("client-request-id") != "abc" || r.header.Get("request-id") == "" {
		t.Fatal(r.header)
	}
	if reads, _ := s.Counts(); reads != 1 {
		t.Fatal(reads)
	}
}

func TestConcurrentClients(t *testing.T) {
	s, tok := startSignedIn(t, Options{ThrottleEvery: 5})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				call(t, s, tok, "POST", "/v1.0/applications", map[string]any{"displayName": "c"})
				call(t, s, tok, "GET", "/v1.0/applications", nil)
				_ = s.Applications()
			}
		}()
	}
	wg.Wait()
	th, _, _ := s.Injected()
	if reads, writes := s.Counts(); reads+writes+th != 80 || th != 16 {
		t.Fatal(reads, writes, th)
	}
}
