package search

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
)

// TestPartialNeverOnTheFront: with successive halving, most trainings of a
// Pareto search stop at a low rung; their errors are a lower fidelity's and
// must not stand on the front against nets trained in full (they did: a
// small net trained 1 epoch was a member, unmarked).
func TestPartialNeverOnTheFront(t *testing.T) {
	d := testData(t)
	s := nsga2Settings()
	fs := fitness.Settings{Epochs: 4, Fidelity: fitness.Fidelity{Method: "halving", MinEpochs: 1, Eta: 2}}
	res, c := runWith(t, d, s, fs, 2, nil)
	partial := 0
	for _, r := range c.evals {
		if r.Partial {
			partial++
		}
	}
	if partial == 0 {
		t.Fatal("halving stopped no training early: the test tests nothing")
	}
	if len(res.Front) == 0 {
		t.Fatal("empty front")
	}
	for i, r := range res.Front {
		if r.Partial {
			t.Errorf("front member %d %s: partial (%d epochs, %s)", i, r.Arch, r.Epochs, r.Stopped)
		}
	}
	if got := Front(c.evals, s.Objectives); fmt.Sprint(fingerprint(got)) != fmt.Sprint(fingerprint(res.Front)) {
		t.Errorf("Front of the records %v, the run's %v", fingerprint(got), fingerprint(res.Front))
	}
}

// TestHallOfFamePartialLast: a record stopped early by multi-fidelity
// ranks after every record trained in full, whatever its fitness, and
// before failed ones.
func TestHallOfFamePartialLast(t *testing.T) {
	r := &runner{hofCap: 4}
	for _, rec := range []fitness.Record{
		{Key: "a", Fitness: 0.3, Status: fitness.OK},
		{Key: "b", Fitness: 0.1, Status: fitness.OK, Partial: true},
		{Key: "c", Fitness: math.Inf(1), Status: fitness.Diverged},
		{Key: "d", Fitness: 0.2, Status: fitness.OK},
		{Key: "e", Fitness: 0.05, Status: fitness.OK, Partial: true},
	} {
		r.admit(rec)
	}
	var got []string
	for _, rec := range r.hallOfFame(4) {
		got = append(got, rec.Key)
	}
	if want := []string{"d", "a", "e", "b"}; !slices.Equal(got, want) {
		t.Errorf("hall of fame %v, want %v", got, want)
	}
}

// partialBackend is noisyBackend whose first evaluation of some genomes
// (those with a tanh layer) is stopped early, as multi-fidelity stops a
// training, with a better value than a full training of it would give.
type partialBackend struct{ noisyBackend }

func (b partialBackend) Run(ctx context.Context, j fitness.Job) (fitness.Record, error) {
	rec, err := b.noisyBackend.Run(ctx, j)
	if j.Visit == 0 && j.Genome.Layers[0].Activation == "tanh" {
		rec.Partial, rec.Stopped, rec.Fitness = true, "test", rec.Fitness-1
	}
	return rec, err
}

// TestRepeatsOfPartial: with objective.repeats and multi-fidelity, a genome
// whose first evaluation was stopped early is neither re-evaluated (its
// mean would mix a short training with full ones, as it did with halving)
// nor named the winner while a genome trained in full exists; and the
// search does not depend on the worker count.
func TestRepeatsOfPartial(t *testing.T) {
	s := noiseSettings()
	var fps []string
	for _, workers := range []int{1, 3} {
		ev := fitness.NewEvaluator(testData(t), fitness.Settings{Epochs: 1}, s.Seed, workers)
		ev.SetBackend(partialBackend{noisyBackend{sigma: 0.5}})
		c := &collector{}
		res, err := Evolve(context.Background(), testSpace(), ev, s, c)
		if err != nil {
			t.Fatal(err)
		}
		partial := map[string]bool{}
		for _, r := range c.evals {
			if r.Partial {
				partial[r.Key] = true
			}
		}
		if len(partial) == 0 {
			t.Fatal("no partial evaluation: the test tests nothing")
		}
		for _, r := range c.evals {
			if r.Visit > 0 && partial[r.Key] {
				t.Errorf("%s: re-evaluated (visit %d) after a partial first evaluation", r.Key, r.Visit)
			}
		}
		seenPartial := false
		for i, r := range res.Best {
			if r.Partial {
				seenPartial = true
			} else if seenPartial {
				t.Errorf("hall of fame %d %s: trained in full, ranked after a partial one", i, r.Key)
			}
		}
		if res.Best[0].Partial {
			t.Errorf("winner %s is partial", res.Best[0].Key)
		}
		var fp []string
		for _, r := range c.evals {
			fp = append(fp, fmt.Sprintf("%s visit %d fit %v partial %v", r.Key, r.Visit, r.Fitness, r.Partial))
		}
		slices.Sort(fp)
		fps = append(fps, fmt.Sprint(fp, res.Best[0].Key))
	}
	if fps[0] != fps[1] {
		t.Error("1 worker and 3 workers evaluated differently")
	}
}

