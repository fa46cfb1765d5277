package search

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/MaxHalford/eaopt"

	"github.com/evonas/evonas/fitness"
)

// nsga2 is NSGA-II (Deb et al. 2002) as an eaopt model: parents are drawn
// by binary tournaments on (front rank, crowding distance), crossed over
// and mutated into as many children as the population has members, the
// children are evaluated in one batch, and the best half of parents and
// children together survive: whole fronts of the non-dominated sort first,
// the front that does not fit whole thinned by crowding distance.
//
// eaopt knows one fitness per individual; the objectives come from each
// candidate's record. The survivors are distinct architectures where the
// pool has enough of them: a discrete space makes duplicates (a child no
// operator changed, a cache hit), and a front of copies would waste the
// population.
type nsga2 struct {
	objectives         []string
	mutRate, crossRate float64
}

func (m nsga2) Validate() error {
	if len(m.objectives) == 0 {
		return fmt.Errorf("search: nsga2 needs at least one objective")
	}
	return fitness.CheckObjectives(m.objectives)
}

// vector is a candidate's objective vector.
func (m nsga2) vector(indi eaopt.Individual) []float64 {
	return indi.Genome.(*candidate).rec.ObjectiveVector(m.objectives)
}

func (m nsga2) Apply(pop *eaopt.Population) error {
	n := len(pop.Individuals)
	rng := pop.RNG
	parents := pop.Individuals
	rank, crowd := rankCrowding(m.vectors(parents))
	better := func(i, j int) int {
		if rank[i] != rank[j] {
			if rank[i] < rank[j] {
				return i
			}
			return j
		}
		if crowd[j] > crowd[i] {
			return j
		}
		return i
	}
	tournament := func() int {
		i, j := rng.Intn(n), rng.Intn(n-1)
		if j >= i {
			j++
		}
		return better(i, j)
	}
	kids := make(eaopt.Individuals, 0, n)
	for len(kids) < n {
		a, b := parents[tournament()].Clone(rng), parents[tournament()].Clone(rng)
		if rng.Float64() < m.crossRate {
			// Crossover changes only its receiver: each child takes from
			// the other parent as it was.
			mate := a.Clone(rng)
			a.Crossover(b, rng)
			b.Crossover(mate, rng)
		}
		for _, k := range []*eaopt.Individual{&a, &b} {
			if len(kids) == n {
				break
			}
			if rng.Float64() < m.mutRate {
				k.Mutate(rng)
			}
			kids = append(kids, *k)
		}
	}
	// Evaluating the first new child evaluates the whole batch at once.
	if err := kids.Evaluate(false); err != nil {
		return err
	}
	pool := append(append(eaopt.Individuals(nil), parents...), kids...)
	copy(pop.Individuals, survivors(pool, m.vectors(pool), n))
	return nil
}

func (m nsga2) vectors(indis eaopt.Individuals) [][]float64 {
	v := make([][]float64, len(indis))
	for i, indi := range indis {
		v[i] = m.vector(indi)
	}
	return v
}

// rankCrowding returns each point's front rank (0 for the first front)
// and its crowding distance within its front.
func rankCrowding(points [][]float64) (rank []int, crowd []float64) {
	rank, crowd = make([]int, len(points)), make([]float64, len(points))
	for r, front := range NondominatedSort(points) {
		d := Crowding(points, front)
		for k, i := range front {
			rank[i], crowd[i] = r, d[k]
		}
	}
	return rank, crowd
}

