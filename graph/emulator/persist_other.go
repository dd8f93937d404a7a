//go:build !unix

package emulator

import "os"

func openNoBlock(path string) (*os.File, error) { return os.Open(path) }
