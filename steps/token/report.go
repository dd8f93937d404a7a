package token

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pqentra/pqentra/steps"
)

// Report is what `token inspect --output json` prints (docs/token.md).
type Report struct {
	TokenVersion string         `json:"tokenVersion"`
	Header       map[string]any `json:"header"`
	// Claims are the token's claims but the personal ones (see Personal),
	// unless they were asked for; HiddenClaims names those held back.
	Claims       map[string]any `json:"claims"`
	HiddenClaims []string       `json:"hiddenClaims"`
	Checks       []Check        `json:"checks"`
	NotChecked   []Skipped      `json:"notChecked"`
	// OK: every check made passed.
	OK bool `json:"ok"`
	// SignatureVerified is always false: pqentra does not verify the
	// signature; SignatureNote says what the service must do.
	SignatureVerified bool   `json:"signatureVerified"`
	SignatureNote     string `json:"signatureNote"`
}

// NewReport inspects t against e. jwks is where the service finds the
// signing keys, named in the signature note.
func NewReport(t *Token, e Expect, showPersonal bool, jwks string) Report {
	checks, skipped := Inspect(t, e)
	claims, hidden := t.Visible(showPersonal)
	r := Report{TokenVersion: t.Version(), Header: t.Header, Claims: claims, HiddenClaims: hidden,
		Checks: checks, NotChecked: skipped, OK: true}
	if r.HiddenClaims == nil {
		r.HiddenClaims = []string{}
	}
	if r.NotChecked == nil {
		r.NotChecked = []Skipped{}
	}
	for _, c := range checks {
		r.OK = r.OK && c.OK
	}
	r.SignatureNote = "The signature is not checked: pqentra does not fetch signing keys, and a token that passes here may still be forged. Your service must verify it with the keys at " + jwks + "."
	if alg, _ := t.Header["alg"].(string); strings.EqualFold(alg, "none") || alg == "" {
		r.SignatureNote = "The token is not signed (alg " + alg + "): every service must refuse it. " + r.SignatureNote
	}
	return r
}

// Text is the report for people: the token in a few lines, then one line
// per check, ✓ or ✗, with what to change where it fails.
func (r Report) Text(mark func(ok bool) string) string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	alg, _ := r.Header["alg"].(string)
	p("Access token, version %s, signed with %s.", orUnknown(r.TokenVersion), orUnknown(alg))
	keys := make([]string, 0, len(r.Claims))
	for k := range r.Claims {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	w := 0
	for _, k := range keys {
		w = max(w, len(k))
	}
	for _, k := range keys {
		p("  %-*s  %s", w, steps.Clean(k), steps.Clean(claimText(k, r.Claims[k])))
	}
	if len(r.HiddenClaims) > 0 {
		p("  (personal claims not shown: %s; --show-personal shows them)", strings.Join(r.HiddenClaims, ", "))
	}
	p("")
	w = 0
	for _, c := range r.Checks {
		w = max(w, len(c.Name))
	}
	for _, s := range r.NotChecked {
		w = max(w, len(s.Name))
	}
	for _, c := range r.Checks {
		p("%s %-*s  %s", mark(c.OK), w, c.Name, c.Message)
	}
	for _, s := range r.NotChecked {
		p("- %-*s  not checked: %s", w, s.Name, s.Why)
	}
	p("")
	p("%s", r.SignatureNote)
	return b.String()
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// claimText is a claim's value on one line: strings as they are, numbers
// as written (times also in UTC), anything else as compact JSON.
func claimText(name string, v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		if n, err := x.Int64(); err == nil && (name == "exp" || name == "nbf" || name == "iat") {
			return x.String() + " (" + time.Unix(n, 0).UTC().Format(time.DateTime) + " UTC)"
		}
		return x.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
