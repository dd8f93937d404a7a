package cmd

import (
	"bufio"
	"context"
	"fmt"
	"io"
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
	line, err := readLine(ios.waitCtx(), ios.In)
	if err != nil {
		return err
	}
	if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
		return silentErrorMsg(ios, "Nothing written.")
	}
	return nil
}

func silentErrorMsg(ios *IOStreams, msg string) error {
	fmt.Fprintln(ios.Err, msg)
	return silentError{code: ExitError}
}

// readLine reads one answer from in, or gives up when ctx ends (Ctrl-C):
// a question never outlives the run. The reading goroutine may stay
// blocked on in; the process is about to end then.
func readLine(ctx context.Context, in io.Reader) (string, error) {
	type answer struct {
		line string
		err  error
	}
	ch := make(chan answer, 1)
	go func() {
		line, err := bufio.NewReader(in).ReadString('\n')
		ch <- answer{line, err}
	}()
	select {
	case a := <-ch:
		if a.err != nil && a.line == "" {
			return "", nil // end of input: no answer, which is no
		}
		return a.line, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
