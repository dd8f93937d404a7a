// Package sdkproject finds the connector file in a Power Query SDK project
// folder, so that every command that takes a connector file (snippet
// --patch, doctor --connector, the wizard's "write to a file") takes the
// folder too, and says what to run next to try the sign-in with the SDK.
//
// The layouts it knows, from Microsoft's templates:
//   - Visual Studio Code (the Power Query SDK extension): <Name>.pq,
//     <Name>.query.pq, <Name>.proj and .vscode/settings.json, whose
//     powerquery.sdk.defaultExtension names the .mez the extension builds,
//     by default ${workspaceFolder}\bin\AnyCPU\Debug\${workspaceFolderBasename}.mez.
//     The connector is the <Name>.pq of that <Name>.mez. (Earlier versions
//     of the extension wrote powerquery.sdk.pqtest.extension instead.)
//   - Visual Studio (the legacy SDK): a *.mproj whose <Compile Include="…pq">
//     items are the connector; the query file is a <Content> item.
//   - A folder without either: the .pq files that declare a data source kind.
//
// A *.query.pq file is the project's test query: it is never the connector,
// and nothing here ever names it as one.
package sdkproject

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pqentra/pqentra/steps/m"
	"github.com/pqentra/pqentra/steps/safefile"
)

// Layout says what kind of project the folder is.
type Layout string

const (
	LayoutVSCode       Layout = "vscode" // the Power Query SDK for Visual Studio Code
	LayoutVisualStudio Layout = "mproj"  // the legacy Visual Studio SDK (*.mproj)
	LayoutFolder       Layout = "folder" // no project file: a folder of .pq files
)

// Project is an SDK project folder and the files in it that matter for
// the connector's sign-in.
type Project struct {
	Dir    string // the folder, as the user named it
	Layout Layout
	// Connector is the connector file (Dir joined with its name).
	Connector string
	// QueryFile is the test query file; "" when the folder has none.
	QueryFile string
	// Extension is the .mez the SDK builds from the connector (it need not
	// exist yet): what PQTest's --extension takes.
	Extension string
	// How says in one sentence how Connector was chosen.
	How string
}

// Name is the connector's name: its file name without .pq.
func (p *Project) Name() string {
	return strings.TrimSuffix(filepath.Base(p.Connector), filepath.Ext(p.Connector))
}

// IsQueryFile reports whether path is an SDK test query file (*.query.pq),
// which is never patched.
func IsQueryFile(path string) bool {
	return strings.HasSuffix(strings.ToLower(path), ".query.pq")
}

// IsDir reports whether path names a folder (following symlinks).
func IsDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

// SeveralError: the folder holds more than one file that could be the
// connector, and nothing says which. Nothing was written.
type SeveralError struct {
	Dir        string
	Candidates []string // paths, Dir joined with each name
	Why        string   // what made them candidates
}

func (e *SeveralError) Error() string {
	return fmt.Sprintf("%s holds %d connector files (%s); name the one to use", e.Dir, len(e.Candidates), e.Why)
}

// NoneError: nothing in the folder is a connector file. Nothing was
// written.
type NoneError struct {
	Dir    string
	Looked []string // what was looked for, one phrase each
}

func (e *NoneError) Error() string {
	return fmt.Sprintf("%s has no connector file: looked for %s", e.Dir, strings.Join(e.Looked, "; "))
}

