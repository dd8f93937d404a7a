package safefile

import "errors"

// The reasons a write is refused. Errors returned by this package wrap one
// of them (errors.Is), so a caller can add its own advice, e.g. the flag
// that overrides the refusal. The messages name no flags.
var (
	ErrChanged    = errors.New("the file changed while waiting; nothing written")
	ErrReadOnly   = errors.New("read-only")
	ErrExists     = errors.New("exists")
	ErrIsDir      = errors.New("is a directory")
	ErrNoFolder   = errors.New("folder does not exist")
	ErrOwner      = errors.New("belongs to another user")
	ErrNotRegular = errors.New("not a regular file")
	ErrReserved   = errors.New("reserved name")
	ErrTooLarge   = errors.New("too large")
)

// Error is a refusal about one path, with a message written for the user.
type Error struct {
	Path   string
	Reason error // one of the Err values above
	Msg    string
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Reason }

func refuse(path string, reason error, msg string) error {
	return &Error{Path: path, Reason: reason, Msg: msg}
}
