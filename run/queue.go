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
