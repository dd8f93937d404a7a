package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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
	b, err := os.ReadFile(filepath.Join("..", ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var c goreleaserConfig
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	if err := dec.Decode(&c); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	return c
}

func TestReleaseConfig(t *testing.T) {
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

// TestReleaseBuildVersion builds with the release's ldflags (templates
// filled in) and checks --version. It leaves out -trimpath: that changes
// every compile action, so the build would recompile msgraph-sdk-go from
// scratch (minutes) instead of only linking.
func TestReleaseBuildVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("links a second binary")
	}
	c := readReleaseConfig(t)
	b := c.Builds[0]
	ld := strings.Join(b.Ldflags, " ")
	ld = strings.NewReplacer("{{.Version}}", "1.2.3", "{{.FullCommit}}", "0123456789abcdef0123456789abcdef01234567",
		"{{.CommitDate}}", "2026-11-29T15:30:00Z").Replace(ld)
	if regexp.MustCompile(`\{\{`).MatchString(ld) {
		t.Fatalf("a template the test does not fill: %s", ld)
	}
	bin := filepath.Join(t.TempDir(), "pqentra-release")
	args := []string{"build", "-ldflags", ld, "-o", bin, b.Main}
	build := exec.Command("go", args...)
	build.Env = append(os.Environ(), b.Env...)
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go %v: %v\n%s", args, err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "pqentra version 1.2.3 (commit 0123456789ab, 2026-11-29T15:30:00Z)\n"; string(out) != want {
		t.Errorf("--version = %q, want %q", out, want)
	}
}
