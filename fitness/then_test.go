package fitness

import (
	"context"
	"math/rand"
	"reflect"
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
	recs, again, err := ev.EvaluateThen(context.Background(), gs, 0, func(i int, rec Record) []genome.Genome {
		calls[i]++
		if rec.Key == slow || i == len(gs)-1 {
			return nil
		}
		return []genome.Genome{gs[i], gs[i]}
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
