package search

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"sort"

	"github.com/MaxHalford/eaopt"
)

func (s Settings) selector() (eaopt.Selector, error) {
	switch s.Selection {
	case "tournament", "":
		if s.TournamentSize < 1 {
			return nil, fmt.Errorf("search: tournament size %d", s.TournamentSize)
		}
		return tournament{size: s.TournamentSize}, nil
	case "roulette":
		return roulette{}, nil
	case "elitism":
		return eaopt.SelElitism{}, nil
	}
	return nil, fmt.Errorf("search: unknown selection %q", s.Selection)
}

// roulette is eaopt's SelRoulette on the individuals sorted by fitness.
// eaopt weighs each by last − fitness + 1, taking the last as the worst:
// offered the ring model's original, child and neighbour, or a k-medoids
// species (ordered by distance to its medoid), an individual worse than
// the last by more than 1, as a failed one, got a negative weight and then
// every draw. On sorted individuals it picks as eaopt does.
type roulette struct{}

func (roulette) Validate() error { return nil }

func (roulette) Apply(n uint, indis eaopt.Individuals, rng *rand.Rand) (eaopt.Individuals, []int, error) {
	order := make([]int, len(indis))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return indis[order[i]].Fitness < indis[order[j]].Fitness })
	sorted := make(eaopt.Individuals, len(indis))
	for i, o := range order {
		sorted[i] = indis[o]
	}
	picked, idx, err := eaopt.SelRoulette{}.Apply(n, sorted, rng)
	if err != nil {
		return nil, nil, err
	}
	for i := range idx {
		idx[i] = order[idx[i]]
	}
	return picked, idx, nil
}

// tournament is eaopt v0.4.2's SelTournament, drawing the same
// contestants and winners from the same random numbers, with the winners'
// indexes right: eaopt's reports index 0 for a winner that was the first
// contestant drawn, so ModSteadyState, which puts the best of parents and
// children at their parents' indexes, overwrote the population's best
// instead (TestSteadyStateReplacesTheParents).
type tournament struct{ size int }

func (s tournament) Validate() error {
	if s.size < 1 {
		return fmt.Errorf("search: tournament size %d", s.size)
	}
	return nil
}

// Apply picks n distinct individuals of indis, each the fittest of s.size
// drawn without replacement from those not picked yet (ties: the first
// drawn), and returns copies of them and their indexes in indis.
func (s tournament) Apply(n uint, indis eaopt.Individuals, rng *rand.Rand) (eaopt.Individuals, []int, error) {
	if len(indis) < int(n) || len(indis)-int(n) < s.size-1 {
		return nil, nil, fmt.Errorf("search: cannot select %d by tournaments of %d from %d individuals", n, s.size, len(indis))
	}
	winners := make(eaopt.Individuals, n)
	indexes := make([]int, n)
	left := make([]int, len(indis))
	for i := range left {
		left[i] = i
	}
	for i := range winners {
		drawn := reservoir(s.size, len(left), rng)
		w := drawn[0]
		for _, p := range drawn[1:] {
			if indis[left[p]].Fitness < indis[left[w]].Fitness {
				w = p
			}
		}
		winners[i], indexes[i] = indis[left[w]], left[w]
		left = slices.Delete(left, w, w+1)
	}
	return winners.Clone(rng), indexes, nil
}

// reservoir draws k of 0 … n-1 without replacement by reservoir sampling,
// as eaopt's randomInts does (and with the same random numbers).
func reservoir(k, n int, rng *rand.Rand) []int {
	out := make([]int, k)
	for i := range out {
		out[i] = i
	}
	for i := k; i < n; i++ {
		if j := rng.Intn(i + 1); j < k {
			out[j] = i
		}
	}
	return out
}

// model returns the eaopt model the settings name.
func (s Settings) model(r *runner) (eaopt.Model, error) {
	sel, err := s.selector()
	if err != nil {
		return nil, err
	}
	switch s.Model {
	case "generational":
		return generational{sel: sel, mutRate: s.MutationRate, crossRate: s.CrossoverRate, elitism: s.Elitism}, nil
	case "steady_state":
		return eaopt.ModSteadyState{Selector: sel, KeepBest: s.KeepBest, MutRate: s.MutationRate, CrossRate: s.CrossoverRate}, nil
	case "down_to_size":
		n := s.Offspring
		if n == 0 {
			n = s.Population
		}
		return eaopt.ModDownToSize{NOffsprings: uint(n), SelectorA: sel, SelectorB: eaopt.SelElitism{}, MutRate: s.MutationRate, CrossRate: s.CrossoverRate}, nil
	case "ring":
		return eaopt.ModRing{Selector: sel, MutRate: s.MutationRate}, nil
	case "mutation_only":
		return eaopt.ModMutationOnly{Strict: s.Strict}, nil
	case "regularized":
		b := s.Offspring
		if b == 0 {
			b = max(1, s.Population/4)
		}
		return regularized{sample: s.SampleSize, batch: b, screen: s.Screen, r: r, exact: s.Islands == 1}, nil
	case "nsga2":
		return nsga2{objectives: s.objectives(), mutRate: s.MutationRate, crossRate: s.CrossoverRate}, nil
	}
	return nil, fmt.Errorf("search: unknown model %q", s.Model)
}

// generational is eaopt's generational model with elitism: the best
// `elitism` individuals pass unchanged into the next generation and
// selection, crossover and mutation make the rest.
type generational struct {
	sel                eaopt.Selector
	mutRate, crossRate float64
	elitism            int
}

