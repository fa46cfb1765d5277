package table

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/search"
)

// timed returns a table of 6 x 6 widths x 6 learning rates whose training
// times grow with the widths and vary by repeat.
func timed(t *testing.T) *Table {
	t.Helper()
	var b strings.Builder
	b.WriteString("units_1,units_2,lr,val_acc_0,val_acc_1,train_s_0,train_s_1\n")
	ws := []int{4, 8, 16, 32, 64, 128}
	lrs := []float64{1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1}
	for i, u := range ws {
		for j, v := range ws {
			for k, lr := range lrs {
				acc := 1 - float64((i-4)*(i-4)+(j-2)*(j-2)+(k-3)*(k-3))/100
				s := float64(u+v) / 16
				fmt.Fprintf(&b, "%d,%d,%g,%g,%g,%g,%g\n", u, v, lr, acc, acc-0.01*float64((i+j+k)%3), s, s*(1+float64(k)/2))
			}
		}
	}
	tb, err := Read(strings.NewReader(b.String()), "timed.csv")
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// TestSimulateGenerationsByHand times two fixed generations: widths 4, 8,
// 16 (1, 2 and 3 s), then 32 (4 s) and 4 again (a cache hit).
func TestSimulateGenerationsByHand(t *testing.T) {
	tb, err := Read(strings.NewReader("units_1,val_acc_0,train_s_0\n4,0.6,1\n8,0.7,2\n16,0.8,3\n32,0.9,4\n"), "four.csv")
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewProblem(tb, tb.Space())
	if err != nil {
		t.Fatal(err)
	}
	g := func(w int) genome.Genome { return tb.Genome(map[int]int{4: 0, 8: 1, 16: 2, 32: 3}[w]) }
	fixed := Strategy{Name: "fixed", Search: func(ctx context.Context, _ genome.Space, ev *fitness.Evaluator, _ uint64, _ int) error {
		for gen, gs := range [][]genome.Genome{{g(4), g(8), g(16)}, {g(32), g(4)}} {
			if _, err := ev.Evaluate(ctx, gs, gen); err != nil {
				return err
			}
		}
		return nil
	}}
	for _, c := range []struct {
		workers int
		widths  []int
		finish  []float64
		wall    float64
	}{
		// One worker: everything in turn, longest first per generation.
		{1, []int{16, 8, 4, 32}, []float64{3, 5, 6, 10}, 10},
		// Two: 16 on one worker, 8 then 4 on the other; 32 waits for 16.
		{2, []int{8, 16, 4, 32}, []float64{2, 3, 3, 7}, 7},
		{3, []int{4, 8, 16, 32}, []float64{1, 2, 3, 7}, 7},
		{64, []int{4, 8, 16, 32}, []float64{1, 2, 3, 7}, 7},
	} {
		r, err := p.SimulateGenerations(context.Background(), fixed, 1, 10, c.workers)
		if err != nil {
			t.Fatal(err)
		}
		var widths []int
		for _, rec := range r.Records {
			widths = append(widths, rec.Genome.Layers[0].Units)
		}
		if !reflect.DeepEqual(widths, c.widths) || !reflect.DeepEqual(r.Finish, c.finish) || r.WallS != c.wall {
			t.Errorf("%d workers: widths %v finishing at %v, wall %v; want %v at %v, wall %v", c.workers, widths, r.Finish, r.WallS, c.widths, c.finish, c.wall)
		}
		if want := 10 / (c.wall * float64(c.workers)); math.Abs(r.Busy-want) > 1e-12 {
			t.Errorf("%d workers: busy %v, want %v", c.workers, r.Busy, want)
		}
		if got := []float64{r.TimeTo(0.25), r.TimeTo(0), r.TimeTo(-1)}; got[1] != c.wall || !math.IsInf(got[2], 1) {
			t.Errorf("%d workers: time to regret 0.25, 0, -1: %v", c.workers, got)
		}
	}
	// Regret 0.1 (width 16) arrives at 3 s on two workers.
	r, _ := p.SimulateGenerations(context.Background(), fixed, 1, 10, 2)
	if got := r.TimeTo(0.1 + 1e-9); got != 3 {
		t.Errorf("two workers: regret 0.1 at %v s, want 3", got)
	}
	if got := []float64{r.At(1.5), r.At(2), r.At(2.5), r.At(3), r.At(100)}; !math.IsNaN(got[0]) || math.Abs(got[1]-0.2) > 1e-9 || got[2] != got[1] || math.Abs(got[3]-0.1) > 1e-9 || got[4] != 0 {
		t.Errorf("two workers: regret at 1.5, 2, 2.5, 3, 100 s: %v; want NaN, 0.2, 0.2, 0.1, 0", got)
	}
}

func asyncSettings(pop, sample int) search.Settings {
	cfg := configs.Default()
	cfg.Evolution.Model = search.AsyncModel
	cfg.Evolution.Population, cfg.Evolution.SampleSize = pop, sample
	return cfg.Settings()
}

// TestSimulateAsyncOneWorker checks that on one worker the simulation makes
// the evaluations search.Evolve's asynchronous model makes, in turn, so its
// wall time is the sum of their training times.
func TestSimulateAsyncOneWorker(t *testing.T) {
	tb := timed(t)
	p, err := NewProblem(tb, tb.Space())
	if err != nil {
		t.Fatal(err)
	}
	s := asyncSettings(8, 3)
	for seed := uint64(1); seed <= 3; seed++ {
		real, err := p.Run(context.Background(), Evolution("async", s), seed, 60)
		if err != nil {
			t.Fatal(err)
		}
		sim, err := p.SimulateAsync(s, seed, 60, 1)
		if err != nil {
			t.Fatal(err)
		}
		var want, got []string
		var sum float64
		for _, r := range real.Records {
			want = append(want, r.Key)
		}
		// search's records come ordered by generation, then key.
		replayed := p.Replay(seed, sim.Records, 60)
		for _, r := range replayed.Records {
			got = append(got, r.Key)
		}
		for i, r := range sim.Records {
			sum += r.TrainS
			if math.Abs(sim.Finish[i]-sum) > 1e-9 {
				t.Fatalf("seed %d: evaluation %d finishes at %v, want %v", seed, i, sim.Finish[i], sum)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("seed %d: simulated %v\nsearch.Evolve %v", seed, got, want)
		}
		if math.Abs(sim.WallS-sum) > 1e-9 || math.Abs(sim.Busy-1) > 1e-9 || replayed.Final() != real.Final() {
			t.Errorf("seed %d: wall %v (want %v), busy %v, final regret %v (want %v)", seed, sim.WallS, sum, sim.Busy, replayed.Final(), real.Final())
		}
	}
}

// TestSimulateAsyncWorkers checks the asynchronous schedule on 8 workers:
// the budget is spent exactly, never more than 8 trainings run at once, the
// first 8 start at once, every later one starts the moment another
// finishes, and the same seed gives the same run.
func TestSimulateAsyncWorkers(t *testing.T) {
	tb := timed(t)
	p, err := NewProblem(tb, tb.Space())
	if err != nil {
		t.Fatal(err)
	}
	s := asyncSettings(16, 4)
	const w, budget = 8, 60
	r, err := p.SimulateAsync(s, 7, budget, w)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := p.SimulateAsync(s, 7, budget, w)
	// (As JSON: a table's records hold NaN, its unknown loss, which
	// reflect.DeepEqual never finds equal.)
	if a, b := mustJSON(t, r), mustJSON(t, again); a != b {
		t.Error("two simulations with one seed differ")
	}
	if len(r.Records) != budget {
		t.Fatalf("%d trainings, want %d", len(r.Records), budget)
	}
	type span struct{ start, end float64 }
	spans := make([]span, len(r.Records))
	ends := map[float64]bool{}
	for i, rec := range r.Records {
		spans[i] = span{r.Finish[i] - rec.TrainS, r.Finish[i]}
		ends[r.Finish[i]] = true
		if i > 0 && r.Finish[i] < r.Finish[i-1] {
			t.Fatalf("records out of finishing order at %d", i)
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	for i, a := range spans {
		busy := 0
		for _, b := range spans {
			if b.start <= a.start+1e-9 && b.end > a.start+1e-9 {
				busy++
			}
		}
		if busy > w {
			t.Fatalf("%d trainings at %v s on %d workers", busy, a.start, w)
		}
		if i < w && a.start != 0 {
			t.Errorf("training %d starts at %v, want 0", i, a.start)
		}
		if i >= w && !ends[a.start] && !nearEnd(ends, a.start) {
			t.Errorf("training %d starts at %v s, when nothing finished", i, a.start)
		}
	}
	// The generational model on the same workers waits for stragglers.
	gen := configs.Default()
	gen.Evolution.Population = 16
	g, err := p.SimulateGenerations(context.Background(), Evolution("generational", gen.Settings()), 7, budget, w)
	if err != nil {
		t.Fatal(err)
	}
	if !(r.Busy > g.Busy) || r.Busy > 1+1e-9 {
		t.Errorf("busy: asynchronous %v, generational %v", r.Busy, g.Busy)
	}
}

func nearEnd(ends map[float64]bool, t float64) bool {
	for e := range ends {
		if math.Abs(e-t) < 1e-9 {
			return true
		}
	}
	return false
}

// TestSimulate checks the comparison: its target is the first strategy's
// median final regret, each strategy's time to it is the median of its
// seeds', and a table without train_s is refused.
func TestSimulate(t *testing.T) {
	tb := timed(t)
	p, err := NewProblem(tb, tb.Space())
	if err != nil {
		t.Fatal(err)
	}
	gen := configs.Default()
	gen.Evolution.Population = 8
	strategies := []SimStrategy{{"generational", gen.Settings()}, {"async", asyncSettings(8, 3)}}
	sim, err := Simulate(context.Background(), p, strategies, 5, 80, 8)
	if err != nil {
		t.Fatal(err)
	}
	if len(sim.Strategies) != 2 || sim.Target != sim.Strategies[0].FinalRegret.Median {
		t.Fatalf("target %v, strategies %+v", sim.Target, sim.Strategies)
	}
	if want := sim.Strategies[0].WallS.Median / 2; sim.Half != want {
		t.Errorf("half %v, want %v", sim.Half, want)
	}
	for i, st := range sim.Strategies {
		var runs []*SimRun
		var ends []float64
		reached := 0
		for seed := uint64(1); seed <= 5; seed++ {
			r, err := p.simulate(context.Background(), strategies[i], seed, 80, 8)
			if err != nil {
				t.Fatal(err)
			}
			runs = append(runs, r)
			ends = append(ends, r.Finish...)
			if !math.IsInf(r.TimeTo(sim.Target), 1) {
				reached++
			}
		}
		if reached != st.Reached {
			t.Errorf("%s: reached by %d seeds, want %d", st.Name, st.Reached, reached)
		}
		// The median regret is above the target at every finish time before
		// TimeToTarget, and at most the target at it.
		sort.Float64s(ends)
		for _, e := range ends {
			at := medianAt(runs, e)
			if st.TimeToTarget == nil || e < *st.TimeToTarget {
				if at <= sim.Target {
					t.Fatalf("%s: median regret %v at %v s, before its time to target %v", st.Name, at, e, st.TimeToTarget)
				}
			} else if e == *st.TimeToTarget && at > sim.Target {
				t.Fatalf("%s: median regret %v at its time to target %v s", st.Name, at, e)
			}
		}
		if st.AtHalf == nil || *st.AtHalf != medianAt(runs, sim.Half) {
			t.Errorf("%s: regret at half %v, want %v", st.Name, st.AtHalf, medianAt(runs, sim.Half))
		}
	}
	// The reference's median regret reaches its median final regret.
	if first := sim.Strategies[0]; first.TimeToTarget == nil || first.Ratio == nil || *first.Ratio != 1 {
		t.Errorf("reference: time to target %v, ratio %v", first.TimeToTarget, first.Ratio)
	}
	// At equal wall time, the asynchronous model's runs are those given
	// each seed's generational wall time.
	if sim.Strategies[0].EqualTime != nil || sim.Strategies[1].EqualTime == nil {
		t.Fatalf("equal time: %v, %v; want none for generational, some for async", sim.Strategies[0].EqualTime, sim.Strategies[1].EqualTime)
	}
	var finals, trainings []float64
	for seed := uint64(1); seed <= 5; seed++ {
		ref, _ := p.simulate(context.Background(), strategies[0], seed, 80, 8)
		r, err := p.SimulateAsyncUntil(strategies[1].Settings, seed, tb.Len(), 8, ref.WallS)
		if err != nil {
			t.Fatal(err)
		}
		finals, trainings = append(finals, r.Final()), append(trainings, float64(len(r.Records)))
	}
	if eq := sim.Strategies[1].EqualTime; eq.FinalRegret != quartilesOf(finals) || eq.Trainings != quartilesOf(trainings) {
		t.Errorf("equal time: %+v, want regret %v, trainings %v", eq, quartilesOf(finals), quartilesOf(trainings))
	}
	plain := synthetic(t)
	q, _ := NewProblem(plain, plain.Space())
	if _, err := Simulate(context.Background(), q, strategies, 1, 10, 2); err == nil || !strings.Contains(err.Error(), "no train_s") {
		t.Errorf("a table without train_s: %v", err)
	}
}

// TestSimulateAsyncUntil: a run stopped at a deadline is the unbounded
// run's trainings that finished by then, and no more.
func TestSimulateAsyncUntil(t *testing.T) {
	tb := timed(t)
	p, err := NewProblem(tb, tb.Space())
	if err != nil {
		t.Fatal(err)
	}
	s := asyncSettings(8, 3)
	full, err := p.SimulateAsync(s, 2, 60, 4)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{0, 10, 30, len(full.Records) - 1} {
		deadline := full.Finish[k]
		r, err := p.SimulateAsyncUntil(s, 2, 60, 4, deadline)
		if err != nil {
			t.Fatal(err)
		}
		n := sort.SearchFloat64s(full.Finish, math.Nextafter(deadline, math.Inf(1)))
		if len(r.Records) != n || !reflect.DeepEqual(r.Finish, full.Finish[:n]) || r.WallS > deadline {
			t.Errorf("deadline %v: %d trainings ending at %v (wall %v), want the first %d of the unbounded run", deadline, len(r.Records), r.Finish, r.WallS, n)
		}
		for i := range r.Records {
			if r.Records[i].Key != full.Records[i].Key {
				t.Fatalf("deadline %v: training %d is %s, want %s", deadline, i, r.Records[i].Key, full.Records[i].Key)
			}
		}
	}
}

func TestMedian(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct {
		v    []float64
		want float64
	}{{[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5}, {[]float64{inf, 1, 2}, 2}, {[]float64{inf, inf, 1}, inf}, {[]float64{1, inf}, inf}} {
		if got := median(c.v); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.v, got, c.want)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
