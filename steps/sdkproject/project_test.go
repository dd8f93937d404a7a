package sdkproject

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// connector is a connector file as the VS Code template writes it.
func connector(name string) string {
	return `section ` + name + `;

[DataSource.Kind="` + name + `", Publish="` + name + `.Publish"]
shared ` + name + `.Contents = (optional message as text) => "Hello";

` + name + ` = [
    Authentication = [
        Anonymous = []
    ]
];
`
}

const queryPQ = "// Use this file to write queries to test your data connector\nlet\n    result = Contoso.Contents()\nin\n    result\n"

// The VS Code template's settings.json, with a comment and a trailing
// comma as people leave them.
const templateSettings = `{
    // written by the Power Query SDK
    "powerquery.sdk.defaultQueryFile": "${workspaceFolder}\\${workspaceFolderBasename}.query.pq",
    "powerquery.sdk.defaultExtension": "${workspaceFolder}\\bin\\AnyCPU\\Debug\\${workspaceFolderBasename}.mez",
    "powerquery.general.mode": "SDK", /* trailing comma: */
}`

const templateProj = `<?xml version="1.0" encoding="utf-8"?>
<Project ToolsVersion="Current" xmlns="http://schemas.microsoft.com/developer/msbuild/2003" DefaultTargets="Clean;BuildMez">
  <ItemGroup>
    <MezContent Include="Contoso.pq" />
    <MezContent Include="Contoso16.png" />
    <MezContent Include="resources.resx" />
  </ItemGroup>
</Project>`

const legacyMproj = `<?xml version="1.0" encoding="utf-8"?>
<Project DefaultTargets="BuildExtension" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <PropertyGroup><Name>Legacy</Name></PropertyGroup>
  <ItemGroup>
    <Compile Include="Legacy.pq"><SubType>Code</SubType></Compile>
    <Compile Include="Helpers.pqm"><SubType>Content</SubType></Compile>
    <Compile Include="resources.resx"><SubType>Code</SubType></Compile>
    <Content Include="Legacy.query.pq"><SubType>Code</SubType></Content>
  </ItemGroup>
</Project>`

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// project makes a folder named name holding files.
func project(t *testing.T, name string, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, dir, files)
	return dir
}

func TestFindVSCodeProjectBySettings(t *testing.T) {
	dir := project(t, "Contoso", map[string]string{
		"Contoso.pq": connector("Contoso"), "Contoso.query.pq": queryPQ, "Contoso.proj": templateProj,
		".vscode/settings.json": templateSettings,
		// Another connector-looking file the settings do not name.
		"Scratch.pq": connector("Scratch"),
	})
	p, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.Layout != LayoutVSCode || p.Connector != filepath.Join(dir, "Contoso.pq") || p.QueryFile != filepath.Join(dir, "Contoso.query.pq") ||
		p.Extension != filepath.Join(dir, "bin", "AnyCPU", "Debug", "Contoso.mez") {
		t.Errorf("got %+v", p)
	}
	if !strings.Contains(p.How, "settings.json") || !strings.Contains(p.How, "powerquery.sdk.defaultExtension") {
		t.Errorf("How does not say why: %q", p.How)
	}
}

// The extension's first versions wrote powerquery.sdk.pqtest.*, and a
// settings file may name a .mez other than the folder's name.
func TestFindVSCodeLegacySettingsKeys(t *testing.T) {
	dir := project(t, "repo", map[string]string{
		"Fabrikam.pq": connector("Fabrikam"), "Other.pq": connector("Other"),
		"tests/Fabrikam.query.pq": queryPQ,
		".vscode/settings.json": `{"powerquery.sdk.pqtest.extension": "${workspaceFolder}/bin/AnyCPU/Debug/Fabrikam.mez",
			"powerquery.sdk.pqtest.queryFile": "${workspaceFolder}\\tests\\Fabrikam.query.pq"}`,
	})
	p, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.Connector != filepath.Join(dir, "Fabrikam.pq") || p.QueryFile != filepath.Join(dir, "tests", "Fabrikam.query.pq") {
		t.Errorf("got %+v", p)
	}
}

// A clone into a folder with another name: ${workspaceFolderBasename}
// names a .mez with no .pq; the .proj still names the connector.
func TestFindSettingsNamingNoFileFallsBackToTheProj(t *testing.T) {
	dir := project(t, "contoso-connector", map[string]string{
		"Contoso.pq": connector("Contoso"), "Contoso.query.pq": queryPQ, "Contoso.proj": templateProj,
		"Scratch.pq": connector("Scratch"), ".vscode/settings.json": templateSettings,
	})
	p, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.Layout != LayoutVSCode || p.Connector != filepath.Join(dir, "Contoso.pq") || !strings.Contains(p.How, "Contoso.proj") {
		t.Errorf("got %+v", p)
	}
}

