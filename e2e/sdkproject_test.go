package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Power Query SDK project folders given to snippet --patch (issue 18):
// the connector file is found, patched and named, the *.query.pq test file
// is never touched, and the next steps name the project's real files. A
// folder that holds several candidates or none is refused with exit 2 and
// nothing written.

const sdkQuery = "// Use this file to write queries to test your data connector\r\nlet\r\n    result = Contoso.Contents()\r\nin\r\n    result\r\n"

// The settings.json the Power Query SDK for Visual Studio Code writes.
const sdkSettings = `{
    "powerquery.sdk.defaultQueryFile": "${workspaceFolder}\\${workspaceFolderBasename}.query.pq",
    "powerquery.sdk.defaultExtension": "${workspaceFolder}\\bin\\AnyCPU\\Debug\\${workspaceFolderBasename}.mez"
}
`

const sdkProj = `<?xml version="1.0" encoding="utf-8"?>
<Project ToolsVersion="Current" xmlns="http://schemas.microsoft.com/developer/msbuild/2003" DefaultTargets="Clean;BuildMez">
  <ItemGroup>
    <MezContent Include="Contoso.pq" />
    <MezContent Include="resources.resx" />
  </ItemGroup>
</Project>
`

const sdkMproj = `<?xml version="1.0" encoding="utf-8"?>
<Project DefaultTargets="BuildExtension" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <ItemGroup>
    <Compile Include="Contoso.pq"><SubType>Code</SubType></Compile>
    <Compile Include="resources.resx"><SubType>Code</SubType></Compile>
    <Content Include="Contoso.query.pq"><SubType>Code</SubType></Content>
  </ItemGroup>
</Project>
`

// sdkFolder makes a project folder called name under a fresh directory.
func sdkFolder(t *testing.T, name string, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	for rel, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, p, text, 0o644)
	}
	return dir
}

// snapshot is every file under dir and its bytes.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = fileText(t, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestBinaryPatchSDKProjectFolders(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, folder string
		files        map[string]string
		mez          string // the .mez the next steps name, relative to the folder
		also         string // another line the next steps must hold
	}{
		{"vscode with settings", "Contoso", map[string]string{
			"Contoso.pq": connectorPQ, "Contoso.query.pq": sdkQuery, "Contoso.proj": sdkProj, ".vscode/settings.json": sdkSettings,
			"Scratch.pq": strings.ReplaceAll(connectorPQ, "Contoso", "Scratch"), // not what the settings name
		}, "bin/AnyCPU/Debug/Contoso.mez", "Build Task"},
		{"vscode without settings", "My Connector", map[string]string{
			"Contoso.pq": connectorPQ, "Contoso.query.pq": sdkQuery, "Contoso.proj": sdkProj,
		}, "bin/AnyCPU/Debug/Contoso.mez", "Build Task"},
		{"legacy mproj", "Legacy", map[string]string{
			"Contoso.pq": connectorPQ, "Contoso.query.pq": sdkQuery, "Contoso.mproj": sdkMproj,
		}, "bin/Debug/Contoso.mez", "Setup workspace"},
		{"one .pq without a project", "plain", map[string]string{
			"Contoso.pq": connectorPQ, "Contoso.query.pq": sdkQuery, "Helpers.pq": "section Helpers; shared Helpers.X = 1;",
		}, "bin/AnyCPU/Debug/plain.mez", "Build Task"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := sdkFolder(t, c.folder, c.files)
			before := snapshot(t, dir)
			p := runBinary(t, offlineEnv(t), patchArgs(dir, "--yes")...)
			if p.code != 0 {
				t.Fatalf("exit %d\n%s", p.code, p.stderr)
			}
			conn := filepath.Join(dir, "Contoso.pq")
			query := filepath.Join(dir, "Contoso.query.pq")
			if !patched(fileText(t, conn)) {
				t.Errorf("Contoso.pq not patched:\n%s", fileText(t, conn))
			}
			after := snapshot(t, dir)
			for rel, text := range before {
				if rel != "Contoso.pq" && after[rel] != text {
					t.Errorf("%s changed", rel)
				}
			}
			if _, ok := after["Contoso.pq.bak"]; !ok || len(after) != len(before)+1 {
				t.Errorf("files after the patch: %v", slices.Sorted(mapsKeys(after)))
			}
			if !strings.Contains(p.stderr, "Connector file: "+conn+" (") {
				t.Errorf("does not say which file it used:\n%s", p.stderr)
			}
			mez := quoteArg(filepath.Join(dir, filepath.FromSlash(c.mez)))
			q := quoteArg(query)
			for _, want := range []string{
				"PQTest.exe credential-template --extension " + mez + " --queryFile " + q + " --prettyPrint --authenticationKind Aad\n",
				"PQTest.exe set-credential --extension " + mez + " --queryFile " + q + " --prettyPrint --authenticationKind Aad --interactive\n",
				"PQTest.exe run-test --extension " + mez + " --queryFile " + q + " --prettyPrint\n",
				"data source kind Contoso, authentication method Aad",
				"Open " + query + ` and run "Evaluate current power query file"`,
				c.also,
			} {
				if !strings.Contains(p.stderr, want) {
					t.Errorf("next steps lack %q:\n%s", want, p.stderr)
				}
			}
			if p.stdout != "" {
				t.Errorf("stdout: %q", p.stdout)
			}
		})
	}
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// quoteArg is how the next steps quote a path for PowerShell and cmd.exe.
func quoteArg(s string) string {
	if strings.ContainsAny(s, " \t&()[]{}^=;!'+,`~$@%") {
		return `"` + s + `"`
	}
	return s
}

