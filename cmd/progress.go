package cmd

import (
	"fmt"
	"sync"
	"time"

	"github.com/pqentra/pqentra/steps"
)

// progressAfter is how long a change may take before the terminal is told
// which one is waiting.
var progressAfter = time.Second

// progressPrinter tells a person at a terminal which change is being sent
// while Graph is slow. A change answered within `after` prints nothing (the
// summary follows at once); a slower one gets a line when it starts to
// wait and one with its result, so a slow tenant never looks hung.
func progressPrinter(ios *IOStreams, after time.Duration) func(steps.ProgressEvent) {
	var (
		mu    sync.Mutex
		gen   int // which change the timer belongs to
		shown bool
		timer *time.Timer
	)
	return func(ev steps.ProgressEvent) {
		mu.Lock()
		defer mu.Unlock()
		label := fmt.Sprintf("[%d/%d] %s", ev.Index, ev.Total, steps.Clean(ev.Change.Summary))
		if !ev.Done {
			gen++
			mine := gen
			shown = false
			timer = time.AfterFunc(after, func() {
				mu.Lock()
				defer mu.Unlock()
				if mine != gen {
					return // that change is done
				}
				shown = true
				fmt.Fprintf(ios.Err, "%s: waiting for Graph…\n", label)
			})
			return
		}
		gen++
		if timer != nil {
			timer.Stop()
		}
		if !shown {
			return
		}
		result := "done"
		if ev.Err != nil {
			result = "failed"
		}
		fmt.Fprintf(ios.Err, "%s: %s\n", label, result)
	}
}
