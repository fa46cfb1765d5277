package queue

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	crand "crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/search"
)

// testAckWait is short so that redeliveries come quickly.
const testAckWait = time.Second

func testData(t testing.TB) (*dataset.Data, DataRef) {
	t.Helper()
	opts := dataset.Options{Seed: 1, Rows: 200}
	d, err := dataset.Load("seed-sum", opts)
	if err != nil {
		t.Fatal(err)
	}
	return d, DataRef{Name: "seed-sum", Fingerprint: d.Fingerprint()}
}

var testSettings = fitness.Settings{Epochs: 3}

func testSpace() genome.Space {
	return genome.Space{
		Layers:      genome.IntRange{Min: 1, Max: 2},
		Width:       genome.IntRange{Min: 2, Max: 12},
		Activations: []string{"relu", "tanh"},
		LR:          genome.FloatRange{Min: 1e-3, Max: 3e-2},
		Batches:     []int{16, 32},
		Optimizers:  []string{"adam"},
	}
}

func searchSettings() search.Settings {
	return search.Settings{
		Model: "generational", Population: 8, Generations: 2, Islands: 1, Migrants: 1,
		Selection: "tournament", TournamentSize: 2, Elitism: 1, Speciation: "none", Species: 2,
		CrossoverRate: 0.5, MutationRate: 0.8, Rates: genome.DefaultRates(), HallOfFame: 3,
		SampleSize: 3, KeepBest: true, Seed: 7,
	}
}

// serve starts an embedded server on a free loopback port with its store
// in a temporary directory.
func serve(t testing.TB) *Server {
	t.Helper()
	s, err := Serve(ServerOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func connect(t testing.TB, s *Server, maxDeliver int) *Conn {
	t.Helper()
	c, err := Connect(context.Background(), Options{URL: s.URL(), MaxDeliver: maxDeliver, AckWait: testAckWait})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// pool is a set of workers, each on its own connection.
type pool struct {
	t       testing.TB
	mu      sync.Mutex
	reports []Report
	stops   []func()
}

// start starts a worker of one slot on its own connection; its stop
// function cancels it and closes the connection.
func (p *pool) start(s *Server, hook func(context.Context, *Job) error) (stop func()) {
	c := connect(p.t, s, 0)
	ctx, cancel := context.WithCancel(context.Background())
	w := &Worker{Slots: 1, retry: 100 * time.Millisecond, hook: hook, OnJob: func(r Report) {
		p.mu.Lock()
		p.reports = append(p.reports, r)
		p.mu.Unlock()
	}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx, c)
	}()
	stop = sync.OnceFunc(func() {
		c.Close()
		cancel()
		<-done
	})
	p.mu.Lock()
	p.stops = append(p.stops, stop)
	p.mu.Unlock()
	p.t.Cleanup(stop)
	return stop
}

func (p *pool) jobs() []Report {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Report(nil), p.reports...)
}

// collector is a search observer that keeps the evaluations.
type collector struct {
	mu    sync.Mutex
	evals []fitness.Record
	on    func(n int) // after each evaluation, with the count so far
}

func (c *collector) Evaluated(r fitness.Record) {
	c.mu.Lock()
	c.evals = append(c.evals, r)
	n := len(c.evals)
	c.mu.Unlock()
	if c.on != nil {
		c.on(n)
	}
}

func (c *collector) Generation(search.GenerationStats) {}

func (c *collector) records() []fitness.Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]fitness.Record(nil), c.evals...)
}

// evolve runs the test search with ev, through b when it is not nil.
func evolve(ctx context.Context, d *dataset.Data, b fitness.Backend, workers int, preload []fitness.Record, on func(int)) ([]fitness.Record, error) {
	ev := fitness.NewEvaluator(d, testSettings, searchSettings().Seed, workers)
	if b != nil {
		ev.SetBackend(b)
	}
	ev.Preload(preload)
	c := &collector{on: on}
	_, err := search.Evolve(ctx, testSpace(), ev, searchSettings(), c)
	return c.records(), err
}

