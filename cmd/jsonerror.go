package cmd

import (
	"io"

	"github.com/pqentra/pqentra/steps"
)

// withJSONError runs a command that has --output json so that stdout gets
// exactly one JSON object on every failure too: when run fails before it
// printed its own object (sign-in failed, the app was not found, a
// refusal that exits 2, a bad flag value), {"error": "…"} is printed with
// the message stderr shows. The command's own object, printed before a
// failure (doctor's findings, undo's requests), stays the only one.
func withJSONError(ios **IOStreams, output string, run func() error) error {
	if output != "json" {
		return run()
	}
	cp := **ios
	tw := &trackingWriter{w: cp.Out}
	cp.Out = tw
	*ios = &cp
	err := run()
	if err != nil && !tw.wrote {
		_ = steps.WriteJSON(tw.w, map[string]string{"error": errorText(err)})
	}
	return err
}

// trackingWriter notes whether anything was written.
type trackingWriter struct {
	w     io.Writer
	wrote bool
}

func (t *trackingWriter) Write(p []byte) (int, error) {
	if len(p) > 0 {
		t.wrote = true
	}
	return t.w.Write(p)
}
