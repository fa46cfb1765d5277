package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
)

// Run describes a coordinator's run to its workers.
type Run struct {
	ID       string // see RunID
	Data     DataRef
	Settings fitness.Settings
	// TimeLimit bounds each training on a worker; 0 means
	// DefaultTimeLimit.
	TimeLimit time.Duration
	// MaxDeliver is how many deliveries a job gets before it is recorded
	// as failed; 0 means the connection's (Options.MaxDeliver).
	MaxDeliver int
	// AckWait is how long a worker may go without a heartbeat before its
	// job of this run goes to another worker: the run's consumer's; 0
	// means the connection's (Options.AckWait).
	AckWait time.Duration
	// AnyBuild accepts results from workers whose numbers differ from
	// this build's (see Build); by default they refuse the jobs, and a
	// result of theirs stops the run.
	AnyBuild bool
	// Dataset, when set, is stored in DataStore under its fingerprint
	// (which must be Data.Fingerprint) for the workers to fetch.
	Dataset *dataset.Data
}

// Stats count what a Backend did with the jobs it was asked for.
type Stats struct {
	Published   int // jobs published
	Republished int // jobs published again after their message was lost
	Pending     int // jobs already in the stream when first asked for (a resumed run's)
	Answered    int // jobs whose result was already stored when first asked for
	Results     int // results received
	Failed      int // of which failed evaluations
	Refused     int // results that failed the checks (see Backend.Run)
}

// Backend is a fitness.Backend that publishes evaluations as jobs and
// waits for their results. It is safe for concurrent use; the evaluator's
// pool bounds how many jobs are outstanding.
type Backend struct {
	c       *Conn
	run     Run
	consMu  sync.Mutex
	cons    jetstream.Consumer // the run's
	dataMu  sync.Mutex         // held while storing the data again
	recheck time.Duration
	build   Build // this process's, which jobs carry and results must match

	trouble *nats.Subscription // workers' Trouble reports

	wmu     sync.Mutex
	watcher jetstream.KeyWatcher
	lastRev atomic.Uint64 // the last result revision seen

	born     time.Time // when the server created the queue (queueBorn), as last seen
	restMu   sync.Mutex
	restored chan struct{} // closed, and replaced, when the queue was set up again

	closed    chan struct{} // closed by Close
	closeOnce sync.Once

	mu      sync.Mutex
	results map[string]Result      // by job ID: received, not yet asked for
	waiting map[string]chan Result // by job ID
	stats   Stats
	warned  map[string]bool // trouble reasons already printed
}

// defaultRecheck is how often a waiting job is checked: still in the
// stream, or answered? A job lost without a result is published again.
const defaultRecheck = 30 * time.Second

// NewBackend returns a backend that runs run's evaluations through c. It
// reads the results already stored for the run before returning.
func NewBackend(ctx context.Context, c *Conn, run Run) (*Backend, error) {
	return newBackend(ctx, c, run, defaultRecheck)
}