// untimed lists records without what depends on when and where they ran,
// sorted.
func untimed(recs []fitness.Record) []string {
	var out []string
	for _, r := range recs {
		r.Index, r.TrainS, r.Worker, r.Build = 0, 0, "", ""
		b, err := json.Marshal(r)
		if err != nil {
			panic(err)
		}
		out = append(out, string(b))
	}
	sort.Strings(out)
	return out
}

func sameRecords(t *testing.T, got, want []fitness.Record) {
	t.Helper()
	g, w := untimed(got), untimed(want)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("the queued run's evaluations differ from the local run's:\n got %d: %s\nwant %d: %s",
			len(g), strings.Join(g, "\n"), len(w), strings.Join(w, "\n"))
	}
}

// trainedOnce checks that every genome was trained once: one record per
// key that is not a cache hit.
func trainedOnce(t *testing.T, recs []fitness.Record) int {
	t.Helper()
	seen := map[string]int{}
	for _, r := range recs {
		if r.Status != fitness.Cached {
			seen[r.Key]++
		}
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("genome %s evaluated %d times", k, n)
		}
	}
	return len(seen)
}

var (
	localOnce sync.Once
	localRecs []fitness.Record
	localErr  error
)

// localRun is the test search trained in this process, without a queue.
func localRun(t *testing.T) []fitness.Record {
	t.Helper()
	localOnce.Do(func() {
		d, _ := testData(t)
		localRecs, localErr = evolve(context.Background(), d, nil, 2, nil, nil)
	})
	if localErr != nil {
		t.Fatal(localErr)
	}
	return localRecs
}

// testRun is a run of the test data and settings, the data stored for
// the workers.
func testRun(t testing.TB, id string) Run {
	d, ref := testData(t)
	return Run{ID: id, Data: ref, Settings: testSettings, Dataset: d}
}

