package search

import (
	"context"
	"fmt"
	"math"
	"sort"
	"sync"
	"testing"

	"github.com/MaxHalford/eaopt"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
)

// testData is a small, quick problem.
func testData(t testing.TB) *dataset.Data {
	t.Helper()
	d, err := dataset.Load("seed-sum", dataset.Options{Seed: 1, Rows: 200})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func testSpace() genome.Space {
	return genome.Space{
		Layers:      genome.IntRange{Min: 1, Max: 3},
		Width:       genome.IntRange{Min: 2, Max: 16},
		Activations: []string{"relu", "tanh"},
		LR:          genome.FloatRange{Min: 1e-3, Max: 3e-2},
		Batches:     []int{16, 32},
		Optimizers:  []string{"adam"},
	}
}

func testSettings() Settings {
	return Settings{
		Model: "generational", Population: 8, Generations: 3, Islands: 1, Migrants: 1,
		Selection: "tournament", TournamentSize: 2, Elitism: 1, Speciation: "none", Species: 2,
		CrossoverRate: 0.5, MutationRate: 0.8, Rates: genome.DefaultRates(), HallOfFame: 3,
		SampleSize: 3, KeepBest: true, Seed: 7,
	}
}

// collector records every event.
type collector struct {
	mu    sync.Mutex
	evals []fitness.Record
	gens  []GenerationStats
}

func (c *collector) Evaluated(r fitness.Record) {
	c.mu.Lock()
	c.evals = append(c.evals, r)
	c.mu.Unlock()
}

func (c *collector) Generation(s GenerationStats) {
	c.mu.Lock()
	c.gens = append(c.gens, s)
	c.mu.Unlock()
}

func run(t *testing.T, d *dataset.Data, s Settings, workers int, onGen func(*eaopt.GA)) (*Result, *collector) {
	return runWith(t, d, s, fitness.Settings{Epochs: 2}, workers, onGen)
}

func runWith(t *testing.T, d *dataset.Data, s Settings, fs fitness.Settings, workers int, onGen func(*eaopt.GA)) (*Result, *collector) {
	t.Helper()
	ev := fitness.NewEvaluator(d, fs, s.Seed, workers)
	c := &collector{}
	res, err := evolve(context.Background(), testSpace(), ev, s, c, onGen)
	if err != nil {
		t.Fatal(err)
	}
	return res, c
}

// fingerprint lists a run's evaluations without timings or completion order.
func fingerprint(recs []fitness.Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, fmt.Sprintf("g%d %s %s fit=%v val=%+v test=%+v params=%d epochs=%d samples=%d seed=%d",
			r.Generation, r.Key, r.Status, r.Fitness, r.Val, r.Test, r.Params, r.Epochs, r.Samples, r.Seed))
	}
	sort.Strings(out)
	return out
}

// TestSameResultsWhateverTheWorkers runs every model with one and with
// three workers and requires identical evaluations.
func TestSameResultsWhateverTheWorkers(t *testing.T) {
	d := testData(t)
	for _, model := range []string{"generational", "steady_state", "down_to_size", "ring", "mutation_only", "regularized"} {
		t.Run(model, func(t *testing.T) {
			s := testSettings()
			s.Model = model
			r1, c1 := run(t, d, s, 1, nil)
			r3, c3 := run(t, d, s, 3, nil)
			f1, f3 := fingerprint(c1.evals), fingerprint(c3.evals)
			if fmt.Sprint(f1) != fmt.Sprint(f3) {
				t.Fatalf("1 worker and 3 workers evaluated differently:\n%v\n%v", f1, f3)
			}
			if r1.Best[0].Key != r3.Best[0].Key || r1.Trainings != r3.Trainings {
				t.Errorf("best %s / %s, trainings %d / %d", r1.Best[0].Key, r3.Best[0].Key, r1.Trainings, r3.Trainings)
			}
			if len(c1.gens) != s.Generations+1 {
				t.Errorf("%d generation events, want %d", len(c1.gens), s.Generations+1)
			}
		})
	}
}

