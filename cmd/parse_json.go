package cmd

import (
	"errors"
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// parseError is a usage error found while cobra parsed the command line
// (an unknown flag, a bad enum value, an argument a command does not take),
// before any command ran. Nothing has reached stdout then, so under
// --output json Execute still owes stdout its one JSON object.
type parseError struct{ usageError }

func (p parseError) Unwrap() error { return p.usageError }

// asParseError marks a usage error from the parser.
func asParseError(err error) error {
	if u, ok := err.(usageError); ok {
		return parseError{u}
	}
	return err
}

// wantsJSON reports whether args ask for --output json (or -o json), as
// typed: the parse failed, so the flag set cannot be asked.
func wantsJSON(args []string) bool {
	for i, a := range args {
		switch {
		case a == "--":
			return false
		case a == "--output" || a == "-o":
			if i+1 < len(args) && args[i+1] == "json" {
				return true
			}
		case a == "--output=json" || a == "-o=json" || a == "-ojson":
			return true
		}
	}
	return false
}

// writeParseErrorJSON prints {"error": …} on stdout for a parse error
// under --output json, so a script reading stdout always gets an object.
func writeParseErrorJSON(f *Factory, args []string, err error, msg string) {
	var p parseError
	if !errors.As(err, &p) || !wantsJSON(args) {
		return
	}
	_ = steps.WriteJSON(f.IO.Out, map[string]string{"error": steps.CleanMultiline(strings.TrimSpace(msg))})
}
