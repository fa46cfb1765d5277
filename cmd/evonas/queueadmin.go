package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/queue"
)

// queueAdminFlags are the flags of queue status and purge: a coordinator's
// connection.
func queueAdminFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: "queue", Usage: "the queue's NATS server (required), with a coordinator's credentials: nats://[USER:PASSWORD@]HOST:PORT or tls://..."},
	}, queueConnFlags()[:5]...)
}

// adminConn connects to --queue with a coordinator's rights, creating
// nothing there.
func adminConn(c *cli.Context) (*queue.Conn, error) {
	if !c.IsSet("queue") {
		return nil, usagef("queue %s: --queue is required", c.Command.Name)
	}
	o := connOptions(c, c.String("queue"))
	o.Role = queue.RoleAdmin
	if err := o.Check(); err != nil {
		return nil, connError(err)
	}
	return queue.Connect(c.Context, o)
}

func queueStatusCommand() *cli.Command {
	return &cli.Command{
		Name:   "status",
		Usage:  "show the queue's streams, each run's pending jobs and results, and the workers seen in the last ten minutes",
		Flags:  append(queueAdminFlags(), &cli.BoolFlag{Name: "json", Usage: "print the status as JSON"}),
		Before: noArgs,
		Action: runQueueStatus,
	}
}

func runQueueStatus(c *cli.Context) error {
	conn, err := adminConn(c)
	if err != nil {
		return err
	}
	defer conn.Close()
	st, err := conn.Status(c.Context)
	if err != nil {
		return err
	}
	return printResult(c, st, func(w io.Writer) error { return st.WriteText(w, time.Now()) })
}

func queuePurgeCommand() *cli.Command {
	return &cli.Command{
		Name: "purge",
		Usage: "drop an abandoned run's jobs, results and consumer, and its data set unless another run needs it (its ID is in evonas queue status, and in the run's messages); " +
			"with --data and no RUN, drop every data set no run needs",
		ArgsUsage: "RUN",
		Flags:     append(queueAdminFlags(), &cli.BoolFlag{Name: "data", Usage: "instead of a run: drop the data sets of finished and purged runs"}),
		Action:    runQueuePurge,
	}
}

func runQueuePurge(c *cli.Context) error {
	if c.Bool("data") {
		if c.NArg() != 0 {
			return usagef("queue purge --data: takes no run ID (purging a run drops its data set anyway)")
		}
		conn, err := adminConn(c)
		if err != nil {
			return err
		}
		defer conn.Close()
		dropped, bytes, err := conn.PurgeData(c.Context)
		if err != nil {
			return err
		}
		fmt.Fprintln(c.App.Writer, queue.DataPurgedLine(dropped, bytes))
		return nil
	}
	if c.NArg() != 1 {
		return usagef("queue purge: want one run ID, got %d arguments", c.NArg())
	}
	if id := c.Args().First(); id == "" || strings.ContainsAny(id, ".*> ") {
		return usagef("queue purge: %q is not a run ID", id)
	}
	conn, err := adminConn(c)
	if err != nil {
		return err
	}
	defer conn.Close()
	id := c.Args().First()
	p, err := conn.Purge(c.Context, id)
	if errors.Is(err, queue.ErrNoRun) {
		return usagef("queue purge: run %s has no jobs and no results in %s", id, conn.URL())
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(c.App.Writer, p.Line(id))
	return nil
}
