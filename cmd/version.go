package cmd

// Version is set at build time with -ldflags "-X github.com/pqentra/pqentra/cmd.Version=…".
var Version = "0.1.0"

func versionString() string { return Version }
