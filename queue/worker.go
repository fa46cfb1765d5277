package queue

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/evonas/evonas/fitness"
)

// Worker trains the jobs of a queue: each of its slots fetches one job at
// a time from the runs' consumers in turn, trains it with heartbeats,
// stores the result and then acknowledges the job.
type Worker struct {
	// Slots is how many jobs train at once; 0 means the number of CPUs.
	Slots int
	// Name identifies the worker in results; "" means HOST:PID. A name
	// another running worker has is refused (see Run).
	Name string
	// OnJob, when set, sees every job this worker finished or gave back,
	// one call at a time.
	OnJob func(Report)

	data dataCache

	// retry is the delay before a job this worker failed is delivered
	// again, and the unit of its back-off; 0 means a second.
	retry time.Duration

	// every is how often the worker announces itself; 0 means seenEvery.
	every time.Duration

	// hook is a test's: it runs before each training; errAbandon makes
	// the slot drop the job as a crashed worker would.
	hook func(ctx context.Context, j *Job) error

	mu      sync.Mutex   // serializes OnJob
	handled atomic.Int64 // jobs finished or given back
}

// Report is what happened to one job in a worker.
type Report struct {
	JobID    string
	Arch     string
	Record   fitness.Record // the result, when Err is nil
	Err      error          // why this worker could not evaluate the job
	Final    bool           // with Err: the job was recorded as failed (Env: given up); else it goes back to the queue
	Env      bool           // Err is this worker's environment's (*EnvError), not the job's
	Lost     bool           // another result for the job was stored first
	Delivery int            // 1 for the job's first delivery
	Seconds  float64        // wall time in the worker
	Slot     int
}

// EnvError is a failure of a worker's environment, not of the job: data
// it cannot fetch, a job format or build it cannot run. It is never the
// candidate's result: the job goes to another worker, and when none can
// run it the coordinator stops with the error.
type EnvError struct {
	Err     error
	missing string // the fingerprint of data not in the data store
}

func (e *EnvError) Error() string { return e.Err.Error() }
func (e *EnvError) Unwrap() error { return e.Err }

// errAbandon, from a test hook, makes a slot leave its job without an
// acknowledgement, as a crashed worker would.
var errAbandon = errors.New("queue: job abandoned")

// Run trains jobs from c until ctx is cancelled (it then returns nil; the
// jobs in training go back to the queue) or the connection is closed. A
// worker given a Name that another running worker has refuses at once:
// an *OptionError for "name" wrapping a *NameTakenError.
func (w *Worker) Run(ctx context.Context, c *Conn) error {
	p, err := w.start(ctx, c)
	if err != nil {
		return err
	}
	return w.run(ctx, c, p)
}

