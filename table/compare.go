package table

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/search"
)

// Strategy is a search to run on a table. Search spends about budget
// evaluations of ev under the given seed (a strategy may overshoot: runs
// are cut back to their first budget evaluations). ev answers from the
// table; its Evaluate, cache and Reevaluate work as in a real run.
type Strategy struct {
	Name string
	// Space, when not nil, is searched instead of the problem's (it must
	// lie inside the table; regret stays measured from the problem's best,
	// so a space holding a better configuration can have negative regret).
	Space  *genome.Space
	Search func(ctx context.Context, space genome.Space, ev *fitness.Evaluator, seed uint64, budget int) error
}

// Evolution is the strategy of search.Evolve with settings s (Seed and
// Budget are set per run; Generations is raised, if needed, so that the
// budget, not the generations, ends a run).
func Evolution(name string, s search.Settings) Strategy {
	return Strategy{Name: name, Search: func(ctx context.Context, space genome.Space, ev *fitness.Evaluator, seed uint64, budget int) error {
		s := s
		s.Seed, s.Budget = seed, budget
		per := max(s.Population*s.Islands, 1)
		s.Generations = max(s.Generations, 20*((budget+per-1)/per))
		_, err := search.Evolve(ctx, space, ev, s, nil)
		return err
	}}
}

// Random is random search (search.Random), named search.Baseline.
func Random() Strategy {
	return Strategy{Name: search.Baseline, Search: func(ctx context.Context, space genome.Space, ev *fitness.Evaluator, seed uint64, budget int) error {
		_, err := search.Random(ctx, space, ev, budget, 1, seed, nil)
		return err
	}}
}

// Run is one strategy's run under one seed.
type Run struct {
	Seed uint64
	// Records are the run's evaluations (cache hits aside) in the order the
	// search made them (generation, then key, then visit), cut to the
	// budget. Compare drops them once its keep has seen the run, unless
	// the problem has several objectives (its Pareto analysis reads them):
	// a comparison over many seeds would otherwise hold every record of
	// every run until the end.
	Records []fitness.Record
	// Regret[n-1] is the regret of the incumbent after n evaluations, for
	// n = 1..len(Records) (len(Regret) is the number of records, also
	// once Compare has dropped them); NaN while no evaluation succeeded.
	Regret []float64
	// Incumbent is the record of the configuration the run ends with.
	Incumbent fitness.Record
}

// Final is the run's regret at its last evaluation.
func (r *Run) Final() float64 {
	if len(r.Regret) == 0 {
		return math.NaN()
	}
	return r.Regret[len(r.Regret)-1]
}

// At is the run's regret after n evaluations; a run that stopped earlier
// (its space exhausted) keeps its last value.
func (r *Run) At(n int) float64 {
	if len(r.Regret) == 0 {
		return math.NaN()
	}
	return r.Regret[min(n, len(r.Regret))-1]
}

// Run runs strategy s on p under seed with a budget of evaluations.
func (p *Problem) Run(ctx context.Context, s Strategy, seed uint64, budget int) (*Run, error) {
	b := &backend{p: p, runSeed: seed, collect: true}
	space := p.Space
	if s.Space != nil {
		space = *s.Space
	}
	if err := s.Search(ctx, space, p.evaluator(b), seed, budget); err != nil {
		return nil, err
	}
	return p.Replay(seed, b.recs, budget), nil
}

// Replay orders a run's evaluations, cuts them to the budget and follows
// its incumbent: the configuration with the best observed value, a
// configuration evaluated several times being observed as the mean of its
// evaluations (ties: the one observed first). Its regret is the
// configuration's true regret (Problem.Regret).
func (p *Problem) Replay(seed uint64, recs []fitness.Record, budget int) *Run {
	var rs []fitness.Record
	for _, r := range recs {
		if r.Status != fitness.Cached {
			rs = append(rs, r)
		}
	}
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.Generation != b.Generation {
			return a.Generation < b.Generation
		}
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		return a.Visit < b.Visit
	})
	rs = rs[:min(budget, len(rs))]
	run := &Run{Seed: seed, Records: rs}
	var inc int
	run.Regret, inc = follow(rs)
	if inc >= 0 {
		run.Incumbent = rs[inc]
	}
	return run
}

// Regrets is the regret of the incumbent after each of rs, in the order
// given: Run.Regret of the run whose Records are rs, as a reader of a
// table run's evaluations.jsonl follows it (NaN while none succeeded).
func Regrets(rs []fitness.Record) []float64 {
	regret, _ := follow(rs)
	return regret
}

