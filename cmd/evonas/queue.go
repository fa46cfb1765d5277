package main

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/queue"
	"github.com/evonas/evonas/run"
)

// defaultQueueJobs is how many jobs a coordinator keeps in the queue at
// once: enough for many remote workers, bounded by what a generation
// offers anyway.
const defaultQueueJobs = 64

// queueFlags are the flags of the commands that can send their
// evaluations to a queue (evolve, random, compare, sweep, resume).
func queueFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: "queue", Usage: "train through the NATS JetStream queue at this URL (nats://[USER:PASSWORD@]HOST:PORT, tls://...; see docs/distributed.md), " +
			"or 'embedded' for an in-process server with local workers; with a URL, trainings run here only if --workers is given (that many local slots)"},
		&cli.IntFlag{Name: "queue-jobs", Value: defaultQueueJobs, Usage: "with --queue: jobs outstanding at once (a value below the local slots is raised to them)"},
		&cli.BoolFlag{Name: "queue-any-build", Usage: "with --queue: accept results from workers whose numbers differ from this build's (by default they refuse the jobs)"},
		&cli.DurationFlag{Name: "queue-give-up", Value: queue.DefaultGiveUp, Usage: "with --queue: how long to try to reconnect to a lost server before the run stops (to be resumed)"},
		&cli.DurationFlag{Name: "job-time-limit", Value: queue.DefaultTimeLimit, Usage: "with --queue: the longest a worker trains one job; a training that runs longer counts as a failed delivery"},
	}, queueConnFlags()...)
}

// queueConnFlags say how to reach the server and set up its consumer; the
// worker command has them too.
func queueConnFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "queue-creds", Usage: "NATS credentials file (JWT and NKey seed)"},
		&cli.StringFlag{Name: "queue-token", EnvVars: []string{"EVONAS_QUEUE_TOKEN"}, Usage: "NATS authentication token"},
		&cli.StringFlag{Name: "queue-tls-ca", Usage: "CA certificate (PEM) to verify the NATS server with"},
		&cli.StringFlag{Name: "queue-tls-cert", Usage: "client certificate (PEM) for the NATS server, with --queue-tls-key"},
		&cli.StringFlag{Name: "queue-tls-key", Usage: "the client certificate's key (PEM)"},
		&cli.IntFlag{Name: "max-deliver", Value: queue.DefaultMaxDeliver,
			Usage: fmt.Sprintf("deliveries of each of this run's jobs before it is recorded as failed (1 to %d)", queue.MaxDeliverLimit)},
		&cli.DurationFlag{Name: "ack-wait", Value: queue.DefaultAckWait,
			Usage: "how long a worker may go silent (no heartbeat) before a job of this run goes to another (at least 1s; each run has its own)"},
	}
}

// connOptions reads the connection flags; url is --queue's.
func connOptions(c *cli.Context, url string) queue.Options {
	return queue.Options{
		URL:        url,
		Creds:      c.String("queue-creds"),
		Token:      c.String("queue-token"),
		TLSCA:      c.String("queue-tls-ca"),
		TLSCert:    c.String("queue-tls-cert"),
		TLSKey:     c.String("queue-tls-key"),
		MaxDeliver: c.Int("max-deliver"),
		AckWait:    c.Duration("ack-wait"),
		Name:       "evonas " + c.Command.Name,
		Logf:       warner(c.App.ErrWriter),
	}
}

// connError is the error of a check of the connection flags in their
// words.
func connError(err error) error {
	if errors.Is(err, queue.ErrHalfTLS) {
		return usagef("--queue-tls-cert and --queue-tls-key go together")
	}
	return err
}

// queueOptions are the options of --queue: with a URL, --workers local
// slots; with an embedded server, --workers or the config's. Without
// --queue they are nil, which trains in this process.
func queueOptions(c *cli.Context) (*run.QueueOptions, error) {
	url := c.String("queue")
	if url == "" {
		for _, f := range queueFlags()[1:] {
			// (A token may come from the environment.)
			if name := f.Names()[0]; name != "queue-token" && c.IsSet(name) {
				return nil, usagef("--%s needs --queue", name)
			}
		}
		return nil, nil
	}
	q := run.QueueOptions{Options: connOptions(c, url), Jobs: c.Int("queue-jobs"), Embedded: url == "embedded",
		TimeLimit: c.Duration("job-time-limit"), AnyBuild: c.Bool("queue-any-build")}
	q.GiveUp = c.Duration("queue-give-up")
	if c.IsSet("workers") {
		if q.Slots = c.Int("workers"); q.Slots == 0 {
			q.Slots = runtime.NumCPU()
		}
	}
	if err := q.Check(); err != nil {
		return nil, connError(err)
	}
	return &q, nil
}

// warner prints the queue's warnings as lines on w.
func warner(w io.Writer) func(string, ...any) {
	var mu sync.Mutex
	return func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "evonas: "+format+"\n", args...)
	}
}

func workerCommand() *cli.Command {
	return &cli.Command{
		Name:  "worker",
		Usage: "train the jobs of a NATS JetStream queue (see docs/distributed.md)",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "queue", Usage: "the queue's NATS server (required): nats://[USER:PASSWORD@]HOST:PORT or tls://..."},
			&cli.IntFlag{Name: "slots", Usage: "jobs trained at once, 0 for one per CPU"},
			&cli.StringFlag{Name: "name", Usage: "the worker's name in results and in queue status", DefaultText: "HOST:PID"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print no line per job"},
		}, queueConnFlags()[:5]...),
		Before: noArgs,
		Action: runWorker,
	}
}

