package steps

import (
	"strconv"
	"strings"
)

func itoa(i int) string { return strconv.Itoa(i) }

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }

// equalFoldGUID compares GUIDs as Graph does: case-insensitively.
func equalFoldGUID(a, b string) bool { return strings.EqualFold(a, b) }
