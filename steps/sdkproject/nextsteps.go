package sdkproject

import (
	"fmt"
	"path/filepath"
	"strings"
)

// NextSteps are the lines printed after the connector's Aad record was
// written: how to try the sign-in with the Power Query SDK, in Visual
// Studio Code and with PQTest, with this project's files filled in. kind is
// the data source kind that was patched; testConnection says whether it has
// a TestConnection handler (then PQTest's test-connection is shown too).
//
// The Visual Studio Code steps are the tasks named on Microsoft Learn's
// "Power Query SDK Overview":
// https://learn.microsoft.com/power-query/power-query-sdk-vs-code
// (Set credential; "Evaluate current power query file"; Setup workspace and
// Build Task for a legacy project; Run TestConnection function).
//
// The PQTest commands and flags are those of "PQTest commands options" and
// "PQTest credentials":
// https://learn.microsoft.com/power-query/sdk-tools/pqtest-commands-options
// https://learn.microsoft.com/power-query/sdk-tools/pqtest-credentials
// (credential-template and set-credential take --extension, --queryFile,
// --prettyPrint and --authenticationKind; set-credential's --interactive is
// the documented mode for the Aad kind; run-test and test-connection take
// --extension and --queryFile.)
func (p *Project) NextSteps(kind string, testConnection bool) []string {
	if kind == "" {
		kind = p.Name()
	}
	mez := p.Extension
	query := p.QueryFile
	queryShown := query
	var out []string
	add := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }

	add("Next: try the sign-in with the Power Query SDK (it runs on Windows).")
	if query == "" {
		// PQTest needs a query that calls the connector's data source
		// function; the SDK template's query file is <Name>.query.pq.
		query = filepath.Join(p.Dir, p.Name()+".query.pq")
		queryShown = query + " (create it: a query that calls your data source function, e.g. " + p.Name() + ".Contents())"
	}
	add("  In Visual Studio Code with the Power Query SDK extension, folder %s open:", quote(folderToOpen(p.Dir)))
	step := 1
	if p.Layout == LayoutVisualStudio {
		add("    %d. Terminal > Run Task > Setup workspace, then Build Task (this brings the Visual Studio project to the new SDK).", step)
	} else {
		add("    %d. Terminal > Run Task > Build Task: builds %s.", step, mez)
	}
	step++
	add("    %d. Set credential (Power Query SDK pane, or Terminal > Run Task > Set credential): data source kind %s, authentication method Aad; sign in as a user of the app's tenant.", step, kind)
	step++
	add("    %d. Open %s and run \"Evaluate current power query file\" (right-click), or Terminal > Run Task > Evaluate current file.", step, queryShown)
	if testConnection {
		step++
		add("    %d. Run TestConnection function (Power Query SDK pane): what refresh through a gateway calls.", step)
	}
	where := "after the build"
	if p.Layout == LayoutVisualStudio {
		where = "after building the project in Visual Studio"
	}
	add("  With PQTest.exe (in the Power Query SDK's tools folder), %s:", where)
	common := "--extension " + quote(mez) + " --queryFile " + quote(query) + " --prettyPrint"
	add("    PQTest.exe credential-template %s --authenticationKind Aad", common)
	add("    PQTest.exe set-credential %s --authenticationKind Aad --interactive", common)
	add("    PQTest.exe run-test %s", common)
	if testConnection {
		add("    PQTest.exe test-connection %s", common)
	}
	return out
}

// folderToOpen is the project folder as the user named it, except the
// current folder ("." or "./"), which reads as nothing to open: then its
// absolute path.
func folderToOpen(dir string) string {
	if filepath.Clean(dir) == "." {
		if abs, err := filepath.Abs(dir); err == nil {
			return abs
		}
	}
	return dir
}

// quote puts double quotes around a path with blanks or shell characters;
// they mean the same in PowerShell and cmd.exe, where PQTest runs.
func quote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t&()[]{}^=;!'+,`~$@%") {
		return s
	}
	return `"` + s + `"`
}
