//go:build unix

package safefile

import (
	"os"
	"syscall"
)

// openNoBlock opens with O_NONBLOCK: a FIFO opens at once instead of
// waiting for a writer (a regular file ignores the flag).
func openNoBlock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
