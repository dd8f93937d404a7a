package graph

import "testing"

func TestCacheDirPerOS(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	cases := []struct {
		goos string
		env  func(string) string
		want string
	}{
		{"windows", env("LOCALAPPDATA", `C:\Users\Ana Lima\AppData\Local`, "HOME", "/ignored"), `C:\Users\Ana Lima\AppData\Local\pqentra`},
		{"windows", env("LOCALAPPDATA", `D:\Profiles\ana\`), `D:\Profiles\ana\pqentra`},
		{"windows", env("USERPROFILE", `C:\Users\ana`), `C:\Users\ana\AppData\Local\pqentra`},
		{"windows", env("LOCALAPPDATA", `\\fileserver\home\ana`), `\\fileserver\home\ana\pqentra`},
		{"windows", env("XDG_CACHE_HOME", `C:\cache`, "LOCALAPPDATA", `C:\Users\ana\AppData\Local`), `C:\cache\pqentra`},
		{"windows", env("LOCALAPPDATA", `relative\dir`, "USERPROFILE", `C:\Users\ana`), `C:\Users\ana\AppData\Local\pqentra`},
		{"linux", env("XDG_CACHE_HOME", "/tmp/x", "HOME", "/home/ana"), "/tmp/x/pqentra"},
		{"linux", env("XDG_CACHE_HOME", "relative", "HOME", "/home/ana"), "/home/ana/.cache/pqentra"},
		{"linux", env("HOME", "/home/ana/", "LOCALAPPDATA", `C:\x`), "/home/ana/.cache/pqentra"},
		{"darwin", env("HOME", "/Users/ana"), "/Users/ana/.cache/pqentra"},
	}
	for _, c := range cases {
		got, err := cacheDirFor(c.goos, c.env)
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.goos, got, err, c.want)
		}
	}
	for _, goos := range []string{"windows", "linux", "darwin"} {
		if d, err := cacheDirFor(goos, env()); err == nil {
			t.Errorf("%s with an empty environment: %q, want an error saying what to set", goos, d)
		}
	}
}
