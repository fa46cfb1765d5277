package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/evonas/evonas/fitness"
)

// TestServerGone: a coordinator whose server is gone for longer than it
// tries to reconnect stops with a *StopError; it does not spin
// resubmitting its evaluations.
func TestServerGone(t *testing.T) {
	s, err := Serve(ServerOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Connect(context.Background(), Options{URL: s.URL(), GiveUp: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	b := startBackend(t, c, RunID("gone"))
	d, _ := testData(t)
	ev := fitness.NewEvaluator(d, testSettings, 1, 4)
	ev.SetBackend(b)
	done := make(chan error, 1)
	go func() {
		_, err := ev.Evaluate(context.Background(), poisonGenomes(), 0)
		done <- err
	}()
	for deadline := time.Now().Add(5 * time.Second); b.Stats().Published < len(poisonGenomes()); {
		if time.Now().After(deadline) {
			t.Fatalf("jobs not published: %+v", b.Stats())
		}
		time.Sleep(time.Millisecond)
	}
	s.Close() // no worker: the jobs wait, then the server is gone
	start := time.Now()
	select {
	case err := <-done:
		var stop *StopError
		if !errors.As(err, &stop) || !strings.Contains(err.Error(), "could not reconnect") {
			t.Errorf("Evaluate returned %v, want a StopError about the lost connection", err)
		}
		t.Logf("stopped %.1f s after the server: %v", time.Since(start).Seconds(), err)
	case <-time.After(15 * time.Second):
		t.Fatalf("Evaluate still running 15 s after the server stopped (GiveUp 1 s); stats %+v", b.Stats())
	}
}

// freeAddr returns a loopback address no one listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// logLines collects a connection's warnings.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// TestWorkerBeforeServer: a worker started before the server waits for
// it, says so, and trains once it is up.
func TestWorkerBeforeServer(t *testing.T) {
	addr := freeAddr(t)
	var log logLines
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		c   *Conn
		err error
	}
	connected := make(chan result, 1)
	go func() {
		c, err := Connect(ctx, Options{URL: "nats://" + addr, Forever: true, GiveUp: time.Second, Logf: log.logf})
		connected <- result{c, err}
	}()
	time.Sleep(500 * time.Millisecond)
	select {
	case r := <-connected:
		t.Fatalf("Connect returned before the server started: %v", r.err)
	default:
	}
	s, err := Serve(ServerOptions{Listen: addr, StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	var r result
	select {
	case r = <-connected:
	case <-time.After(10 * time.Second):
		t.Fatal("Connect still waiting 10 s after the server started")
	}
	if r.err != nil {
		t.Fatalf("Connect: %v", r.err)
	}
	t.Cleanup(r.c.Close)
	if !strings.Contains(log.String(), "waiting for it") {
		t.Errorf("no message about waiting; log:\n%s", log.String())
	}
	// It works: a worker on it trains a job.
	w := &Worker{Slots: 1}
	go w.Run(ctx, r.c)
	b := startBackend(t, connect(t, s, 0), RunID("before"))
	g := poisonGenomes()[0]
	rec, err := b.Run(context.Background(), fitness.Job{Key: g.Key(), Genome: g, Seed: 3})
	if err != nil || rec.Status != fitness.OK {
		t.Errorf("job: %v, status %s (%s)", err, rec.Status, rec.Reason)
	}

	// Cancelled while waiting, Connect returns.
	ctx2, cancel2 := context.WithCancel(context.Background())
	go func() { time.Sleep(200 * time.Millisecond); cancel2() }()
	if _, err := Connect(ctx2, Options{URL: "nats://" + freeAddr(t), Forever: true, GiveUp: time.Second}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait: %v, want context.Canceled", err)
	}
}

// TestKilledWorkerDefaultAckWait: with the default settings, the job of
// a worker killed in mid-training goes to another worker within seconds,
// not after 30.
func TestKilledWorkerDefaultAckWait(t *testing.T) {
	s := serve(t)
	c, err := Connect(context.Background(), Options{URL: s.URL()}) // default consumer settings
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	b := startBackend(t, c, RunID("ackwait"))

	victimConn, err := Connect(context.Background(), Options{URL: s.URL()})
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &Worker{Slots: 1, hook: func(ctx context.Context, j *Job) error {
		close(started)
		<-ctx.Done()
		return errAbandon
	}}
	go w.Run(ctx, victimConn)

	g := poisonGenomes()[0]
	type result struct {
		rec fitness.Record
		err error
	}
	done := make(chan result, 1)
	go func() {
		rec, err := b.Run(context.Background(), fitness.Job{Key: g.Key(), Genome: g, Seed: 3})
		done <- result{rec, err}
	}()
	<-started
	victimConn.Close() // killed: no acknowledgement, no heartbeat
	killed := time.Now()
	other, err := Connect(context.Background(), Options{URL: s.URL()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(other.Close)
	go (&Worker{Slots: 1}).Run(ctx, other)
	select {
	case r := <-done:
		if r.err != nil || r.rec.Status != fitness.OK {
			t.Errorf("job: %v, status %s (%s)", r.err, r.rec.Status, r.rec.Reason)
		}
		took := time.Since(killed)
		t.Logf("trained by another worker %.1f s after the kill", took.Seconds())
		if took > 10*time.Second {
			t.Errorf("the job waited %.1f s for the killed worker, want under 10 s", took.Seconds())
		}
	case <-time.After(12 * time.Second):
		t.Fatal("the killed worker's job was not trained 12 s after the kill")
	}
}

// TestTimeLimit: a training that hangs, even deaf to its context, is
// ended by the job's time limit and counts as a failed delivery; the job
// is then a failed evaluation with the reason.
func TestTimeLimit(t *testing.T) {
	s := serve(t)
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })
	p := &pool{t: t}
	p.start(s, func(_ context.Context, j *Job) error {
		<-hang // deaf to its context
		return nil
	})
	run := testRun(t, RunID("limit"))
	run.TimeLimit = 200 * time.Millisecond
	b, err := NewBackend(context.Background(), connect(t, s, 2), run)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	g := poisonGenomes()[0]
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rec, err := b.Run(ctx, fitness.Job{Key: g.Key(), Genome: g, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Status != fitness.Failed || !strings.Contains(rec.Reason, "time limit of 200ms") {
		t.Errorf("status %s, reason %q; want failed, naming the time limit", rec.Status, rec.Reason)
	}
	for deadline := time.Now().Add(2 * time.Second); len(p.jobs()) < 2 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond) // the last report comes after the result
	}
	if n := len(p.jobs()); n != 2 {
		t.Errorf("%d deliveries reported, want 2", n)
	}
}

// TestEnvironmentFailure: a worker that cannot run a job for a reason of
// its own (here: data it cannot get) never makes that the candidate's
// result. Another worker that can run it does; when none can, the
// coordinator stops with the reason and no result is stored, so that a
// resume tries again.
func TestEnvironmentFailure(t *testing.T) {
	d, _ := testData(t)
	gs := poisonGenomes()

	t.Run("no worker can", func(t *testing.T) {
		s := serve(t)
		p := &pool{t: t}
		p.start(s, nil)
		p.start(s, nil)
		c := connect(t, s, 2)
		// Data the workers cannot get: the coordinator never stored them.
		run := testRun(t, RunID("env", "none"))
		run.Dataset, run.Data.Fingerprint = nil, "sha256:0123456789abcdef0123456789abcdef"
		b, err := NewBackend(context.Background(), c, run)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		ev := fitness.NewEvaluator(d, testSettings, 1, 4)
		ev.SetBackend(b)
		done := make(chan error, 1)
		go func() {
			_, err := ev.Evaluate(context.Background(), gs[:1], 0)
			done <- err
		}()
		select {
		case err := <-done:
			var stop *StopError
			if !errors.As(err, &stop) || !strings.Contains(err.Error(), "not in the data store") {
				t.Errorf("Evaluate returned %v, want a StopError naming the missing data", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Evaluate still waiting 10 s after the jobs were published")
		}
		// No result: a resume tries again.
		keys, err := c.results.ListKeys(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for k := range keys.Keys() {
			t.Errorf("result %s stored for a job no worker could run", k)
		}
		for _, r := range p.jobs() {
			if !r.Env {
				t.Errorf("job %s: report %+v, want an environment failure", r.JobID, r)
			}
		}
	})

	t.Run("another worker can", func(t *testing.T) {
		s := serve(t)
		p := &pool{t: t}
		var refused atomic.Int32
		p.start(s, func(context.Context, *Job) error {
			refused.Add(1)
			return &EnvError{Err: errors.New("no GPU here")}
		})
		var log logLines
		c, err := Connect(context.Background(), Options{URL: s.URL(), MaxDeliver: 3, AckWait: testAckWait, Logf: log.logf})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
		b := startBackend(t, c, RunID("env", "other"))
		ev := fitness.NewEvaluator(d, testSettings, 1, 4)
		ev.SetBackend(b)
		// The good worker comes once the bad one has refused a job.
		go func() {
			for refused.Load() == 0 {
				time.Sleep(time.Millisecond)
			}
			p.start(s, nil)
		}()
		recs, err := ev.Evaluate(context.Background(), gs, 0)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range recs {
			if r.Status != fitness.OK {
				t.Errorf("genome %d: status %s (%s), want ok", i, r.Status, r.Reason)
			}
		}
		if !strings.Contains(log.String(), "no GPU here") {
			t.Errorf("the coordinator did not warn about the refusing worker; log:\n%s", log.String())
		}
	})
}

// TestPerRunSettings: two runs on one queue with different MaxDeliver
// each get theirs; a later connection asking for another AckWait does not
// change the first run's.
func TestPerRunSettings(t *testing.T) {
	s := serve(t)
	first := connect(t, s, 2) // AckWait testAckWait
	second, err := Connect(context.Background(), Options{URL: s.URL(), MaxDeliver: 4, AckWait: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(second.Close)
	p := &pool{t: t}
	var mu sync.Mutex
	tries := map[string]int{}
	for range 2 {
		p.start(s, func(_ context.Context, j *Job) error {
			mu.Lock()
			tries[j.RunID]++
			mu.Unlock()
			return errors.New("out of memory")
		})
	}
	g := poisonGenomes()[0]
	var backends []*Backend
	for _, tc := range []struct {
		c    *Conn
		name string
		want int
	}{{first, "two", 2}, {second, "four", 4}} {
		b := startBackend(t, tc.c, RunID("per run", tc.name))
		backends = append(backends, b)
		rec, err := b.Run(context.Background(), fitness.Job{Key: g.Key(), Genome: g, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		n := tries[b.run.ID]
		mu.Unlock()
		if n != tc.want || rec.Status != fitness.Failed {
			t.Errorf("run %s: %d tries, status %s; want %d tries, failed", tc.name, n, rec.Status, tc.want)
		}
	}
	for i, want := range []time.Duration{testAckWait, time.Minute} {
		info, err := backends[i].consumer().Info(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if info.Config.AckWait != want {
			t.Errorf("run %d's consumer has AckWait %s, want %s", i+1, info.Config.AckWait, want)
		}
	}
}

// TestForgedTrouble: a report that a job was given up, while the job is
// still queued, does not stop the coordinator.
func TestForgedTrouble(t *testing.T) {
	s := serve(t)
	var log logLines
	c, err := Connect(context.Background(), Options{URL: s.URL(), AckWait: testAckWait, Logf: log.logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	b := startBackend(t, c, RunID("forged trouble"))
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
	for b.Stats().Published == 0 {
		time.Sleep(time.Millisecond)
	}
	id := JobID(b.run.ID, 0, g.Key())
	forged, _ := json.Marshal(Trouble{Version: wireVersion, JobID: id, Worker: "forger", Reason: "made up", Delivery: 3, Final: true})
	if err := c.nc.Publish(troubleSubject(b.run.ID, id), forged); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(log.String(), "ignoring worker forger"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no word of the forged report; log:\n%s", log.String())
		}
	}
	p := &pool{t: t}
	p.start(s, nil)
	select {
	case r := <-done:
		if r.err != nil || r.rec.Status != fitness.OK {
			t.Errorf("job: %v, status %s; want it trained", r.err, r.rec.Status)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the job was not trained")
	}
}
