package queue

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Each run has its own durable pull consumer of the job stream,
// RunConsumer(ID), filtering on the run's subjects and set up by the
// run's coordinator with the run's AckWait: a run's settings are never
// another's. Workers take jobs from every run's consumer in turn.

// The run consumer's metadata: the run's data, for Purge to know which
// data sets a run needs.
const (
	metaData     = "evonas_data"
	metaDataName = "evonas_data_name"
)

// runConsumerConfig is the consumer of run's jobs.
func runConsumerConfig(run Run) jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable:       RunConsumer(run.ID),
		Description:   "evonas jobs of run " + run.ID,
		FilterSubject: jobPrefix + run.ID + ".>",
		AckPolicy:     jetstream.AckExplicitPolicy,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckWait:       run.AckWait,
		MaxDeliver:    MaxDeliverLimit,
		// A consumer whose coordinator died is deleted once no worker has
		// asked it for a job for as long as results are kept; a coordinator
		// creates it again when it needs it.
		InactiveThreshold: resultTTL,
		Metadata:          map[string]string{metaData: run.Data.Fingerprint, metaDataName: run.Data.Name},
	}
}

// ensureRunConsumer creates the consumer of run's jobs, or brings one that
// exists to the run's settings (a resumed run may ask for another
// AckWait), and tells the workers of it.
func (c *Conn) ensureRunConsumer(ctx context.Context, run Run) (jetstream.Consumer, error) {
	cfg := runConsumerConfig(run)
	cons, err := c.jobs.Consumer(ctx, cfg.Durable)
	switch {
	case errors.Is(err, jetstream.ErrConsumerNotFound):
		cons, err = c.jobs.CreateConsumer(ctx, cfg)
		if errors.Is(err, jetstream.ErrConsumerExists) {
			cons, err = c.jobs.CreateOrUpdateConsumer(ctx, cfg)
		}
	case err == nil:
		old := cons.CachedInfo().Config
		if old.AckWait != cfg.AckWait || old.MaxDeliver != cfg.MaxDeliver || old.InactiveThreshold != cfg.InactiveThreshold ||
			old.Metadata[metaData] != cfg.Metadata[metaData] || old.Metadata[metaDataName] != cfg.Metadata[metaDataName] {
			if cons, err = c.jobs.UpdateConsumer(ctx, cfg); err == nil && old.AckWait != cfg.AckWait {
				c.logf("queue: run %s: AckWait %s, was %s", run.ID, cfg.AckWait, old.AckWait)
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("queue: the consumer of run %s on %s: %w", run.ID, c.url, err)
	}
	c.ring(run.ID)
	return cons, nil
}

// ring tells the workers that a run has a new consumer or a new job, so
// that the idle ones look at once. Workers that miss it find the consumer
// at their next listing, the job within idleSlice.
func (c *Conn) ring(runID string) {
	c.nc.Publish(runsSubject, []byte(runID))
}

// runsRefresh is how often a worker lists the run consumers; a new run's
// coordinator also says so on runsSubject, which a worker hears at once.
const runsRefresh = 5 * time.Second

// Waiting for a job when no run has one: a slot asks one run consumer,
// that of its last job if it can, for idleWait when there is one run,
// idleSlice when there are several (a job redelivered to another run is
// then found within idleSlice; a new job rings, see ring).
const (
	idleWait  = 5 * time.Second
	idleSlice = time.Second
)

// runCache is a worker connection's list of the run consumers.
type runCache struct {
	listing sync.Mutex // held while listing, before mu
	mu      sync.Mutex // held briefly: stale runs in NATS's callbacks
	at      time.Time  // of the last listing; zero: list again
	gen     uint64     // stale calls so far
	list    []*runConsumer
	changed chan struct{} // closed, and replaced, by stale
	rung    string        // the run that rang last, at rungAt
	rungAt  time.Time
	turn    atomic.Uint64 // the next run to ask first
	sub     *nats.Subscription

	waitMu  sync.Mutex
	waiters map[*waiter]bool // slots waiting for a job
}

// waiter is a slot waiting on one run's consumer; ch is closed when a job
// may be waiting elsewhere.
type waiter struct {
	run    string
	ch     chan struct{}
	closed bool
}

// runConsumer is a run's consumer as a worker knows it.
type runConsumer struct {
	run     string
	cons    jetstream.Consumer
	ackWait atomic.Int64 // time.Duration, as last listed
	// active: it had jobs waiting or unacknowledged when last listed, or
	// rang since: a run that may have a job for this worker.
	active atomic.Bool
	rang   atomic.Int64 // when it last rang, in Unix nanoseconds
}

// stale makes the next runList list the consumers again, and ends the
// waits for a job.
func (rc *runCache) stale() {
	rc.mu.Lock()
	rc.at = time.Time{}
	rc.gen++
	if rc.changed != nil {
		close(rc.changed)
		rc.changed = nil
	}
	rc.mu.Unlock()
	rc.wake("")
}

// ring handles a coordinator's word that a run has a new job (or a new
// consumer): an unknown run is listed, and the slots waiting on other runs
// stop waiting and look.
func (rc *runCache) ring(runID string) {
	rc.mu.Lock()
	known := false
	for _, r := range rc.list {
		if r.run == runID {
			known = true
			r.rang.Store(time.Now().UnixNano())
			r.active.Store(true)
		}
	}
	rc.rung, rc.rungAt = runID, time.Now()
	rc.mu.Unlock()
	if !known {
		rc.stale()
		return
	}
	rc.wake(runID)
}

// wake ends the waits of the slots waiting on a run other than except
// ("": every run).
func (rc *runCache) wake(except string) {
	rc.waitMu.Lock()
	defer rc.waitMu.Unlock()
	for w := range rc.waiters {
		if !w.closed && (except == "" || w.run != except) {
			close(w.ch)
			w.closed = true
		}
	}
}

// retarget makes w a wait on runID.
func (rc *runCache) retarget(w *waiter, runID string) {
	rc.waitMu.Lock()
	defer rc.waitMu.Unlock()
	w.run = runID
}

// wait registers a slot about to wait on a run ("": on any); done
// unregisters it.
func (rc *runCache) wait(runID string) (w *waiter, done func()) {
	w = &waiter{run: runID, ch: make(chan struct{})}
	rc.waitMu.Lock()
	defer rc.waitMu.Unlock()
	if rc.waiters == nil {
		rc.waiters = map[*waiter]bool{}
	}
	rc.waiters[w] = true
	return w, func() {
		rc.waitMu.Lock()
		defer rc.waitMu.Unlock()
		delete(rc.waiters, w)
	}
}

// watchRuns makes a connection that runs a worker hear of new runs at
// once.
func (c *Conn) watchRuns() error {
	c.runs.mu.Lock()
	defer c.runs.mu.Unlock()
	if c.runs.sub != nil {
		return nil
	}
	sub, err := c.nc.Subscribe(runsSubject, func(m *nats.Msg) { c.runs.ring(string(m.Data)) })
	if err == nil {
		// Subscribed before the first listing: a run that rings before is
		// in that listing.
		err = c.nc.Flush()
	}
	if err != nil {
		return fmt.Errorf("queue: listening for runs on %s: %w", c.url, err)
	}
	c.runs.sub = sub
	return nil
}

// runList returns the run consumers, listed again when stale or older
// than runsRefresh, and a channel closed when the list should be read
// again.
func (c *Conn) runList(ctx context.Context) ([]*runConsumer, <-chan struct{}, error) {
	rc := &c.runs
	fresh := func() ([]*runConsumer, <-chan struct{}, uint64, bool) {
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if rc.changed == nil {
			rc.changed = make(chan struct{})
		}
		return rc.list, rc.changed, rc.gen, !rc.at.IsZero() && time.Since(rc.at) < runsRefresh
	}
	if list, changed, _, ok := fresh(); ok {
		return list, changed, nil
	}
	rc.listing.Lock()
	defer rc.listing.Unlock()
	old, changed, gen, ok := fresh() // another slot may have listed meanwhile
	if ok {
		return old, changed, nil
	}
	known := map[string]*runConsumer{}
	for _, r := range old {
		known[r.run] = r
	}
	lctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	listed := time.Now().UnixNano()
	lister := c.jobs.ListConsumers(lctx)
	var list []*runConsumer
	for info := range lister.Info() {
		id, ok := runOfConsumer(info.Name)
		if !ok {
			continue
		}
		r := known[id]
		if r == nil {
			cons, err := c.jobs.Consumer(lctx, info.Name)
			if err != nil {
				continue // deleted meanwhile, or the next listing will tell
			}
			r = &runConsumer{run: id, cons: cons}
		}
		r.ackWait.Store(int64(info.Config.AckWait))
		// (A run that rang while this listing was on its way stays active.)
		r.active.Store(info.NumPending > 0 || info.NumAckPending > 0 || info.NumRedelivered > 0 || r.rang.Load() >= listed)
		list = append(list, r)
	}
	if err := lister.Err(); err != nil {
		return old, changed, fmt.Errorf("queue: listing the runs on %s: %w", c.url, err)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].run < list[j].run })
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.list = list
	if rc.gen == gen {
		rc.at = time.Now() // else a run came or went while listing: list again
	}
	return rc.list, changed, nil
}

