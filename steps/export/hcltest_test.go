package export

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// tfBlock is one parsed top-level block: its type, labels, and its
// attributes as Go values — a string for a literal, "ref:a.b.c" for a
// reference, []string for a list.
type tfBlock struct {
	typ    string
	labels []string
	attrs  map[string]any
	blocks []tfBlock
}

// parseHCL parses src with HashiCorp's own parser and evaluates every
// attribute without functions or variables: a value that smuggled in an
// interpolation or a function call fails to evaluate, and the test fails.
func parseHCL(t *testing.T, src string) []tfBlock {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(src), "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("HCL does not parse: %s\n%s", diags.Error(), src)
	}
	return convertBody(t, f.Body.(*hclsyntax.Body))
}

func convertBody(t *testing.T, body *hclsyntax.Body) []tfBlock {
	var out []tfBlock
	for _, b := range body.Blocks {
		tb := tfBlock{typ: b.Type, labels: b.Labels, attrs: map[string]any{}}
		for name, a := range b.Body.Attributes {
			tb.attrs[name] = exprValue(t, a.Expr)
		}
		tb.blocks = convertBody(t, b.Body)
		out = append(out, tb)
	}
	return out
}

func exprValue(t *testing.T, e hclsyntax.Expression) any {
	t.Helper()
	if trav, diags := hcl.AbsTraversalForExpr(e); !diags.HasErrors() {
		var parts []string
		for _, s := range trav {
			switch x := s.(type) {
			case hcl.TraverseRoot:
				parts = append(parts, x.Name)
			case hcl.TraverseAttr:
				parts = append(parts, x.Name)
			}
		}
		return "ref:" + strings.Join(parts, ".")
	}
	if tup, ok := e.(*hclsyntax.TupleConsExpr); ok {
		var list []string
		for _, x := range tup.Exprs {
			list = append(list, fmt.Sprint(exprValue(t, x)))
		}
		return list
	}
	v, diags := e.Value(nil)
	if diags.HasErrors() {
		t.Fatalf("an attribute is not a literal: %s", diags.Error())
	}
	switch {
	case v.Type().FriendlyName() == "string":
		return v.AsString()
	case v.Type().FriendlyName() == "number":
		return v.AsBigFloat().String()
	case v.Type().FriendlyName() == "bool":
		return fmt.Sprint(v.True())
	}
	return v.GoString()
}

// resources indexes resource blocks by "type.name" and import blocks by the
// resource they import into.
func resources(blocks []tfBlock) (res map[string]tfBlock, imports map[string]string) {
	res, imports = map[string]tfBlock{}, map[string]string{}
	for _, b := range blocks {
		switch b.typ {
		case "resource":
			res[b.labels[0]+"."+b.labels[1]] = b
		case "import":
			to := strings.TrimPrefix(b.attrs["to"].(string), "ref:")
			imports[to] = b.attrs["id"].(string)
		}
	}
	return res, imports
}