func newBackend(ctx context.Context, c *Conn, run Run, recheck time.Duration) (*Backend, error) {
	if run.ID == "" || strings.ContainsAny(run.ID, ".*> ") {
		return nil, fmt.Errorf("queue: bad run ID %q", run.ID)
	}
	if run.MaxDeliver <= 0 {
		run.MaxDeliver = c.maxDel
	}
	if run.MaxDeliver > MaxDeliverLimit {
		return nil, fmt.Errorf("queue: MaxDeliver %d is over the limit of %d", run.MaxDeliver, MaxDeliverLimit)
	}
	if run.AckWait <= 0 {
		run.AckWait = c.ackWait
	}
	if run.AckWait < MinAckWait {
		return nil, fmt.Errorf("queue: AckWait %s is under the minimum of %s", run.AckWait, MinAckWait)
	}
	// The consumer before the data: a purge of data sets no run needs
	// then keeps this run's (see Purge).
	cons, err := c.ensureRunConsumer(ctx, run)
	if err != nil {
		return nil, err
	}
	if run.Dataset != nil {
		if fp := run.Dataset.Fingerprint(); fp != run.Data.Fingerprint {
			return nil, fmt.Errorf("queue: the run's data have fingerprint %s, not %s", fp, run.Data.Fingerprint)
		}
		if err := c.putData(ctx, run.Dataset); err != nil {
			return nil, err
		}
	}
	born, err := c.queueBorn(ctx)
	if err != nil {
		return nil, fmt.Errorf("queue: bucket %s on %s: %w", ResultBucket, c.url, err)
	}
	b := &Backend{c: c, run: run, cons: cons, recheck: recheck, build: ThisBuild(), closed: make(chan struct{}), born: born,
		restored: make(chan struct{}), results: map[string]Result{}, waiting: map[string]chan Result{}, warned: map[string]bool{}}
	if b.trouble, err = c.nc.Subscribe(troubleSubject(run.ID, "*"), b.onTrouble); err != nil {
		return nil, fmt.Errorf("queue: listening to the workers on %s: %w", c.url, err)
	}
	w, err := c.results.Watch(context.Background(), run.ID+".>", jetstream.IgnoreDeletes())
	if err != nil {
		b.trouble.Unsubscribe()
		return nil, fmt.Errorf("queue: watching the results on %s: %w", c.url, err)
	}
	b.watcher = w
	synced := make(chan struct{})
	go b.watch(w, synced)
	select {
	case <-synced:
	case <-c.lost:
		w.Stop()
		b.trouble.Unsubscribe()
		return nil, c.lostError()
	case <-ctx.Done():
		b.Close()
		return nil, ctx.Err()
	}
	c.startReaper()
	go b.monitor()
	go b.rewatch()
	return b, nil
}

// rewatch restarts the result watcher after each reconnection, from the
// last result seen: the server may have restarted and lost the watcher's
// consumer, which would otherwise come back only after its heartbeats
// time out. A server that restarted without its store has lost the whole
// queue: it is set up again (see restoreQueue) and watched from its start.
func (b *Backend) rewatch() {
	for {
		select {
		case <-b.closed:
			return
		case <-b.c.lost:
			return
		case <-b.c.reconnected():
		}
		b.wmu.Lock()
		select {
		case <-b.closed:
			b.wmu.Unlock()
			return
		default:
		}
		from := b.lastRev.Load() + 1
		if lost, err := b.restoreQueue(); err != nil {
			b.c.logf("queue: setting up the queue again on %s: %v", b.c.url, err)
		} else if lost {
			b.lastRev.Store(0)
			from = 1
		}
		w, err := b.c.results.Watch(context.Background(), b.run.ID+".>", jetstream.IgnoreDeletes(),
			jetstream.ResumeFromRevision(from))
		if err != nil {
			b.c.logf("queue: watching the results again: %v", err)
		} else {
			go b.watcher.Stop()
			b.watcher = w
			go b.watch(w, nil)
		}
		b.wmu.Unlock()
	}
}

// restoreQueue sets the queue up again if the server has lost it (it
// restarted without its store), or finds it set up anew (by another
// coordinator): the streams and buckets, the run's consumer and its data.
// It reports whether it did. The jobs and results the server lost are then
// published again by the evaluations waiting for them, which it wakes.
// Only rewatch calls it.
func (b *Backend) restoreQueue() (bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	born, err := b.c.queueBorn(ctx)
	if err == nil && born.Equal(b.born) {
		return false, nil
	} else if err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
		return false, err
	}
	b.c.logf("queue: %s has lost the queue (restarted without its store?); setting it up again, and publishing the run's jobs again", b.c.url)
	// (The connection's handles name their streams, and serve again.)
	if err := (&Conn{nc: b.c.nc, url: b.c.url, logf: b.c.logf}).setup(ctx); err != nil {
		return false, err
	}
	if b.born, err = b.c.queueBorn(ctx); err != nil {
		return false, err
	}
	cons, err := b.c.ensureRunConsumer(ctx, b.run)
	if err != nil {
		return false, err
	}
	b.consMu.Lock()
	b.cons = cons
	b.consMu.Unlock()
	if b.run.Dataset != nil {
		if err := b.c.putData(ctx, b.run.Dataset); err != nil {
			return false, err
		}
	}
	b.restMu.Lock()
	close(b.restored)
	b.restored = make(chan struct{})
	b.restMu.Unlock()
	return true, nil
}

