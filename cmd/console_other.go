//go:build !windows

package cmd

import "os"

// enableColor: terminals outside Windows take escape sequences as they are.
func enableColor(*os.File) bool { return true }
