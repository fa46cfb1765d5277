package search

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/MaxHalford/eaopt"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
)

func nsga2Settings() Settings {
	s := testSettings()
	s.Model, s.Objectives, s.Population, s.Generations = "nsga2", []string{"error", "params"}, 8, 4
	return s
}

// TestNSGA2SameResultsWhateverTheWorkers: the same evaluations, front and
// hall of fame with one worker and with three.
func TestNSGA2SameResultsWhateverTheWorkers(t *testing.T) {
	d := testData(t)
	for _, islands := range []int{1, 2} {
		t.Run(fmt.Sprint(islands, " islands"), func(t *testing.T) {
			s := nsga2Settings()
			s.Islands = islands
			if islands > 1 {
				s.MigrationEvery = 2
			}
			r1, c1 := run(t, d, s, 1, nil)
			r3, c3 := run(t, d, s, 3, nil)
			if f1, f3 := fingerprint(c1.evals), fingerprint(c3.evals); fmt.Sprint(f1) != fmt.Sprint(f3) {
				t.Fatalf("1 worker and 3 workers evaluated differently:\n%v\n%v", f1, f3)
			}
			if f1, f3 := fingerprint(r1.Front), fingerprint(r3.Front); fmt.Sprint(f1) != fmt.Sprint(f3) || len(f1) == 0 {
				t.Fatalf("fronts differ or are empty:\n%v\n%v", f1, f3)
			}
		})
	}
}

// TestNSGA2IsElitist: NSGA-II never loses a non-dominated architecture
// while the front fits in the population, so after every generation the
// population holds the whole front of everything evaluated so far; and the
// run's front is exactly the non-dominated evaluations.
func TestNSGA2IsElitist(t *testing.T) {
	d := testData(t)
	s := nsga2Settings()
	s.Generations = 5
	var c *collector
	checked := 0
	onGen := func(ga *eaopt.GA) {
		front := Front(c.evals, s.Objectives)
		if len(front) > s.Population {
			return
		}
		in := map[string]bool{}
		for _, indi := range ga.Populations[0].Individuals {
			in[indi.Genome.(*candidate).g.Key()] = true
		}
		for _, f := range front {
			if !in[f.Key] {
				t.Errorf("generation %d: front member %s (%v) not in the population", ga.Generations, f.Arch, f.ObjectiveVector(s.Objectives))
			}
		}
		checked++
	}
	ev := fitness.NewEvaluator(d, fitness.Settings{Epochs: 2}, s.Seed, 2)
	c = &collector{}
	res, err := evolve(t.Context(), testSpace(), ev, s, c, onGen)
	if err != nil {
		t.Fatal(err)
	}
	if last := c.gens[len(c.gens)-1]; last.Front != len(res.Front) || last.Front == 0 {
		t.Errorf("last generation's front size %d, the run's %d", last.Front, len(res.Front))
	}
	if checked == 0 {
		t.Fatal("the front never fitted in the population: nothing checked")
	}
	// The front: nothing evaluated dominates a member; every successful
	// evaluation is a member or dominated by one (or equal to one).
	on := map[string]bool{}
	for _, f := range res.Front {
		on[f.Key] = true
		for _, r := range c.evals {
			if Dominates(r.ObjectiveVector(s.Objectives), f.ObjectiveVector(s.Objectives)) {
				t.Errorf("front member %s dominated by %s", f.Key, r.Key)
			}
		}
	}
	for _, r := range c.evals {
		if on[r.Key] || math.IsInf(r.Fitness, 0) {
			continue
		}
		p, covered := r.ObjectiveVector(s.Objectives), false
		for _, f := range res.Front {
			q := f.ObjectiveVector(s.Objectives)
			covered = covered || Dominates(q, p) || equal(q, p)
		}
		if !covered {
			t.Errorf("%s %v is neither on the front nor dominated", r.Key, p)
		}
	}
	for i := 1; i < len(res.Front); i++ {
		if res.Front[i].Fitness < res.Front[i-1].Fitness {
			t.Errorf("front not sorted by error: %v then %v", res.Front[i-1].Fitness, res.Front[i].Fitness)
		}
	}
}

// candidates makes individuals with the given objective vectors (error,
// params) and distinct keys, or the same key where keys[i] repeats.
func candidatesFor(points [][]float64, keys []int) eaopt.Individuals {
	indis := make(eaopt.Individuals, len(points))
	for i, p := range points {
		g := genome.Genome{Layers: []genome.Layer{{Units: 1 + keys[i], Activation: "relu"}}, LR: 0.01, Batch: 8, Optimizer: "adam"}
		rec := fitness.Record{Key: g.Key(), Fitness: p[0], Params: int(p[1]), Status: fitness.OK}
		indis[i] = eaopt.Individual{Genome: &candidate{g: g, rec: &rec}, Fitness: p[0], Evaluated: true}
	}
	return indis
}