// queueBorn is when the server created the result bucket: another time after
// a reconnection means that it lost the queue, and that the result
// revisions start again.
func (c *Conn) queueBorn(ctx context.Context) (time.Time, error) {
	s, err := c.js.Stream(ctx, "KV_"+ResultBucket)
	if err != nil {
		return time.Time{}, err
	}
	return s.CachedInfo().Created, nil
}

// restoredQueue is closed when the queue is next set up again.
func (b *Backend) restoredQueue() <-chan struct{} {
	b.restMu.Lock()
	defer b.restMu.Unlock()
	return b.restored
}

// monitor warns, every recheck period, when jobs wait and no worker takes
// any, and creates the run's consumer again if it is gone (purged).
func (b *Backend) monitor() {
	t := time.NewTicker(b.recheck)
	defer t.Stop()
	for {
		select {
		case <-b.closed:
			return
		case <-b.c.lost:
			return
		case <-t.C:
		}
		b.mu.Lock()
		n := len(b.waiting)
		b.mu.Unlock()
		if n == 0 {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		info, err := b.consumer().Info(ctx)
		if errors.Is(err, jetstream.ErrConsumerNotFound) {
			var cons jetstream.Consumer
			if cons, err = b.c.ensureRunConsumer(ctx, b.run); err == nil {
				b.c.logf("queue: run %s: its consumer was gone (purged?); created it again", b.run.ID)
				b.consMu.Lock()
				b.cons = cons
				b.consMu.Unlock()
				info, err = cons.Info(ctx)
			}
		}
		cancel()
		if err == nil && info.NumWaiting == 0 && info.NumAckPending == 0 {
			b.c.logf("queue: %d jobs wait and no worker is taking this run's jobs from %s (start one: evonas worker --queue URL)", n, b.c.url)
		}
	}
}

func (b *Backend) consumer() jetstream.Consumer {
	b.consMu.Lock()
	defer b.consMu.Unlock()
	return b.cons
}

// watch receives the run's results until the watcher stops; synced, if
// not nil, is closed once the results stored before have come.
func (b *Backend) watch(w jetstream.KeyWatcher, synced chan struct{}) {
	for e := range w.Updates() {
		if e == nil {
			if synced != nil {
				close(synced)
				synced = nil
			}
			continue
		}
		for {
			last := b.lastRev.Load()
			if e.Revision() <= last || b.lastRev.CompareAndSwap(last, e.Revision()) {
				break
			}
		}
		var r Result
		if err := json.Unmarshal(e.Value(), &r); err != nil {
			b.c.logf("queue: result %s: %v", e.Key(), err)
			continue
		}
		_, jobID, _ := strings.Cut(e.Key(), ".")
		b.deliver(jobID, r)
	}
}

// onTrouble handles a worker's report of a job it could not run: a
// warning the first time a reason is heard, and the end of the job's wait
// when it was the last delivery.
func (b *Backend) onTrouble(m *nats.Msg) {
	var t Trouble
	if err := json.Unmarshal(m.Data, &t); err != nil || t.JobID == "" {
		return
	}
	_, jobID, _ := jobOfSubject(jobPrefix + strings.TrimPrefix(m.Subject, troublePrefix))
	if jobID != t.JobID {
		return
	}
	if t.MissingData && b.run.Dataset != nil && t.Data == b.run.Data.Fingerprint {
		go b.restoreData()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !t.Final {
		if !b.warned[t.Reason] {
			b.warned[t.Reason] = true
			b.c.logf("queue: worker %s cannot run job %s (%s); it goes to another worker", t.Worker, t.JobID, t.Reason)
		}
		return
	}
	if ch, ok := b.waiting[jobID]; ok {
		delete(b.waiting, jobID)
		ch <- Result{JobID: jobID, trouble: &t}
	}
}

// restoreData stores the run's data again, for workers that found them
// gone from the data store (deleted by hand, or by a purge that raced
// this run's start).
func (b *Backend) restoreData() {
	if !b.dataMu.TryLock() {
		return // being stored
	}
	defer b.dataMu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	store, err := b.c.dataStore(ctx)
	if err == nil {
		if _, err = store.GetInfo(ctx, b.run.Data.Fingerprint); err == nil {
			return // there (again)
		}
	}
	if err := b.c.putData(ctx, b.run.Dataset); err != nil {
		b.c.logf("queue: run %s: storing its data again: %v", b.run.ID, err)
		return
	}
	b.c.logf("queue: run %s: its data were gone from %s; stored them again", b.run.ID, DataStore)
}

// deliver hands a job's result to its waiting evaluation, or keeps it for
// when it is asked for. The first result of a job wins.
func (b *Backend) deliver(jobID string, r Result) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if ch, ok := b.waiting[jobID]; ok {
		delete(b.waiting, jobID)
		ch <- r
		return
	}
	if _, ok := b.results[jobID]; !ok {
		b.results[jobID] = r
	}
}

// Close stops the backend; evaluations still waiting return an error. The
// jobs stay in the queue for the workers, and a resumed run finds them;
// a run with none left has its consumer deleted.
func (b *Backend) Close() error {
	b.closeOnce.Do(func() {
		b.wmu.Lock()
		close(b.closed)
		b.trouble.Unsubscribe()
		// Stopping deletes the watcher's consumer, which waits for the
		// server if it is gone.
		go b.watcher.Stop()
		b.wmu.Unlock()
		if b.c.nc.IsConnected() {
			b.deleteConsumer()
		}
	})
	return nil
}

// deleteConsumer deletes the run's consumer if every job of the run left
// in the stream has its result: those are jobs whose worker has yet to
// acknowledge them (or never will, stopped in between), and are deleted
// from the stream first. A job without a result keeps the consumer, for
// the workers to finish it.
func (b *Backend) deleteConsumer() {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	for seq := uint64(1); ; {
		m, err := b.c.jobs.GetMsg(ctx, seq, jetstream.WithGetMsgSubject(jobPrefix+b.run.ID+".>"))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			break
		}
		if err != nil {
			return
		}
		_, jobID, _ := jobOfSubject(m.Subject)
		if _, err := b.c.results.Get(ctx, resultKey(b.run.ID, jobID)); err != nil {
			return // not answered (or not known to be): the workers finish it
		}
		if err := b.c.jobs.DeleteMsg(ctx, m.Sequence); err != nil {
			// Acknowledged meanwhile ("no message found"), or still there.
			if _, err := b.c.jobs.GetMsg(ctx, m.Sequence); !errors.Is(err, jetstream.ErrMsgNotFound) {
				return
			}
		}
		seq = m.Sequence + 1
	}
	if err := b.c.jobs.DeleteConsumer(ctx, RunConsumer(b.run.ID)); err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
		b.c.logf("queue: run %s: deleting its consumer: %v", b.run.ID, err)
	}
}