// follow follows the incumbent of evaluations in the order given: the
// configuration with the best observed value, a configuration evaluated
// several times being observed as the mean of its evaluations (ties: the
// one observed first). regret[i] is the incumbent's true regret after
// rs[i] (NaN while none succeeded); inc is the index in rs of the final
// incumbent's first evaluation, or -1.
func follow(rs []fitness.Record) (regret []float64, inc int) {
	regret = make([]float64, len(rs))
	type obs struct {
		sum    float64
		n      int
		regret float64
		rec    int // index in rs of the first evaluation
	}
	seen := map[string]*obs{}
	var order []*obs
	var best *obs
	mean := func(o *obs) float64 { return o.sum / float64(o.n) }
	for i, r := range rs {
		if r.Status == fitness.OK && r.Regret != nil {
			o := seen[r.Key]
			if o == nil {
				o = &obs{regret: *r.Regret, rec: i}
				seen[r.Key] = o
				order = append(order, o)
			}
			o.sum += r.Fitness
			o.n++
			switch {
			case best == nil || mean(o) < mean(best):
				best = o
			case o == best:
				// The incumbent's mean may have worsened: look again.
				for _, c := range order {
					if mean(c) < mean(best) {
						best = c
					}
				}
			}
		}
		regret[i] = math.NaN()
		if best != nil {
			regret[i] = best.regret
		}
	}
	if best == nil {
		return regret, -1
	}
	return regret, best.rec
}

// Quartiles are the median and quartiles of a set of values (type 7, as
// search.Summarize).
type Quartiles struct {
	Median float64 `json:"median"`
	Q1     float64 `json:"q1"`
	Q3     float64 `json:"q3"`
}

func quartilesOf(v []float64) Quartiles {
	s := search.Summarize(v)
	return Quartiles{Median: s.Median, Q1: s.Q1, Q3: s.Q3}
}

// Curve is regret against evaluations: median and quartiles over seeds.
type Curve struct {
	Evaluations []int     `json:"evaluations"`
	Median      []float64 `json:"median"`
	Q1          []float64 `json:"q1"`
	Q3          []float64 `json:"q3"`
}

// StrategyResult is a strategy's part of a table comparison.
type StrategyResult struct {
	Name        string    `json:"name"`
	FinalRegret Quartiles `json:"final_regret"`
	Seeds       []uint64  `json:"seeds"`
	Regrets     []float64 `json:"regrets"` // final regret per seed, in the order of Seeds
	// AtBudget holds the regret's quartiles after some numbers of
	// evaluations (10, 20, 50, 100, 200, 500, 1000, ... up to the budget).
	AtBudget map[string]Quartiles `json:"at_budget"`
	Curve    Curve                `json:"curve"`
	// ToReach is the number of evaluations after which the median regret
	// curve first reaches random search's median final regret, or nil; and
	// Speedup is random search's number over this one's.
	ToReach *int     `json:"evaluations_to_reach_random_median,omitempty"`
	Speedup *float64 `json:"speedup_vs_random,omitempty"`
	// PValue and A12 test the final regrets against random search's
	// (two-sided Mann-Whitney U over every seed, a run none of whose
	// evaluations succeeded counting as the worst, an infinite regret;
	// A12 = P(this regret < random's), ties half). FinalRegret, AtBudget
	// and Curve leave such runs out.
	PValue *float64 `json:"p_value,omitempty"`
	A12    *float64 `json:"a12,omitempty"`
	// Evaluations and CacheHits are the means per run.
	Evaluations float64 `json:"evaluations"`
}

// Comparison is the outcome of several strategies run on one table under
// the same seeds.
type Comparison struct {
	Table      string           `json:"table"`
	Metric     string           `json:"metric"`
	Maximize   bool             `json:"maximize"`
	Rows       int              `json:"rows"`
	Repeats    int              `json:"repeats"`
	BestMean   float64          `json:"best_mean"`
	BestConfig string           `json:"best_config"`
	Budget     int              `json:"budget"`
	Seeds      int              `json:"seeds"`
	Strategies []StrategyResult `json:"strategies"`
	WallS      float64          `json:"wall_s,omitempty"`
	// Pareto is a multi-objective problem's analysis (Problem.SetObjectives):
	// hypervolumes at the budget, their curves and tests; its
	// test_hypervolume is of each front member's mean over the repeats.
	Pareto *search.Comparison `json:"pareto,omitempty"`
}

// Compare runs every strategy under seeds 1..seeds with the given budget,
// `workers` runs at a time (0: one per CPU), and analyses their regrets.
// Results do not depend on workers. keep, when not nil, sees every run as
// it finishes (one call at a time), for a caller that saves them.
func Compare(ctx context.Context, p *Problem, strategies []Strategy, seeds, budget, workers int, keep func(strategy string, r *Run) error) (*Comparison, error) {
	if budget < 1 || seeds < 1 {
		return nil, fmt.Errorf("table: budget %d and seeds %d, want at least 1 each", budget, seeds)
	}
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	for _, s := range strategies {
		if s.Space != nil {
			if err := p.Table.Covers(*s.Space); err != nil {
				return nil, fmt.Errorf("strategy %s: %w", s.Name, err)
			}
		}
	}
	runs := make([][]*Run, len(strategies))
	for i := range runs {
		runs[i] = make([]*Run, seeds)
	}
	type job struct{ s, seed int }
	jobs := make(chan job)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		failure error
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				r, err := p.Run(ctx, strategies[j.s], uint64(j.seed+1), budget)
				mu.Lock()
				if err == nil && keep != nil && failure == nil {
					err = keep(strategies[j.s].Name, r)
				}
				if err != nil && failure == nil {
					failure = err
					cancel()
				}
				mu.Unlock()
				if r != nil && len(p.Objectives) <= 1 {
					r.Records = nil // Analyze needs only Regret and Incumbent
				}
				runs[j.s][j.seed] = r
			}
		}()
	}