// Find finds the connector file of the SDK project in dir. When it cannot
// tell which file is the connector it returns a *SeveralError or a
// *NoneError, and the caller writes nothing.
func Find(dir string) (*Project, error) {
	if !IsDir(dir) {
		return nil, fmt.Errorf("%s is not a folder", dir)
	}
	var looked, notes []string

	// 1. Visual Studio Code: the settings name the .mez, whose name is the
	// connector's.
	s, note := readSettings(dir)
	if note != "" {
		notes = append(notes, note)
	}
	if s != nil && s.extension != "" {
		name := strings.TrimSuffix(filepath.Base(s.extension), filepath.Ext(s.extension))
		pq := filepath.Join(dir, name+".pq")
		if isFile(pq) {
			p := &Project{Dir: dir, Layout: LayoutVSCode, Connector: pq, Extension: s.extension,
				How: fmt.Sprintf(".vscode/settings.json builds %s from it (%s)", filepath.Base(s.extension), s.extensionKey)}
			p.QueryFile = s.queryFile
			if p.QueryFile == "" || !isFile(p.QueryFile) {
				p.QueryFile = siblingQuery(dir, name)
			}
			return p, nil
		}
		notes = append(notes, fmt.Sprintf(".vscode/settings.json builds %s, but there is no %s.pq", filepath.Base(s.extension), name))
	}
	looked = append(looked, "the <Name>.pq of the .mez that .vscode/settings.json names")

	// 2. Visual Studio: the .pq items the *.mproj compiles.
	if p, err := fromProjects(dir, "*.mproj", LayoutVisualStudio, &looked); p != nil || err != nil {
		return p, err
	}
	// 3. The VS Code template's <Name>.proj (its settings may be missing,
	// e.g. .vscode/ is not under version control).
	if p, err := fromProjects(dir, "*.proj", LayoutVSCode, &looked); p != nil || err != nil {
		if p != nil && s != nil && s.extension != "" {
			p.Extension = s.extension
		}
		return p, err
	}

	// 4. Any .pq file that declares a data source kind.
	cands, err := declaringKinds(dir)
	if err != nil {
		return nil, err
	}
	looked = append(looked, "a .pq file (not *.query.pq) that declares a data source kind")
	switch len(cands) {
	case 0:
		return nil, &NoneError{Dir: dir, Looked: append(looked, notes...)}
	case 1:
		name := strings.TrimSuffix(filepath.Base(cands[0]), ".pq")
		p := &Project{Dir: dir, Layout: LayoutFolder, Connector: cands[0], QueryFile: siblingQuery(dir, name),
			Extension: defaultExtension(dir, s),
			How:       fmt.Sprintf("%s is the one .pq file here that declares a data source kind", filepath.Base(cands[0]))}
		if len(notes) > 0 {
			p.How += " (" + strings.Join(notes, "; ") + ")"
		}
		return p, nil
	}
	return nil, &SeveralError{Dir: dir, Candidates: cands, Why: "each declares a data source kind"}
}

// ForFile describes the SDK project a connector file sits in, for the
// next steps after a patch; nil when its folder is not an SDK project (no
// settings, project file or <Name>.query.pq beside it).
func ForFile(path string) *Project {
	dir := filepath.Dir(path)
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	p := &Project{Dir: dir, Connector: path, QueryFile: siblingQuery(dir, name)}
	s, _ := readSettings(dir)
	switch {
	case s != nil && s.extension != "" && strings.EqualFold(strings.TrimSuffix(filepath.Base(s.extension), ".mez"), name):
		p.Layout, p.Extension = LayoutVSCode, s.extension
		if s.queryFile != "" && isFile(s.queryFile) {
			p.QueryFile = s.queryFile
		}
	case len(glob(dir, "*.mproj")) > 0:
		p.Layout = LayoutVisualStudio
		p.Extension = filepath.Join(dir, "bin", "Debug", strings.TrimSuffix(filepath.Base(glob(dir, "*.mproj")[0]), ".mproj")+".mez")
	case len(glob(dir, "*.proj")) > 0 || s != nil:
		p.Layout, p.Extension = LayoutVSCode, defaultExtension(dir, s)
	case p.QueryFile != "":
		p.Layout, p.Extension = LayoutFolder, defaultExtension(dir, s)
	default:
		return nil
	}
	return p
}

