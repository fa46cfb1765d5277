package search

import (
	"math"
	"math/rand"
	"testing"

	"github.com/MaxHalford/eaopt"

	"github.com/evonas/evonas/fitness"
)

// generations runs s on the noiseless problem of noisyBackend (no
// training: fast and exact) and returns a copy of every island's
// population after each generation, the initial one first, and the
// search's records.
func generations(t *testing.T, s Settings, workers int) ([][]eaopt.Individuals, *collector) {
	t.Helper()
	ev := fitness.NewEvaluator(testData(t), fitness.Settings{Epochs: 1}, s.Seed, workers)
	ev.SetBackend(noisyBackend{sigma: 0})
	c := &collector{}
	var gens [][]eaopt.Individuals
	_, err := evolve(t.Context(), testSpace(), ev, s, c, func(ga *eaopt.GA) {
		var pops []eaopt.Individuals
		for _, pop := range ga.Populations {
			pops = append(pops, append(eaopt.Individuals(nil), pop.Individuals...))
		}
		gens = append(gens, pops)
	})
	if err != nil {
		t.Fatal(err)
	}
	return gens, c
}

func keyOf(indi eaopt.Individual) string { return indi.Genome.(*candidate).g.Key() }

// TestSteadyStateReplacesTheParents: a steady-state generation changes the
// population only in its two parents' places: with keep_best the best two
// of parents and children take them, so the population's best is never
// lost; without, the children do, and every other member stays.
func TestSteadyStateReplacesTheParents(t *testing.T) {
	for _, keep := range []bool{true, false} {
		for _, sel := range []string{"tournament", "roulette"} {
			s := testSettings()
			s.Model, s.KeepBest, s.Selection, s.Generations, s.Seed = "steady_state", keep, sel, 60, 3
			gens, _ := generations(t, s, 1)
			for g := 1; g < len(gens); g++ {
				prev, next := gens[g-1][0], gens[g][0]
				// The members of prev that are still in next, by identity.
				kept := map[string]bool{}
				for _, indi := range next {
					kept[indi.ID] = true
				}
				gone := 0
				for _, indi := range prev {
					if !kept[indi.ID] {
						gone++
					}
				}
				if gone > 2 {
					t.Errorf("keep_best %v, %s, generation %d: %d members replaced, want at most the 2 parents", keep, sel, g, gone)
				}
				if keep && next[0].Fitness > prev[0].Fitness {
					t.Errorf("keep_best, %s, generation %d: best %v lost, the population's best is now %v", sel, g, prev[0].Fitness, next[0].Fitness)
				}
			}
		}
	}
}

// TestRouletteWeighsByTheWorst: roulette selection picks an individual
// with probability proportional to worst − fitness + 1, however the
// individuals are ordered: the ring model offers it the original, the
// child and the neighbour, and a k-medoids species is ordered by
// distance, not fitness.
func TestRouletteWeighsByTheWorst(t *testing.T) {
	s := testSettings()
	s.Selection = "roulette"
	sel, err := s.selector()
	if err != nil {
		t.Fatal(err)
	}
	for _, fits := range [][]float64{{0.1, 0.5, 10}, {0.5, 10, 0.1}, {10, 0.5, 0.1}, {0.3, 0.2, 0.4, 0.1}} {
		indis := make(eaopt.Individuals, len(fits))
		worst, total := 0.0, 0.0
		for i, f := range fits {
			indis[i] = eaopt.Individual{Fitness: f, Evaluated: true, Genome: &candidate{}}
			worst = math.Max(worst, f)
		}
		for _, f := range fits {
			total += worst - f + 1
		}
		rng := rand.New(rand.NewSource(1))
		const draws = 20000
		count := make([]int, len(fits))
		for range draws {
			_, idx, err := sel.Apply(1, indis, rng)
			if err != nil {
				t.Fatal(err)
			}
			count[idx[0]]++
		}
		for i, f := range fits {
			want := (worst - f + 1) / total
			if got := float64(count[i]) / draws; math.Abs(got-want) > 0.015 {
				t.Errorf("fitnesses %v: %v picked %.3f of the time, want %.3f", fits, f, got, want)
			}
		}
		for i, f := range fits {
			if indis[i].Fitness != f {
				t.Errorf("fitnesses %v: reordered to %v", fits, indis)
			}
		}
	}
}