feed:
	for seed := range seeds {
		for s := range strategies {
			select {
			case jobs <- job{s, seed}:
			case <-ctx.Done():
				break feed
			}
		}
	}
	close(jobs)
	wg.Wait()
	if failure != nil {
		return nil, failure
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return p.Analyze(strategies, runs, budget), nil
}

// Checkpoints are the numbers of evaluations at which AtBudget reports.
func Checkpoints(budget int) []int {
	var out []int
	for b := 10; b < budget; b *= 10 {
		for _, m := range []int{1, 2, 5} {
			if m*b < budget {
				out = append(out, m*b)
			}
		}
	}
	return append(out, budget)
}

// Analyze summarizes runs[s][i], strategy s's run under its i-th seed.
func (p *Problem) Analyze(strategies []Strategy, runs [][]*Run, budget int) *Comparison {
	t := p.Table
	c := &Comparison{Table: t.Name, Metric: t.Metric, Maximize: t.Maximize(), Rows: t.Len(), Repeats: t.Repeats,
		BestMean: p.Best, BestConfig: t.Genome(p.BestRow).Key(), Budget: budget}
	base := -1
	for si, s := range strategies {
		res := StrategyResult{Name: s.Name, AtBudget: map[string]Quartiles{}}
		var evals int
		for _, r := range runs[si] {
			res.Seeds = append(res.Seeds, r.Seed)
			res.Regrets = append(res.Regrets, r.Final())
			evals += len(r.Regret) // one per record, kept when Compare drops Records
		}
		c.Seeds = len(runs[si])
		res.Evaluations = float64(evals) / float64(max(len(runs[si]), 1))
		res.FinalRegret = quartilesOf(finite(res.Regrets))
		for _, n := range Checkpoints(budget) {
			v := make([]float64, 0, len(runs[si]))
			for _, r := range runs[si] {
				v = append(v, r.At(n))
			}
			res.AtBudget[fmt.Sprint(n)] = quartilesOf(finite(v))
		}
		for n := 1; n <= budget; n++ {
			v := make([]float64, 0, len(runs[si]))
			for _, r := range runs[si] {
				if x := r.At(n); !math.IsNaN(x) {
					v = append(v, x)
				}
			}
			if len(v) == 0 {
				continue
			}
			q := quartilesOf(v)
			res.Curve.Evaluations = append(res.Curve.Evaluations, n)
			res.Curve.Median = append(res.Curve.Median, q.Median)
			res.Curve.Q1 = append(res.Curve.Q1, q.Q1)
			res.Curve.Q3 = append(res.Curve.Q3, q.Q3)
		}
		if s.Name == search.Baseline {
			base = si
		}
		c.Strategies = append(c.Strategies, res)
	}
	if len(p.Objectives) > 1 {
		c.Pareto = p.pareto(strategies, runs, budget)
	}
	if base < 0 {
		return c
	}
	rb := &c.Strategies[base]
	target := rb.FinalRegret.Median
	baseN := reach(rb.Curve, target)
	for i := range c.Strategies {
		st := &c.Strategies[i]
		st.ToReach = reach(st.Curve, target)
		if st.ToReach != nil && baseN != nil {
			x := float64(*baseN) / float64(*st.ToReach)
			st.Speedup = &x
		}
		if i == base {
			continue
		}
		x, y := worstIfFailed(st.Regrets), worstIfFailed(rb.Regrets)
		pv, _ := search.MannWhitney(x, y)
		a := 1 - search.A12(x, y) // A12 counts x > y; a lower regret is better
		st.PValue, st.A12 = &pv, &a
	}
	return c
}

// reach is the first number of evaluations at which a curve's median is at
// most target, or nil.
func reach(c Curve, target float64) *int {
	for i, m := range c.Median {
		if m <= target {
			n := c.Evaluations[i]
			return &n
		}
	}
	return nil
}

// worstIfFailed is each run's final regret for the test against random
// search, +Inf for a run none of whose evaluations succeeded (NaN), as
// search's comparisons count a failed run as the worst result: dropping
// it would judge a strategy that fails on its lucky seeds alone.
func worstIfFailed(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x
		if math.IsNaN(x) {
			out[i] = math.Inf(1)
		}
	}
	return out
}

func finite(v []float64) []float64 {
	out := make([]float64, 0, len(v))
	for _, x := range v {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			out = append(out, x)
		}
	}
	return out
}