// survivors picks n individuals of the pool by NSGA-II's truncation:
// whole fronts in order, then the most crowding-distant of the front that
// does not fit, ties to the earlier in the pool. Copies of an architecture
// already chosen come last, in the same order.
func survivors(pool eaopt.Individuals, points [][]float64, n int) eaopt.Individuals {
	seen := map[string]bool{}
	var firsts, copies []int
	for i, indi := range pool {
		k := indi.Genome.(*candidate).g.Key()
		if seen[k] {
			copies = append(copies, i)
		} else {
			seen[k] = true
			firsts = append(firsts, i)
		}
	}
	out := make(eaopt.Individuals, 0, n)
	for _, group := range [][]int{firsts, copies} {
		if len(out) == n {
			break
		}
		pts := make([][]float64, len(group))
		for k, i := range group {
			pts[k] = points[i]
		}
		for _, front := range NondominatedSort(pts) {
			if len(out)+len(front) > n {
				d := Crowding(pts, front)
				order := make([]int, len(front))
				for k := range order {
					order[k] = k
				}
				sort.SliceStable(order, func(a, b int) bool { return d[order[a]] > d[order[b]] })
				front = append([]int(nil), front...)
				for k := range order {
					order[k] = front[order[k]]
				}
				front = order[:n-len(out)]
			}
			for _, k := range front {
				out = append(out, pool[group[k]])
			}
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// Front returns the Pareto front of a run's records under the named
// objectives: the distinct architectures that no other evaluated one
// dominates, failed ones and those stopped early by multi-fidelity
// (fitness.Record.Partial) aside (a cache hit stands for its original).
// Members are sorted by error, the most accurate first, then by the other
// objectives, then key, so a member's position is a stable index.
func Front(recs []fitness.Record, objectives []string) []fitness.Record {
	f := paretoSet{objectives: objectives}
	for _, r := range recs {
		f.add(r)
	}
	return f.members()
}

// paretoSet is the front of the records added so far: adding one costs
// O(front).
type paretoSet struct {
	objectives []string
	recs       []fitness.Record
	pts        [][]float64
}

func (f *paretoSet) add(r fitness.Record) {
	p := r.ObjectiveVector(f.objectives)
	// A training a multi-fidelity method stopped early has a lower
	// fidelity's error, which the front cannot weigh against full ones.
	if r.Partial || anyInf(p) {
		return
	}
	for k, q := range f.pts {
		if f.recs[k].Key == r.Key {
			if f.recs[k].Status == fitness.Cached && r.Status != fitness.Cached {
				f.recs[k] = r
			}
			return
		}
		if Dominates(q, p) {
			return
		}
	}
	keptR, keptP := f.recs[:0], f.pts[:0]
	for k, q := range f.pts {
		if !Dominates(p, q) {
			keptR, keptP = append(keptR, f.recs[k]), append(keptP, q)
		}
	}
	f.recs, f.pts = append(keptR, r), append(keptP, p)
}

// members returns the front, sorted as SortFront sorts.
func (f *paretoSet) members() []fitness.Record {
	out := append([]fitness.Record(nil), f.recs...)
	SortFront(out, f.objectives)
	return out
}

// SortFront orders front members by error (the most accurate first), then
// by the other objectives in order, then key.
func SortFront(front []fitness.Record, objectives []string) {
	order := []string{fitness.ErrorObjective}
	for _, o := range objectives {
		if o != fitness.ErrorObjective {
			order = append(order, o)
		}
	}
	sort.SliceStable(front, func(i, j int) bool {
		a, b := front[i].ObjectiveVector(order), front[j].ObjectiveVector(order)
		for k := range a {
			if a[k] != b[k] {
				return a[k] < b[k]
			}
		}
		return front[i].Key < front[j].Key
	})
}

func anyInf(p []float64) bool {
	for _, x := range p {
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return true
		}
	}
	return false
}

// FrontMember picks a front member by its index in the front (0 is the
// most accurate) or by its genome key.
func FrontMember(front []fitness.Record, which string) (fitness.Record, error) {
	if i, err := strconv.Atoi(which); err == nil {
		if i < 0 || i >= len(front) {
			return fitness.Record{}, fmt.Errorf("front member %d: the front has %d members (0 to %d)", i, len(front), len(front)-1)
		}
		return front[i], nil
	}
	for _, r := range front {
		if r.Key == which {
			return r, nil
		}
	}
	return fitness.Record{}, fmt.Errorf("no front member has key %q (summary.json lists the front's keys)", which)
}
