package run

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"path/filepath"
	"sort"
	"time"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/queue"
)

// QueueOptions say how a run reaches its queue.
type QueueOptions struct {
	queue.Options      // the connection; its URL is ignored with Embedded
	Embedded      bool // serve an in-process NATS server on loopback
	Jobs          int  // jobs outstanding at once (raised to Slots)
	Slots         int  // local worker slots: trainings in this process

	TimeLimit time.Duration // of a job's training (queue.Run.TimeLimit)
	AnyBuild  bool          // accept results of any build (queue.Run.AnyBuild)
	// Say, when set, gets a line with each run's ID in the queue.
	Say func(format string, args ...any)
}

// Check reports, before anything connects, options a command gave that
// cannot work, in the order a person reads them: fewer than one job, a job
// time limit under a second, credentials for an embedded server (which
// makes its own), a MaxDeliver outside 1 to queue.MaxDeliverLimit, an
// AckWait under queue.MinAckWait, the connection's options
// (queue.Options.Check; not with Embedded, whose URL is the server's) and a
// GiveUp under 100ms. Every number is checked as given: a command's flags
// hold the defaults, so a zero is a value asked for. A bad value is an
// OptionError named as the flags are ("queue_jobs").
func (o QueueOptions) Check() error {
	if o.Jobs < 1 {
		return optionf("queue_jobs", "want at least 1, got %d", o.Jobs)
	}
	if o.TimeLimit < time.Second {
		return optionf("job_time_limit", "want at least 1s, got %s", o.TimeLimit)
	}
	if o.Embedded {
		for _, f := range []struct{ name, value string }{{"queue_creds", o.Creds}, {"queue_tls_ca", o.TLSCA}, {"queue_tls_cert", o.TLSCert}, {"queue_tls_key", o.TLSKey}} {
			if f.value != "" {
				return optionf(f.name, "an embedded queue takes no credentials")
			}
		}
	}
	if o.MaxDeliver < 1 || o.MaxDeliver > queue.MaxDeliverLimit {
		return optionf("max_deliver", "want 1 to %d, got %d", queue.MaxDeliverLimit, o.MaxDeliver)
	}
	if o.AckWait < queue.MinAckWait {
		return optionf("ack_wait", "want at least %s, got %s", queue.MinAckWait, o.AckWait)
	}
	if !o.Embedded {
		if err := o.Options.Check(); err != nil {
			return err
		}
	}
	if o.GiveUp < 100*time.Millisecond {
		return optionf("queue_give_up", "want at least 100ms, got %s", o.GiveUp)
	}
	return nil
}

// CheckQueue reports whether a search of cfg can train through a queue,
// before anything runs: successive halving continues trainings across
// rungs in this process, and through a queue every candidate would train
// its full epochs.
func CheckQueue(cfg configs.Config) error {
	if cfg.Fidelity.Method == "halving" {
		return optionf("queue", "fidelity.method halving needs the trainings in this process; use median stopping or no fidelity with a queue")
	}
	return nil
}

// Queue is a run's connection to a NATS JetStream queue (package queue):
// an embedded server when asked for, and local worker slots. A nil *Queue
// trains in this process.
type Queue struct {
	conn  *queue.Conn
	srv   *queue.Server
	jobs  int
	slots int
	o     QueueOptions

	stopWorker context.CancelFunc
	workerDone chan error
}

// OpenQueue connects to a queue and starts its local worker slots.
func OpenQueue(ctx context.Context, o QueueOptions) (*Queue, error) {
	q := &Queue{jobs: o.Jobs, slots: o.Slots, o: o}
	var err error
	if o.Embedded {
		// A token of its own keeps the machine's other users out.
		var tok [16]byte
		if _, err := rand.Read(tok[:]); err != nil {
			return nil, err
		}
		o.Token = hex.EncodeToString(tok[:])
		if q.srv, err = queue.Serve(queue.ServerOptions{Listen: "127.0.0.1:0", Token: o.Token}); err != nil {
			return nil, err
		}
		o.URL = q.srv.URL()
	}
	if q.conn, err = queue.Connect(ctx, o.Options); err != nil {
		q.Close()
		return nil, err
	}
	q.jobs = max(q.jobs, q.slots)
	if q.slots > 0 {
		ctx, cancel := context.WithCancel(context.Background())
		q.stopWorker, q.workerDone = cancel, make(chan error, 1)
		w := &queue.Worker{Slots: q.slots}
		go func() { q.workerDone <- w.Run(ctx, q.conn) }()
	}
	return q, nil
}

// URL is the server's address, credentials left out.
func (q *Queue) URL() string { return q.conn.URL() }

// Jobs is how many jobs are kept outstanding at once.
func (q *Queue) Jobs() int { return q.jobs }

// Slots is how many local worker slots train jobs in this process.
func (q *Queue) Slots() int { return q.slots }

// Close stops the local workers, the connection and an embedded server.
func (q *Queue) Close() {
	if q == nil {
		return
	}
	if q.stopWorker != nil {
		q.stopWorker()
		<-q.workerDone
	}
	if q.conn != nil {
		q.conn.Close()
	}
	if q.srv != nil {
		q.srv.Close()
	}
}

// pool is the evaluator's pool size: the config's workers, or with a
// queue the jobs to keep outstanding.
func (q *Queue) pool(workers int) int {
	if q == nil {
		return workers
	}
	return q.jobs
}

// attach makes ev run its trainings through the queue, as jobs of s. It
// returns what detaches it.
func (q *Queue) attach(ctx context.Context, ev *fitness.Evaluator, s *Search, fingerprint string) (func(), error) {
	if q == nil {
		return func() {}, nil
	}
	id, err := runID(s.Dir, s.Config, s.Strategy, fingerprint)
	if err != nil {
		return nil, err
	}
	b, err := queue.NewBackend(ctx, q.conn, queue.Run{ID: id, Settings: ev.Settings(), TimeLimit: q.o.TimeLimit, AnyBuild: q.o.AnyBuild,
		Data: queue.DataRef{Name: ev.Data().Name, Fingerprint: fingerprint}, Dataset: ev.Data()})
	if err != nil {
		return nil, err
	}
	ev.SetBackend(b)
	if q.o.Say != nil {
		q.o.Say("queue: run %s (for evonas queue status and purge)", id)
	}
	return func() { b.Close() }, nil
}

// runID is a run's ID in the queue: a hash of its directory and of what
// gives its evaluations their meaning (the config but for the keys a
// resume may change, the strategy, the data), the same when the run is
// resumed. Another run, in another directory, never shares its jobs.
func runID(dir string, cfg configs.Config, strategy, fingerprint string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	flat, err := flatConfig(cfg)
	if err != nil {
		return "", err
	}
	keys := make([]string, 0, len(flat))
	for k := range flat {
		if !resumable[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := []string{"evonas run", abs, strategy, fingerprint}
	for _, k := range keys {
		parts = append(parts, k+"="+flat[k])
	}
	return queue.RunID(parts...), nil
}