// Two candidates: exit 2, each as a whole command; the command printed
// for one of them works when run as printed.
func TestBinaryPatchSDKFolderWithTwoCandidates(t *testing.T) {
	t.Parallel()
	b := strings.ReplaceAll(connectorPQ, "Contoso", "Fabrikam")
	for name, files := range map[string]map[string]string{
		"two .pq": {"Contoso.pq": connectorPQ, "Fabrikam.pq": b, "Contoso.query.pq": sdkQuery},
		"mproj compiling two": {"Contoso.pq": connectorPQ, "Fabrikam.pq": b,
			"Both.mproj": `<Project><ItemGroup><Compile Include="Contoso.pq"/><Compile Include="Fabrikam.pq"/></ItemGroup></Project>`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := sdkFolder(t, "two projects", files)
			before := snapshot(t, dir)
			env := offlineEnv(t)
			p := runBinary(t, env, "--no-color", "snippet", "--resource", fileRes, "--patch", dir, "--scope", "Data.Read", "--yes")
			if p.code != 2 {
				t.Fatalf("exit %d\n%s", p.code, p.stderr)
			}
			if got := snapshot(t, dir); len(got) != len(before) || got["Contoso.pq"] != connectorPQ || got["Fabrikam.pq"] != b {
				t.Errorf("something was written: %v", slices.Sorted(mapsKeys(got)))
			}
			var lines []string
			for _, l := range strings.Split(p.stderr, "\n") {
				if strings.HasPrefix(l, "  pqentra ") {
					lines = append(lines, strings.TrimSpace(l))
				}
			}
			want := []string{
				`pqentra --no-color snippet --patch "` + filepath.Join(dir, "Contoso.pq") + `" --resource ` + fileRes + ` --scope Data.Read --yes`,
				`pqentra --no-color snippet --patch "` + filepath.Join(dir, "Fabrikam.pq") + `" --resource ` + fileRes + ` --scope Data.Read --yes`,
			}
			if !slices.Equal(lines, want) {
				t.Fatalf("commands:\n%s\nwant:\n%s\nstderr:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"), p.stderr)
			}
			run := exec.Command("sh", "-c", lines[1])
			run.Env = append(env, "PATH="+filepath.Dir(binary)+string(os.PathListSeparator)+os.Getenv("PATH"))
			if out, err := run.CombinedOutput(); err != nil {
				t.Fatalf("the printed command failed: %v\n%s", err, out)
			}
			if !strings.Contains(fileText(t, filepath.Join(dir, "Fabrikam.pq")), `Scope = "Data.Read"`) || fileText(t, filepath.Join(dir, "Contoso.pq")) != connectorPQ {
				t.Error("the printed command did not patch Fabrikam.pq alone")
			}
		})
	}
}

// No candidate, or the test query file named directly: exit 2, nothing
// written, and the message says what was looked for.
func TestBinaryPatchSDKFolderRefusals(t *testing.T) {
	t.Parallel()
	dir := sdkFolder(t, "Contoso", map[string]string{
		"Contoso.query.pq": sdkQuery, "Helpers.pq": "section Helpers; shared Helpers.X = 1;", ".vscode/settings.json": sdkSettings,
	})
	before := snapshot(t, dir)
	p := runBinary(t, offlineEnv(t), patchArgs(dir, "--yes")...)
	if p.code != 2 || !strings.Contains(p.stderr, "has no connector file: looked for") ||
		!strings.Contains(p.stderr, "declares a data source kind") || !strings.Contains(p.stderr, ".mproj") ||
		!strings.Contains(p.stderr, "Nothing was written") {
		t.Errorf("no candidate: exit %d\n%s", p.code, p.stderr)
	}
	p = runBinary(t, offlineEnv(t), patchArgs(filepath.Join(dir, "Contoso.query.pq"), "--yes")...)
	if p.code != 2 || !strings.Contains(p.stderr, "test query file, not the connector") {
		t.Errorf("query file: exit %d\n%s", p.code, p.stderr)
	}
	if got := snapshot(t, dir); len(got) != len(before) || got["Contoso.query.pq"] != sdkQuery {
		t.Errorf("something was written: %v", slices.Sorted(mapsKeys(got)))
	}
}

// A connector file given directly inside an SDK project gets the next
// steps too; a lone file does not.
func TestBinaryPatchFileInSDKProjectPrintsNextSteps(t *testing.T) {
	t.Parallel()
	dir := sdkFolder(t, "Contoso", map[string]string{"Contoso.pq": connectorPQ, "Contoso.query.pq": sdkQuery, ".vscode/settings.json": sdkSettings})
	p := runBinary(t, offlineEnv(t), patchArgs(filepath.Join(dir, "Contoso.pq"), "--yes")...)
	if p.code != 0 || !strings.Contains(p.stderr, "PQTest.exe run-test --extension "+filepath.Join(dir, "bin", "AnyCPU", "Debug", "Contoso.mez")) {
		t.Errorf("exit %d\n%s", p.code, p.stderr)
	}
	lone := filepath.Join(t.TempDir(), "Contoso.pq")
	writeFile(t, lone, connectorPQ, 0o644)
	p = runBinary(t, offlineEnv(t), patchArgs(lone, "--yes")...)
	if p.code != 0 || strings.Contains(p.stderr, "PQTest") {
		t.Errorf("lone file: exit %d\n%s", p.code, p.stderr)
	}
}
