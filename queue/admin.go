package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Seen is a worker's presence, renewed every minute while it runs and
// kept ten minutes in SeenBucket, one entry per worker process (Instance):
// two processes of one name, or a worker and its restart, are two
// entries.
type Seen struct {
	Worker string    `json:"worker"`
	Build  Build     `json:"build"`
	Slots  int       `json:"slots"`
	Jobs   int64     `json:"jobs"` // jobs handled since it started
	Since  time.Time `json:"since"`
	At     time.Time `json:"at"`
	// Instance is random, drawn when the worker starts (Worker.Run): it
	// tells apart two workers of one name. "" from an earlier evonas.
	Instance string `json:"instance,omitempty"`
	Host     string `json:"host,omitempty"`
	PID      int    `json:"pid,omitempty"`
	// Stopped: the worker's last entry, written as it stopped.
	Stopped bool `json:"stopped,omitempty"`
}

// presence is what a worker announces of itself.
type presence struct {
	name, instance, host string
	pid, slots           int
	jobs                 *atomic.Int64
	every                time.Duration // between announcements; 0: seenEvery
	check                bool          // look for other workers of the name at each announcement
}

// announce puts the worker's presence in SeenBucket now, every p.every,
// and once more, marked stopped, when ctx is done. With p.check, it warns
// of each other running worker of its name it finds at an announcement.
func (c *Conn) announce(ctx context.Context, p presence) {
	since := time.Now().UTC()
	every := p.every
	if every <= 0 {
		every = seenEvery
	}
	t := time.NewTicker(every)
	defer t.Stop()
	warned := map[string]bool{}
	for last, first := false, true; ; first = false {
		b, err := json.Marshal(Seen{Worker: p.name, Build: ThisBuild(), Slots: p.slots, Jobs: p.jobs.Load(), Since: since, At: time.Now().UTC(),
			Instance: p.instance, Host: p.host, PID: p.pid, Stopped: last})
		if err == nil {
			// The last one, as the worker stops, gets a moment of its own.
			pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			_, err = c.js.Publish(pctx, "$KV."+SeenBucket+"."+instanceKey(p.name, p.instance), b)
			cancel()
		}
		if err != nil && !last {
			c.logf("queue: announcing this worker: %v", err)
		}
		if last {
			return
		}
		if p.check && !first {
			// Two workers that started together both found the name
			// free; one that lost the server for longer than the window
			// found it free on its return. Each says so.
			others, err := c.namesakes(ctx, p.name, p.instance, every)
			if err == nil {
				for _, o := range others {
					if !warned[o.Instance] {
						warned[o.Instance] = true
						c.logf("queue: %s; results and queue status cannot tell which of the two trained a job: stop one and start it with another --name", o.describe(p.name))
					}
				}
			}
		}
		select {
		case <-ctx.Done():
			last = true
		case <-t.C:
		}
	}
}

// aliveWithin is how recent an entry of a worker announcing itself every
// every (0: seenEvery) shows it running: one announcement may come late.
func aliveWithin(every time.Duration) time.Duration {
	if every <= 0 {
		every = seenEvery
	}
	return every * 3 / 2
}

// namesake is another worker's entry of a name, and how long ago the
// server stored it.
type namesake struct {
	Seen
	age time.Duration
}

func (o namesake) describe(name string) string {
	where := ""
	if o.Host != "" {
		where = fmt.Sprintf("on %s (PID %d), ", o.Host, o.PID)
	}
	inst := o.Instance
	if inst == "" {
		inst = "of an earlier evonas"
	}
	return fmt.Sprintf("another worker named %q is running: %sinstance %s, seen %s ago", name, where, inst, o.age.Round(time.Second))
}