func TestFindVSCodeProjectWithoutSettings(t *testing.T) {
	dir := project(t, "Contoso", map[string]string{
		"Contoso.pq": connector("Contoso"), "Contoso.query.pq": queryPQ, "Contoso.proj": templateProj,
	})
	p, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.Layout != LayoutVSCode || p.Connector != filepath.Join(dir, "Contoso.pq") ||
		p.Extension != filepath.Join(dir, "bin", "AnyCPU", "Debug", "Contoso.mez") {
		t.Errorf("got %+v", p)
	}
}

func TestFindLegacyMproj(t *testing.T) {
	dir := project(t, "Legacy", map[string]string{
		"Legacy.pq": connector("Legacy"), "Legacy.query.pq": queryPQ, "Legacy.mproj": legacyMproj,
		"Helpers.pqm": "x", "Unrelated.pq": connector("Unrelated"),
	})
	p, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.Layout != LayoutVisualStudio || p.Connector != filepath.Join(dir, "Legacy.pq") || p.QueryFile != filepath.Join(dir, "Legacy.query.pq") ||
		p.Extension != filepath.Join(dir, "bin", "Debug", "Legacy.mez") || !strings.Contains(p.How, "Legacy.mproj") {
		t.Errorf("got %+v", p)
	}
}

func TestFindTwoCandidates(t *testing.T) {
	dir := project(t, "two", map[string]string{
		"A.pq": connector("A"), "B.pq": connector("B"), "A.query.pq": queryPQ, "notes.txt": "x",
	})
	_, err := Find(dir)
	var several *SeveralError
	if !errors.As(err, &several) {
		t.Fatalf("got %v", err)
	}
	if strings.Join(several.Candidates, ",") != filepath.Join(dir, "A.pq")+","+filepath.Join(dir, "B.pq") {
		t.Errorf("candidates %v", several.Candidates)
	}
	// Two .pq compiled by one .mproj are two candidates too.
	dir = project(t, "mproj2", map[string]string{
		"A.pq": connector("A"), "B.pq": connector("B"),
		"P.mproj": `<Project><ItemGroup><Compile Include="A.pq"/><Compile Include="B.pq"/></ItemGroup></Project>`,
	})
	if _, err := Find(dir); !errors.As(err, &several) || len(several.Candidates) != 2 || !strings.Contains(several.Why, "P.mproj") {
		t.Errorf("mproj with two: %v", err)
	}
}

