package clipboard

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func envOf(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// withNative swaps the native clipboard for a fake for one test.
func withNative(t *testing.T, supported bool, err error) *[]string {
	var got []string
	oldW, oldS, oldOS := nativeWrite, nativeSupported, goos
	nativeWrite = func(s string) error {
		if err != nil {
			return err
		}
		got = append(got, s)
		return nil
	}
	nativeSupported = func() bool { return supported }
	goos = "linux"
	t.Cleanup(func() { nativeWrite, nativeSupported, goos = oldW, oldS, oldOS })
	return &got
}

func TestSequenceExactBytes(t *testing.T) {
	// base64("hi") = "aGk="
	cases := []struct {
		env    func(string) string
		want   string
		method string
	}{
		{envOf("TERM", "xterm-256color"), "\x1b]52;c;aGk=\x07", MethodOSC52},
		{envOf(), "\x1b]52;c;aGk=\x07", MethodOSC52},
		{envOf("TMUX", "/tmp/tmux-1000/default,1,0", "TERM", "screen-256color"),
			"\x1b]52;c;aGk=\x07" + "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\", MethodOSC52Tmux},
		{envOf("TERM", "screen.xterm-256color"), "\x1bP\x1b]52;c;aGk=\x07\x1b\\", MethodOSC52Screen},
	}
	for _, c := range cases {
		got, m := Sequence("hi", c.env)
		if got != c.want || m != c.method {
			t.Errorf("Sequence = %q (%s), want %q (%s)", got, m, c.want, c.method)
		}
	}
}

func TestScreenChunks(t *testing.T) {
	text := strings.Repeat("Aad = [ Resource = \"api://x\" ]\n", 10)
	got, _ := Sequence(text, envOf("TERM", "screen"))
	plain, _ := Sequence(text, envOf())
	var rebuilt strings.Builder
	for _, part := range strings.Split(got, "\x1b\\") {
		if part == "" {
			continue
		}
		if !strings.HasPrefix(part, "\x1bP") || len(part)-2 > screenChunk {
			t.Fatalf("bad chunk %q", part)
		}
		rebuilt.WriteString(part[2:])
	}
	if rebuilt.String() != plain {
		t.Errorf("chunks do not reassemble to the OSC 52 sequence")
	}
}

func TestCopyWritesOSC52AndNative(t *testing.T) {
	got := withNative(t, true, nil)
	var buf bytes.Buffer
	methods, err := Copy(&buf, "hi", envOf("DISPLAY", ":0"))
	if err != nil {
		t.Fatal(err)
	}
	if buf.String() != "\x1b]52;c;aGk=\x07" {
		t.Errorf("wrote %q", buf.String())
	}
	if strings.Join(methods, ",") != "osc52,native" || len(*got) != 1 || (*got)[0] != "hi" {
		t.Errorf("methods %v, native got %v", methods, *got)
	}
}

func TestCopySkipsNativeSilently(t *testing.T) {
	withNative(t, false, nil)
	var buf bytes.Buffer
	methods, err := Copy(&buf, "x", envOf("DISPLAY", ":0"))
	if err != nil || strings.Join(methods, ",") != "osc52" {
		t.Errorf("methods %v, err %v", methods, err)
	}
	// Headless Linux: tool present but no display → skipped, not an error.
	got := withNative(t, true, nil)
	methods, err = Copy(&buf, "x", envOf())
	if err != nil || strings.Join(methods, ",") != "osc52" || len(*got) != 0 {
		t.Errorf("headless: methods %v, err %v, native %v", methods, err, *got)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("closed") }

func TestCopyErrors(t *testing.T) {
	withNative(t, true, errors.New("xclip: cannot open display"))
	methods, err := Copy(failWriter{}, "x", envOf("DISPLAY", ":0"))
	if err == nil || methods != nil || !strings.Contains(err.Error(), "closed") || !strings.Contains(err.Error(), "xclip") {
		t.Errorf("methods %v, err %v", methods, err)
	}
	withNative(t, false, nil)
	if _, err := Copy(nil, "x", nil); err == nil {
		t.Error("nothing to copy to, but no error")
	}
	// A native failure is not an error when OSC 52 worked.
	withNative(t, true, errors.New("boom"))
	var buf bytes.Buffer
	if methods, err := Copy(&buf, "x", envOf("DISPLAY", ":0")); err != nil || len(methods) != 1 {
		t.Errorf("methods %v, err %v", methods, err)
	}
}