// namesakes lists the other workers named name (of instances other than
// instance) that are running: an entry stored within aliveWithin(every),
// not of a worker that stopped, nor of a process of this host that is
// gone (crashed, killed: its restart takes its name at once). It reads
// only the name's own entries, with a worker's rights.
func (c *Conn) namesakes(ctx context.Context, name, instance string, every time.Duration) ([]namesake, error) {
	s, err := c.js.Stream(ctx, "KV_"+SeenBucket)
	if err != nil {
		return nil, fmt.Errorf("queue: bucket %s: %w", SeenBucket, err)
	}
	prefix := "$KV." + SeenBucket + "."
	info, err := s.Info(ctx, jetstream.WithSubjectFilter(prefix+nameKey(name)+".*"))
	if err != nil {
		return nil, fmt.Errorf("queue: bucket %s: %w", SeenBucket, err)
	}
	// An earlier evonas's entry is under the name alone.
	subjects := []string{prefix + seenKey(name)}
	for subj := range info.State.Subjects {
		subjects = append(subjects, subj)
	}
	host, _ := os.Hostname()
	var out []namesake
	for _, subj := range subjects {
		m, err := s.GetLastMsgForSubject(ctx, subj)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("queue: bucket %s: %w", SeenBucket, err)
		}
		var o namesake
		if json.Unmarshal(m.Data, &o.Seen) != nil || o.Worker != name || o.Instance == instance || o.Stopped {
			continue
		}
		if o.age = time.Since(m.Time); o.age > aliveWithin(every) {
			continue
		}
		if o.Host != "" && o.Host == host && o.PID != os.Getpid() && !processAlive(o.PID) {
			continue
		}
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].age < out[j].age })
	return out, nil
}

// NameTakenError is a worker's refusal to start under the name of a
// worker that runs: the two would be one in queue status and in results.
type NameTakenError struct {
	Name  string
	Other Seen          // the running worker's entry
	Age   time.Duration // how long ago it was stored
}

func (e *NameTakenError) Error() string {
	return fmt.Sprintf("%s; give this worker another --name (or none: HOST:PID)", namesake{e.Other, e.Age}.describe(e.Name))
}

// checkName refuses, with a *NameTakenError under the option "name", a
// name that another running worker has.
func (c *Conn) checkName(ctx context.Context, name, instance string, every time.Duration) error {
	others, err := c.namesakes(ctx, name, instance, every)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// A server whose worker permissions predate the check (it reads
		// the presence bucket) refuses it: the worker runs as before,
		// unchecked, rather than not at all.
		c.logf("queue: cannot check that no other worker is named %q (%v); running unchecked: give the workers' permissions those of docs/distributed.md", name, err)
		return nil
	}
	if len(others) > 0 {
		o := others[0]
		if o.Instance == "" {
			// An earlier evonas marks no stopped entry: its worker may
			// have stopped a moment ago, before this one's update.
			c.logf("queue: %s, or stopped within the last %s; if it runs, results and queue status cannot tell the two apart", o.describe(name), aliveWithin(every))
			return nil
		}
		return &OptionError{"name", &NameTakenError{Name: name, Other: o.Seen, Age: o.age}}
	}
	return nil
}

// Status is what a queue holds: its streams, each run's jobs and results,
// the data sets, and the workers seen in the last ten minutes.
type Status struct {
	Streams []StreamStatus `json:"streams"`
	Runs    []RunStatus    `json:"runs"`
	Data    []DataStatus   `json:"data"`
	Workers []Seen         `json:"workers"`
}

// StreamStatus is one stream (or bucket, or object store) of the queue.
type StreamStatus struct {
	Name  string `json:"name"`
	Msgs  uint64 `json:"messages"`
	Bytes uint64 `json:"bytes"`
}

// RunStatus is one run: its jobs waiting in the stream (not yet taken, or
// in training), its results, and its consumer (Consumer false: none, the
// run is over, or its jobs wait for its coordinator to come back).
type RunStatus struct {
	ID       string  `json:"run"`
	Pending  uint64  `json:"pending"`
	Results  uint64  `json:"results"`
	Consumer bool    `json:"consumer"`
	AckWaitS float64 `json:"ack_wait_s,omitempty"` // the consumer's
	// Data is the fingerprint of the run's data, known from its consumer,
	// its pending jobs or its results (without the data's name).
	Data     string `json:"data,omitempty"`
	DataName string `json:"data_name,omitempty"`
}

// needsData reports whether the run needs its data in the store: it has
// a consumer (its coordinator may publish more jobs) or pending jobs.
func (r RunStatus) needsData() bool { return r.Data != "" && (r.Consumer || r.Pending > 0) }

// DataStatus is a data set in DataStore, and the runs that need it.
type DataStatus struct {
	Fingerprint string   `json:"fingerprint"`
	Bytes       uint64   `json:"bytes"`
	Runs        []string `json:"runs"`
}