// The query file is never the connector, even when it is the only .pq
// and even when it declares a kind.
func TestFindNeverTakesTheQueryFile(t *testing.T) {
	dir := project(t, "q", map[string]string{
		"Contoso.query.pq": "section Q; [DataSource.Kind=\"Q\"] shared Q.C = 1; Q = [ Authentication = [ Anonymous = [] ] ];",
		"Helpers.pq":       "section H; shared H.X = 1;",
	})
	_, err := Find(dir)
	var none *NoneError
	if !errors.As(err, &none) {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(none.Error(), "declares a data source kind") || !strings.Contains(none.Error(), ".mproj") {
		t.Errorf("does not say what was looked for: %v", none)
	}
	// A legacy project listing only its query file as Compile.
	dir = project(t, "q2", map[string]string{
		"Contoso.query.pq": queryPQ,
		"P.mproj":          `<Project><ItemGroup><Compile Include="Contoso.query.pq"/></ItemGroup></Project>`,
	})
	if _, err := Find(dir); !errors.As(err, &none) {
		t.Errorf("query file taken: %v", err)
	}
}

func TestFindOneCandidateWithoutProject(t *testing.T) {
	dir := project(t, "plain", map[string]string{"Contoso.pq": connector("Contoso"), "Helpers.pq": "section H; shared H.X = 1;"})
	p, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.Layout != LayoutFolder || p.Connector != filepath.Join(dir, "Contoso.pq") || p.QueryFile != "" ||
		p.Extension != filepath.Join(dir, "bin", "AnyCPU", "Debug", "plain.mez") {
		t.Errorf("got %+v", p)
	}
}

// A connector with a syntax error is still the connector: the patch then
// says where the error is.
func TestFindKeepsAConnectorThatDoesNotParse(t *testing.T) {
	dir := project(t, "broken", map[string]string{"Contoso.pq": "section Contoso;\n[DataSource.Kind=\"Contoso\"]\nshared Contoso.Contents = \"unterminated;\n"})
	p, err := Find(dir)
	if err != nil || p.Connector != filepath.Join(dir, "Contoso.pq") {
		t.Errorf("got %+v, %v", p, err)
	}
}

func TestForFile(t *testing.T) {
	dir := project(t, "Contoso", map[string]string{
		"Contoso.pq": connector("Contoso"), "Contoso.query.pq": queryPQ, ".vscode/settings.json": templateSettings,
	})
	p := ForFile(filepath.Join(dir, "Contoso.pq"))
	if p == nil || p.Layout != LayoutVSCode || p.QueryFile != filepath.Join(dir, "Contoso.query.pq") ||
		p.Extension != filepath.Join(dir, "bin", "AnyCPU", "Debug", "Contoso.mez") {
		t.Errorf("got %+v", p)
	}
	lone := project(t, "lone", map[string]string{"Contoso.pq": connector("Contoso")})
	if p := ForFile(filepath.Join(lone, "Contoso.pq")); p != nil {
		t.Errorf("a lone file is not a project: %+v", p)
	}
}

func TestExpandSettingsPaths(t *testing.T) {
	dir := filepath.Join("work", "Contoso")
	for _, c := range []struct{ v, goos, want string }{
		{`${workspaceFolder}\bin\AnyCPU\Debug\${workspaceFolderBasename}.mez`, "linux", filepath.Join(dir, "bin", "AnyCPU", "Debug", "Contoso.mez")},
		{`bin/x.mez`, "linux", filepath.Join(dir, "bin", "x.mez")},
		{`${env:OUT}\x.mez`, "linux", ""},
		{`C:\out\x.mez`, "linux", ""}, // a Windows path, read on Linux
		{`${workspaceFolder}/bin/x.mez`, "windows", filepath.Join(dir, "bin", "x.mez")},
		{`/srv/x.mez`, "linux", "/srv/x.mez"},
	} {
		got, err := expandOn(dir, c.v, c.goos)
		if c.want == "" && err == nil || c.want != "" && got != c.want {
			t.Errorf("expand(%q) = %q, %v; want %q", c.v, got, err, c.want)
		}
	}
	if got, err := expandOn(dir, `C:\out\x.mez`, "windows"); err != nil || got != filepath.Clean(`C:\out\x.mez`) {
		t.Errorf("a Windows path on Windows: %q %v", got, err)
	}
	if !isWindowsAbs(`C:\out\x.mez`) || !isWindowsAbs(`\\srv\share\x.mez`) || isWindowsAbs(`/x`) || isWindowsAbs(`bin\x.mez`) {
		t.Error("isWindowsAbs")
	}
}

func TestStripJSONC(t *testing.T) {
	in := `{ "a": "x // not a comment", /* c */ "b": "y\"/*", // c
  "c": [1, 2, ], }`
	want := `{ "a": "x // not a comment",   "b": "y\"/*", 
  "c": [1, 2 ] }`
	if got := stripJSONC(in); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestNextStepsNameTheRealFiles(t *testing.T) {
	dir := project(t, "My Connector", map[string]string{
		"Contoso.pq": connector("Contoso"), "Contoso.query.pq": queryPQ, "Contoso.proj": templateProj,
	})
	p, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(p.NextSteps("Contoso", true), "\n")
	mez := `"` + filepath.Join(dir, "bin", "AnyCPU", "Debug", "Contoso.mez") + `"`
	q := `"` + filepath.Join(dir, "Contoso.query.pq") + `"`
	for _, want := range []string{
		"PQTest.exe credential-template --extension " + mez + " --queryFile " + q + " --prettyPrint --authenticationKind Aad",
		"PQTest.exe set-credential --extension " + mez + " --queryFile " + q + " --prettyPrint --authenticationKind Aad --interactive",
		"PQTest.exe run-test --extension " + mez + " --queryFile " + q + " --prettyPrint",
		"PQTest.exe test-connection --extension " + mez,
		"data source kind Contoso, authentication method Aad",
		"Evaluate current power query file",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("next steps lack %q:\n%s", want, text)
		}
	}
	if strings.Contains(strings.Join(p.NextSteps("Contoso", false), "\n"), "test-connection") {
		t.Error("test-connection shown for a kind without TestConnection")
	}
}

// Without a query file the steps say to create one, and the legacy
// project is brought to the new SDK first.
func TestNextStepsLegacyWithoutQueryFile(t *testing.T) {
	dir := project(t, "Legacy", map[string]string{"Legacy.pq": connector("Legacy"), "Legacy.mproj": legacyMproj})
	p, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(p.NextSteps("", false), "\n")
	for _, want := range []string{"Setup workspace", "(create it:", "Legacy.Contents()", filepath.Join(dir, "bin", "Debug", "Legacy.mez"), "data source kind Legacy,"} {
		if !strings.Contains(text, want) {
			t.Errorf("lack %q:\n%s", want, text)
		}
	}
}
