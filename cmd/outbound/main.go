// Command outbound is the one binary of the outbound system: it serves the
// API as headquarters or as a port node, migrates and fills databases, and
// imports public data. Run "outbound help" for the subcommands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // crossings' time zones work on hosts without a zone database
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	os.Exit(m.Exit(m.Run(ctx, os.Args[1:])))
}
