package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
)

// newGUID returns a random (version 4) lowercase GUID, as Graph uses for
// object ids and appIds.
func newGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

var guidRE = lazyRegexp(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// isGUID reports whether s is a GUID in the 8-4-4-4-12 form (either case).
func isGUID(s string) bool { return guidRE().MatchString(s) }

// randomToken returns n random bytes, base64url-encoded; used for opaque
// access/refresh tokens and device codes, which must never repeat.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// userCodeAlphabet leaves out look-alikes, like AAD's user codes.
const userCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// newUserCode returns a 9-character uppercase code like "F7QK3MZ2P".
func newUserCode() string {
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = userCodeAlphabet[int(b[i])%len(userCodeAlphabet)]
	}
	return string(b)
}
