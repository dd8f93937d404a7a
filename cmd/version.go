package cmd

import (
	"fmt"
	"regexp"
	"runtime/debug"
	"strings"
)

// Set by release builds: -ldflags "-X github.com/pqentra/pqentra/cmd.Version=1.2.3
// -X …cmd.Commit=<sha> -X …cmd.Date=<RFC 3339>" (see .goreleaser.yaml).
// Left empty, they come from the build info the Go toolchain records.
var (
	Version string
	Commit  string
	Date    string
)

// buildInfo is what `pqentra --version` reports.
type buildInfo struct {
	Version, Commit, Date string
	Modified              bool // built from a work tree with uncommitted changes
}

// pseudoVersion is a Go module pseudo-version, which names the commit and
// its time: v0.0.0-20261129153000-0123456789ab (go install …@main).
var pseudoVersion = regexp.MustCompile(`-(?:0\.)?(\d{14})-([0-9a-f]{12})(?:\+incompatible)?$`)

// currentBuild prefers the ldflags values; otherwise it reads the module
// version (go install …@v1.2.3) and the VCS stamp (go build in a clone).
func currentBuild(read func() (*debug.BuildInfo, bool)) buildInfo {
	b := buildInfo{Version: Version, Commit: Commit, Date: Date}
	if info, ok := read(); ok {
		if v := info.Main.Version; b.Version == "" && v != "" && v != "(devel)" {
			b.Version = strings.TrimSuffix(v, "+dirty")
			if m := pseudoVersion.FindStringSubmatch(b.Version); m != nil {
				t := m[1]
				if b.Commit == "" {
					b.Commit = m[2]
				}
				if b.Date == "" {
					b.Date = fmt.Sprintf("%s-%s-%sT%s:%s:%sZ", t[0:4], t[4:6], t[6:8], t[8:10], t[10:12], t[12:14])
				}
			}
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if b.Date == "" {
					b.Date = s.Value
				}
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	b.Version = strings.TrimPrefix(b.Version, "v")
	return b
}

// String is the --version line: "1.2.3 (commit 0123456789ab, 2026-11-29T15:30:00Z)".
func (b buildInfo) String() string {
	var parts []string
	if b.Commit != "" {
		c := b.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		if b.Modified {
			c += ", modified"
		}
		parts = append(parts, "commit "+c)
	}
	if b.Date != "" {
		parts = append(parts, b.Date)
	}
	if len(parts) == 0 {
		return b.Version
	}
	return b.Version + " (" + strings.Join(parts, ", ") + ")"
}

func versionString() string { return currentBuild(debug.ReadBuildInfo).String() }