// TestDeciderPartial: a first evaluation stopped early is not promising,
// and does not count as better than a full one, for scored as for the
// decider, whatever order the records arrive in.
func TestDeciderPartial(t *testing.T) {
	g := func(units int) genome.Genome {
		return genome.Genome{Layers: []genome.Layer{{Units: units, Activation: "relu"}}, LR: 0.01, Batch: 16, Optimizer: "adam"}
	}
	setup := func() *noisy {
		z := newNoisy(Noise{Repeats: 3, Finalists: 2}, nil, 0, 3)
		for i, f := range []float64{0.1, 0.2, 0.3} {
			gn := g(100 + i)
			z.count(fitness.Record{Key: gn.Key(), Genome: gn, Fitness: f, Status: fitness.OK})
		}
		return z
	}
	// 0.01 is partial: not promising, and not ahead of the others. So 0.05
	// (only 0.01 better) and 0.09 (0.05 better) are promising; 0.12 is not
	// (0.05, 0.09 and 0.1 are better).
	batch := []genome.Genome{g(1), g(2), g(3), g(4)}
	vals := []float64{0.01, 0.05, 0.09, 0.12}
	recs := make([]fitness.Record, len(batch))
	for i := range batch {
		recs[i] = fitness.Record{Key: batch[i].Key(), Genome: batch[i], Fitness: vals[i], Status: fitness.OK, Partial: i == 0}
	}
	want := []string{g(2).Key(), g(3).Key()}
	slices.Sort(want)

	z := setup()
	z.ev = fitness.NewEvaluator(testData(t), fitness.Settings{}, 1, 1)
	z.ev.SetBackend(noisyBackend{})
	if err := z.scored(context.Background(), slices.Clone(recs), 1); err != nil {
		t.Fatal(err)
	}
	var jobs []string
	for k, m := range z.means {
		if m.n > 1 {
			jobs = append(jobs, k)
		}
	}
	slices.Sort(jobs)
	if !slices.Equal(jobs, want) {
		t.Fatalf("scored re-evaluated %v, want %v", jobs, want)
	}
	for _, order := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 3, 0, 2}, {2, 0, 3, 1}} {
		d := setup().decider(batch)
		var got []string
		for _, i := range order {
			for _, c := range d.arrived(i, recs[i]) {
				got = append(got, c.key)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("order %v: promising %v, want %v", order, got, want)
		}
	}
}

// TestHypervolumeCurvePartial: a record stopped early adds nothing to a
// run's hypervolume curve, as it is never on its front.
func TestHypervolumeCurvePartial(t *testing.T) {
	f := NewFrame([]string{"error", "params"}, []float64{0, 10}, []float64{1, 1000})
	small := mrec("small", 1, 0.3, 0.3, 10)
	small.Partial = true
	recs := []fitness.Record{mrec("big", 0, 0.1, 0.1, 1000), small}
	got := f.HypervolumeCurve(recs, dataset.Multiclass)
	if got[1] != got[0] {
		t.Errorf("curve %v: the partial record changed the hypervolume", got)
	}
	if front := Front(recs, f.Objectives); len(front) != 1 || front[0].Key != "big" {
		t.Errorf("front %v, want big alone", front)
	}
}

// scoredPartialBackend is partialBackend with a validation accuracy to
// match each record's fitness (1 - fitness), so that a partial record's
// lower-fidelity accuracy is higher than any full training's.
type scoredPartialBackend struct{ partialBackend }

func (b scoredPartialBackend) Run(ctx context.Context, j fitness.Job) (fitness.Record, error) {
	rec, err := b.partialBackend.Run(ctx, j)
	rec.Val.Acc = 1 - rec.Fitness
	return rec, err
}

