// Package tokentest makes access tokens shaped like Microsoft Entra's, for
// tests: v1 and v2 claim sets, signed RS256 with a throwaway RSA key made
// for the test run. Nothing here is a real credential.
package tokentest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"sync"
	"time"
)

var (
	keyOnce sync.Once
	key     *rsa.PrivateKey
)

// throwaway is the run's signing key, made on first use.
func throwaway() *rsa.PrivateKey {
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		key = k
	})
	return key
}

// Sign encodes claims as a JWT signed RS256 with the throwaway key.
func Sign(claims map[string]any) string {
	header := map[string]any{"typ": "JWT", "alg": "RS256", "kid": "throwaway-test-key"}
	h, _ := json.Marshal(header)
	c, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString(h) + "." + enc.EncodeToString(c)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, throwaway(), crypto.SHA256, sum[:])
	if err != nil {
		panic(err)
	}
	return signing + "." + enc.EncodeToString(sig)
}

// Claims describe a user's token as Power Query gets it.
type Claims struct {
	TenantID string
	AppID    string // the resource app (v2 aud)
	Resource string // the connector's Resource (v1 aud)
	Client   string // the calling client: appid (v1) or azp (v2)
	Scope    string // scp
	Now      time.Time
	Lifetime time.Duration // default 1h
}

// V1 is a v1.0 access token's claims: aud is the Resource as asked,
// iss https://sts.windows.net/{tid}/, the client in appid.
func (c Claims) V1() map[string]any {
	m := c.common()
	m["aud"] = c.Resource
	m["iss"] = "https://sts.windows.net/" + c.TenantID + "/"
	m["appid"] = c.Client
	m["appidacr"] = "0"
	m["ver"] = "1.0"
	m["unique_name"] = "adele@contoso.com"
	m["upn"] = "adele@contoso.com"
	m["name"] = "Adele Vance"
	return m
}

// V2 is a v2.0 access token's claims: aud is the app id, iss
// https://login.microsoftonline.com/{tid}/v2.0, the client in azp.
func (c Claims) V2() map[string]any {
	m := c.common()
	m["aud"] = c.AppID
	m["iss"] = "https://login.microsoftonline.com/" + c.TenantID + "/v2.0"
	m["azp"] = c.Client
	m["azpacr"] = "0"
	m["ver"] = "2.0"
	m["preferred_username"] = "adele@contoso.com"
	m["name"] = "Adele Vance"
	return m
}

func (c Claims) common() map[string]any {
	life := c.Lifetime
	if life == 0 {
		life = time.Hour
	}
	now := c.Now
	if now.IsZero() {
		now = time.Now()
	}
	return map[string]any{
		"tid": c.TenantID, "scp": c.Scope, "oid": "4b2c8d1e-7a3f-4e6b-9c5d-2f8a1b3c4d5e", "sub": "x9Jw3S2kq1",
		"iat": now.Add(-5 * time.Minute).Unix(), "nbf": now.Add(-5 * time.Minute).Unix(), "exp": now.Add(life).Unix(),
		"uti": "AbCdEf123", "aio": "E2Zg", "rh": "0.AAAA",
	}
}