func runWorker(c *cli.Context) error {
	if !c.IsSet("queue") {
		return usagef("worker: --queue is required (nats://HOST:PORT of the queue's NATS server)")
	}
	var jobs, failed int
	quiet, connected := c.Bool("quiet"), false
	w := &queue.Worker{Slots: c.Int("slots"), Name: c.String("name"), OnJob: func(r queue.Report) {
		jobs++
		if r.Err != nil {
			failed++
		}
		if !quiet {
			fmt.Fprintln(c.App.Writer, r.Line())
		}
	}}
	if err := w.Validate(); err != nil {
		return err
	}
	o := connOptions(c, c.String("queue"))
	if err := o.Check(); err != nil {
		return connError(err)
	}
	err := queue.Work(c.Context, o, w, func(slots int, url string) {
		connected = true
		what := "slots"
		if slots == 1 {
			what = "slot"
		}
		fmt.Fprintf(c.App.ErrWriter, "evonas worker: %d %s on %s; stop with Ctrl-C\n", slots, what, url)
	})
	if errors.Is(err, queue.ErrNoServer) {
		fmt.Fprintln(c.App.ErrWriter, "evonas worker: stopped before the server came")
		return nil
	} else if connected {
		fmt.Fprintf(c.App.ErrWriter, "evonas worker: stopped after %d jobs (%d given back or failed)\n", jobs, failed)
	}
	return err
}

func queueCommand() *cli.Command {
	return &cli.Command{
		Name:  "queue",
		Usage: "serve, inspect and clean a NATS JetStream queue (see docs/distributed.md)",
		Subcommands: []*cli.Command{queueStatusCommand(), queuePurgeCommand(), {
			Name:  "serve",
			Usage: "serve a NATS server with JetStream until stopped (Ctrl-C)",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "listen", Value: "127.0.0.1:4222", Usage: "HOST:PORT to listen on; an address beyond loopback needs authentication: the role passwords, --user and --password, or --token"},
				&cli.StringFlag{Name: "store", Usage: "directory of JetStream's files (default: a temporary directory, removed on exit)"},
				&cli.StringFlag{Name: "coordinator-user", Value: "coordinator", Usage: "with --coordinator-password: the user name of coordinators (full rights)"},
				&cli.StringFlag{Name: "coordinator-password", EnvVars: []string{"EVONAS_QUEUE_COORDINATOR_PASSWORD"}, Usage: "the coordinators' password; with --worker-password, the way to give each role its rights"},
				&cli.StringFlag{Name: "worker-user", Value: "worker", Usage: "with --worker-password: the user name of workers (take jobs, create results, nothing else)"},
				&cli.StringFlag{Name: "worker-password", EnvVars: []string{"EVONAS_QUEUE_WORKER_PASSWORD"}, Usage: "the workers' password"},
				&cli.StringFlag{Name: "user", Usage: "one user name for all clients, every right to each (prefer the role passwords)"},
				&cli.StringFlag{Name: "password", EnvVars: []string{"EVONAS_QUEUE_PASSWORD"}, Usage: "password of --user"},
				&cli.StringFlag{Name: "token", EnvVars: []string{"EVONAS_QUEUE_TOKEN"}, Usage: "one token for all clients, every right to each (instead of --user; prefer the role passwords)"},
				&cli.StringFlag{Name: "tls-cert", Usage: "serve TLS with this certificate (PEM)"},
				&cli.StringFlag{Name: "tls-key", Usage: "the TLS certificate's key (PEM)"},
				&cli.StringFlag{Name: "tls-ca", Usage: "with --tls-cert: mutual TLS, clients must present a certificate this CA (PEM) signed"},
				&cli.BoolFlag{Name: "log", Usage: "log the server's notices on stderr"},
			},
			Before: noArgs,
			Action: runServe,
			OnUsageError: func(_ *cli.Context, err error, _ bool) error {
				return usageError{err}
			},
		}},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return unknownCommand("queue", c.Args().First(), c.Command.Subcommands)
			}
			return usagef("queue: want a command: evonas queue serve, status or purge")
		},
	}
}

func runServe(c *cli.Context) error {
	o := queue.ServerOptions{
		Listen:   c.String("listen"),
		StoreDir: c.String("store"),
		User:     c.String("user"),
		Password: c.String("password"),
		Token:    c.String("token"),
		TLSCert:  c.String("tls-cert"),
		TLSKey:   c.String("tls-key"),
		TLSCA:    c.String("tls-ca"),
		Log:      c.Bool("log"),
	}
	if c.String("coordinator-password") != "" || c.String("worker-password") != "" {
		o.Coordinator = queue.Credentials{User: c.String("coordinator-user"), Password: c.String("coordinator-password")}
		o.Worker = queue.Credentials{User: c.String("worker-user"), Password: c.String("worker-password")}
	}
	if err := o.Check(); errors.Is(err, queue.ErrExposed) {
		return usagef("%v (--coordinator-password and --worker-password, or --user and --password, or --token)", err)
	} else if err != nil {
		return usageError{err}
	}
	s, err := queue.Serve(o)
	if err != nil {
		return err
	}
	defer s.Close()
	store := s.StoreDir()
	if !c.IsSet("store") {
		store += " (temporary)"
	}
	fmt.Fprintf(c.App.ErrWriter, "evonas queue: NATS server with JetStream at %s, store %s; stop with Ctrl-C\n", s.URL(), store)
	<-c.Context.Done()
	return nil
}
