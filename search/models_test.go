package search

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"sort"
	"testing"

	"github.com/MaxHalford/eaopt"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
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

// TestRegularizedAging replays regularized evolution from its records:
// each child's parent must be the fittest of the population as it stood
// when the child's batch began (the sample is the whole population), and
// each batch of children must replace the batch's oldest members, not the
// worst; the population after each generation must be the replay's.
// Offspring 1 is the sequential algorithm.
func TestRegularizedAging(t *testing.T) {
	for _, batch := range []int{1, 3} {
		s := testSettings()
		s.Model, s.Population, s.SampleSize, s.Offspring, s.Generations = "regularized", 6, 6, batch, 5
		s.Mutation = "local"
		gens, c := generations(t, s, 1)
		initial := append(eaopt.Individuals(nil), gens[0][0]...)
		sort.Slice(initial, func(i, j int) bool {
			return initial[i].Genome.(*candidate).born < initial[j].Genome.(*candidate).born
		})
		type member struct {
			key string
			fit float64
		}
		var pop, kids []member // oldest first
		for _, indi := range initial {
			c := indi.Genome.(*candidate)
			pop = append(pop, member{c.g.Key(), c.rec.Fitness})
		}
		children := 0
		for _, r := range c.evals {
			if r.Generation == 0 {
				continue
			}
			if len(r.Parents) != 1 {
				t.Fatalf("batch %d, generation %d: child %s has parents %v, want 1", batch, r.Generation, r.Key, r.Parents)
			}
			// trueFitness ignores some genes: the fittest may be several.
			best, parent := pop[0].fit, math.NaN()
			for _, m := range pop {
				best = math.Min(best, m.fit)
				if m.key == r.Parents[0] {
					parent = m.fit
				}
			}
			if parent != best {
				t.Errorf("batch %d, generation %d, child %d: parent %s of fitness %v (NaN: not in the population), want the fittest, %v",
					batch, r.Generation, children, r.Parents[0], parent, best)
			}
			kids = append(kids, member{r.Key, r.Fitness})
			if len(kids) < batch {
				continue
			}
			pop, kids = append(pop[len(kids):], kids...), nil
			if children += batch; children%s.Population == 0 {
				var got, want []string
				for _, indi := range gens[r.Generation][0] {
					got = append(got, keyOf(indi))
				}
				for _, m := range pop {
					want = append(want, m.key)
				}
				sort.Strings(got)
				sort.Strings(want)
				if !slices.Equal(got, want) {
					t.Errorf("batch %d, generation %d: population %v, replay %v", batch, r.Generation, got, want)
				}
			}
		}
		if children != s.Generations*s.Population {
			t.Errorf("batch %d: %d children, want %d", batch, children, s.Generations*s.Population)
		}
	}
}

// TestMigration follows individuals between islands in a search that
// changes nothing else (every gene fixed, and strict mutation_only keeps
// an unchanged mutant out): at the start of generations every, 2×every,
// …, the first island and the last each send exactly `migrants` members
// to their one neighbour and take as many; no other generation moves any.
func TestMigration(t *testing.T) {
	fixed := genome.Space{
		Layers: genome.IntRange{Min: 1, Max: 1}, Width: genome.IntRange{Min: 4, Max: 4},
		Activations: []string{"relu"}, LR: genome.FloatRange{Min: 1e-2, Max: 1e-2},
		Batches: []int{32}, Optimizers: []string{"adam"},
	}
	s := testSettings()
	s.Model, s.Strict, s.Islands, s.MigrationEvery, s.Migrants, s.Generations = "mutation_only", true, 3, 2, 2, 7
	ev := fitness.NewEvaluator(testData(t), fitness.Settings{Epochs: 1}, s.Seed, 1)
	ev.SetBackend(noisyBackend{sigma: 0})
	var islands []map[string]int // per generation: individual ID -> island
	_, err := evolve(t.Context(), fixed, ev, s, nil, func(ga *eaopt.GA) {
		at := map[string]int{}
		for i, pop := range ga.Populations {
			for _, indi := range pop.Individuals {
				at[indi.ID] = i
			}
		}
		islands = append(islands, at)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(islands) != s.Generations+1 {
		t.Fatalf("%d generations, want %d", len(islands), s.Generations+1)
	}
	for g := 1; g < len(islands); g++ {
		left := make([]int, s.Islands) // members each island lost
		for id, i := range islands[g-1] {
			j, ok := islands[g][id]
			if !ok {
				t.Fatalf("generation %d: individual %s vanished", g, id)
			}
			if j != i {
				left[i]++
			}
		}
		want := 0
		if g%s.MigrationEvery == 0 {
			want = s.Migrants
		}
		if left[0] != want || left[s.Islands-1] != want {
			t.Errorf("generation %d: the first island lost %d members, the last %d, want %d", g, left[0], left[s.Islands-1], want)
		}
		if want == 0 && left[1] != 0 {
			t.Errorf("generation %d: no migration, yet the middle island lost %d", g, left[1])
		}
	}
}

// TestRegularizedIslandsBudget: with several islands, which island's
// batch trains first decides how much of the budget the others find left,
// so regularized evolution finishes the generation that reaches its
// budget, as the other models do, and its run is the same whatever the
// workers (it made 37, 38 or 39 trainings of a budget of 37 when each
// island stopped at the budget); with one island it stops exactly at it.
func TestRegularizedIslandsBudget(t *testing.T) {
	for _, islands := range []int{1, 3} {
		var runs []string
		for _, workers := range []int{1, 3, 2, 3, 1, 3} {
			s := testSettings()
			s.Model, s.Budget, s.Generations, s.Islands, s.Population, s.Offspring = "regularized", 37, 100, islands, 8, 1
			_, c := generations(t, s, workers)
			last, n := c.evals[len(c.evals)-1].Generation, 0
			for _, r := range c.evals {
				if r.Generation == last {
					n++
				}
			}
			tr := c.gens[len(c.gens)-1].Evaluations
			if islands == 1 && tr != s.Budget {
				t.Errorf("1 island, %d workers: %d trainings, want the budget, %d", workers, tr, s.Budget)
			}
			if islands > 1 && n != islands*s.Population {
				t.Errorf("%d islands, %d workers: the last generation made %d children, want %d", islands, workers, n, islands*s.Population)
			}
			runs = append(runs, fmt.Sprint(fingerprint(c.evals)))
		}
		for _, r := range runs[1:] {
			if r != runs[0] {
				t.Fatalf("%d islands: runs of the same seed differ", islands)
			}
		}
	}
}
