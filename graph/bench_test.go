package graph

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/graph/emulator/emulatortest"
	"github.com/pqentra/pqentra/steps"
)

// BenchmarkSetup measures a whole non-interactive setup through the real
// clients against the emulator, and reports the Graph reads and writes each
// scenario costs. Run: go test ./graph -run '^$' -bench Setup -benchtime 5x
func BenchmarkSetup(b *testing.B) {
	scenarios := []struct {
		name  string
		opts  emulator.Options
		rerun bool
	}{
		{name: "fresh", opts: emulator.Options{}},
		{name: "rerun", opts: emulator.Options{}, rerun: true},
		{name: "fresh-throttled-every-3rd", opts: emulator.Options{ThrottleEvery: 3, RetryAfter: 1}},
		{name: "fresh-1s-replication-lag", opts: emulator.Options{ReplicationLag: time.Second}},
	}
	for _, sc := range scenarios {
		b.Run(sc.name, func(b *testing.B) {
			var reads, writes int
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				emu := emulatortest.Start(b, sc.opts)
				env := &testEnv{emu: emu, cachePath: fmt.Sprintf("%s/cache-%d.json", b.TempDir(), i)}
				// The real clock: the benchmark measures the waits a user
				// meets (Retry-After, replication lag), not skipped time.
				// (A nil *clocktest.Clock in Config.Clock would not be nil.)
				env.configure = func(c *Config) { c.Clock = nil }
				env.client = env.newClient(b)
				d := steps.Desired{DisplayName: "Bench Connector"}
				if err := d.Normalize(); err != nil {
					b.Fatal(err)
				}
				ctx := context.Background()
				if sc.rerun {
					if _, err := steps.Converge(ctx, env.client, d, steps.Options{GraphBase: env.client.GraphBase()}, false); err != nil {
						b.Fatal(err)
					}
					env.client = env.newClient(b)
				}
				emu.ResetLog()
				b.StartTimer()
				if _, err := steps.Converge(ctx, env.client, d, steps.Options{GraphBase: env.client.GraphBase()}, false); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				r, w := emu.Counts()
				reads += r
				writes += w
				emu.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(reads)/float64(b.N), "reads/op")
			b.ReportMetric(float64(writes)/float64(b.N), "writes/op")
		})
	}
}
