package e2e

import (
	"os/exec"
	"regexp"
	"strconv"
	"testing"
)

// TestStartupDoesNoEmulatorWork: every run links the emulator (for --demo)
// and the Graph client, so their package initialisation runs on every
// start, --version and --help included. It stays small: no regular
// expressions compiled, templates parsed or tables built for a server that
// is not started. GODEBUG=inittrace=1 reports each package's init work;
// the limits are allocations, which do not depend on the machine's load
// (time does: measure that with the command in docs/development.md).
func TestStartupDoesNoEmulatorWork(t *testing.T) {
	t.Parallel()
	limits := map[string]int{
		"github.com/pqentra/pqentra/graph/emulator": 64 << 10,
		"github.com/pqentra/pqentra/graph":          16 << 10,
		"github.com/pqentra/pqentra/cmd":            32 << 10,
	}
	line := regexp.MustCompile(`(?m)^init (\S+) @\S+ ms, \S+ ms clock, (\d+) bytes, \d+ allocs$`)
	for _, args := range [][]string{{"--version"}, {"--help"}} {
		cmd := exec.Command(binary, args...)
		cmd.Env = []string{"GODEBUG=inittrace=1", "HOME=" + t.TempDir()}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		seen := 0
		for _, m := range line.FindAllStringSubmatch(string(out), -1) {
			limit, ok := limits[m[1]]
			if !ok {
				continue
			}
			seen++
			if n, _ := strconv.Atoi(m[2]); n > limit {
				t.Errorf("%v: package %s allocates %d bytes at init (limit %d): move the work to first use", args, m[1], n, limit)
			}
		}
		if seen != len(limits) {
			t.Errorf("%v: found the init of %d of %d packages in:\n%s", args, seen, len(limits), out)
		}
	}
}