// Stats returns what the backend did so far.
func (b *Backend) Stats() Stats {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stats
}

// Run publishes the job, unless it is answered or pending already, and
// waits for its result: the record the worker's fitness.Run gave, or a
// failed record when the candidate failed on every delivery. The errors
// are ctx's and *StopError (the connection lost for good, a job no worker
// can run).
func (b *Backend) Run(ctx context.Context, fj fitness.Job) (fitness.Record, error) {
	id := b.jobID(fj)
	limit := b.run.TimeLimit
	if limit <= 0 {
		limit = DefaultTimeLimit
	}
	job := Job{Version: wireVersion, ID: id, RunID: b.run.ID, Job: fj, Settings: b.run.Settings, Data: b.run.Data, LimitS: limit.Seconds(),
		Build: b.build, AnyBuild: b.run.AnyBuild, MaxDeliver: b.run.MaxDeliver}
	ch := make(chan Result, 1)
	b.mu.Lock()
	if r, ok := b.results[id]; ok {
		delete(b.results, id)
		b.stats.Answered++
		b.mu.Unlock()
		return b.checked(id, fj, r)
	}
	b.waiting[id] = ch
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		if b.waiting[id] == ch {
			delete(b.waiting, id)
		}
		b.mu.Unlock()
	}()

	first, failing := true, false
	retry := time.NewTimer(0)
	defer retry.Stop()
	for {
		restored := b.restoredQueue()
		select {
		case r := <-ch:
			if t := r.trouble; t != nil {
				if b.givenUp(ctx, job) {
					return fitness.Record{}, stopf("queue: no worker could run job %s (%s, delivered %d times); the last, %s: %s",
						id, fj.Genome.Arch(), t.Delivery, t.Worker, t.Reason)
				}
				// The job is still queued: the report is wrong (forged, or
				// from a confused worker). Wait on.
				b.c.logf("queue: ignoring worker %s's report that job %s was given up: it is still in the queue", t.Worker, id)
				b.mu.Lock()
				if r, ok := b.results[id]; ok {
					delete(b.results, id)
					b.mu.Unlock()
					return b.checked(id, fj, r)
				}
				b.waiting[id] = ch
				b.mu.Unlock()
				continue
			}
			return b.checked(id, fj, r)
		case <-ctx.Done():
			return fitness.Record{}, ctx.Err()
		case <-b.closed:
			return b.closing(fj, ch, errors.New("queue: backend closed"))
		case <-b.c.lost:
			return b.closing(fj, ch, b.c.lostError())
		case <-restored:
			retry.Reset(0) // the job was lost with the queue: publish it again now
		case <-retry.C:
			if !b.c.nc.IsConnected() {
				// Reconnecting (the connection's handler said so).
				retry.Reset(time.Second)
				continue
			}
			if err := b.ensure(ctx, job, first); err != nil {
				if ctx.Err() != nil {
					return fitness.Record{}, ctx.Err()
				}
				if !failing {
					b.c.logf("queue: job %s: %v; retrying", id, err)
				}
				failing = true
				retry.Reset(time.Second)
				continue
			}
			first, failing = false, false
			retry.Reset(b.recheck)
		}
	}
}

