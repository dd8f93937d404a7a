// Command pqentra sets up Microsoft Entra ID for a Power Query custom
// connector: it registers the resource application, sets its Application ID
// URI, adds a scope, preauthorizes the Power Query clients and hands you the
// connector's Aad record.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/pqentra/pqentra/cmd"
)

func main() {
	// A closed stdout makes writes fail with EPIPE (and the run exit 1)
	// instead of killing pqentra with SIGPIPE.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cmd.Execute(ctx, cmd.NewFactory(), os.Args[1:])
	stop()
	os.Exit(code)
}
