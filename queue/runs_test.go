package queue

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
)

// TestPerRunAckWait: two runs on one server with different AckWaits each
// get theirs, the one started last included, and a killed worker's job
// of each goes to another worker after its own run's AckWait, not the
// other's. Before each run had its consumer, the queue's one AckWait
// applied to both.
func TestPerRunAckWait(t *testing.T) {
	const short, long = time.Second, 5 * time.Second
	s := serve(t)
	c := connect(t, s, 0) // AckWait testAckWait (1 s)
	later, err := Connect(context.Background(), Options{URL: s.URL(), AckWait: long})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(later.Close)

	var mu sync.Mutex
	victimStarted := map[string]bool{}
	trained := map[string]time.Time{} // by run, when another worker got its job
	victim, err := Connect(context.Background(), Options{URL: s.URL()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go (&Worker{Slots: 2, hook: func(ctx context.Context, j *Job) error {
		mu.Lock()
		victimStarted[j.RunID] = true
		mu.Unlock()
		<-ctx.Done() // trains until the worker is killed
		return errAbandon
	}}).Run(ctx, victim)

	runShort := startBackend(t, c, RunID("ack wait", "short"))
	runLong := startBackend(t, later, RunID("ack wait", "long"))
	for _, tc := range []struct {
		b    *Backend
		want time.Duration
	}{{runShort, short}, {runLong, long}} {
		info, err := tc.b.consumer().Info(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if info.Config.AckWait != tc.want {
			t.Errorf("run %s's consumer has AckWait %s, want %s", tc.b.run.ID, info.Config.AckWait, tc.want)
		}
	}

	g := poisonGenomes()[0]
	errs := make(chan error, 2)
	for _, b := range []*Backend{runShort, runLong} {
		go func() {
			rec, err := b.Run(context.Background(), fitness.Job{Key: g.Key(), Genome: g, Seed: 3})
			if err == nil && rec.Status != fitness.OK {
				err = errors.New(rec.Reason)
			}
			errs <- err
		}()
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		mu.Lock()
		n := len(victimStarted)
		mu.Unlock()
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the victim took %d of the 2 jobs", n)
		}
	}
	other, err := Connect(context.Background(), Options{URL: s.URL()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(other.Close)
	go (&Worker{Slots: 2, hook: func(_ context.Context, j *Job) error {
		mu.Lock()
		if _, ok := trained[j.RunID]; !ok {
			trained[j.RunID] = time.Now()
		}
		mu.Unlock()
		return nil
	}}).Run(ctx, other)

	// While the victim lives, its heartbeats, every third of each run's
	// AckWait, keep both jobs, the short run's past its AckWait.
	time.Sleep(short + short/2)
	mu.Lock()
	early := len(trained)
	mu.Unlock()
	if early != 0 {
		t.Fatalf("%d jobs went to another worker while the victim was training them", early)
	}
	victim.Close() // killed: no acknowledgement, no more heartbeats
	killed := time.Now()
	for range 2 {
		select {
		case err := <-errs:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(long + 10*time.Second):
			t.Fatal("the killed worker's jobs were not trained by the other")
		}
	}
	mu.Lock()
	tookShort, tookLong := trained[runShort.run.ID].Sub(killed), trained[runLong.run.ID].Sub(killed)
	mu.Unlock()
	t.Logf("after the kill, the job of the run with AckWait %s went to another worker in %.2f s, that of the run with %s in %.2f s",
		short, tookShort.Seconds(), long, tookLong.Seconds())
	// The last heartbeat came at most a third of the AckWait before the
	// kill; the other worker asks for jobs at least every idleSlice.
	if tookShort > short+idleSlice+3*time.Second {
		t.Errorf("the short run's job waited %.2f s, want about %s", tookShort.Seconds(), short)
	}
	if min := long * 2 / 3; tookLong < min {
		t.Errorf("the long run's job went to another worker %.2f s after the kill, before %s (its AckWait %s less a heartbeat)",
			tookLong.Seconds(), min, long)
	}
	if tookShort >= tookLong {
		t.Errorf("the short run's job waited as long as the long run's (%.2f s, %.2f s)", tookShort.Seconds(), tookLong.Seconds())
	}
}

// TestRunsTakenInTurn: a worker takes the jobs of two runs in turn, not
// all of one run first.
func TestRunsTakenInTurn(t *testing.T) {
	s := serve(t)
	c := connect(t, s, 0)
	gs := poisonGenomes()
	var bs []*Backend
	var wg sync.WaitGroup
	for _, name := range []string{"a", "b"} {
		b := startBackend(t, c, RunID("turns", name))
		bs = append(bs, b)
		for _, g := range gs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := b.Run(context.Background(), fitness.Job{Key: g.Key(), Genome: g, Seed: 1}); err != nil {
					t.Error(err)
				}
			}()
		}
	}
	for _, b := range bs {
		for deadline := time.Now().Add(5 * time.Second); b.Stats().Published < len(gs); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("jobs not published: %+v", b.Stats())
			}
		}
	}
	var mu sync.Mutex
	var order []string
	p := &pool{t: t}
	p.start(s, func(_ context.Context, j *Job) error {
		mu.Lock()
		order = append(order, j.RunID)
		mu.Unlock()
		return nil
	})
	wg.Wait()
	if len(order) != 2*len(gs) {
		t.Fatalf("%d jobs trained, want %d", len(order), 2*len(gs))
	}
	for i := 1; i < len(order); i++ {
		if order[i] == order[i-1] {
			t.Errorf("jobs %d and %d of the worker both of run %s; want the runs in turn (order %v)", i, i+1, order[i], order)
			break
		}
	}
}

