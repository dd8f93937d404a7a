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

// withTmux answers tmux option queries from opts; nil opts: tmux cannot be asked.
func withTmux(t *testing.T, opts map[string]string) {
	old := tmuxOption
	tmuxOption = func(name string) (string, error) {
		if opts == nil {
			return "", errors.New("no server")
		}
		return opts[name], nil
	}
	t.Cleanup(func() { tmuxOption = old })
}

func TestCopyNativeAndOSC52OnATerminal(t *testing.T) {
	got := withNative(t, true, nil)
	var buf bytes.Buffer
	r := Copy(Request{Text: "hi", Term: &buf, TermIsTTY: true, Getenv: envOf("DISPLAY", ":0")})
	if r.Err != nil || r.Message != "Copied to the clipboard." || !r.Copied() {
		t.Fatalf("%+v", r)
	}
	if buf.String() != "\x1b]52;c;aGk=\x07" {
		t.Errorf("wrote %q", buf.String())
	}
	if strings.Join(r.Methods, ",") != "native,osc52" || len(*got) != 1 || (*got)[0] != "hi" {
		t.Errorf("methods %v, native got %v", r.Methods, *got)
	}
}

func TestCopyOSC52OnlyIsSentNotCopied(t *testing.T) {
	withNative(t, false, nil)
	var buf bytes.Buffer
	r := Copy(Request{Text: "x", Term: &buf, TermIsTTY: true, Getenv: envOf("DISPLAY", ":0")})
	if r.Err != nil || r.Message != "Sent to the terminal's clipboard (OSC 52)." || r.Copied() {
		t.Errorf("%+v", r)
	}
	// Headless Linux: tool present but no display → not used.
	got := withNative(t, true, nil)
	buf.Reset()
	r = Copy(Request{Text: "x", Term: &buf, TermIsTTY: true, Getenv: envOf()})
	if r.Err != nil || strings.Join(r.Methods, ",") != "osc52" || len(*got) != 0 {
		t.Errorf("headless: %+v, native %v", r, *got)
	}
}

func TestCopyNeverWritesEscapesToARedirectedStream(t *testing.T) {
	withNative(t, false, nil)
	var buf bytes.Buffer
	r := Copy(Request{Text: "x", Term: &buf, TermIsTTY: false, Getenv: envOf("TERM", "xterm")})
	if buf.Len() != 0 {
		t.Errorf("wrote %q to a stream that is not a terminal", buf.String())
	}
	if r.Err == nil || !strings.Contains(r.Message, "not a terminal") || !strings.Contains(r.Message, "xclip") {
		t.Errorf("%+v", r)
	}
	// With a native clipboard the same redirect still copies.
	withNative(t, true, nil)
	r = Copy(Request{Text: "x", Term: &buf, TermIsTTY: false, Getenv: envOf("DISPLAY", ":0")})
	if buf.Len() != 0 || r.Err != nil || r.Message != "Copied to the clipboard." {
		t.Errorf("%+v, wrote %q", r, buf.String())
	}
}

func TestCopyUnderTmux(t *testing.T) {
	env := envOf("TMUX", "/tmp/tmux-1000/default,1,0", "TERM", "screen")
	withNative(t, false, nil)

	// Default tmux (set-clipboard external): the sequence would be dropped,
	// so it is not sent, and the message says how to enable it.
	withTmux(t, map[string]string{"set-clipboard": "external", "allow-passthrough": "off"})
	var buf bytes.Buffer
	r := Copy(Request{Text: "x", Term: &buf, TermIsTTY: true, Getenv: env})
	if r.Err == nil || buf.Len() != 0 || !strings.Contains(r.Message, "tmux set -g set-clipboard on") {
		t.Errorf("external: %+v, wrote %q", r, buf.String())
	}
	withNative(t, true, nil)
	r = Copy(Request{Text: "x", Term: &buf, TermIsTTY: true, Getenv: envOf("TMUX", "x", "DISPLAY", ":0")})
	if r.Err != nil || !r.Copied() || !strings.Contains(r.Message, "tmux set -g set-clipboard on") {
		t.Errorf("external with native: %+v", r)
	}
	withNative(t, false, nil)

	withTmux(t, map[string]string{"set-clipboard": "on"})
	r = Copy(Request{Text: "x", Term: &buf, TermIsTTY: true, Getenv: env})
	if r.Err != nil || r.Message != "Sent to the terminal's clipboard through tmux (OSC 52)." || !strings.Contains(buf.String(), "\x1bPtmux;") {
		t.Errorf("on: %+v", r)
	}
	buf.Reset()
	withTmux(t, map[string]string{"set-clipboard": "off", "allow-passthrough": "on"})
	if r = Copy(Request{Text: "x", Term: &buf, TermIsTTY: true, Getenv: env}); r.Err != nil || buf.Len() == 0 {
		t.Errorf("passthrough: %+v", r)
	}
	buf.Reset()
	withTmux(t, nil)
	r = Copy(Request{Text: "x", Term: &buf, TermIsTTY: true, Getenv: env})
	if r.Err != nil || buf.Len() == 0 || !strings.Contains(r.Message, "if it does not arrive, run: tmux set -g set-clipboard on") {
		t.Errorf("unknown: %+v", r)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("closed") }

func TestCopyErrors(t *testing.T) {
	withNative(t, true, errors.New("xclip: cannot open display"))
	r := Copy(Request{Text: "x", Term: failWriter{}, TermIsTTY: true, Getenv: envOf("DISPLAY", ":0")})
	if r.Err == nil || r.Methods != nil || !strings.Contains(r.Message, "closed") || !strings.Contains(r.Message, "xclip") {
		t.Errorf("%+v", r)
	}
	withNative(t, false, nil)
	if r := Copy(Request{Text: "x"}); r.Err == nil {
		t.Error("nothing to copy to, but no error")
	}
	// A native failure is not an error when OSC 52 worked.
	withNative(t, true, errors.New("boom"))
	var buf bytes.Buffer
	if r := Copy(Request{Text: "x", Term: &buf, TermIsTTY: true, Getenv: envOf("DISPLAY", ":0")}); r.Err != nil || len(r.Methods) != 1 {
		t.Errorf("%+v", r)
	}
}

// On Windows and macOS the native clipboard needs no display variable.
func TestNativeClipboardOnWindowsAndMacOS(t *testing.T) {
	for _, os := range []string{"windows", "darwin"} {
		got := withNative(t, true, nil)
		goos = os
		r := Copy(Request{Text: "hi", Getenv: envOf()})
		if r.Err != nil || !r.Copied() || r.Message != "Copied to the clipboard." || len(*got) != 1 {
			t.Errorf("%s: %+v", os, r)
		}
	}
	withNative(t, true, nil) // linux, no display: not used
	if r := Copy(Request{Text: "hi", Getenv: envOf()}); r.Copied() {
		t.Errorf("linux without a display: %+v", r)
	}
}
