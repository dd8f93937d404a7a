//go:build !unix

package safefile

import "os"

// openNoBlock: opening a named pipe or device on Windows does not wait for
// a writer; the handle's type is checked after.
func openNoBlock(path string) (*os.File, error) { return os.Open(path) }