// loadData is seed-sum with a seed of its own: another data set.
func loadData(t *testing.T, seed uint64) (*dataset.Data, DataRef) {
	t.Helper()
	d, err := dataset.Load("seed-sum", dataset.Options{Seed: seed, Rows: 200})
	if err != nil {
		t.Fatal(err)
	}
	return d, DataRef{Name: "seed-sum", Fingerprint: d.Fingerprint()}
}

// storedData lists the fingerprints in the data store.
func storedData(t *testing.T, c *Conn) []string {
	t.Helper()
	objs, err := c.data.List(context.Background())
	if err != nil && !errors.Is(err, jetstream.ErrNoObjectsFound) {
		t.Fatal(err)
	}
	var fps []string
	for _, o := range objs {
		fps = append(fps, o.Name)
	}
	slices.Sort(fps)
	return fps
}

// TestPurgeData: a finished run's consumer is gone; purging a run drops
// its data set unless another run needs it (has a consumer or pending
// jobs); PurgeData drops the data sets of finished runs and keeps those
// of live ones, which go on working.
func TestPurgeData(t *testing.T) {
	s := serve(t)
	c := connect(t, s, 0)
	g := poisonGenomes()[0]
	dA, refA := loadData(t, 1)
	dB, refB := loadData(t, 2)
	dC, refC := loadData(t, 3)
	if refA.Fingerprint == refB.Fingerprint || refB.Fingerprint == refC.Fingerprint {
		t.Fatal("the test data sets are the same")
	}
	newRun := func(name string, d *dataset.Data, ref DataRef) *Backend {
		b, err := NewBackend(context.Background(), c, Run{ID: RunID("purge data", name), Data: ref, Settings: testSettings, Dataset: d})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b
	}
	// publish runs one job of b, for no worker, and closes b once the job
	// is in the stream: the coordinator is gone, its job waits.
	publish := func(b *Backend) {
		ctx, cancel := context.WithCancel(context.Background())
		go b.Run(ctx, fitness.Job{Key: g.Key(), Genome: g, Seed: 1})
		for deadline := time.Now().Add(5 * time.Second); b.Stats().Published == 0; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("job not published: %+v", b.Stats())
			}
		}
		cancel()
		b.Close()
	}

	// "done" on A: trained, then closed: its consumer is deleted.
	done := newRun("done", dA, refA)
	wctx, stopWorker := context.WithCancel(context.Background())
	workerDone := make(chan struct{})
	go func() {
		defer close(workerDone)
		(&Worker{Slots: 1}).Run(wctx, connect(t, s, 0))
	}()
	if rec, err := done.Run(context.Background(), fitness.Job{Key: g.Key(), Genome: g, Seed: 1}); err != nil || rec.Status != fitness.OK {
		t.Fatalf("run done: %v, %s", err, rec.Status)
	}
	stopWorker()
	<-workerDone
	done.Close()
	live := newRun("live", dB, refB)                 // B, open
	publish(newRun("abandoned on C", dC, refC))      // C, a job waiting
	abandonedB := newRun("abandoned on B", dB, refB) // B too, a job waiting
	publish(abandonedB)

	st, err := c.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	runs := map[string]RunStatus{}
	for _, r := range st.Runs {
		runs[r.ID] = r
	}
	if r := runs[done.run.ID]; r.Consumer || r.Results != 1 {
		t.Errorf("run done: %+v, want its result and no consumer", r)
	}
	if r := runs[live.run.ID]; !r.Consumer || r.Data != refB.Fingerprint || r.AckWaitS != testAckWait.Seconds() {
		t.Errorf("run live: %+v, want its consumer, AckWait %s and data %s", r, testAckWait, refB.Fingerprint)
	}
	if got, want := storedData(t, c), sorted(refA.Fingerprint, refB.Fingerprint, refC.Fingerprint); !slices.Equal(got, want) {
		t.Fatalf("data stored %v, want %v", got, want)
	}

	p, err := c.Purge(context.Background(), RunID("purge data", "abandoned on C"))
	if err != nil || p.Jobs != 1 || !p.Consumer || !slices.Equal(p.Data, []string{refC.Fingerprint}) {
		t.Errorf("purging the run abandoned on C: %+v, %v; want its job, its consumer and data C dropped", p, err)
	}
	p, err = c.Purge(context.Background(), abandonedB.run.ID)
	if err != nil || p.Jobs != 1 || len(p.Data) != 0 {
		t.Errorf("purging the run abandoned on B: %+v, %v; want its job dropped and data B kept (run live needs it)", p, err)
	}
	if got, want := storedData(t, c), sorted(refA.Fingerprint, refB.Fingerprint); !slices.Equal(got, want) {
		t.Errorf("data stored after the purges %v, want %v", got, want)
	}
	dropped, bytes, err := c.PurgeData(context.Background())
	if err != nil || !slices.Equal(dropped, []string{refA.Fingerprint}) || bytes == 0 {
		t.Errorf("PurgeData: %v (%d bytes), %v; want data A, the finished run's", dropped, bytes, err)
	}
	if got, want := storedData(t, c), []string{refB.Fingerprint}; !slices.Equal(got, want) {
		t.Errorf("data stored after PurgeData %v, want %v", got, want)
	}
	// A finished run's purge drops its data, named by its results.
	newRun("store A again", dA, refA).Close()
	p, err = c.Purge(context.Background(), done.run.ID)
	if err != nil || p.Results != 1 || p.Consumer || !slices.Equal(p.Data, []string{refA.Fingerprint}) {
		t.Errorf("purging the finished run: %+v, %v; want its result and data A dropped", p, err)
	}

	// The live run goes on.
	p2 := &pool{t: t}
	p2.start(s, nil)
	if rec, err := live.Run(context.Background(), fitness.Job{Key: g.Key(), Genome: g, Seed: 1}); err != nil || rec.Status != fitness.OK {
		t.Errorf("run live after the purges: %v, status %s (%s)", err, rec.Status, rec.Reason)
	}
}

