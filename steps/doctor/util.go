package doctor

import (
	"slices"
	"strings"
)

// Graph compares GUIDs, scope values and identifier URIs
// case-insensitively; so does doctor.
func equalFoldGUID(a, b string) bool { return strings.EqualFold(a, b) }

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}