func startBackend(t *testing.T, c *Conn, runID string) *Backend {
	t.Helper()
	b, err := NewBackend(context.Background(), c, testRun(t, runID))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// TestThreeWorkers: a search whose evaluations three workers train gives
// the local run's evaluations.
func TestThreeWorkers(t *testing.T) {
	want := localRun(t)
	s := serve(t)
	p := &pool{t: t}
	for range 3 {
		p.start(s, nil)
	}
	d, _ := testData(t)
	b := startBackend(t, connect(t, s, 0), RunID("three"))
	got, err := evolve(context.Background(), d, b, 8, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, got, want)
	n := trainedOnce(t, got)
	if st := b.Stats(); st.Published != n || st.Results != n || st.Failed != 0 {
		t.Errorf("stats %+v, want %d published and received, none failed", st, n)
	}
	// A worker reports a job after it acknowledges it, maybe after the
	// coordinator has its result.
	for deadline := time.Now().Add(5 * time.Second); len(p.jobs()) < n && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	for _, r := range p.jobs() {
		if r.Err != nil || r.Lost {
			t.Errorf("job %s: error %v, lost %v", r.JobID, r.Err, r.Lost)
		}
	}
	if got := len(p.jobs()); got != n {
		t.Errorf("workers report %d jobs, want %d", got, n)
	}
}

// TestWorkerKilled: a worker that dies in mid-training without an
// acknowledgement loses nothing: its job is delivered again, and every
// evaluation is there once.
func TestWorkerKilled(t *testing.T) {
	want := localRun(t)
	s := serve(t)
	p := &pool{t: t}
	started := make(chan string, 1)
	var killedJob atomic.Value
	victim := p.start(s, func(ctx context.Context, j *Job) error {
		select {
		case started <- j.ID:
		default:
		}
		<-ctx.Done() // trains until killed
		return ctx.Err()
	})
	go func() {
		id := <-started
		killedJob.Store(id)
		victim() // closes its connection, then cancels it: no ack, no nak
	}()
	// The others start once the victim holds a job.
	d, _ := testData(t)
	b := startBackend(t, connect(t, s, 0), RunID("killed"))
	go func() {
		for killedJob.Load() == nil {
			time.Sleep(time.Millisecond)
		}
		p.start(s, nil)
		p.start(s, nil)
	}()
	got, err := evolve(context.Background(), d, b, 8, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, got, want)
	trainedOnce(t, got)
	id, _ := killedJob.Load().(string)
	redelivered := false
	for _, r := range p.jobs() {
		if r.JobID == id && r.Delivery == 2 && r.Err == nil {
			redelivered = true
		}
	}
	if !redelivered {
		t.Errorf("the killed worker's job %s was not trained on its second delivery; reports %+v", id, p.jobs())
	}
}

// poisonGenomes are distinct genomes; the second is the poison.
func poisonGenomes() []genome.Genome {
	l := func(units int, act string) genome.Layer { return genome.Layer{Units: units, Activation: act} }
	return []genome.Genome{
		{Layers: []genome.Layer{l(8, "relu")}, LR: 0.01, Batch: 16, Optimizer: "adam"},
		{Layers: []genome.Layer{l(4, "tanh")}, LR: 0.01, Batch: 16, Optimizer: "adam"},
		{Layers: []genome.Layer{l(6, "relu"), l(4, "tanh")}, LR: 0.005, Batch: 32, Optimizer: "adam"},
		{Layers: []genome.Layer{l(5, "relu")}, LR: 0.02, Batch: 16, Optimizer: "adam"},
	}
}

// TestPoisonJob: a job that makes every worker fail, or crash, is recorded
// as failed after MaxDeliver deliveries; the other evaluations go on.
func TestPoisonJob(t *testing.T) {
	gs := poisonGenomes()
	poison := gs[1].Key()
	d, _ := testData(t)
	for _, tc := range []struct {
		name   string
		err    error
		reason string
	}{
		{"fails", errors.New("out of memory"), "out of memory (delivery 3 of 3)"},
		{"crashes", errAbandon, "no worker finished it in 3 deliveries"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := serve(t)
			p := &pool{t: t}
			var tries atomic.Int32
			hook := func(_ context.Context, j *Job) error {
				if j.Key == poison {
					tries.Add(1)
					return tc.err
				}
				return nil
			}
			for range 2 {
				p.start(s, hook)
			}
			ev := fitness.NewEvaluator(d, testSettings, 1, 8)
			ev.SetBackend(startBackend(t, connect(t, s, 3), RunID("poison", tc.name)))
			recs, err := ev.Evaluate(context.Background(), gs, 0)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range recs {
				if i == 1 {
					if r.Status != fitness.Failed || !math.IsInf(r.Fitness, 1) || !strings.Contains(r.Reason, tc.reason) {
						t.Errorf("poison record: status %s, fitness %v, reason %q; want failed, +Inf, %q", r.Status, r.Fitness, r.Reason, tc.reason)
					}
					continue
				}
				want, _, err := fitness.Run(context.Background(), d, testSettings, gs[i], fitness.TrainingSeed(1, gs[i].Key()))
				if err != nil {
					t.Fatal(err)
				}
				if r.Status != fitness.OK || r.Fitness != want.Fitness {
					t.Errorf("genome %d: status %s fitness %v, want ok %v", i, r.Status, r.Fitness, want.Fitness)
				}
			}
			if n := tries.Load(); n != 3 {
				t.Errorf("the poison job was tried %d times, want 3", n)
			}
			// It left the stream.
			info, err := p.stream(t, s)
			if err != nil {
				t.Fatal(err)
			}
			if info != 0 {
				t.Errorf("%d jobs left in the stream, want 0", info)
			}
		})
	}
}

// stream returns how many messages the job stream holds.
func (p *pool) stream(t *testing.T, s *Server) (uint64, error) {
	c := connect(t, s, 0)
	deadline := time.Now().Add(5 * time.Second)
	for {
		info, err := c.jobs.Info(context.Background())
		if err != nil || info.State.Msgs == 0 || time.Now().After(deadline) {
			if err != nil {
				return 0, err
			}
			return info.State.Msgs, nil
		}
		time.Sleep(10 * time.Millisecond) // a last acknowledgement in flight
	}
}