// TestBestSoFarFullTrainings: the best fitness and validation metric so
// far (generations.jsonl's best_so_far and best_metric, the progress
// line), no_improvement and stop.target_fitness count only trainings of
// every epoch: a training stopped early by multi-fidelity has a lower
// fidelity's metric (here a better one), which set them, and a target
// only partial trainings reached stopped the search.
func TestBestSoFarFullTrainings(t *testing.T) {
	for _, tc := range []struct {
		name   string
		model  string // "" for random search
		noise  Noise
		random bool
	}{
		{"regularized", "regularized", Noise{}, false},
		{"regularized repeats", "regularized", Noise{Repeats: 3, Finalists: 2}, false},
		{"async", AsyncModel, Noise{}, false},
		{"random", "", Noise{}, true},
		{"random repeats", "", Noise{Repeats: 3, Finalists: 2}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := noiseSettings()
			s.Model, s.Noise = tc.model, tc.noise
			s.Budget, s.Generations = 0, 6
			target := -0.5 // below every full training's fitness (trueFitness >= 0, noise 0.05), above the partial ones' (-1 and less)
			s.TargetFitness = &target
			workers := 2
			if tc.model == AsyncModel {
				s.Mutation, workers = "", 1 // reproducible only with one worker
			}
			ev := fitness.NewEvaluator(testData(t), fitness.Settings{Epochs: 1}, s.Seed, workers)
			ev.SetBackend(scoredPartialBackend{partialBackend{noisyBackend{sigma: 0.05}}})
			c := &collector{}
			var res *Result
			var err error
			if tc.random {
				res, err = RandomNoise(context.Background(), testSpace(), ev, 100, s.HallOfFame, s.Seed, s.Noise, c)
			} else {
				res, err = Evolve(context.Background(), testSpace(), ev, s, c)
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Stop == "target" {
				t.Errorf("stopped by target %v, which only partial trainings reached", target)
			}
			partial := 0
			minFull, maxFull := math.Inf(1), math.Inf(-1)
			for _, r := range c.evals {
				if r.Partial {
					partial++
					continue
				}
				minFull, maxFull = math.Min(minFull, r.Fitness), math.Max(maxFull, r.Val.Acc)
			}
			if partial == 0 {
				t.Fatal("no partial evaluation: the test tests nothing")
			}
			for _, g := range c.gens {
				if g.BestSoFar < minFull {
					t.Errorf("generation %d: best so far %v, below every full training's fitness (at least %v)", g.Generation, g.BestSoFar, minFull)
				}
				if g.BestMetric > maxFull {
					t.Errorf("generation %d: best metric %v, above every full training's (at most %v)", g.Generation, g.BestMetric, maxFull)
				}
			}
		})
	}
}

// TestSeedResultFull: a comparison's result for a run (and its curve of
// the best validation metric so far) is a training of every epoch, never
// one a multi-fidelity method stopped early, whose lower fidelity's
// metric may be higher.
func TestSeedResultFull(t *testing.T) {
	full := mrec("full", 0, 0.2, 0.25, 100)
	early := mrec("early", 0, 0.05, 0.3, 10)
	early.Partial = true
	later := mrec("later", 1, 0.3, 0.3, 10)
	s, best := seedResult(Run{Seed: 1, Records: []fitness.Record{full, early, later}}, 3, dataset.Multiclass)
	if best.Key != "full" || s.BestKey != "full" {
		t.Errorf("result %s (%s), want full", s.BestKey, best.Key)
	}
	if s.BestVal != 0.8 || s.BestTest != 0.75 {
		t.Errorf("result val %v test %v, want full's 0.8 and 0.75", s.BestVal, s.BestTest)
	}
	// In the order the search made them: early, full, later.
	if len(s.Curve) != 3 || !math.IsNaN(s.Curve[0]) || s.Curve[1] != 0.8 || s.Curve[2] != 0.8 {
		t.Errorf("curve %v, want [NaN 0.8 0.8]", s.Curve)
	}
	// A named winner (objective.folds) with a partial training is not
	// averaged over it: the result falls back to the best full training.
	s, _ = seedResult(Run{Seed: 1, Records: []fitness.Record{full, early, later}, Winner: "early"}, 3, dataset.Multiclass)
	if s.BestKey != "full" {
		t.Errorf("partial winner: result %s, want full", s.BestKey)
	}
	if s.Evaluations != 3 {
		t.Errorf("%d evaluations, want 3 (a partial training counts)", s.Evaluations)
	}
}