func sorted(s ...string) []string {
	slices.Sort(s)
	return s
}

// TestDataRestored: a run whose data vanished from the store (deleted by
// hand) stores them again when a worker says so, and its job is trained.
func TestDataRestored(t *testing.T) {
	s := serve(t)
	var log logLines
	c, err := Connect(context.Background(), Options{URL: s.URL(), AckWait: testAckWait, Logf: log.logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	b := startBackend(t, c, RunID("restored"))
	if err := c.data.Delete(context.Background(), b.run.Data.Fingerprint); err != nil {
		t.Fatal(err)
	}
	p := &pool{t: t}
	p.start(s, nil)
	g := poisonGenomes()[0]
	rec, err := b.Run(context.Background(), fitness.Job{Key: g.Key(), Genome: g, Seed: 1})
	if err != nil || rec.Status != fitness.OK {
		t.Fatalf("job: %v, status %s (%s)", err, rec.Status, rec.Reason)
	}
	if !strings.Contains(log.String(), "stored them again") {
		t.Errorf("no word of the data stored again; log:\n%s", log.String())
	}
	if reps := p.jobs(); len(reps) == 0 || !reps[0].Env {
		t.Errorf("worker reports %+v, want the first an environment failure (no data)", reps)
	}
}

// TestLegacyConsumer: a queue an earlier evonas set up, with one consumer
// for every run, is brought to a consumer per run.
func TestLegacyConsumer(t *testing.T) {
	s := serve(t)
	c := connect(t, s, 0)
	if _, err := c.jobs.CreateConsumer(context.Background(), jetstream.ConsumerConfig{Durable: legacyConsumer, FilterSubject: JobSubjects,
		AckPolicy: jetstream.AckExplicitPolicy}); err != nil {
		t.Fatal(err)
	}
	var log logLines
	c2, err := Connect(context.Background(), Options{URL: s.URL(), Logf: log.logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c2.Close)
	if _, err := c2.jobs.Consumer(context.Background(), legacyConsumer); !errors.Is(err, jetstream.ErrConsumerNotFound) {
		t.Errorf("the earlier consumer: %v, want it deleted", err)
	}
	if !strings.Contains(log.String(), "update every worker") {
		t.Errorf("no word of the deletion; log:\n%s", log.String())
	}
	p := &pool{t: t}
	p.start(s, nil)
	g := poisonGenomes()[0]
	if rec, err := startBackend(t, c2, RunID("legacy")).Run(context.Background(), fitness.Job{Key: g.Key(), Genome: g, Seed: 1}); err != nil || rec.Status != fitness.OK {
		t.Errorf("job: %v, status %s", err, rec.Status)
	}
}

// TestRunAfterRun: runs one after the other, their jobs one at a time,
// beside a run that waits for nothing: each job is taken at once (a slot
// waits on the run of its last job, and a coordinator rings for each new
// job), not after a worker's second of waiting on the idle run, and each
// finished run's consumer is deleted.
func TestRunAfterRun(t *testing.T) {
	s := serve(t)
	c := connect(t, s, 0)
	startBackend(t, c, RunID("after", "idle")) // its consumer stays, empty
	p := &pool{t: t}
	p.start(s, nil)
	gs := poisonGenomes()
	start := time.Now()
	for i := range 3 {
		b := startBackend(t, c, RunID("after", fmt.Sprint(i)))
		for _, g := range gs {
			if rec, err := b.Run(context.Background(), fitness.Job{Key: g.Key(), Genome: g, Seed: 1}); err != nil || rec.Status != fitness.OK {
				t.Fatalf("run %d: %v, status %s", i, err, rec.Status)
			}
		}
		b.Close()
		if _, err := c.jobs.Consumer(context.Background(), RunConsumer(b.run.ID)); !errors.Is(err, jetstream.ErrConsumerNotFound) {
			t.Errorf("run %d's consumer after its end: %v, want it deleted", i, err)
		}
	}
	took := time.Since(start)
	t.Logf("%d jobs one at a time in %.2f s", 3*len(gs), took.Seconds())
	if took > 3*time.Second {
		t.Errorf("%d jobs one at a time took %.2f s, want well under a second each", 3*len(gs), took.Seconds())
	}
}

// TestPurgedLiveRun: a live run purged by mistake gets its consumer back
// and publishes its job again, and the job is trained.
func TestPurgedLiveRun(t *testing.T) {
	s := serve(t)
	var log logLines
	c, err := Connect(context.Background(), Options{URL: s.URL(), AckWait: testAckWait, Logf: log.logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	b, err := newBackend(context.Background(), c, testRun(t, RunID("purged live")), 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	g := poisonGenomes()[0]
	type result struct {
		rec fitness.Record
		err error
	}
	done := make(chan result, 1)
	go func() {
		rec, err := b.Run(context.Background(), fitness.Job{Key: g.Key(), Genome: g, Seed: 1})
		done <- result{rec, err}
	}()
	for deadline := time.Now().Add(5 * time.Second); b.Stats().Published == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("job not published")
		}
	}
	if p, err := c.Purge(context.Background(), b.run.ID); err != nil || p.Jobs != 1 || !p.Consumer {
		t.Fatalf("purge: %+v, %v; want its job and consumer dropped", p, err)
	}
	p := &pool{t: t}
	p.start(s, nil)
	select {
	case r := <-done:
		if r.err != nil || r.rec.Status != fitness.OK {
			t.Errorf("job: %v, status %s", r.err, r.rec.Status)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("the job was not trained; log:\n%s", log.String())
	}
	if !strings.Contains(log.String(), "created it again") {
		t.Errorf("no word of the consumer created again; log:\n%s", log.String())
	}
	if st := b.Stats(); st.Republished != 1 {
		t.Errorf("stats %+v, want the job published again", st)
	}
}

// TestIdleRunNotAsked: a worker does not ask a run's consumer for jobs
// while the run has none (so that the consumer of a run whose coordinator
// died idle is deleted by the server once inactive), and takes its next
// job at once.
func TestIdleRunNotAsked(t *testing.T) {
	s := serve(t)
	c := connect(t, s, 0)
	b := startBackend(t, c, RunID("idle"))
	p := &pool{t: t}
	p.start(s, nil)
	for end := time.Now().Add(1500 * time.Millisecond); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		info, err := b.consumer().Info(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if info.NumWaiting != 0 {
			t.Fatalf("a worker is waiting on the consumer of a run without jobs (%d requests)", info.NumWaiting)
		}
	}
	g := poisonGenomes()[0]
	start := time.Now()
	if rec, err := b.Run(context.Background(), fitness.Job{Key: g.Key(), Genome: g, Seed: 1}); err != nil || rec.Status != fitness.OK {
		t.Fatalf("job: %v, status %s", err, rec.Status)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("the job took %.2f s, want it taken at once", took.Seconds())
	}
}
