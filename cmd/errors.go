package cmd

import (
	"errors"
	"fmt"
)

// Exit codes: 0 only when the command did all it was asked; 2 for bad flags
// or arguments (nothing was sent); 130 when interrupted (Ctrl-C); 1 for
// everything else.
const (
	ExitOK          = 0
	ExitError       = 1
	ExitUsage       = 2
	ExitInterrupted = 130
)

// usageError marks a mistake in the command line.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

func asUsage(err error) error {
	if err == nil {
		return nil
	}
	return usageError{err}
}

// silentError carries an exit code for a failure already reported.
type silentError struct{ code int }

func (s silentError) Error() string { return fmt.Sprintf("exit %d", s.code) }

func exitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var u usageError
	if errors.As(err, &u) {
		return ExitUsage
	}
	var s silentError
	if errors.As(err, &s) {
		return s.code
	}
	return ExitError
}
