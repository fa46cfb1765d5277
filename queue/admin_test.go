package queue

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/evonas/evonas/fitness"
)

// TestStatusPurge: the status counts each run's pending jobs and results
// and lists the workers seen; purging a run drops its jobs and results
// and nothing of the others.
func TestStatusPurge(t *testing.T) {
	s := serve(t)
	c := connect(t, s, 0)
	gs := poisonGenomes()

	// Run "done": one job, trained by a worker.
	wc := connect(t, s, 0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	workerDone := make(chan struct{})
	go func() {
		defer close(workerDone)
		(&Worker{Slots: 1, Name: "box-1"}).Run(ctx, wc)
	}()
	done := startBackend(t, c, RunID("status", "done"))
	if _, err := done.Run(context.Background(), fitness.Job{Key: gs[0].Key(), Genome: gs[0], Seed: 1}); err != nil {
		t.Fatal(err)
	}
	cancel()
	<-workerDone

	// Run "waiting": three jobs and no worker.
	waiting := startBackend(t, c, RunID("status", "waiting"))
	wctx, wcancel := context.WithCancel(context.Background())
	for _, g := range gs[1:] {
		go waiting.Run(wctx, fitness.Job{Key: g.Key(), Genome: g, Seed: 1})
	}
	defer wcancel()
	for deadline := time.Now().Add(5 * time.Second); waiting.Stats().Published < 3; {
		if time.Now().After(deadline) {
			t.Fatalf("jobs not published: %+v", waiting.Stats())
		}
		time.Sleep(time.Millisecond)
	}

	st, err := c.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	runs := map[string]RunStatus{}
	for _, r := range st.Runs {
		runs[r.ID] = r
	}
	if r := runs[done.run.ID]; r.Results != 1 || r.Pending != 0 {
		t.Errorf("run done: %+v, want 1 result, none pending", r)
	}
	if r := runs[waiting.run.ID]; r.Results != 0 || r.Pending != 3 {
		t.Errorf("run waiting: %+v, want 3 pending, no result", r)
	}
	if len(st.Workers) != 1 || st.Workers[0].Worker != "box-1" || st.Workers[0].Build != ThisBuild() || st.Workers[0].Jobs != 1 {
		t.Errorf("workers seen %+v, want box-1 of this build with 1 job", st.Workers)
	}

	p, err := c.Purge(context.Background(), waiting.run.ID)
	if err != nil || p.Jobs != 3 || p.Results != 0 {
		t.Errorf("purge: %d jobs, %d results, %v; want 3, 0", p.Jobs, p.Results, err)
	}
	st, err = c.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Runs) != 1 || st.Runs[0].ID != done.run.ID || st.Runs[0].Results != 1 {
		t.Errorf("runs after the purge %+v, want only run done with its result", st.Runs)
	}
	if _, err := c.Purge(context.Background(), RunID("never")); !errors.Is(err, ErrNoRun) {
		t.Errorf("purging an unknown run: %v, want ErrNoRun", err)
	}
	if _, err := c.Purge(context.Background(), "a.b"); err == nil {
		t.Error("purging a bad run ID: no error")
	}
}

// TestAdminCreatesNothing: an administrator's connection (queue status,
// queue purge) to a server without a queue says so and leaves the server
// as it was, where a coordinator's would set a queue up; once a
// coordinator has, it reads the status.
func TestAdminCreatesNothing(t *testing.T) {
	s := serve(t)
	ctx := context.Background()
	_, err := Connect(ctx, Options{URL: s.URL(), Role: RoleAdmin})
	if !errors.Is(err, errNoQueue) {
		t.Fatalf("admin connection to an empty server: %v, want %v", err, errNoQueue)
	}
	nc, err := nats.Connect(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n := range js.StreamNames(ctx).Name() {
		names = append(names, n)
	}
	if len(names) != 0 {
		t.Fatalf("an admin connection created streams %v", names)
	}
	connect(t, s, 0)
	a, err := Connect(ctx, Options{URL: s.URL(), Role: RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if st, err := a.Status(ctx); err != nil || len(st.Runs) != 0 {
		t.Errorf("status of an idle queue: %+v, %v; want no run", st, err)
	}
}