func (m generational) Validate() error { return m.sel.Validate() }

func (m generational) Apply(pop *eaopt.Population) error {
	n := len(pop.Individuals)
	next := make(eaopt.Individuals, 0, n)
	next = append(next, elite(pop.Individuals, m.elitism).Clone(pop.RNG)...)
	for len(next) < n {
		parents, _, err := m.sel.Apply(2, pop.Individuals, pop.RNG)
		if err != nil {
			return err
		}
		if pop.RNG.Float64() < m.crossRate {
			parents[0].Crossover(parents[1], pop.RNG)
		}
		for i := range parents {
			if len(next) == n {
				break
			}
			if pop.RNG.Float64() < m.mutRate {
				parents[i].Mutate(pop.RNG)
			}
			next = append(next, parents[i])
		}
	}
	copy(pop.Individuals, next)
	return nil
}

// elite returns the best n individuals, best first; ties keep population
// order.
func elite(indis eaopt.Individuals, n int) eaopt.Individuals {
	n = min(n, len(indis))
	if n == 0 {
		return nil
	}
	sorted := append(eaopt.Individuals(nil), indis...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Fitness < sorted[j].Fitness })
	return sorted[:n]
}

// regularized is aging evolution (Real et al. 2019): sample `sample`
// individuals at random, mutate a copy of the best into a child, add the
// child and remove the oldest individual. Children are made in batches of
// `batch` from the population as it stands when the batch starts, then
// evaluated together and swapped for the batch's oldest, so the worker pool
// trains them concurrently (Real et al. ran hundreds of asynchronous
// workers); batch 1 is the sequential algorithm. A generation makes as many
// children as the population has members. With screen > 1, each child is
// the one of screen such children that a surrogate of the evaluations so
// far predicts fittest (screened).
type regularized struct {
	sample, batch int
	screen        int     // children made per child trained (surrogate screening)
	r             *runner // the budget left (no child is made past it), the surrogate
	// exact stops a generation at the budget. Not with several islands:
	// which island's batch trains first would decide what the others
	// find left, and so the run; they finish the generation instead.
	exact bool
}

func (m regularized) Validate() error {
	if m.sample < 1 || m.batch < 1 {
		return fmt.Errorf("search: regularized evolution with sample %d, batch %d", m.sample, m.batch)
	}
	return nil
}

func (m regularized) Apply(pop *eaopt.Population) error {
	n := len(pop.Individuals)
	rng := pop.RNG
	idx := make([]int, n)
	for made := 0; made < n; {
		b := min(m.batch, n-made)
		if m.r != nil && m.exact {
			b = min(b, m.r.room())
		}
		if b <= 0 {
			break
		}
		var sur *surrogate
		if m.screen > 1 && m.r != nil {
			sur = m.r.surrogate()
		}
		kids := make(eaopt.Individuals, b)
		for k := range kids {
			if sur == nil {
				kids[k] = pop.Individuals[m.tournament(pop, idx)].Clone(rng)
				kids[k].Mutate(rng)
				continue
			}
			kids[k] = m.screened(pop, idx, sur)
		}
		// Evaluating the first kid evaluates the whole batch at once.
		if err := kids.Evaluate(false); err != nil {
			return err
		}
		// Replace the b oldest members with the kids.
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(i, j int) bool {
			return pop.Individuals[order[i]].Genome.(*candidate).born < pop.Individuals[order[j]].Genome.(*candidate).born
		})
		for k, i := range order[:b] {
			pop.Individuals[i] = kids[k]
		}
		made += b
	}
	return nil
}

// tournament samples m.sample members of pop at random (idx is scratch
// space of pop's size) and returns the index of the fittest.
func (m regularized) tournament(pop *eaopt.Population, idx []int) int {
	n := len(pop.Individuals)
	for i := range idx {
		idx[i] = i
	}
	best := -1
	for j := 0; j < min(m.sample, n); j++ {
		p := j + pop.RNG.Intn(n-j)
		idx[j], idx[p] = idx[p], idx[j]
		if best < 0 || pop.Individuals[idx[j]].Fitness < pop.Individuals[best].Fitness {
			best = idx[j]
		}
	}
	return best
}

// screened makes m.screen children, each a mutated copy of a tournament's
// winner, and returns the one sur predicts fittest among those that are
// new (changed by their mutation, and not evaluated before), or the first
// if none is. Only it is registered as a child: the others are dropped
// untrained.
func (m regularized) screened(pop *eaopt.Population, idx []int, sur *surrogate) eaopt.Individual {
	rng := pop.RNG
	var pick eaopt.Individual
	var pickOps []string
	var pickBefore string
	pickF := math.Inf(1)
	for range m.screen {
		c := pop.Individuals[m.tournament(pop, idx)].Clone(rng)
		cand := c.Genome.(*candidate)
		before := cand.g.Key()
		ops := m.r.mutate(&cand.g, rng)
		f := math.Inf(1) // nothing new to learn from it
		if len(ops) > 0 && !sur.known(cand.g) {
			f = sur.predict(cand.g)
		}
		if pick.Genome == nil || f < pickF {
			pick, pickOps, pickBefore, pickF = c, ops, before, f
		}
	}
	// As eaopt's Individual.Mutate and candidate.Mutate would leave it.
	pick.Evaluated = false
	if c := pick.Genome.(*candidate); len(pickOps) > 0 {
		c.made(pickOps, pickBefore)
		m.r.changed(rng, c)
	}
	return pick
}