// fromProjects reads the project files matching pattern. One project that
// compiles one .pq names the connector; several .pq are a SeveralError;
// none (or no such project) returns nil, nil and the search goes on.
func fromProjects(dir, pattern string, layout Layout, looked *[]string) (*Project, error) {
	files := glob(dir, pattern)
	kind := "the .pq file a *.mproj compiles (<Compile Include>)"
	if layout == LayoutVSCode {
		kind = "the .pq file a *.proj packs into the .mez (<MezContent Include>)"
	}
	*looked = append(*looked, kind)
	var cands []string
	var from []string
	query := ""
	for _, f := range files {
		items, err := readProject(f)
		if err != nil {
			continue // not ours to judge; the next rule may still find it
		}
		for _, inc := range items.connectors {
			path := filepath.Join(dir, inc)
			if isFile(path) && !containsPath(cands, path) {
				cands = append(cands, path)
				from = append(from, f)
			}
		}
		if query == "" && len(items.queries) > 0 && isFile(filepath.Join(dir, items.queries[0])) {
			query = filepath.Join(dir, items.queries[0])
		}
	}
	switch len(cands) {
	case 0:
		return nil, nil
	case 1:
	default:
		return nil, &SeveralError{Dir: dir, Candidates: cands, Why: "each is compiled by " + strings.Join(uniqueBases(from), ", ")}
	}
	pq, proj := cands[0], from[0]
	name := strings.TrimSuffix(filepath.Base(pq), filepath.Ext(pq))
	projName := strings.TrimSuffix(filepath.Base(proj), filepath.Ext(proj))
	p := &Project{Dir: dir, Layout: layout, Connector: pq, QueryFile: query}
	if p.QueryFile == "" {
		p.QueryFile = siblingQuery(dir, name)
	}
	if layout == LayoutVisualStudio {
		// The legacy template builds $(OutputPath)$(ProjectName).mez with
		// OutputPath bin\Debug\ in the Debug configuration.
		p.Extension = filepath.Join(dir, "bin", "Debug", projName+".mez")
		p.How = fmt.Sprintf("%s compiles it", filepath.Base(proj))
	} else {
		p.Extension = filepath.Join(dir, "bin", "AnyCPU", "Debug", projName+".mez")
		p.How = fmt.Sprintf("%s packs it into %s.mez", filepath.Base(proj), projName)
	}
	return p, nil
}

// declaringKinds lists the .pq files in dir (not *.query.pq) that declare
// a data source kind. A file that does not parse is listed when it names
// DataSource.Kind, so the user hears about its syntax error from the
// patch, not "no connector file".
func declaringKinds(dir string) ([]string, error) {
	es, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range es {
		name := e.Name()
		if !strings.EqualFold(filepath.Ext(name), ".pq") || IsQueryFile(name) {
			continue
		}
		path := filepath.Join(dir, name)
		f, err := safefile.Read(path)
		if err != nil {
			continue // a folder named x.pq, a FIFO, a dangling link
		}
		kinds, err := m.DeclaredKinds(f.Text)
		if len(kinds) > 0 || err != nil && strings.Contains(f.Text, "DataSource.Kind") {
			out = append(out, path)
		}
	}
	sort.Strings(out)
	return out, nil
}

// siblingQuery is dir/<name>.query.pq when it exists, else "".
func siblingQuery(dir, name string) string {
	q := filepath.Join(dir, name+".query.pq")
	if isFile(q) {
		return q
	}
	return ""
}

// defaultExtension is the .mez the VS Code extension builds for a folder:
// the settings' when they name one, else the template's
// bin\AnyCPU\Debug\${workspaceFolderBasename}.mez.
func defaultExtension(dir string, s *settings) string {
	if s != nil && s.extension != "" {
		return s.extension
	}
	return filepath.Join(dir, "bin", "AnyCPU", "Debug", folderBase(dir)+".mez")
}

// folderBase is ${workspaceFolderBasename}: the folder's own name, also
// for "." or a path with a trailing separator.
func folderBase(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return filepath.Base(dir)
}

func isFile(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.Mode().IsRegular()
}

func glob(dir, pattern string) []string {
	es, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range es {
		if ok, _ := filepath.Match(pattern, strings.ToLower(e.Name())); ok && !e.IsDir() {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out
}

func containsPath(list []string, p string) bool {
	for _, x := range list {
		if x == p {
			return true
		}
	}
	return false
}

func uniqueBases(paths []string) []string {
	var out []string
	for _, p := range paths {
		b := filepath.Base(p)
		if !containsPath(out, b) {
			out = append(out, b)
		}
	}
	return out
}
