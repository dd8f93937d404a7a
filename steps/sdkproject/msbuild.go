package sdkproject

import (
	"encoding/xml"
	"path/filepath"
	"strings"

	"github.com/pqentra/pqentra/steps/safefile"
)

// projectItems are the items of an MSBuild project file that matter here.
type projectItems struct {
	connectors []string // .pq files compiled into the .mez (relative, OS separators)
	queries    []string // *.query.pq files the project lists
}

// msbuildProject is the part of a *.mproj (legacy Visual Studio SDK) or
// <Name>.proj (VS Code SDK template) pqentra reads.
type msbuildProject struct {
	ItemGroups []struct {
		Items []struct {
			XMLName xml.Name
			Include string `xml:"Include,attr"`
		} `xml:",any"`
	} `xml:"ItemGroup"`
}

// readProject lists the .pq items of an MSBuild project: <Compile> in a
// *.mproj and <MezContent> in the VS Code template's .proj are what the
// .mez is built from; a *.query.pq among them (a <Content> item in the
// legacy template) is the test query, never the connector.
func readProject(path string) (projectItems, error) {
	var out projectItems
	f, err := safefile.Read(path)
	if err != nil {
		return out, err
	}
	var p msbuildProject
	if err := xml.Unmarshal([]byte(f.Text), &p); err != nil {
		return out, err
	}
	for _, g := range p.ItemGroups {
		for _, it := range g.Items {
			inc := localPath(it.Include)
			if !strings.EqualFold(pathExt(inc), ".pq") {
				continue
			}
			switch {
			case IsQueryFile(inc):
				out.queries = append(out.queries, inc)
			case it.XMLName.Local == "Compile" || it.XMLName.Local == "MezContent":
				out.connectors = append(out.connectors, inc)
			}
		}
	}
	return out, nil
}

// localPath turns an MSBuild Include (Windows separators) into a relative
// path for this system; wildcards and properties are left out.
func localPath(inc string) string {
	inc = strings.TrimSpace(inc)
	if inc == "" || strings.ContainsAny(inc, "*?$%;") {
		return ""
	}
	parts := strings.FieldsFunc(inc, func(r rune) bool { return r == '\\' || r == '/' })
	for _, p := range parts {
		if p == ".." {
			return "" // outside the project folder: not the project's connector
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return filepath.Join(parts...)
}

func pathExt(p string) string {
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[i:]
	}
	return ""
}
