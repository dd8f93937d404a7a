package cmd

import (
	"errors"
	"reflect"
	"testing"
)

func TestBrowserOpenerPerOS(t *testing.T) {
	const u = "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=x&scope=y"
	type env map[string]string
	cases := []struct {
		name string
		goos string
		env  env
		path []string // programs on PATH
		want []string // argv started; nil: no opener
	}{
		{"windows", "windows", env{}, []string{"rundll32"}, []string{"rundll32", "url.dll,FileProtocolHandler", u}},
		{"macOS", "darwin", env{}, []string{"open"}, []string{"open", u}},
		{"linux desktop", "linux", env{"DISPLAY": ":0"}, []string{"xdg-open"}, []string{"xdg-open", u}},
		{"linux wayland", "linux", env{"WAYLAND_DISPLAY": "wayland-0"}, []string{"xdg-open"}, []string{"xdg-open", u}},
		{"linux over SSH, no display", "linux", env{}, []string{"xdg-open"}, nil},
		{"linux without xdg-open", "linux", env{"DISPLAY": ":0"}, nil, nil},
		{"WSL", "linux", env{"WSL_DISTRO_NAME": "Ubuntu"}, []string{"wslview"}, []string{"wslview", u}},
		{"$BROWSER wins on every OS", "windows", env{"BROWSER": "firefox"}, nil, []string{"firefox", u}},
		{"$BROWSER with arguments", "linux", env{"BROWSER": "chromium --incognito"}, nil, []string{"chromium", "--incognito", u}},
	}
	for _, c := range cases {
		var started []string
		look := func(name string) (string, error) {
			for _, p := range c.path {
				if p == name {
					return "/usr/bin/" + name, nil
				}
			}
			return "", errors.New("not found")
		}
		start := func(name string, args ...string) error {
			started = append([]string{name}, args...)
			return nil
		}
		open := browserOpener(c.goos, func(k string) string { return c.env[k] }, look, start)
		if c.want == nil {
			if open != nil {
				t.Errorf("%s: an opener where none should be", c.name)
			}
			continue
		}
		if open == nil {
			t.Errorf("%s: no opener", c.name)
			continue
		}
		if err := open(u); err != nil || !reflect.DeepEqual(started, c.want) {
			t.Errorf("%s: started %q (%v), want %q", c.name, started, err, c.want)
		}
	}
}
