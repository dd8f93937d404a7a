package cmd

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// confirm asks a yes/no question on the terminal before a command writes,
// unless yes (--yes) is set. Without a terminal to ask on it refuses (exit
// 2) rather than guess; refusal says what would not be written.
func confirm(ios *IOStreams, yes bool, question, refusal string) error {
	if yes {
		return nil
	}
	if !ios.InTTY {
		return usagef("%s without confirmation: add --yes (stdin is not a terminal)", refusal)
	}
	fmt.Fprintf(ios.Err, "%s [y/N] ", question)
	line, _ := bufio.NewReader(ios.In).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
		return silentErrorMsg(ios, "Nothing written.")
	}
	return nil
}

func silentErrorMsg(ios *IOStreams, msg string) error {
	fmt.Fprintln(ios.Err, msg)
	return silentError{code: ExitError}
}

// writeWithBackup keeps the original as path.bak, then replaces path
// atomically; without a backup nothing is written.
func writeWithBackup(path, old, updated string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path+".bak", []byte(old), info.Mode().Perm()); err != nil {
		return fmt.Errorf("cannot keep a backup, so %s was not changed: %w", path, err)
	}
	return writeAtomic(path, []byte(updated), info.Mode().Perm())
}

// writeNew writes a file that must not exist yet, unless force.
func writeNew(path, text string, force bool) error {
	if !force {
		if _, err := os.Stat(path); err == nil {
			return fmt.Errorf("%s exists; pass --force to overwrite it", path)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return writeAtomic(path, []byte(text), 0o644)
}

// writeAtomic replaces path through a temporary file, so a crash leaves the
// old file or the new one, never half of one.
func writeAtomic(path string, data []byte, perm os.FileMode) error {
	tmp := path + ".pqentra-tmp"
	if err := os.WriteFile(tmp, data, perm); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