// Status reads the queue's state. It needs a coordinator's rights.
func (c *Conn) Status(ctx context.Context) (*Status, error) {
	if c.role == RoleWorker {
		return nil, errors.New("queue: the status needs a coordinator's or an administrator's connection")
	}
	st := &Status{}
	// The data sets before the runs: a run's coordinator creates its
	// consumer before it stores its data, so a data set listed here
	// that a starting run needs has that run's consumer listed below.
	store, err := c.dataStore(ctx)
	if err != nil {
		return nil, fmt.Errorf("queue: object store %s: %w", DataStore, err)
	}
	objs, err := store.List(ctx)
	if err != nil && !errors.Is(err, jetstream.ErrNoObjectsFound) {
		return nil, fmt.Errorf("queue: object store %s: %w", DataStore, err)
	}
	for _, o := range objs {
		st.Data = append(st.Data, DataStatus{Fingerprint: o.Name, Bytes: o.Size})
	}

	runs := map[string]*RunStatus{}
	run := func(id string) *RunStatus {
		if runs[id] == nil {
			runs[id] = &RunStatus{ID: id}
		}
		return runs[id]
	}
	lister := c.jobs.ListConsumers(ctx)
	for info := range lister.Info() {
		if id, ok := runOfConsumer(info.Name); ok {
			r := run(id)
			r.Consumer, r.AckWaitS = true, info.Config.AckWait.Seconds()
			r.Data, r.DataName = info.Config.Metadata[metaData], info.Config.Metadata[metaDataName]
		}
	}
	if err := lister.Err(); err != nil {
		return nil, fmt.Errorf("queue: the consumers of %s: %w", JobStream, err)
	}
	for _, name := range []string{JobStream, "KV_" + ResultBucket, "OBJ_" + DataStore, DeadStream, "KV_" + SeenBucket} {
		s, err := c.js.Stream(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("queue: stream %s: %w", name, err)
		}
		var opts []jetstream.StreamInfoOpt
		switch name {
		case JobStream:
			opts = append(opts, jetstream.WithSubjectFilter(JobSubjects))
		case "KV_" + ResultBucket:
			opts = append(opts, jetstream.WithSubjectFilter("$KV."+ResultBucket+".>"))
		}
		info, err := s.Info(ctx, opts...)
		if err != nil {
			return nil, fmt.Errorf("queue: stream %s: %w", name, err)
		}
		st.Streams = append(st.Streams, StreamStatus{Name: name, Msgs: info.State.Msgs, Bytes: info.State.Bytes})
		for subj, n := range info.State.Subjects {
			switch name {
			case JobStream:
				if id, _, ok := jobOfSubject(subj); ok {
					run(id).Pending += n
				}
			case "KV_" + ResultBucket:
				key := strings.TrimPrefix(subj, "$KV."+ResultBucket+".")
				if id, _, ok := strings.Cut(key, "."); ok {
					run(id).Results += n
				}
			}
		}
	}
	for _, r := range runs {
		if r.Data == "" && r.Pending > 0 {
			// Jobs without a consumer: their data are in their messages.
			if m, err := c.jobs.GetMsg(ctx, 1, jetstream.WithGetMsgSubject(jobPrefix+r.ID+".>")); err == nil {
				var job Job
				if json.Unmarshal(m.Data, &job) == nil {
					r.Data, r.DataName = job.Data.Fingerprint, job.Data.Name
				}
			}
		}
		if r.Data == "" && r.Results > 0 {
			// A finished run: its results name its data.
			if rs, err := c.js.Stream(ctx, "KV_"+ResultBucket); err == nil {
				if m, err := rs.GetMsg(ctx, 1, jetstream.WithGetMsgSubject("$KV."+ResultBucket+"."+r.ID+".>")); err == nil {
					var res Result
					if json.Unmarshal(m.Data, &res) == nil {
						r.Data = res.Data
					}
				}
			}
		}
		st.Runs = append(st.Runs, *r)
	}
	sort.Slice(st.Runs, func(i, j int) bool { return st.Runs[i].ID < st.Runs[j].ID })
	for i := range st.Data {
		d := &st.Data[i]
		for _, r := range st.Runs {
			if r.needsData() && r.Data == d.Fingerprint {
				d.Runs = append(d.Runs, r.ID)
			}
		}
	}

	keys, err := c.seen.ListKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("queue: bucket %s: %w", SeenBucket, err)
	}
	for k := range keys.Keys() {
		e, err := c.seen.Get(ctx, k)
		if err != nil {
			continue // gone meanwhile
		}
		var s Seen
		if json.Unmarshal(e.Value(), &s) == nil {
			st.Workers = append(st.Workers, s)
		}
	}
	sort.Slice(st.Workers, func(i, j int) bool {
		a, b := st.Workers[i], st.Workers[j]
		if a.Worker != b.Worker {
			return a.Worker < b.Worker
		}
		return a.Since.Before(b.Since)
	})
	return st, nil
}