// givenUp reports whether a job a worker reported as given up has indeed
// left the stream without a result, allowing the acknowledgement a moment
// to land.
func (b *Backend) givenUp(ctx context.Context, job Job) bool {
	subject := jobSubject(job.RunID, job.ID)
	for try := 0; try < 20; try++ {
		present, err := b.pending(ctx, subject)
		if err == nil && !present {
			_, err := b.c.results.Get(ctx, resultKey(job.RunID, job.ID))
			return errors.Is(err, jetstream.ErrKeyNotFound)
		}
		sleep(ctx, 100*time.Millisecond)
	}
	return false
}

// jobID is the ID of a job of the run.
func (b *Backend) jobID(fj fitness.Job) string {
	key := fj.Key
	if fj.Visit > 0 {
		// A re-evaluation is another job than the genome's first.
		key += "#" + strconv.Itoa(fj.Visit)
	}
	return JobID(b.run.ID, fj.Generation, key)
}

// closing ends a wait when the backend or its connection closes; a result
// that came in just before wins.
func (b *Backend) closing(fj fitness.Job, ch chan Result, err error) (fitness.Record, error) {
	select {
	case r := <-ch:
		if r.trouble == nil {
			return b.checked(b.jobID(fj), fj, r)
		}
	default:
	}
	return fitness.Record{}, err
}

