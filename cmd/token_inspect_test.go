package cmd

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/token"
	"github.com/pqentra/pqentra/steps/token/tokentest"
)

// --clipboard reads the token from the clipboard; a clipboard that cannot
// be read says so and what to do instead. The token is never printed.
func TestTokenInspectFromTheClipboard(t *testing.T) {
	now := time.Now()
	tok := tokentest.Sign(tokentest.Claims{TenantID: "6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13", AppID: "00001111-aaaa-2222-bbbb-3333cccc4444",
		Resource: "api://00001111-aaaa-2222-bbbb-3333cccc4444", Client: steps.ClientExcel.AppID, Scope: "Data.Read", Now: now}.V2())
	run := func(clip func() (string, error)) (error, string, string) {
		var out, errb bytes.Buffer
		opts := &TokenInspectOptions{IO: &IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, Globals: &Globals{},
			Now: func() time.Time { return now }, ReadClipboard: clip, Clipboard: true,
			Audiences: []string{"00001111-aaaa-2222-bbbb-3333cccc4444"}, ClockSkew: token.DefaultSkew, Output: "text"}
		err := tokenInspectRun(context.Background(), opts)
		return err, out.String(), errb.String()
	}
	err, out, errs := run(func() (string, error) { return "  Bearer " + tok + "\n", nil })
	if err != nil || !strings.Contains(out, "✓ audience") || strings.Contains(out+errs, tok[:24]) {
		t.Errorf("clipboard: %v\n%s\n%s", err, out, errs)
	}
	err, _, _ = run(func() (string, error) { return "", errors.New("no xclip") })
	if err == nil || !strings.Contains(err.Error(), "cannot read the clipboard: no xclip (give the token as FILE or on stdin instead)") {
		t.Errorf("clipboard error: %v", err)
	}
}