// ErrNoRun is Purge's error for a run with no jobs, no results and no
// consumer.
var ErrNoRun = errors.New("no such run in the queue")

// Purged is what Purge dropped.
type Purged struct {
	Jobs, Results uint64
	Consumer      bool     // the run's consumer
	Data          []string // fingerprints of the data sets dropped
	DataBytes     uint64
}

// Purge drops a run's jobs, results and consumer, for a run abandoned for
// good (a resume of it would train everything again), and its data set
// (named by its consumer, its jobs or its results) unless another run
// needs it (has a consumer or pending jobs).
func (c *Conn) Purge(ctx context.Context, runID string) (Purged, error) {
	var p Purged
	if runID == "" || strings.ContainsAny(runID, ".*> ") {
		return p, fmt.Errorf("queue: bad run ID %q", runID)
	}
	st, err := c.Status(ctx)
	if err != nil {
		return p, err
	}
	var this *RunStatus
	for i, r := range st.Runs {
		if r.ID == runID {
			this = &st.Runs[i]
		}
	}
	if this == nil {
		return p, fmt.Errorf("queue: run %s: %w", runID, ErrNoRun)
	}
	// The consumer first: no worker takes a job being purged.
	if err := c.jobs.DeleteConsumer(ctx, RunConsumer(runID)); err == nil {
		p.Consumer = true
	} else if !errors.Is(err, jetstream.ErrConsumerNotFound) {
		return p, fmt.Errorf("queue: deleting the consumer of run %s: %w", runID, err)
	}
	if err := c.jobs.Purge(ctx, jetstream.WithPurgeSubject(jobPrefix+runID+".>")); err != nil {
		return p, fmt.Errorf("queue: purging the jobs of run %s: %w", runID, err)
	}
	p.Jobs = this.Pending
	rs, err := c.js.Stream(ctx, "KV_"+ResultBucket)
	if err == nil {
		err = rs.Purge(ctx, jetstream.WithPurgeSubject("$KV."+ResultBucket+"."+runID+".>"))
	}
	if err != nil {
		return p, fmt.Errorf("queue: purging the results of run %s: %w", runID, err)
	}
	p.Results = this.Results
	if this.Data != "" {
		p.Data, p.DataBytes, err = c.dropData(ctx, this.Data)
	}
	return p, err
}

// PurgeData drops every data set that no run needs (has a consumer or
// pending jobs): those of finished and purged runs. A run that starts
// again stores its data again. It returns the fingerprints dropped and
// their size.
func (c *Conn) PurgeData(ctx context.Context) ([]string, uint64, error) {
	return c.dropData(ctx, "")
}

// dropData drops the data sets no run needs, of fingerprint only if not
// "".
func (c *Conn) dropData(ctx context.Context, only string) (dropped []string, bytes uint64, err error) {
	st, err := c.Status(ctx)
	if err != nil {
		return nil, 0, err
	}
	store, err := c.dataStore(ctx)
	if err != nil {
		return nil, 0, err
	}
	for _, d := range st.Data {
		if len(d.Runs) > 0 || only != "" && d.Fingerprint != only {
			continue
		}
		if err := store.Delete(ctx, d.Fingerprint); err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
			return dropped, bytes, fmt.Errorf("queue: deleting data %s from %s: %w", shortFP(d.Fingerprint), DataStore, err)
		}
		dropped, bytes = append(dropped, d.Fingerprint), bytes+d.Bytes
	}
	return dropped, bytes, nil
}
