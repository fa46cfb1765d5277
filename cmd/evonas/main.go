// Command evonas searches for neural network architectures with a genetic
// algorithm, trains dense nets, and predicts with them.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	// The first SIGINT or SIGTERM stops the run cleanly: in-flight
	// trainings are cancelled, what finished is saved, and the command
	// says how to resume. A second one exits at once.
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		// Said before cancelling: the command may exit as soon as it is.
		fmt.Fprintln(os.Stderr, "evonas: stopping (press Ctrl-C again to exit at once)")
		cancel()
		<-sigs
		os.Exit(exitInterrupted)
	}()
	code := runMain(ctx, os.Args, os.Stdout, os.Stderr)
	cancel()
	os.Exit(code)
}