// TestFidelitySameResultsWhateverTheWorkers: median stopping takes its
// thresholds between generations and successive halving ranks whole
// batches, so neither depends on the order trainings finish in.
func TestFidelitySameResultsWhateverTheWorkers(t *testing.T) {
	d := testData(t)
	for _, f := range []fitness.Fidelity{
		{Method: "median", MinEvaluations: 4, MinEpochs: 1},
		{Method: "halving", MinEpochs: 1, Eta: 2},
	} {
		t.Run(f.Method, func(t *testing.T) {
			fs := fitness.Settings{Epochs: 4, Fidelity: f}
			s := testSettings()
			_, c1 := runWith(t, d, s, fs, 1, nil)
			_, c3 := runWith(t, d, s, fs, 3, nil)
			if fmt.Sprint(fingerprint(c1.evals)) != fmt.Sprint(fingerprint(c3.evals)) {
				t.Fatal("1 worker and 3 workers evaluated differently")
			}
			partial := 0
			for _, r := range c1.evals {
				if r.Partial {
					partial++
				}
			}
			if partial == 0 {
				t.Errorf("%s stopped no training early", f.Method)
			}
		})
	}
}

// TestFitnessBelongsToItsGenome checks, after every generation of every
// model, that each individual's fitness is the one its own genome got:
// eaopt v0.4.2 leaves stale fitness behind when a genome changes a mate, or
// (ModRing) when a neighbour is mutated in place.
func TestFitnessBelongsToItsGenome(t *testing.T) {
	d := testData(t)
	cases := []struct {
		model, speciation string
		islands           int
	}{
		{"generational", "none", 1}, {"steady_state", "none", 1}, {"down_to_size", "none", 1},
		{"ring", "none", 1}, {"mutation_only", "none", 1}, {"regularized", "none", 1},
		{"generational", "kmedoids", 1}, {"generational", "interval", 1}, {"generational", "none", 3},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s/%s/%d", tc.model, tc.speciation, tc.islands), func(t *testing.T) {
			s := testSettings()
			s.Model, s.Speciation, s.Islands = tc.model, tc.speciation, tc.islands
			if tc.islands > 1 {
				s.MigrationEvery = 1
			}
			byKey := map[string]float64{}
			var checked int
			var c *collector
			check := func(ga *eaopt.GA) {
				c.mu.Lock()
				for _, r := range c.evals {
					byKey[r.Key] = r.Fitness
				}
				c.mu.Unlock()
				for _, pop := range ga.Populations {
					for _, indi := range pop.Individuals {
						g := indi.Genome.(*candidate).g
						want, ok := byKey[g.Key()]
						if !ok {
							t.Fatalf("generation %d: genome %s was never evaluated", ga.Generations, g.Key())
						}
						if indi.Fitness != eaoptFitness(want) {
							t.Fatalf("generation %d: individual %s has fitness %v, its genome got %v", ga.Generations, g.Key(), indi.Fitness, want)
						}
						checked++
					}
				}
			}
			ev := fitness.NewEvaluator(d, fitness.Settings{Epochs: 2}, s.Seed, 2)
			c = &collector{}
			if _, err := evolve(context.Background(), testSpace(), ev, s, c, check); err != nil {
				t.Fatal(err)
			}
			if want := (s.Generations + 1) * s.Population * s.Islands; checked != want {
				t.Errorf("checked %d individuals, want %d", checked, want)
			}
		})
	}
}

