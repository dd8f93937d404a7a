package e2e

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// .goreleaser.yaml is checked here rather than by `goreleaser check` in
// CI: a cold `go run github.com/goreleaser/goreleaser/v2@v2.15.1 check`
// downloads and compiles several hundred modules (see README, Install).
// The test checks what the release promises, and builds pqentra with the
// config's own flags to prove the -X paths set --version.

type goreleaserConfig struct {
	Version int `yaml:"version"`
	Builds  []struct {
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		Env     []string `yaml:"env"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
		Ignore  []any    `yaml:"ignore"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
	} `yaml:"builds"`
	Archives []struct {
		Formats         []string `yaml:"formats"`
		FormatOverrides []struct {
			Goos    string   `yaml:"goos"`
			Formats []string `yaml:"formats"`
		} `yaml:"format_overrides"`
		Files []string `yaml:"files"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
		Algorithm    string `yaml:"algorithm"`
	} `yaml:"checksum"`
	Scoops []struct {
		Name       string            `yaml:"name"`
		Repository map[string]string `yaml:"repository"`
	} `yaml:"scoops"`
	HomebrewCasks []struct {
		Name       string            `yaml:"name"`
		Repository map[string]string `yaml:"repository"`
		Binaries   []string          `yaml:"binaries"`
	} `yaml:"homebrew_casks"`
}

func readReleaseConfig(t *testing.T) goreleaserConfig {
	t.Helper()
	c, err := loadReleaseConfig()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func loadReleaseConfig() (goreleaserConfig, error) {
	var c goreleaserConfig
	b, err := os.ReadFile(filepath.Join("..", ".goreleaser.yaml"))
	if err != nil {
		return c, err
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf(".goreleaser.yaml: %v", err)
	}
	if len(c.Builds) == 0 {
		return c, errors.New(".goreleaser.yaml has no build")
	}
	return c, nil
}

// The release the e2e binary pretends to be: TestMain fills the release
// config's ldflags templates with these.
const (
	testReleaseVersion = "1.2.3"
	testReleaseCommit  = "0123456789abcdef0123456789abcdef01234567"
	testReleaseDate    = "2026-11-29T15:30:00Z"
)

// releaseBuild is how .goreleaser.yaml builds pqentra, with its templates
// filled in for a pretend release: go build's -ldflags and the
// environment. It leaves out -trimpath: that changes every compile action,
// so the build would recompile msgraph-sdk-go from scratch (minutes)
// instead of only linking.
func releaseBuild() (ldflags string, env []string, err error) {
	c, err := loadReleaseConfig()
	if err != nil {
		return "", nil, err
	}
	b := c.Builds[0]
	ld := strings.NewReplacer("{{.Version}}", testReleaseVersion, "{{.FullCommit}}", testReleaseCommit,
		"{{.CommitDate}}", testReleaseDate).Replace(strings.Join(b.Ldflags, " "))
	if strings.Contains(ld, "{{") {
		return "", nil, fmt.Errorf("a template the e2e build does not fill: %s", ld)
	}
	return ld, b.Env, nil
}

func TestReleaseConfig(t *testing.T) {
	t.Parallel()
	c := readReleaseConfig(t)
	if c.Version != 2 {
		t.Errorf("version %d: GoReleaser v2 needs version: 2", c.Version)
	}
	if len(c.Builds) != 1 {
		t.Fatalf("%d builds, want 1", len(c.Builds))
	}
	b := c.Builds[0]
	slices.Sort(b.Goos)
	slices.Sort(b.Goarch)
	if strings.Join(b.Goos, ",") != "darwin,linux,windows" || strings.Join(b.Goarch, ",") != "amd64,arm64" || len(b.Ignore) != 0 {
		t.Errorf("targets %v × %v (ignore %v); want the six of linux, darwin, windows × amd64, arm64", b.Goos, b.Goarch, b.Ignore)
	}
	if b.Binary != "pqentra" || !slices.Contains(b.Env, "CGO_ENABLED=0") || !slices.Contains(b.Flags, "-trimpath") {
		t.Errorf("build: binary %q, env %v, flags %v", b.Binary, b.Env, b.Flags)
	}
	ld := strings.Join(b.Ldflags, " ")
	for _, want := range []string{"-s -w", "-X github.com/pqentra/pqentra/cmd.Version={{.Version}}",
		"-X github.com/pqentra/pqentra/cmd.Commit=", "-X github.com/pqentra/pqentra/cmd.Date="} {
		if !strings.Contains(ld, want) {
			t.Errorf("ldflags %q lack %q", ld, want)
		}
	}
	if len(c.Archives) != 1 || !slices.Contains(c.Archives[0].Formats, "tar.gz") {
		t.Fatalf("archives: %+v", c.Archives)
	}
	zip := false
	for _, o := range c.Archives[0].FormatOverrides {
		zip = zip || o.Goos == "windows" && slices.Contains(o.Formats, "zip")
	}
	if !zip {
		t.Error("Windows archives should be zip files (Expand-Archive)")
	}
	if !slices.Contains(c.Archives[0].Files, "LICENSE") {
		t.Errorf("archives hold %v: the MIT license must travel with the binary", c.Archives[0].Files)
	}
	if c.Checksum.NameTemplate == "" || c.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum: %+v", c.Checksum)
	}
	if len(c.Scoops) != 1 || c.Scoops[0].Repository["owner"] == "" || c.Scoops[0].Repository["name"] == "" {
		t.Errorf("scoops: %+v", c.Scoops)
	}
	if len(c.HomebrewCasks) != 1 || c.HomebrewCasks[0].Repository["name"] == "" || !slices.Contains(c.HomebrewCasks[0].Binaries, "pqentra") {
		t.Errorf("homebrew_casks: %+v", c.HomebrewCasks)
	}
}

// TestReleaseBuildVersion: the e2e binary is built as the release builds
// it (TestMain, with releaseBuild's flags), so its --version proves the
// config's -X paths set the version, commit and date.
func TestReleaseBuildVersion(t *testing.T) {
	t.Parallel()
	out, err := exec.Command(binary, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "pqentra version 1.2.3 (commit 0123456789ab, 2026-11-29T15:30:00Z)\n"; string(out) != want {
		t.Errorf("--version = %q, want %q", out, want)
	}
}
