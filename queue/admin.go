package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Seen is a worker's presence, renewed every minute while it runs and
// kept ten minutes in SeenBucket.
type Seen struct {
	Worker string    `json:"worker"`
	Build  Build     `json:"build"`
	Slots  int       `json:"slots"`
	Jobs   int64     `json:"jobs"` // jobs handled since it started
	Since  time.Time `json:"since"`
	At     time.Time `json:"at"`
}

// announce puts the worker's presence in SeenBucket now, every seenEvery,
// and once more when ctx is done.
func (c *Conn) announce(ctx context.Context, name string, slots int, jobs *atomic.Int64) {
	since := time.Now().UTC()
	t := time.NewTicker(seenEvery)
	defer t.Stop()
	for last := false; ; {
		b, err := json.Marshal(Seen{Worker: name, Build: ThisBuild(), Slots: slots, Jobs: jobs.Load(), Since: since, At: time.Now().UTC()})
		if err == nil {
			// The last one, as the worker stops, gets a moment of its own.
			pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			_, err = c.js.Publish(pctx, "$KV."+SeenBucket+"."+seenKey(name), b)
			cancel()
		}
		if err != nil && !last {
			c.logf("queue: announcing this worker: %v", err)
		}
		if last {
			return
		}
		select {
		case <-ctx.Done():
			last = true
		case <-t.C:
		}
	}
}

// Status is what a queue holds: its streams, each run's jobs and results,
// and the workers seen in the last ten minutes.
type Status struct {
	Streams []StreamStatus `json:"streams"`
	Runs    []RunStatus    `json:"runs"`
	Workers []Seen         `json:"workers"`
}

// StreamStatus is one stream (or bucket, or object store) of the queue.
type StreamStatus struct {
	Name  string `json:"name"`
	Msgs  uint64 `json:"messages"`
	Bytes uint64 `json:"bytes"`
}

// RunStatus counts one run's jobs waiting in the stream (not yet taken,
// or in training) and its results.
type RunStatus struct {
	ID      string `json:"run"`
	Pending uint64 `json:"pending"`
	Results uint64 `json:"results"`
}

// Status reads the queue's state. It needs a coordinator's rights.
func (c *Conn) Status(ctx context.Context) (*Status, error) {
	if c.role != RoleCoordinator {
		return nil, errors.New("queue: the status needs a coordinator's connection")
	}
	st := &Status{}
	runs := map[string]*RunStatus{}
	run := func(id string) *RunStatus {
		if runs[id] == nil {
			runs[id] = &RunStatus{ID: id}
		}
		return runs[id]
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
		st.Runs = append(st.Runs, *r)
	}
	sort.Slice(st.Runs, func(i, j int) bool { return st.Runs[i].ID < st.Runs[j].ID })

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
	sort.Slice(st.Workers, func(i, j int) bool { return st.Workers[i].Worker < st.Workers[j].Worker })
	return st, nil
}

// ErrNoRun is Purge's error for a run with no jobs and no results.
var ErrNoRun = errors.New("no such run in the queue")

// Purge drops a run's jobs and results, for a run abandoned for good (a
// resume of it would train everything again). It returns how many of
// each it dropped.
func (c *Conn) Purge(ctx context.Context, runID string) (jobs, results uint64, err error) {
	if runID == "" || strings.ContainsAny(runID, ".*> ") {
		return 0, 0, fmt.Errorf("queue: bad run ID %q", runID)
	}
	st, err := c.Status(ctx)
	if err != nil {
		return 0, 0, err
	}
	found := false
	for _, r := range st.Runs {
		if r.ID == runID {
			jobs, results, found = r.Pending, r.Results, true
		}
	}
	if !found {
		return 0, 0, fmt.Errorf("queue: run %s: %w", runID, ErrNoRun)
	}
	if err := c.jobs.Purge(ctx, jetstream.WithPurgeSubject(jobPrefix+runID+".>")); err != nil {
		return 0, 0, fmt.Errorf("queue: purging the jobs of run %s: %w", runID, err)
	}
	rs, err := c.js.Stream(ctx, "KV_"+ResultBucket)
	if err == nil {
		err = rs.Purge(ctx, jetstream.WithPurgeSubject("$KV."+ResultBucket+"."+runID+".>"))
	}
	if err != nil {
		return jobs, 0, fmt.Errorf("queue: purging the results of run %s: %w", runID, err)
	}
	return jobs, results, nil
}