// ackWaitOf is the AckWait of a run's consumer as last listed.
func (c *Conn) ackWaitOf(runID string) time.Duration {
	c.runs.mu.Lock()
	defer c.runs.mu.Unlock()
	for _, r := range c.runs.list {
		if r.run == runID {
			return time.Duration(r.ackWait.Load())
		}
	}
	return 0
}

// take returns the next job for a worker slot. Only the runs that may
// have a job are asked: those with jobs waiting or unacknowledged when
// last listed, or that rang since. They are asked in turn, starting after
// the run the last job of this connection came from, so that jobs of
// every run are taken alike, and a slot waits for a job only when none
// has one: on the run that rang within idleSlice (its new job may not
// have reached its consumer when asked), else on the run of the slot's
// last job (*last), else on the next in turn; with no such run, until a
// run rings or the runs are listed again. It returns nil without an error
// when there was none. changed is runList's.
func (c *Conn) take(ctx context.Context, runs []*runConsumer, changed <-chan struct{}, last *string) (jetstream.Msg, error) {
	// Listening for new jobs before looking: one that comes meanwhile ends
	// the wait at once.
	w, done := c.runs.wait("")
	defer done()
	var active []*runConsumer
	for _, r := range runs {
		if r.active.Load() {
			active = append(active, r)
		}
	}
	n := uint64(len(active))
	start := c.runs.turn.Load()
	c.runs.mu.Lock()
	prefer := *last
	if time.Since(c.runs.rungAt) < idleSlice {
		prefer = c.runs.rung
	}
	c.runs.mu.Unlock()
	var target *runConsumer
	if n > 0 {
		target = active[start%n]
		for _, r := range active {
			if r.run == prefer {
				target = r
			}
		}
	}
	if target != nil {
		c.runs.retarget(w, target.run) // its own rings need not end the wait
	}
	for i := range n {
		r := active[(start+i)%n]
		batch, err := r.cons.FetchNoWait(1)
		var msg jetstream.Msg
		if err == nil {
			msg = <-batch.Messages()
			err = batch.Error()
		}
		if msg != nil {
			c.runs.turn.CompareAndSwap(start, start+i+1)
			*last = r.run
			return msg, nil
		}
		if err != nil {
			if gone(err) {
				c.runs.stale() // deleted: its run is over, or purged
				continue
			}
			return nil, err
		}
	}
	if target == nil {
		t := time.NewTimer(runsRefresh)
		defer t.Stop()
		select {
		case <-w.ch:
		case <-changed:
		case <-ctx.Done():
		case <-c.lost:
		case <-t.C:
		}
		return nil, nil
	}
	select {
	case <-changed:
		return nil, nil // a run came or went since runs was listed
	default:
	}
	wait := idleWait
	if n > 1 {
		c.runs.turn.Add(1) // another run first next time
		wait = idleSlice
	}
	msg, err := c.next(ctx, target.cons, wait, w.ch)
	if err != nil && gone(err) {
		c.runs.stale()
		return nil, nil
	}
	if msg != nil {
		*last = target.run
	}
	return msg, err
}

// gone reports whether a fetch failed because the consumer is no more.
func gone(err error) bool {
	return errors.Is(err, jetstream.ErrConsumerDeleted) || errors.Is(err, jetstream.ErrConsumerNotFound) ||
		errors.Is(err, nats.ErrNoResponders)
}