func TestSurvivorsByHand(t *testing.T) {
	// First front: 0 (1,5), 1 (2,3), 2 (4,1), 6 (2,3) but 6 copies 1's
	// architecture; second front 3 (3,4), 4 (5,2); last 5 (6,6).
	pts := handPoints()
	indis := candidatesFor(pts, []int{0, 1, 2, 3, 4, 5, 1})
	keyOf := func(out eaopt.Individuals) []float64 {
		var v []float64
		for _, indi := range out {
			v = append(v, indi.Fitness)
		}
		return v
	}
	for _, tc := range []struct {
		n    int
		want []float64 // the survivors' first objective, in order
	}{
		{3, []float64{1, 2, 4}},       // the distinct first front
		{5, []float64{1, 2, 4, 3, 5}}, // and the second
		// Four: the second front's two tie on crowding (both extreme):
		// the earlier in the pool goes first.
		{4, []float64{1, 2, 4, 3}},
		{6, []float64{1, 2, 4, 3, 5, 6}},
		{7, []float64{1, 2, 4, 3, 5, 6, 2}}, // the copy comes last
	} {
		got := keyOf(survivors(indis, pts, tc.n))
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("n = %d: survivors %v, want %v", tc.n, got, tc.want)
		}
	}
	// Thinning a front by crowding, both objectives ranging over 4:
	// (0,4) and (4,0) are extremes; (1,3) gets 2 * 1.1/4 = 0.55, (1.1,2.9)
	// 2 * 1/4 = 0.5, (2,2) 2 * 1.9/4 = 0.95, (3,1) 2 * 2/4 = 1. Four
	// survivors: the extremes, then (3,1) and (2,2).
	pts = [][]float64{{0, 4}, {1, 3}, {1.1, 2.9}, {2, 2}, {3, 1}, {4, 0}}
	got := keyOf(survivors(candidatesFor(pts, []int{0, 1, 2, 3, 4, 5}), pts, 4))
	if fmt.Sprint(got) != fmt.Sprint([]float64{0, 4, 3, 2}) {
		t.Errorf("thinned front %v, want [0 4 3 2]", got)
	}
}

func TestRankCrowding(t *testing.T) {
	rank, crowd := rankCrowding(handPoints())
	if fmt.Sprint(rank) != fmt.Sprint([]int{0, 0, 0, 1, 1, 2, 0}) {
		t.Errorf("ranks %v", rank)
	}
	if !math.IsInf(crowd[0], 1) || math.Abs(crowd[1]-(1.0/3+0.5)) > 1e-12 || !math.IsInf(crowd[5], 1) {
		t.Errorf("crowding %v", crowd)
	}
}

func TestFrontOfRecords(t *testing.T) {
	rec := func(key string, err float64, params int, st fitness.Status) fitness.Record {
		return fitness.Record{Key: key, Fitness: err, Params: params, Status: st}
	}
	recs := []fitness.Record{
		rec("a", 0.1, 1000, fitness.OK),
		rec("b", 0.2, 100, fitness.OK),
		rec("c", 0.3, 100, fitness.OK), // dominated by b
		rec("b", 0.2, 100, fitness.Cached),
		rec("d", math.Inf(1), 10, fitness.Diverged), // failed: never on the front
		rec("e", 0.05, 5000, fitness.OK),
		rec("f", 0.2, 100, fitness.OK), // ties b: both stay
	}
	var got []string
	for _, r := range Front(recs, []string{"error", "params"}) {
		got = append(got, fmt.Sprintf("%s/%s", r.Key, r.Status))
	}
	if want := []string{"e/ok", "a/ok", "b/ok", "f/ok"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("front %v, want %v", got, want)
	}
	// Listed first or not, the error orders the front.
	got = nil
	for _, r := range Front(recs, []string{"params", "error"}) {
		got = append(got, r.Key)
	}
	if want := []string{"e", "a", "b", "f"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("front by params, error: %v, want %v", got, want)
	}
	if got := Front(recs, []string{"error"}); len(got) != 1 || got[0].Key != "e" {
		t.Errorf("single objective front %v", got)
	}
}

func TestFrontMember(t *testing.T) {
	front := []fitness.Record{{Key: "a"}, {Key: "b"}, {Key: "c"}}
	for _, tc := range []struct {
		which, key, err string
	}{
		{"0", "a", ""}, {"2", "c", ""}, {"b", "b", ""},
		{"3", "", "front member 3: the front has 3 members (0 to 2)"},
		{"-1", "", "front member -1"},
		{"z", "", `no front member has key "z"`},
	} {
		r, err := FrontMember(front, tc.which)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.which, err, tc.err)
			}
			continue
		}
		if err != nil || r.Key != tc.key {
			t.Errorf("%s: %v %v, want %s", tc.which, r.Key, err, tc.key)
		}
	}
}

// TestSurvivorsFailedLast: a failed candidate (infinite objectives) is
// dominated by every result, so it survives only when nothing else can.
func TestSurvivorsFailedLast(t *testing.T) {
	inf := math.Inf(1)
	pts := [][]float64{{inf, inf}, {0.3, 10}, {inf, inf}, {0.1, 100}}
	indis := candidatesFor(pts, []int{0, 1, 2, 3})
	got := survivors(indis, pts, 3)
	if got[0].Fitness != 0.3 || got[1].Fitness != 0.1 || !math.IsInf(got[2].Fitness, 1) {
		t.Errorf("survivors %v %v %v", got[0].Fitness, got[1].Fitness, got[2].Fitness)
	}
	rank, crowd := rankCrowding(pts)
	if rank[0] != 1 || rank[1] != 0 || math.IsNaN(crowd[0]) {
		t.Errorf("ranks %v, crowding %v", rank, crowd)
	}
}
