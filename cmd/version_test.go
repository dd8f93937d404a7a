package cmd

import (
	"runtime/debug"
	"testing"
)

func TestVersionFromBuildInfo(t *testing.T) {
	info := func(version string, settings ...string) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/pqentra/pqentra", Version: version}}
			for i := 0; i+1 < len(settings); i += 2 {
				bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
			}
			return bi, true
		}
	}
	cases := []struct {
		name                string
		ldVersion, ldCommit string
		read                func() (*debug.BuildInfo, bool)
		want                string
	}{
		{name: "go install @tag", read: info("v1.2.3"), want: "1.2.3"},
		{name: "go install @main (pseudo-version)", read: info("v0.0.0-20261129153000-0123456789ab"),
			want: "0.0.0-20261129153000-0123456789ab (commit 0123456789ab, 2026-11-29T15:30:00Z)"},
		{name: "go build in a clone", read: info("(devel)", "vcs.revision", "0123456789abcdef0123456789abcdef01234567", "vcs.time", "2026-11-29T15:30:00Z", "vcs.modified", "true"),
			want: "dev (commit 0123456789ab, modified, 2026-11-29T15:30:00Z)"},
		{name: "Go 1.24+ stamps a version from VCS", read: info("v0.3.1-0.20261129153000-0123456789ab+dirty", "vcs.revision", "0123456789abcdef", "vcs.modified", "true"),
			want: "0.3.1-0.20261129153000-0123456789ab (commit 0123456789ab, modified, 2026-11-29T15:30:00Z)"},
		{name: "release ldflags win", ldVersion: "1.4.0", ldCommit: "fedcba9876543210", read: info("(devel)", "vcs.revision", "0123"),
			want: "1.4.0 (commit fedcba987654)"},
		{name: "no build info", read: func() (*debug.BuildInfo, bool) { return nil, false }, want: "dev"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			oldV, oldC := Version, Commit
			Version, Commit = c.ldVersion, c.ldCommit
			defer func() { Version, Commit = oldV, oldC }()
			if got := currentBuild(c.read).String(); got != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}