// checked is the record a result gives the evaluator, once it is checked:
// for this job, genome and training seed, from a build whose numbers are
// this one's (unless the run accepts any). A result that fails a check
// is refused: it stops the run with a *StopError, since the job's one
// result slot is taken.
func (b *Backend) checked(id string, fj fitness.Job, r Result) (fitness.Record, error) {
	rec := r.Record
	var why string
	switch {
	case r.JobID != id:
		why = fmt.Sprintf("it is for job %q", r.JobID)
	case rec.Key != fj.Key:
		why = fmt.Sprintf("it is for genome %q", rec.Key)
	case rec.Seed != fj.Seed:
		why = fmt.Sprintf("its training seed is %d, not %d", rec.Seed, fj.Seed)
	case rec.Status != fitness.Failed && !b.run.AnyBuild && r.Build.Numbers != b.build.Numbers:
		why = fmt.Sprintf("it comes from a build whose numbers differ (%s there, %s here; accept them with --queue-any-build)",
			r.Build, b.build)
	case rec.Status == fitness.OK && b.run.Settings.Metric == fitness.BalancedMetric && !rec.Val.Balanced:
		// A worker built before objective.metric: balanced scores plain
		// accuracy under the same numbers.
		why = fmt.Sprintf("it has no balanced accuracy, which the run selects on (worker build %s, older than objective.metric: balanced?)", r.Build)
	}
	if why != "" {
		b.count(func(s *Stats) { s.Refused++ })
		return fitness.Record{}, stopf("queue: refused the result of job %s from worker %q: %s (purge the run's results with evonas queue purge %s to train it again)",
			id, r.Worker, why, b.run.ID)
	}
	rec.Worker, rec.Build = r.Worker, r.Build.String()
	if r.Build == (Build{}) {
		rec.Build = ""
	}
	return b.record(rec), nil
}

// record counts a record the evaluator receives.
func (b *Backend) record(rec fitness.Record) fitness.Record {
	b.mu.Lock()
	b.stats.Results++
	if rec.Status == fitness.Failed {
		b.stats.Failed++
	}
	b.mu.Unlock()
	return rec
}

// ensure makes sure a job is in the stream or answered: it publishes it
// if neither. first is the job's first check.
func (b *Backend) ensure(ctx context.Context, job Job, first bool) error {
	subject := jobSubject(job.RunID, job.ID)
	present, err := b.pending(ctx, subject)
	if err != nil {
		return err
	}
	if present {
		if first {
			b.count(func(s *Stats) { s.Pending++ })
		}
		return nil
	}
	// A worker stores the result before it acknowledges the job: no
	// message and no result means the job was never published, or lost.
	if done, err := b.answered(ctx, job); done || err != nil {
		return err
	}
	data, err := json.Marshal(job)
	if err != nil {
		return err
	}
	msg := &nats.Msg{Subject: subject, Data: data}
	ack, err := b.c.js.PublishMsg(ctx, msg, jetstream.WithMsgID(job.ID))
	if err != nil {
		return fmt.Errorf("publishing: %w", err)
	}
	if !ack.Duplicate {
		b.c.ring(b.run.ID)
		b.count(func(s *Stats) {
			if first {
				s.Published++
			} else {
				s.Republished++
			}
		})
		return nil
	}
	// The stream saw this message ID lately: the job was published by an
	// earlier attempt, or lost (purged, say). Publish it anew if it is
	// neither in the stream nor answered.
	if present, err := b.pending(ctx, subject); err != nil || present {
		return err
	}
	if done, err := b.answered(ctx, job); done || err != nil {
		return err
	}
	if _, err := b.c.js.PublishMsg(ctx, msg, jetstream.WithMsgID(fmt.Sprintf("%s.%d", job.ID, time.Now().UnixNano()))); err != nil {
		return fmt.Errorf("publishing: %w", err)
	}
	b.c.ring(b.run.ID)
	b.count(func(s *Stats) { s.Republished++ })
	return nil
}

// answered delivers the job's stored result, if it has one.
func (b *Backend) answered(ctx context.Context, job Job) (bool, error) {
	e, err := b.c.results.Get(ctx, resultKey(job.RunID, job.ID))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var r Result
	if err := json.Unmarshal(e.Value(), &r); err != nil {
		return false, fmt.Errorf("result: %w", err)
	}
	b.deliver(job.ID, r)
	return true, nil
}

// pending reports whether the stream holds a message on subject.
func (b *Backend) pending(ctx context.Context, subject string) (bool, error) {
	_, err := b.c.jobs.GetLastMsgForSubject(ctx, subject)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return false, nil
	}
	return err == nil, err
}

func (b *Backend) count(f func(*Stats)) {
	b.mu.Lock()
	f(&b.stats)
	b.mu.Unlock()
}
