package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// A command line that fails to parse still gives --output json its one
// object on stdout (issue 10 F5), exits 2, and sends nothing: the failure
// comes before any command runs. Without --output json stdout stays empty.
func TestParseErrorsUnderOutputJSON(t *testing.T) {
	cases := []struct {
		args     []string
		wantJSON bool
		wantErr  string
	}{
		{[]string{"setup", "--non-interactive", "--output", "json", "--bogus"}, true, "unknown flag: --bogus"},
		{[]string{"setup", "--output=json", "--audience", "mars"}, true, `--audience "mars"`},
		{[]string{"whoami", "-o", "json", "--cloud", "mars"}, true, `--cloud "mars"`},
		{[]string{"doctor", "-ojson", "extra"}, true, "doctor takes no arguments"},
		{[]string{"undo", "--output", "json", "extra"}, true, "takes no arguments"},
		{[]string{"setpu", "--output", "json"}, true, "Did you mean this?"},
		{[]string{"setup", "--bogus"}, false, "unknown flag"},
		{[]string{"setup", "--", "--output", "json", "x"}, false, "takes no arguments"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			f := testFactory()
			f.IO.Out, f.IO.Err = &out, &errb
			code := Execute(context.Background(), f, c.args)
			if code != ExitUsage {
				t.Fatalf("exit %d, want 2; stderr:\n%s", code, errb.String())
			}
			if !strings.Contains(errb.String(), c.wantErr) {
				t.Errorf("stderr %q lacks %q", errb.String(), c.wantErr)
			}
			if !c.wantJSON {
				if out.Len() != 0 {
					t.Fatalf("stdout %q, want nothing", out.String())
				}
				return
			}
			var obj map[string]any
			if err := json.Unmarshal(out.Bytes(), &obj); err != nil {
				t.Fatalf("stdout is not one JSON object: %v\n%s", err, out.String())
			}
			if msg, _ := obj["error"].(string); !strings.Contains(msg, c.wantErr) {
				t.Fatalf("error field %q lacks %q", msg, c.wantErr)
			}
		})
	}
}

func TestWantsJSON(t *testing.T) {
	for args, want := range map[string]bool{
		"setup --output json": true, "setup -o json": true, "setup --output=json": true,
		"setup -ojson": true, "setup --output text": false, "setup --output": false,
		"setup -- --output json": false, "setup --display-name json": false,
	} {
		if got := wantsJSON(strings.Fields(args)); got != want {
			t.Errorf("wantsJSON(%q) = %v, want %v", args, got, want)
		}
	}
}
