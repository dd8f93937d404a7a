package graph

import (
	"strings"
	"testing"
)

// A sign-in failure reads as Entra's own sentence, not as MSAL's
// "http call(…)(POST) error: reply status code was 400" wrapper and a JSON
// body (issue 21).
func TestSummarizeShowsEntrasWords(t *testing.T) {
	raw := "http call(https://login.microsoftonline.com/organizations/oauth2/v2.0/token)(POST) error: reply status code was 400:\n" +
		`{"error":"invalid_grant","error_description":"AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.\r\nTrace ID: abc\r\nCorrelation ID: def","error_codes":[50076]}`
	if got, want := summarize(raw), "AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication."; got != want {
		t.Errorf("summarize = %q, want %q", got, want)
	}
	if got := summarize("http call(https://x/token)(POST) error: reply status code was 503: the service is busy"); strings.Contains(got, "http call") || got != "the service is busy" {
		t.Errorf("summarize = %q", got)
	}
}