// TestCoordinatorResumed: a coordinator killed in mid-run and started
// again for the same run, with the evaluations it logged, loses and
// duplicates nothing, and publishes no job twice: the answered jobs are
// taken from the results, the pending ones left in the stream.
func TestCoordinatorResumed(t *testing.T) {
	want := localRun(t)
	s := serve(t)
	d, _ := testData(t)
	runID := RunID("resumed")

	// The first worker trains four jobs, then dies training the fifth.
	p := &pool{t: t}
	var jobs atomic.Int32
	first := p.start(s, func(ctx context.Context, j *Job) error {
		if jobs.Add(1) > 4 {
			<-ctx.Done()
			return errAbandon
		}
		return nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	b1 := startBackend(t, connect(t, s, 0), runID)
	logged, err := evolve(ctx, d, b1, 8, nil, func(n int) {
		if n == 3 {
			// Kill the coordinator in generation 0, once its jobs are out.
			for deadline := time.Now().Add(5 * time.Second); b1.Stats().Published < 8 && time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("first coordinator: %v, want it cancelled", err)
	}
	b1.Close()
	for jobs.Load() < 5 {
		time.Sleep(time.Millisecond)
	}
	first()

	// The second coordinator finds the jobs pending, then workers come.
	b2 := startBackend(t, connect(t, s, 0), runID)
	go func() {
		for deadline := time.Now().Add(5 * time.Second); b2.Stats().Pending == 0 && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		p.start(s, nil)
		p.start(s, nil)
	}()
	got, err := evolve(context.Background(), d, b2, 8, logged, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, got, want)
	n := trainedOnce(t, got)
	st1, st2 := b1.Stats(), b2.Stats()
	t.Logf("%d logged before the kill; first coordinator %+v; second %+v", len(logged), st1, st2)
	// (A publish cut short by the kill may count in neither.)
	if st1.Published+st2.Published > n || st2.Republished != 0 {
		t.Errorf("published %d then %d (republished %d), want %d jobs in all, each once", st1.Published, st2.Published, st2.Republished, n)
	}
	if st1.Published != 8 || st2.Pending < 8-4 || st2.Answered+len(logged) < 4 {
		t.Errorf("the second coordinator found %d jobs pending and %d answered (and %d logged) of the first one's %d; want the 4 trained answered or logged, the others pending",
			st2.Pending, st2.Answered, len(logged), st1.Published)
	}
	info, err := connect(t, s, 0).jobs.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := info.State.LastSeq; got != uint64(n) {
		t.Errorf("%d messages were published to the job stream, want %d", got, n)
	}
}

// TestFirstResultWins: of two results for one job, the first is the one
// the coordinator sees.
func TestFirstResultWins(t *testing.T) {
	s := serve(t)
	c := connect(t, s, 0)
	d, _ := testData(t)
	g := poisonGenomes()[0]
	runID := RunID("first")
	fj := fitness.Job{Key: g.Key(), Genome: g, Seed: 5, Generation: 2}
	id := JobID(runID, fj.Generation, fj.Key)
	first, _, err := fitness.Run(context.Background(), d, testSettings, g, 5)
	if err != nil {
		t.Fatal(err)
	}
	second := first
	second.Fitness, second.Reason = 0.5, "a second training"
	for i, r := range []fitness.Record{first, second} {
		stored, err := c.putResult(context.Background(), runID, id, Result{Version: wireVersion, JobID: id, Record: r, Worker: fmt.Sprint(i), Build: ThisBuild()})
		if err != nil {
			t.Fatal(err)
		}
		if stored != (i == 0) {
			t.Errorf("result %d stored: %v", i+1, stored)
		}
	}
	b := startBackend(t, c, runID)
	got, err := b.Run(context.Background(), fj)
	if err != nil {
		t.Fatal(err)
	}
	if got.Fitness != first.Fitness || got.Reason != "" {
		t.Errorf("got fitness %v (%q), want the first result's %v", got.Fitness, got.Reason, first.Fitness)
	}
	if st := b.Stats(); st.Published != 0 || st.Answered != 1 {
		t.Errorf("stats %+v, want the job answered and not published", st)
	}
}

func TestCheckURL(t *testing.T) {
	for _, tc := range []struct {
		url, err string
	}{
		{"nats://127.0.0.1:4222", ""},
		{"nats://user:pass@host", ""},
		{"tls://a:1,nats://b:2", ""},
		{"", "no server URL"},
		{"127.0.0.1:4222", "scheme"},
		{"http://host:4222", `unsupported scheme "http"`},
		{"nats://:4222", "no host"},
		{"nats://host:port", "invalid port"},
		{"nats://user:secret@host:port", "invalid port"},
		{"nats://user:secret@host/x", "no path"},
	} {
		err := CheckURL(tc.url)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%q: %v", tc.url, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: error %v, want %q", tc.url, err, tc.err)
		case err != nil && strings.Contains(err.Error(), "secret"):
			t.Errorf("%q: the error shows the password: %v", tc.url, err)
		}
	}
}

// TestOptionsCheck: half of a TLS client certificate is refused before the
// URL is looked at; a bad URL is a *URLError.
func TestOptionsCheck(t *testing.T) {
	good := "nats://127.0.0.1:4222"
	for _, tc := range []struct {
		name     string
		o        Options
		half, ue bool // want ErrHalfTLS, a *URLError
	}{
		{"a URL", Options{URL: good}, false, false},
		{"a certificate and its key", Options{URL: good, TLSCert: "c.pem", TLSKey: "k.pem"}, false, false},
		{"a certificate without its key", Options{URL: "x", TLSCert: "c.pem"}, true, false},
		{"a key without its certificate", Options{URL: good, TLSKey: "k.pem"}, true, false},
		{"no scheme", Options{URL: "127.0.0.1:4222"}, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.o.Check()
			var ue *URLError
			if half, isURL := errors.Is(err, ErrHalfTLS), errors.As(err, &ue); half != tc.half || isURL != tc.ue || (err == nil) != (!tc.half && !tc.ue) {
				t.Errorf("Check() = %v, want ErrHalfTLS %v, a *URLError %v", err, tc.half, tc.ue)
			}
		})
	}
}

func TestServeRefusesExposed(t *testing.T) {
	for _, listen := range []string{"0.0.0.0:0", ":0", "[::]:0"} {
		_, err := Serve(ServerOptions{Listen: listen, StoreDir: t.TempDir()})
		if !errors.Is(err, ErrExposed) {
			t.Errorf("%s: %v, want ErrExposed", listen, err)
		}
	}
}

// TestServeAuth: a server with a token refuses clients without it.
func TestServeAuth(t *testing.T) {
	s, err := Serve(ServerOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir(), Token: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := Connect(context.Background(), Options{URL: s.URL()}); err == nil || !strings.Contains(err.Error(), "cannot connect") {
		t.Errorf("without the token: %v, want a refusal", err)
	}
	c, err := Connect(context.Background(), Options{URL: s.URL(), Token: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	u := strings.Replace(s.URL(), "nats://", "nats://s3cret@", 1)
	c, err = Connect(context.Background(), Options{URL: u})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.URL(), "s3cret") {
		t.Errorf("URL() shows the token: %s", c.URL())
	}
	c.Close()
}

// TestServeTLS: a TLS server accepts a client that trusts its CA and
// refuses one that does not.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	cert, key, ca := selfSigned(t, dir)
	s, err := Serve(ServerOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir(), TLSCert: cert, TLSKey: key})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !strings.HasPrefix(s.URL(), "tls://") {
		t.Errorf("URL %s, want tls://", s.URL())
	}
	if _, err := Connect(context.Background(), Options{URL: s.URL()}); err == nil {
		t.Errorf("a client that does not trust the server's CA connected")
	}
	c, err := Connect(context.Background(), Options{URL: s.URL(), TLSCA: ca})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

// selfSigned writes a certificate for 127.0.0.1, its key, and the CA
// that signed it, as PEM files in dir.
func selfSigned(t *testing.T, dir string) (cert, key, ca string) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), crand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "evonas test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(crand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	srvKey, err := ecdsa.GenerateKey(elliptic.P256(), crand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	srvTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	srvDER, err := x509.CreateCertificate(crand.Reader, srvTmpl, caCert, &srvKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(srvKey)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, typ string, der []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	return write("cert.pem", "CERTIFICATE", srvDER), write("key.pem", "EC PRIVATE KEY", keyDER), write("ca.pem", "CERTIFICATE", caDER)
}

