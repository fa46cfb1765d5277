package fitness

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/evonas/evonas/genome"
)

// gateBackend scores a genome from its training seed without training. A
// first evaluation of the genome with key slow waits until some
// re-evaluation has started (or 5 s have passed), so a batch whose
// re-evaluations only start after its last first evaluation shows.
type gateBackend struct {
	slow    string
	once    sync.Once
	started chan struct{}

	mu     sync.Mutex
	waited bool // the slow training saw a re-evaluation start
}

func (b *gateBackend) Run(_ context.Context, j Job) (Record, error) {
	if j.Visit > 0 {
		b.once.Do(func() { close(b.started) })
	}
	if j.Key == b.slow && j.Visit == 0 {
		select {
		case <-b.started:
			b.mu.Lock()
			b.waited = true
			b.mu.Unlock()
		case <-time.After(5 * time.Second):
		}
	}
	f := rand.New(rand.NewSource(int64(j.Seed))).Float64()
	return Record{Key: j.Key, Arch: j.Genome.Arch(), Genome: j.Genome, Seed: j.Seed, Status: OK, Fitness: f}, nil
}

// TestEvaluateThen: the records of the batch are Evaluate's, then is
// called once per genome (cache hits too) and the re-evaluations it asks
// for are those Reevaluate would run, numbered in the order asked; and
// they start while the batch still trains: a re-evaluation of a quick
// genome runs while the batch's slow training waits for it.
func TestEvaluateThen(t *testing.T) {
	d := testData(t)
	gs := testGenomes()
	gs = append(gs, gs[1]) // a cache hit
	slow := gs[0].Key()
	want, err := func() ([]Record, error) {
		ev := NewEvaluator(d, Settings{Epochs: 1}, 3, 2)
		ev.SetBackend(&gateBackend{slow: "none", started: make(chan struct{})})
		return ev.Evaluate(context.Background(), gs, 0)
	}()
	if err != nil {
		t.Fatal(err)
	}
	b := &gateBackend{slow: slow, started: make(chan struct{})}
	ev := NewEvaluator(d, Settings{Epochs: 1}, 3, 2)
	ev.SetBackend(b)
	calls := map[int]int{}
	recs, again, err := ev.EvaluateThen(context.Background(), gs, 0, func(i int, rec Record) Then {
		calls[i]++
		if rec.Key == slow || i == len(gs)-1 {
			return Then{}
		}
		return Then{Now: []genome.Genome{gs[i], gs[i]}}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(untimed(recs), untimed(want)) {
		t.Errorf("records differ from Evaluate's:\ngot  %+v\nwant %+v", untimed(recs), untimed(want))
	}
	for i := range gs {
		if calls[i] != 1 {
			t.Errorf("then called %d times for genome %d, want once", calls[i], i)
		}
	}
	for i, rs := range again {
		n := 2
		if gs[i].Key() == slow || i == len(gs)-1 {
			n = 0
		}
		if len(rs) != n {
			t.Fatalf("genome %d: %d re-evaluations, want %d", i, len(rs), n)
		}
		for k, r := range rs {
			if r.Key != gs[i].Key() || r.Visit != k+1 || r.Seed != VisitSeed(want[i].Seed, k+1) {
				t.Errorf("genome %d, re-evaluation %d: key %s visit %d seed %d; want %s, %d, %d", i, k, r.Key, r.Visit, r.Seed, gs[i].Key(), k+1, VisitSeed(want[i].Seed, k+1))
			}
		}
	}
	if tr, hits, _ := ev.Counts(); tr != 4+3*2 || hits != 1 {
		t.Errorf("Counts() = %d trainings, %d hits; want 10, 1", tr, hits)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.waited {
		t.Error("no re-evaluation started while the batch's slow training ran")
	}
}

// TestSpeculation: while a batch's slow first evaluation trains, an idle
// worker trains ahead the re-evaluations then lists as Maybe (the slow
// training waits here until one has started, as the 5 s it would wait
// otherwise show); those asked for later (Now) are the trainings done
// ahead, with the seeds and numbers they would have had; none is logged
// or counted twice.
func TestSpeculation(t *testing.T) {
	d := testData(t)
	gs := testGenomes()
	slow := gs[0].Key()
	// Genomes 1 and 2 are listed as Maybe until the slow one is in, then
	// asked for; 3 never is (TestSpeculationYields drops one).
	then := func(arrived map[int]bool) func(i int, rec Record) Then {
		return func(i int, rec Record) Then {
			arrived[i] = true
			var t Then
			if !arrived[0] {
				for _, k := range []int{2, 1} {
					if arrived[k] {
						t.Maybe = append(t.Maybe, gs[k], gs[k])
					}
				}
				return t
			}
			for _, k := range []int{1, 2} {
				if arrived[k] && (i == 0 || i == k) {
					t.Now = append(t.Now, gs[k], gs[k])
				}
			}
			return t
		}
	}
	run := func(speculate bool) ([][]Record, []Record, time.Duration, [3]int) {
		t.Helper()
		// Five slots: every first training has one, so none preempts (and
		// drops) a training started ahead; the fifth is free for those.
		ev := NewEvaluator(d, Settings{Epochs: 1}, 3, 5)
		gate := "none" // the reference need not wait
		if speculate {
			gate = slow
		}
		ev.SetBackend(&gateBackend{slow: gate, started: make(chan struct{})})
		ev.SetSpeculation(speculate)
		var logged []Record
		ev.OnRecord = func(r Record) { logged = append(logged, r) }
		start := time.Now()
		_, again, err := ev.EvaluateThen(context.Background(), gs, 0, then(map[int]bool{}))
		if err != nil {
			t.Fatal(err)
		}
		var c [3]int
		c[0], c[1], c[2] = ev.SpeculationCounts()
		if tr, _, _ := ev.Counts(); tr != 4+2*2 || len(logged) != tr {
			t.Errorf("speculating %v: %d trainings, %d logged; want 8 and 8", speculate, tr, len(logged))
		}
		return again, logged, time.Since(start), c
	}
	want, wantLog, _, c := run(false)
	if c != [3]int{} {
		t.Errorf("not speculating: counts %v, want none", c)
	}
	got, gotLog, took, c := run(true)
	key := func(rs []Record) []string {
		var out []string
		for _, r := range rs {
			out = append(out, fmt.Sprintf("%s v%d seed %d fitness %v", r.Key, r.Visit, r.Seed, r.Fitness))
		}
		sort.Strings(out)
		return out
	}
	// Which call asked for a re-evaluation depends on the order records
	// arrive in; what was re-evaluated does not.
	if g, w := key(slices.Concat(got...)), key(slices.Concat(want...)); !reflect.DeepEqual(g, w) || len(w) != 4 {
		t.Errorf("re-evaluations %v, want %v (4)", g, w)
	}
	if !reflect.DeepEqual(key(gotLog), key(wantLog)) {
		t.Errorf("logged %v, want %v", key(gotLog), key(wantLog))
	}
	if took > 4*time.Second {
		t.Errorf("took %v: the slow training waited for a re-evaluation to start", took)
	}
	if c[0] == 0 || c[1] == 0 || c[0] != c[1]+c[2] {
		t.Errorf("counts started %d, used %d, dropped %d; want some used, each used or dropped", c[0], c[1], c[2])
	}
}

// holdBackend answers at once, except: trainings of the genome hold last
// until cancelled (or 5 s); the first training of wait waits until one of
// hold has started; the re-evaluations of both wait until two of them run
// at once, and the first training of last waits for that too (or 5 s
// each).
type holdBackend struct {
	hold, wait, last, both string
	held, met              chan struct{}
	heldOnce               sync.Once
	mu                     sync.Mutex
	n                      int
}

func (b *holdBackend) Run(ctx context.Context, j Job) (Record, error) {
	block := func(ch <-chan struct{}) error {
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Second):
		}
		return nil
	}
	switch {
	case j.Key == b.hold:
		b.heldOnce.Do(func() { close(b.held) })
		if err := block(nil); err != nil {
			return Record{}, err
		}
	case j.Key == b.wait && j.Visit == 0:
		block(b.held)
	case j.Key == b.both && j.Visit > 0:
		b.mu.Lock()
		if b.n++; b.n == 2 {
			close(b.met)
		}
		b.mu.Unlock()
		block(b.met)
	case j.Key == b.last && j.Visit == 0:
		block(b.met)
	}
	f := rand.New(rand.NewSource(int64(j.Seed))).Float64()
	return Record{Key: j.Key, Arch: j.Genome.Arch(), Genome: j.Genome, Seed: j.Seed, Status: OK, Fitness: f}, nil
}

// TestSpeculationYields: a re-evaluation asked for does not wait for a
// training started ahead that holds the slot it needs: that one is
// cancelled and dropped, not started again.
func TestSpeculationYields(t *testing.T) {
	gs := testGenomes()
	a, b, c, d := gs[0], gs[1], gs[2], gs[3]
	ev := NewEvaluator(testData(t), Settings{Epochs: 1}, 3, 3)
	ev.SetBackend(&holdBackend{hold: c.Key(), wait: a.Key(), last: d.Key(), both: b.Key(), held: make(chan struct{}), met: make(chan struct{})})
	ev.SetSpeculation(true)
	start := time.Now()
	// On three slots a, b and d train; b arrives first and lists c as
	// Maybe, whose training ahead takes b's slot (and lets a finish); a
	// then asks for b twice, two trainings that must run at once: one
	// takes a's slot, the other needs c's (d holds the third until then).
	_, again, err := ev.EvaluateThen(context.Background(), []genome.Genome{a, b, d}, 0, func(i int, rec Record) Then {
		if i == 0 {
			return Then{Now: []genome.Genome{b, b}, Maybe: []genome.Genome{c}}
		}
		return Then{Maybe: []genome.Genome{c}}
	})
	if err != nil || len(again[0]) != 2 {
		t.Fatalf("%v, re-evaluations %v; want b's two", err, again)
	}
	if took := time.Since(start); took > 4*time.Second {
		t.Errorf("took %v: a re-evaluation waited for a training started ahead", took)
	}
	if started, used, dropped := ev.SpeculationCounts(); started != 1 || used != 0 || dropped != 1 {
		t.Errorf("counts started %d, used %d, dropped %d; want 1, 0, 1", started, used, dropped)
	}
}
