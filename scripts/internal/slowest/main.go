// Command slowest reads `go test -json` output on stdin and prints the
// top-level tests and scenario scripts by elapsed time, slowest first: where to look when the
// suite gets slow (scripts/testtime -slowest). -n sets how many (10);
// with -failed it prints the failed tests (and packages) instead, with
// their output.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

// failed prints each failed test's output, then the failed packages.
func failed() {
	out := map[string]*strings.Builder{}
	var order []string
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			if out[key] == nil {
				out[key] = &strings.Builder{}
			}
			out[key].WriteString(e.Output)
		case "fail":
			order = append(order, key)
		}
	}
	for _, k := range order {
		fmt.Printf("--- FAIL %s\n", k)
		if b := out[k]; b != nil && !strings.HasSuffix(k, " ") {
			fmt.Print(b.String())
		} else if b != nil {
			lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
			fmt.Println(strings.Join(lines[max(0, len(lines)-20):], "\n"))
		}
	}
}

func main() {
	failedOnly := flag.Bool("failed", false, "print the failed tests and packages with their output")
	n := flag.Int("n", 10, "how many tests to list")
	flag.Parse()
	if *failedOnly {
		failed()
		return
	}
	type row struct {
		name    string
		elapsed float64
	}
	var rows []row
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e event
		// Top-level tests, and each scenario script (TestScripts/name):
		// the scripts run in parallel after their parent has returned.
		if json.Unmarshal(sc.Bytes(), &e) != nil || e.Test == "" ||
			strings.Contains(e.Test, "/") && !strings.HasPrefix(e.Test, "TestScripts/") {
			continue
		}
		if e.Action == "pass" || e.Action == "fail" {
			pkg := e.Package[strings.LastIndex(e.Package, "/")+1:]
			rows = append(rows, row{pkg + "." + e.Test, e.Elapsed})
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].elapsed > rows[j].elapsed })
	for _, r := range rows[:min(*n, len(rows))] {
		fmt.Printf("%6.1f s  %s\n", r.elapsed, r.name)
	}
}
