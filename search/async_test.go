package search

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/evonas/evonas/fitness"
)

// TestAsync: with one worker the asynchronous model is sequential and so
// reproducible; with several it runs every evaluation it should, keeps its
// population to size, and reports a generation per population of finished
// trainings.
func TestAsync(t *testing.T) {
	d := testData(t)
	s := testSettings()
	s.Model = AsyncModel
	total := s.Population * (s.Generations + 1)

	r1, c1 := run(t, d, s, 1, nil)
	r1b, c1b := run(t, d, s, 1, nil)
	if f, fb := fingerprint(c1.evals), fingerprint(c1b.evals); fmt.Sprint(f) != fmt.Sprint(fb) {
		t.Fatalf("one worker, same seed, different evaluations:\n%v\n%v", f, fb)
	}
	if r1.Best[0].Key != r1b.Best[0].Key {
		t.Errorf("one worker, same seed: best %s, then %s", r1.Best[0].Key, r1b.Best[0].Key)
	}
	for _, c := range []*collector{c1, c1b} {
		if len(c.evals) != total {
			t.Errorf("%d evaluations, want population x (generations+1) = %d", len(c.evals), total)
		}
		if len(c.gens) != s.Generations+1 {
			t.Errorf("%d generation events, want %d", len(c.gens), s.Generations+1)
		}
	}
	if r1.Stop != "generations" || r1.Generations != s.Generations {
		t.Errorf("stopped by %q after %d generations, want generations after %d", r1.Stop, r1.Generations, s.Generations)
	}
	// Children come from the population: after the first generation,
	// every record's genome is a mutation of one before it, so the
	// search improves on random sampling's best at least sometimes; at the
	// least, the best so far never gets worse.
	prev := math.Inf(1)
	for _, g := range c1.gens {
		if g.BestSoFar > prev {
			t.Errorf("generation %d: best so far %v after %v", g.Generation, g.BestSoFar, prev)
		}
		prev = g.BestSoFar
		if g.Unique > s.Population {
			t.Errorf("generation %d: %d distinct members in a population of %d", g.Generation, g.Unique, s.Population)
		}
	}

	r3, c3 := run(t, d, s, 3, nil)
	if len(c3.evals) != total || r3.Trainings+r3.CacheHits != total {
		t.Errorf("3 workers: %d evaluations (%d trainings, %d hits), want %d", len(c3.evals), r3.Trainings, r3.CacheHits, total)
	}
	if len(c3.gens) != s.Generations+1 {
		t.Errorf("3 workers: %d generation events, want %d", len(c3.gens), s.Generations+1)
	}
}

func TestAsyncBudget(t *testing.T) {
	d := testData(t)
	s := testSettings()
	s.Model, s.Budget, s.Generations = AsyncModel, 11, 10
	for _, w := range []int{1, 3} {
		r, _ := run(t, d, s, w, nil)
		if r.Stop != "budget" || r.Trainings < s.Budget || r.Trainings > s.Budget+w {
			t.Errorf("%d workers: stop %q after %d trainings, want budget after %d..%d", w, r.Stop, r.Trainings, s.Budget, s.Budget+w)
		}
	}
}

func TestAsyncSettings(t *testing.T) {
	for _, f := range []func(*Settings){
		func(s *Settings) { s.Islands = 2 },
		func(s *Settings) { s.Speciation = "kmedoids" },
		func(s *Settings) { s.SampleSize = s.Population + 1 },
	} {
		s := testSettings()
		s.Model = AsyncModel
		f(&s)
		if err := s.Validate(); err == nil {
			t.Errorf("%+v validated", s)
		}
	}
	s := testSettings()
	s.Model = AsyncModel
	if err := s.Validate(); err != nil {
		t.Error(err)
	}
}

// TestAsyncFillsPopulationFirst: children are drawn only from a full
// population, so with W workers the first Population + W - 1 trainings
// are random samples (one launched at the start on every worker, then one
// at each of the first Population - 1 finishes), and none after.
func TestAsyncFillsPopulationFirst(t *testing.T) {
	s := testSettings()
	s.Model, s.Population, s.SampleSize, s.Generations = AsyncModel, 8, 3, 4
	const workers = 4
	ev := fitness.NewEvaluator(testData(t), fitness.Settings{Epochs: 1}, s.Seed, workers)
	ev.SetBackend(noisyBackend{sigma: 0.1})
	c := &collector{}
	if _, err := Evolve(context.Background(), testSpace(), ev, s, c); err != nil {
		t.Fatal(err)
	}
	sampled, children := 0, 0
	for _, r := range c.evals {
		switch {
		case r.Status == fitness.Cached:
		case len(r.Parents) == 0:
			sampled++
		default:
			children++
		}
	}
	if want := s.Population + workers - 1; sampled != want || children == 0 {
		t.Errorf("%d random samples and %d children, want %d samples, then children", sampled, children, want)
	}
}
