// Command slowest reads `go test -json` output on stdin and prints the
// top-level tests by elapsed time, slowest first: where to look when the
// suite gets slow (scripts/testtime -slowest).
package main

import (
	"bufio"
	"encoding/json"
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
}

func main() {
	type row struct {
		name    string
		elapsed float64
	}
	var rows []row
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil || e.Test == "" || strings.Contains(e.Test, "/") {
			continue
		}
		if e.Action == "pass" || e.Action == "fail" {
			pkg := e.Package[strings.LastIndex(e.Package, "/")+1:]
			rows = append(rows, row{pkg + "." + e.Test, e.Elapsed})
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].elapsed > rows[j].elapsed })
	for _, r := range rows {
		fmt.Printf("%6.1f s  %s\n", r.elapsed, r.name)
	}
}
