package m

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUTF16 is returned for a document saved as UTF-16. Power Query SDK
// files are UTF-8; rather than guess at a conversion (and write the file
// back in an encoding its author did not choose), pqentra asks for UTF-8.
var ErrUTF16 = errors.New("the file is UTF-16; save it as UTF-8 (in Visual Studio or VS Code: Save with Encoding › UTF-8) and run again")

// checkEncoding refuses UTF-16, with or without a byte order mark. Without
// one, the tell is a NUL byte in one of the first two bytes: M source
// starts with text, never with U+0000.
func checkEncoding(src string) error {
	switch {
	case strings.HasPrefix(src, "\xff\xfe"), strings.HasPrefix(src, "\xfe\xff"):
		return ErrUTF16
	case len(src) >= 2 && (src[0] == 0) != (src[1] == 0):
		return ErrUTF16
	}
	return nil
}

// SeveralKindsError: the document has several data source kind records and
// none was named. Names lists them in file order, so a caller can say how to
// pick one (pqentra's CLI: --kind).
type SeveralKindsError struct{ Names []string }

func (e *SeveralKindsError) Error() string {
	return fmt.Sprintf("several data source kind records (%s); name the one to patch", strings.Join(e.Names, ", "))
}

// NoKindError: no data source kind record has an Authentication record.
// Incomplete names the members that look like kind records but lack one;
// Missing is the name asked for when it was not found.
type NoKindError struct {
	Missing string
	Found   []string
}

func (e *NoKindError) Error() string {
	if e.Missing != "" {
		return fmt.Sprintf("no data source kind record named %q (found: %s)", e.Missing, strings.Join(e.Found, ", "))
	}
	return "no data source kind record found (a section member like MyConnector = [ Authentication = [ ... ] ];)"
}
