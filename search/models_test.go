package search

import (
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