// TestElitism checks that the best `elitism` individuals of each generation
// are in the next one, unchanged.
func TestElitism(t *testing.T) {
	d := testData(t)
	s := testSettings()
	s.Elitism, s.Generations, s.MutationRate, s.CrossoverRate = 2, 4, 1, 1
	var gens [][]eaopt.Individual
	run(t, d, s, 2, func(ga *eaopt.GA) {
		gens = append(gens, append([]eaopt.Individual(nil), ga.Populations[0].Individuals...))
	})
	for g := 1; g < len(gens); g++ {
		prev := append([]eaopt.Individual(nil), gens[g-1]...)
		sort.SliceStable(prev, func(i, j int) bool { return prev[i].Fitness < prev[j].Fitness })
		next := map[string]float64{}
		for _, indi := range gens[g] {
			next[indi.Genome.(*candidate).g.Key()] = indi.Fitness
		}
		for _, e := range prev[:s.Elitism] {
			key := e.Genome.(*candidate).g.Key()
			if f, ok := next[key]; !ok || f != e.Fitness {
				t.Errorf("generation %d: elite %s (fitness %v) is not in the next generation", g-1, key, e.Fitness)
			}
		}
		// The elite really are the best: none outside them is better.
		for _, indi := range prev[s.Elitism:] {
			if indi.Fitness < prev[s.Elitism-1].Fitness {
				t.Errorf("generation %d: non-elite fitness %v beats an elite's %v", g-1, indi.Fitness, prev[s.Elitism-1].Fitness)
			}
		}
	}
	if len(gens) != s.Generations+1 {
		t.Fatalf("saw %d generations, want %d", len(gens), s.Generations+1)
	}
}

