// Package token reads an access token a connector sent its service and
// checks it against what the service should accept, for "my service
// says 401". It decodes the JWT's header and claims (the standard library
// is enough: a JWT is three base64url parts) and never verifies the
// signature: that needs the tenant's keys, and is the service's job. Nothing
// here keeps, logs or returns the token's text.
package token

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// MaxSize bounds what is read as a token: Entra's access tokens are a few
// kilobytes; anything far larger is not one.
const MaxSize = 64 << 10

// ErrNotJWT is wrapped by every refusal of the input: it is bad input
// (exit 2), not a failed check.
var ErrNotJWT = errors.New("not a JWT")

// Token is a decoded JWT.
type Token struct {
	Header map[string]any
	Claims map[string]any
}

func notJWT(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrNotJWT, fmt.Sprintf(format, a...))
}

// Parse decodes a JWT. It accepts what people paste: the token alone, with
// a "Bearer " or "Authorization: Bearer " prefix, in quotes, or the JSON
// that `az account get-access-token` prints (its accessToken). Errors never
// quote the input.
func Parse(input string) (*Token, error) {
	raw := strings.TrimSpace(strings.TrimPrefix(input, "\ufeff"))
	if raw == "" {
		return nil, notJWT("the input is empty")
	}
	if len(raw) > MaxSize {
		return nil, notJWT("the input is %d bytes; an access token is a few kilobytes", len(raw))
	}
	if strings.HasPrefix(raw, "{") {
		var v map[string]any
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			return nil, notJWT("the input starts with { but is not JSON")
		}
		found := false
		for _, k := range []string{"accessToken", "access_token"} {
			if s, ok := v[k].(string); ok {
				raw, found = strings.TrimSpace(s), true
				break
			}
		}
		if !found {
			return nil, notJWT("the JSON has no accessToken or access_token field")
		}
	}
	for _, p := range []string{"authorization:", "bearer"} {
		if len(raw) > len(p) && strings.EqualFold(raw[:len(p)], p) {
			raw = strings.TrimSpace(raw[len(p):])
		}
	}
	raw = strings.Trim(raw, `"'`)
	if strings.ContainsAny(raw, " \t\r\n") {
		return nil, notJWT("the input holds more than one word; give the token alone")
	}
	parts := strings.Split(raw, ".")
	switch len(parts) {
	case 3:
	case 5:
		return nil, notJWT("this is an encrypted token (JWE, five parts): only the service it is for can read it")
	default:
		return nil, notJWT("a JWT has three parts separated by dots (header.payload.signature); this has %d", len(parts))
	}
	header, err := decodePart(parts[0])
	if err != nil {
		return nil, notJWT("the header (first part) %v", err)
	}
	claims, err := decodePart(parts[1])
	if err != nil {
		return nil, notJWT("the payload (second part) %v", err)
	}
	return &Token{Header: header, Claims: claims}, nil
}

// decodePart decodes one base64url part holding a JSON object.
func decodePart(p string) (map[string]any, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(p, "="))
	if err != nil {
		return nil, errors.New("is not base64url")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil || v == nil {
		return nil, errors.New("is not a JSON object")
	}
	return v, nil
}

// String returns a claim as a string ("" when absent or not a string).
func (t *Token) String(name string) string {
	s, _ := t.Claims[name].(string)
	return s
}

// Strings returns a claim that may be a string or a list of strings (aud).
func (t *Token) Strings(name string) []string {
	switch v := t.Claims[name].(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// Int returns a numeric claim (exp, nbf, iat) and whether it is one.
func (t *Token) Int(name string) (int64, bool) {
	switch v := t.Claims[name].(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n, true
		}
		if f, err := v.Float64(); err == nil {
			return int64(f), true
		}
	case float64:
		return int64(v), true
	}
	return 0, false
}

// Version is the token's version: "1.0" or "2.0" from its ver claim, else
// guessed from the issuer's form; "" when neither says.
func (t *Token) Version() string {
	switch v := t.String("ver"); v {
	case "1.0", "2.0":
		return v
	}
	iss := t.String("iss")
	switch {
	case strings.HasSuffix(strings.TrimRight(iss, "/"), "/v2.0"):
		return "2.0"
	case iss != "":
		return "1.0"
	}
	return ""
}

// Client is the calling client's app id: appid in v1 tokens, azp in v2.
func (t *Token) Client() (id, claim string) {
	if s := t.String("appid"); s != "" {
		return s, "appid"
	}
	if s := t.String("azp"); s != "" {
		return s, "azp"
	}
	return "", ""
}

// Personal claims name or identify the user; they are shown only when
// asked for (--show-personal).
var Personal = map[string]bool{
	"name": true, "given_name": true, "family_name": true, "upn": true, "unique_name": true, "email": true,
	"preferred_username": true, "ipaddr": true, "oid": true, "sub": true, "puid": true, "altsecid": true,
	"onprem_sid": true, "verified_primary_email": true, "verified_secondary_email": true, "login_hint": true,
	"deviceid": true,
}

// Visible splits the claims into those shown and the names of those held
// back as personal (sorted), unless showPersonal.
func (t *Token) Visible(showPersonal bool) (shown map[string]any, hidden []string) {
	shown = map[string]any{}
	for k, v := range t.Claims {
		if Personal[k] && !showPersonal {
			hidden = append(hidden, k)
			continue
		}
		shown[k] = v
	}
	sort.Strings(hidden)
	return shown, hidden
}