// start draws the worker's instance and checks its name.
func (w *Worker) start(ctx context.Context, c *Conn) (presence, error) {
	var id [4]byte
	if _, err := rand.Read(id[:]); err != nil {
		return presence{}, err
	}
	host, _ := os.Hostname()
	p := presence{name: w.Name, instance: hex.EncodeToString(id[:]), host: host, pid: os.Getpid(),
		slots: w.Slots, jobs: &w.handled, every: w.every, check: w.Name != ""}
	if p.slots <= 0 {
		p.slots = runtime.NumCPU()
	}
	if p.name == "" {
		// HOST:PID is this process's own: only a given name can be
		// another's.
		p.name = fmt.Sprintf("%s:%d", host, p.pid)
	}
	if p.check {
		if err := c.checkName(ctx, p.name, p.instance, p.every); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (w *Worker) run(ctx context.Context, c *Conn, p presence) error {
	name, slots := p.name, p.slots
	if c.role == RoleCoordinator {
		c.startReaper()
	}
	if err := c.watchRuns(); err != nil {
		return err
	}
	// Announced until every slot is done, the last time with its count.
	actx, stopAnnouncing := context.WithCancel(context.WithoutCancel(ctx))
	announced := make(chan struct{})
	go func() {
		defer close(announced)
		c.announce(actx, p)
	}()
	defer func() {
		stopAnnouncing()
		<-announced
	}()
	errs := make(chan error, slots)
	var wg sync.WaitGroup
	for i := range slots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- w.slot(ctx, c, fmt.Sprintf("%s/%d", name, i+1), i+1)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// slot fetches and trains one job at a time.
func (w *Worker) slot(ctx context.Context, c *Conn, name string, n int) error {
	failures := 0
	last := "" // the run of the slot's last job
	for ctx.Err() == nil {
		runs, changed, err := c.runList(ctx)
		if err == nil && c.noQueue.CompareAndSwap(true, false) {
			c.logf("queue: %s has the queue again", c.url)
		}
		if err == nil && len(runs) == 0 {
			// No run yet: a coordinator's announcement, or the next
			// listing, brings one.
			select {
			case <-changed:
			case <-ctx.Done():
			case <-c.lost:
			case <-time.After(runsRefresh):
			}
			continue
		}
		var msg jetstream.Msg
		if err == nil {
			// One message per pull request, asked for only when the slot
			// is free, so no job waits here while its AckWait runs.
			msg, err = c.take(ctx, runs, changed, &last)
		}
		if err != nil {
			switch {
			case ctx.Err() != nil, isTimeout(err):
			case errors.Is(err, nats.ErrConnectionClosed) || c.nc.IsClosed():
				return fmt.Errorf("queue: the connection to %s is closed", c.url)
			case !c.nc.IsConnected():
				sleep(ctx, c.wait) // reconnecting
			case errors.Is(err, jetstream.ErrStreamNotFound):
				// The server restarted without its store: a coordinator
				// sets the queue up again.
				if c.noQueue.CompareAndSwap(false, true) {
					c.logf("queue: %s has lost the queue (restarted without its store?); waiting for a coordinator to set it up again", c.url)
				}
				sleep(ctx, time.Second)
			default:
				c.logf("queue: fetching a job: %v", err)
				sleep(ctx, time.Second)
			}
			continue
		}
		if msg == nil {
			continue
		}
		if w.handle(ctx, c, msg, name, n) {
			failures = 0
		} else if ctx.Err() == nil {
			// A worker that cannot evaluate jobs (data it cannot read, say)
			// backs off, leaving them to the others.
			failures++
			sleep(ctx, time.Duration(min(failures, 30))*w.retryDelay())
		}
	}
	return nil
}

// handle runs one delivered job and reports whether it went well.
func (w *Worker) handle(ctx context.Context, c *Conn, msg jetstream.Msg, name string, slot int) bool {
	start := time.Now()
	// What is done is stored even when the worker is stopping.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	rep := Report{Delivery: 1, Slot: slot}
	if md, err := msg.Metadata(); err == nil {
		rep.Delivery = int(md.NumDelivered)
	}
	runID, jobID, ok := jobOfSubject(msg.Subject())
	rep.JobID = jobID
	var job Job
	var version struct {
		V          int `json:"v"`
		MaxDeliver int `json:"max_deliver"`
	}
	err := json.Unmarshal(msg.Data(), &version)
	if err == nil && version.V != wireVersion && ok {
		// Another worker, of another evonas, may read it.
		maxd := version.MaxDeliver
		if maxd <= 0 {
			maxd = DefaultMaxDeliver
		}
		w.envFailure(sctx, c, msg, &rep, runID, name,
			&EnvError{Err: fmt.Errorf("job format version %d, this worker reads version %d (run the coordinator's evonas)", version.V, wireVersion)}, maxd)
		w.report(rep, start)
		return false
	}
	if err == nil {
		err = json.Unmarshal(msg.Data(), &job)
	}
	switch {
	case !ok:
		err = fmt.Errorf("job subject %q", msg.Subject())
	case err != nil:
		err = fmt.Errorf("undecodable job: %v", err)
	case job.ID != jobID || job.RunID != runID:
		err = fmt.Errorf("job %s/%s published on the subject of %s/%s", job.RunID, job.ID, runID, jobID)
	}
	if err != nil {
		// Nobody can run this job: record it as failed now.
		rep.Err, rep.Final = err, true
		if ok {
			if _, perr := c.putResult(sctx, runID, jobID, Result{Version: wireVersion, JobID: jobID,
				Record: failedRecord(job.Job, err.Error()), Worker: name, Delivery: rep.Delivery, Build: ThisBuild(), Data: job.Data.Fingerprint}); perr != nil {
				rep.Err = fmt.Errorf("%v; storing the failure: %v", err, perr)
			}
		}
		msg.TermWithReason(err.Error())
		w.report(rep, start)
		return true
	}
	rep.Arch = job.Genome.Arch()
	maxd := job.MaxDeliver
	if maxd <= 0 {
		maxd = DefaultMaxDeliver
	}
	if rep.Delivery > maxd {
		// Every delivery up to the run's limit ended without a word: the
		// workers crashed, were stopped or went silent.
		reason := abandonedReason(uint64(maxd))
		rep.Err, rep.Final = errors.New(reason), true
		if _, perr := c.putResult(sctx, runID, jobID, Result{Version: wireVersion, JobID: jobID,
			Record: failedRecord(job.Job, reason), Worker: name, Delivery: rep.Delivery, Build: ThisBuild(), Data: job.Data.Fingerprint}); perr != nil {
			rep.Err = fmt.Errorf("%v; storing the failure: %v", reason, perr)
			msg.Nak()
		} else {
			msg.TermWithReason(reason)
		}
		w.report(rep, start)
		return true
	}

	rec, err := w.train(ctx, c, msg, &job)
	var env *EnvError
	switch {
	case err == nil:
	case ctx.Err() != nil:
		// Stopping: give the job back at once.
		msg.Nak()
		return true
	case errors.Is(err, errAbandon):
		return true
	case errors.As(err, &env):
		w.envFailure(sctx, c, msg, &rep, runID, name, env, maxd)
		w.report(rep, start)
		return false
	default:
		rep.Err = err
		if rep.Delivery >= maxd {
			// The last delivery: record the failure with its reason.
			rep.Final = true
			reason := fmt.Sprintf("%v (delivery %d of %d)", err, rep.Delivery, maxd)
			if _, perr := c.putResult(sctx, runID, jobID, Result{Version: wireVersion, JobID: jobID,
				Record: failedRecord(job.Job, reason), Worker: name, Delivery: rep.Delivery, Build: ThisBuild(), Data: job.Data.Fingerprint}); perr != nil {
				rep.Err = fmt.Errorf("%v; storing the failure: %v", err, perr)
				msg.Nak()
			} else {
				msg.TermWithReason(reason)
			}
		} else {
			msg.NakWithDelay(w.retryDelay())
		}
		w.report(rep, start)
		return false
	}
	rep.Record = rec
	b, err := json.Marshal(Result{Version: wireVersion, JobID: jobID, Record: rec, Worker: name, Delivery: rep.Delivery, Build: ThisBuild(), Data: job.Data.Fingerprint})
	if err != nil {
		rec = failedRecord(job.Job, fmt.Sprintf("encoding the result: %v", err))
		rep.Record = rec
		b, _ = json.Marshal(Result{Version: wireVersion, JobID: jobID, Record: rec, Worker: name, Delivery: rep.Delivery, Build: ThisBuild(), Data: job.Data.Fingerprint})
	}
	// The result first, then the acknowledgement: a job that left the
	// stream always has its result.
	stored, err := c.createResult(sctx, runID, jobID, b)
	switch {
	case err == nil && !stored:
		rep.Lost = true
	case err != nil:
		rep.Err = fmt.Errorf("storing the result: %v", err)
		msg.Nak()
		w.report(rep, start)
		return false
	}
	// The job may be gone already (buried, or acknowledged by another
	// worker after a redelivery): its result is stored either way. The
	// acknowledgement is not waited for: the server never answers one for
	// a consumer deleted meanwhile (the run ended with this result), and
	// the slot would sit out sctx's ten seconds. One lost with the
	// connection only makes the job come again after its AckWait: trained
	// again, its second result is dropped (createResult keeps the first).
	msg.Ack()
	w.report(rep, start)
	return true
}

// envFailure handles a job this worker cannot run for a reason of its own
// (data, format, build): the job goes back to the queue for another
// worker, and the coordinator hears of it. On the job's last delivery the
// job leaves the queue without a result, and the coordinator stops with
// the reason: an environment's failure is never the candidate's fitness.
func (w *Worker) envFailure(ctx context.Context, c *Conn, msg jetstream.Msg, rep *Report, runID, name string, env *EnvError, maxd int) {
	final := maxd > 0 && rep.Delivery >= maxd
	rep.Err, rep.Env, rep.Final = env, true, final
	// The job leaves the queue (or goes back) before the coordinator
	// hears of it: a coordinator stops only for a job no longer queued.
	if final {
		msg.TermWithReason(env.Error())
	} else {
		msg.NakWithDelay(w.retryDelay())
	}
	t := Trouble{Version: wireVersion, JobID: rep.JobID, Worker: name, Reason: env.Error(), Delivery: rep.Delivery, Final: final,
		MissingData: env.missing != "", Data: env.missing}
	if b, err := json.Marshal(t); err == nil {
		if err := c.nc.Publish(troubleSubject(runID, rep.JobID), b); err != nil {
			c.logf("queue: telling the coordinator about job %s: %v", rep.JobID, err)
		}
	}
}

// train runs a job's evaluation, sending heartbeats to the server until it
// ends: every third of its run's AckWait, as last listed (a resumed run
// may have changed it).
func (w *Worker) train(ctx context.Context, c *Conn, msg jetstream.Msg, job *Job) (rec fitness.Record, err error) {
	beat := func() time.Duration {
		if a := c.ackWaitOf(job.RunID); a > 0 {
			return a / 3
		}
		return MinAckWait / 3
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTimer(beat())
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				msg.InProgress()
				t.Reset(beat())
			}
		}
	}()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("training panicked: %v", p)
		}
	}()
	d, err := w.data.get(ctx, c, job.Data)
	if err != nil {
		return rec, err
	}
	if here := ThisBuild(); !job.AnyBuild && job.Build.Numbers != here.Numbers {
		return rec, &EnvError{Err: fmt.Errorf("this worker's numbers differ from the coordinator's (%s here, %s there): run the coordinator's build, or let the coordinator accept any (--queue-any-build)",
			here, job.Build)}
	}
	limit := DefaultTimeLimit
	if job.LimitS > 0 {
		limit = time.Duration(job.LimitS * float64(time.Second))
	}
	tctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	type outcome struct {
		rec fitness.Record
		err error
	}
	out := make(chan outcome, 1)
	// The training runs on its own goroutine so that one that hangs, even
	// ignoring its context, is left behind at the time limit and the slot
	// goes on.
	go func() {
		defer func() {
			if p := recover(); p != nil {
				out <- outcome{err: fmt.Errorf("training panicked: %v", p)}
			}
		}()
		if w.hook != nil {
			if err := w.hook(tctx, job); err != nil {
				out <- outcome{err: err}
				return
			}
		}
		rec, _, err := fitness.RunWithMedians(tctx, d, job.Settings, job.Genome, job.Seed, job.Medians)
		out <- outcome{rec, err}
	}()
	select {
	case o := <-out:
		if o.err != nil && ctx.Err() == nil && tctx.Err() != nil {
			return rec, fmt.Errorf("the training exceeded the job's time limit of %s", limit)
		}
		return o.rec, o.err
	case <-tctx.Done():
		if ctx.Err() != nil {
			return rec, ctx.Err()
		}
		return rec, fmt.Errorf("the training exceeded the job's time limit of %s", limit)
	}
}

func (w *Worker) retryDelay() time.Duration {
	if w.retry > 0 {
		return w.retry
	}
	return time.Second
}

func (w *Worker) report(r Report, start time.Time) {
	w.handled.Add(1)
	if w.OnJob == nil {
		return
	}
	r.Seconds = time.Since(start).Seconds()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.OnJob(r)
}