// TestLostJob: a job that leaves the stream without a result (purged) is
// published again.
func TestLostJob(t *testing.T) {
	s := serve(t)
	c := connect(t, s, 0)
	d, _ := testData(t)
	b, err := newBackend(context.Background(), c, testRun(t, RunID("lost")), 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ev := fitness.NewEvaluator(d, testSettings, 1, 4)
	ev.SetBackend(b)
	done := make(chan []fitness.Record)
	go func() {
		recs, err := ev.Evaluate(context.Background(), poisonGenomes()[:1], 0)
		if err != nil {
			t.Error(err)
		}
		done <- recs
	}()
	for b.Stats().Published == 0 {
		time.Sleep(time.Millisecond)
	}
	if err := c.jobs.Purge(context.Background()); err != nil {
		t.Fatal(err)
	}
	p := &pool{t: t}
	p.start(s, nil)
	recs := <-done
	if recs[0].Status != fitness.OK {
		t.Errorf("status %s (%s), want ok", recs[0].Status, recs[0].Reason)
	}
	if st := b.Stats(); st.Published != 1 || st.Republished != 1 {
		t.Errorf("stats %+v, want the job published and republished once", st)
	}
}

// TestServerRestart: the server restarting in mid-run (file storage kept)
// loses nothing: workers and coordinator reconnect and the run equals the
// local one.
func TestServerRestart(t *testing.T) {
	want := localRun(t)
	store := t.TempDir()
	s, err := Serve(ServerOptions{Listen: "127.0.0.1:0", StoreDir: store})
	if err != nil {
		t.Fatal(err)
	}
	listen := strings.TrimPrefix(s.URL(), "nats://")
	t.Cleanup(func() { s.Close() }) // after the clients
	p := &pool{t: t}
	p.start(s, nil)
	p.start(s, nil)
	d, _ := testData(t)
	b := startBackend(t, connect(t, s, 0), RunID("restart"))
	got, err := evolve(context.Background(), d, b, 8, nil, func(n int) {
		if n == 5 {
			s.Close()
			if s, err = Serve(ServerOptions{Listen: listen, StoreDir: store}); err != nil {
				t.Fatal(err)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, got, want)
	trainedOnce(t, got)
}

// TestServerRestartWithoutStore: a server that restarts without its store
// has lost the streams, the buckets, the run's consumer, its data, jobs and
// results; the coordinator sets the queue up again and publishes its jobs
// again at once, and the run ends with the local run's evaluations (before:
// it waited for ever, its jobs' checks failing on the missing stream).
func TestServerRestartWithoutStore(t *testing.T) {
	want := localRun(t)
	s, err := Serve(ServerOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	listen := strings.TrimPrefix(s.URL(), "nats://")
	t.Cleanup(func() { s.Close() }) // after the clients
	p := &pool{t: t}
	stop1, stop2 := p.start(s, nil), p.start(s, nil)
	d, _ := testData(t)
	b := startBackend(t, connect(t, s, 0), RunID("restart-nostore"))
	// Well under the 30 s after which a waiting job is checked anyway.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	got, err := evolve(ctx, d, b, 8, nil, func(n int) {
		if n == 1 {
			// Without workers meanwhile, the jobs published lie in the
			// stream the server loses.
			stop1()
			stop2()
			s.Close()
			if s, err = Serve(ServerOptions{Listen: listen, StoreDir: t.TempDir()}); err != nil {
				t.Fatal(err)
			}
			p.start(s, nil)
			p.start(s, nil)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, got, want)
	trainedOnce(t, got)
}
