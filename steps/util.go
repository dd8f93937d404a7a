package steps

import (
	"strconv"
	"strings"
)

func itoa(i int) string { return strconv.Itoa(i) }

// Plural is one when n is 1, else many: "1 "+Plural(1, "error", "errors").
// Every message that counts things says it through this one function.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }

// equalFoldGUID compares GUIDs as Graph does: case-insensitively.
func equalFoldGUID(a, b string) bool { return strings.EqualFold(a, b) }
