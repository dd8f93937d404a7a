package m

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// largeConnector is a connector of n small members after its kind record,
// the shape of the 50 MB / 3.3 M member file from the adversarial run
// (n = 3_300_000 makes 49 MB).
func largeConnector(n int) string {
	var b strings.Builder
	b.Grow(n * 16)
	b.WriteString("section Big;\n\nBig = [\n    Authentication = [\n        Anonymous = []\n    ]\n];\n\n")
	for i := range n {
		fmt.Fprintf(&b, "M%07d = %d;\n", i, i)
	}
	return b.String()
}

// BenchmarkPatchLarge patches and diffs the 49 MB connector, as
// `snippet --patch` does. Besides time it reports the bytes allocated per
// byte of source (target: at most 10) as B/srcbyte.
func BenchmarkPatchLarge(b *testing.B) {
	src := largeConnector(3_300_000)
	o := SnippetOptions{Resource: resourceURI}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for range b.N {
		out, err := Patch(src, "", o)
		if err != nil {
			b.Fatal(err)
		}
		if Diff(src, out) == "" {
			b.Fatal("no diff")
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(len(src)), "B/srcbyte")
}

// allocatedBy returns the bytes f allocates (a count, not a time: the
// same on any machine).
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Issue 10 F10: a 50 MB connector took 4.2 GB. Patching and diffing must
// allocate at most 10 bytes per source byte, and grow linearly: 4× the
// members, about 4× the bytes (it was 2 parses of 40-byte tokens, slices
// grown by doubling, and a diff of every line).
func TestPatchMemoryIsLinearAndBounded(t *testing.T) {
	o := SnippetOptions{Resource: resourceURI}
	run := func(n int) (perByte float64) {
		src := largeConnector(n)
		got := allocatedBy(func() {
			out, err := Patch(src, "", o)
			if err != nil {
				t.Fatal(err)
			}
			if Diff(src, out) == "" {
				t.Fatal("no diff")
			}
		})
		return float64(got) / float64(len(src))
	}
	small, big := run(50_000), run(200_000)
	t.Logf("allocated per source byte: %.2f (50k members), %.2f (200k members)", small, big)
	if small > 10 || big > 10 {
		t.Errorf("patching allocates %.1f / %.1f bytes per source byte; want at most 10", small, big)
	}
	if big > small*1.25 {
		t.Errorf("allocation per byte grows with size (%.2f → %.2f): not linear", small, big)
	}
}

// Diff only splits the lines around the change; its output must be what a
// diff of every line gives.
func TestDiffOfExcerptMatchesWholeFileDiff(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		var lines []string
		for range rng.IntN(40) {
			lines = append(lines, fmt.Sprintf("l%d", rng.IntN(5)))
		}
		old := strings.Join(lines, "\n")
		if rng.IntN(2) == 0 && old != "" {
			old += "\n"
		}
		b := []byte(old)
		for range 1 + rng.IntN(3) {
			if len(b) == 0 {
				b = append(b, "x\n"...)
				continue
			}
			i := rng.IntN(len(b))
			switch rng.IntN(3) {
			case 0:
				b = append(b[:i], append([]byte("new\n"), b[i:]...)...)
			case 1:
				b = append(b[:i], b[min(len(b), i+1+rng.IntN(6)):]...)
			default:
				b[i] = 'z'
			}
		}
		new := string(b)
		if old == new {
			continue
		}
		if got, want := Diff(old, new), diffLines(old, new, 0); got != want {
			t.Fatalf("Diff(%q, %q) =\n%s\nwhole-file diff:\n%s", old, new, got, want)
		}
	}
}
