package cmd

import (
	"os"

	"github.com/muesli/termenv"
)

// enableColor turns on escape-sequence processing in a Windows console
// (Windows Terminal has it on; the classic console needs asking). It
// reports false when the console refuses, and colour stays off.
func enableColor(f *os.File) bool {
	_, err := termenv.EnableVirtualTerminalProcessing(termenv.NewOutput(f))
	return err == nil
}