func TestStops(t *testing.T) {
	d := testData(t)
	target := 0.3
	cases := []struct {
		name string
		set  func(*Settings)
		want string
		ok   func(*Result, *collector) bool
	}{
		{"budget", func(s *Settings) { s.Budget, s.Generations = 12, 50 }, "budget",
			func(r *Result, c *collector) bool { return r.Trainings >= 12 && r.Generations < 50 }},
		{"target", func(s *Settings) { s.TargetFitness, s.Generations = &target, 50 }, "target",
			func(r *Result, c *collector) bool { return r.Best[0].Fitness <= target && r.Generations < 50 }},
		{"no improvement", func(s *Settings) { s.NoImprovement, s.Generations, s.Population = 1, 50, 4 }, "no_improvement",
			func(r *Result, c *collector) bool {
				last := c.gens[len(c.gens)-1]
				prev := c.gens[len(c.gens)-2]
				return last.BestSoFar == prev.BestSoFar
			}},
		{"generations", func(s *Settings) { s.Generations = 2 }, "generations",
			func(r *Result, c *collector) bool { return r.Generations == 2 && len(c.gens) == 3 }},
		{"zero generations", func(s *Settings) { s.Generations = 0 }, "generations",
			func(r *Result, c *collector) bool { return r.Generations == 0 && len(c.gens) == 1 && r.Trainings <= 8 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := testSettings()
			tc.set(&s)
			res, c := run(t, d, s, 2, nil)
			if res.Stop != tc.want || !tc.ok(res, c) {
				t.Errorf("stop %q after %d generations and %d trainings; want %q", res.Stop, res.Generations, res.Trainings, tc.want)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	d := testData(t)
	ctx, cancel := context.WithCancel(context.Background())
	ev := fitness.NewEvaluator(d, fitness.Settings{Epochs: 2}, 1, 2)
	s := testSettings()
	s.Generations = 1000
	c := &collector{}
	obs := cancelAfter{c, 5, cancel}
	_, err := Evolve(ctx, testSpace(), ev, s, &obs)
	if err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestCancelWithoutTrainings cancels searches whose generations train
// nothing (every gene fixed: each child is an unchanged copy or a cache
// hit). The search must still stop at the next generation, not run its
// thousands of generations to the end.
func TestCancelWithoutTrainings(t *testing.T) {
	d := testData(t)
	fixed := genome.Space{
		Layers:      genome.IntRange{Min: 1, Max: 1},
		Width:       genome.IntRange{Min: 4, Max: 4},
		Activations: []string{"relu"},
		LR:          genome.FloatRange{Min: 1e-2, Max: 1e-2},
		Batches:     []int{32},
		Optimizers:  []string{"adam"},
	}
	for _, model := range []string{"generational", "regularized", "mutation_only", "nsga2"} {
		t.Run(model, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s := testSettings()
			s.Model, s.Generations = model, 100000
			ev := fitness.NewEvaluator(d, fitness.Settings{Epochs: 1}, s.Seed, 1)
			c := &collector{}
			gens := 0
			_, err := evolve(ctx, fixed, ev, s, c, func(*eaopt.GA) {
				if gens++; gens == 3 {
					cancel()
				}
			})
			if err != context.Canceled {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if gens > 4 {
				t.Errorf("%d generations ran, want the search stopped after the 3rd", gens)
			}
		})
	}
}

type cancelAfter struct {
	*collector
	n      int
	cancel func()
}

func (c *cancelAfter) Evaluated(r fitness.Record) {
	c.collector.Evaluated(r)
	c.n--
	if c.n == 0 {
		c.cancel()
	}
}

func TestHallOfFameIsSortedAndDistinct(t *testing.T) {
	d := testData(t)
	s := testSettings()
	s.HallOfFame = 5
	res, c := run(t, d, s, 2, nil)
	if len(res.Best) != 5 {
		t.Fatalf("hall of fame of %d, want 5", len(res.Best))
	}
	seen := map[string]bool{}
	best := math.Inf(1)
	for _, r := range c.evals {
		best = math.Min(best, r.Fitness)
	}
	if res.Best[0].Fitness != best {
		t.Errorf("hall of fame starts at %v, best evaluated %v", res.Best[0].Fitness, best)
	}
	for i, r := range res.Best {
		if seen[r.Key] {
			t.Errorf("%s twice in the hall of fame", r.Key)
		}
		seen[r.Key] = true
		if i > 0 && r.Fitness < res.Best[i-1].Fitness {
			t.Errorf("hall of fame not sorted at %d", i)
		}
	}
}

func TestSettingsValidate(t *testing.T) {
	cases := []func(*Settings){
		func(s *Settings) { s.Population = 1 },
		func(s *Settings) { s.Model = "nope" },
		func(s *Settings) { s.Selection = "nope" },
		func(s *Settings) { s.Speciation = "kmedoids"; s.Species = 100 },
		func(s *Settings) { s.Elitism = 8 },
		func(s *Settings) { s.MigrationEvery = 2 },
		func(s *Settings) { s.Model = "regularized"; s.SampleSize = 0 },
		func(s *Settings) { s.Mutation = "gaussian" },
		func(s *Settings) { s.Noise = Noise{Repeats: -1} },
		func(s *Settings) { s.Noise = Noise{Repeats: 2}; s.Islands = 2 },
		func(s *Settings) { s.Model = "regularized"; s.Screen = 4; s.Islands = 2 },
	}
	for i, f := range cases {
		s := testSettings()
		f(&s)
		if err := s.Validate(); err == nil {
			t.Errorf("case %d: %+v validated", i, s)
		}
	}
	if err := testSettings().Validate(); err != nil {
		t.Error(err)
	}
}

// TestSmallestPopulations runs each model on the smallest population it
// accepts, 2, with the tournament size of the defaults (3): the models
// that select no parents by tournament must not refuse it.
func TestSmallestPopulations(t *testing.T) {
	d := testData(t)
	for _, model := range []string{"mutation_only", "regularized", AsyncModel, "nsga2"} {
		t.Run(model, func(t *testing.T) {
			s := testSettings()
			s.Model, s.Population, s.Generations, s.TournamentSize, s.SampleSize = model, 2, 2, 3, 2
			if err := s.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			_, c := run(t, d, s, 1, nil)
			if len(c.evals) < s.Population {
				t.Errorf("%d evaluations, want at least the population's %d", len(c.evals), s.Population)
			}
		})
	}
	for _, model := range []string{"generational", "steady_state", "down_to_size", "ring"} {
		s := testSettings()
		s.Model, s.Population, s.TournamentSize = model, 2, 2
		if err := s.Validate(); err == nil {
			t.Errorf("%s: a tournament of 2 in a population of 2 validated", model)
		}
	}
}
