package graph

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/steps"
)

// Rule 10: no network. The error names the host that cannot be reached and
// why in words, says to check the network or proxy and that --demo works
// offline — never Go's raw "dial tcp …".
func TestUnreachableHostIsExplained(t *testing.T) {
	_, err := http.Get("https://127.0.0.1:1/v1.0/me")
	if err == nil {
		t.Skip("something answers on port 1")
	}
	e, ok := steps.AsError(translate(err, "read the signed-in user", followUp{}))
	if !ok {
		t.Fatalf("not translated: %v", err)
	}
	text := e.Error()
	for _, want := range []string{"cannot reach 127.0.0.1:1", "connection refused", "network", "proxy", "--demo"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q lacks %q", text, want)
		}
	}
	if strings.Contains(text, "dial tcp") || !e.Retryable {
		t.Errorf("raw text or not retryable: %q", text)
	}

	// MSAL's sign-in failures carry the same errors as text.
	msal := errors.New(`unable to resolve an endpoint: server response error: Get "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration?": dial tcp: lookup login.microsoftonline.com on 10.0.0.53:53: no such host`)
	se := signInError(msal)
	text = se.Error()
	for _, want := range []string{"cannot reach the sign-in server login.microsoftonline.com", "does not resolve", "proxy", "--demo"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q lacks %q", text, want)
		}
	}
	if strings.Contains(text, "dial tcp") {
		t.Errorf("raw text: %q", text)
	}
}
