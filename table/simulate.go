package table

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"math/rand"
	"sort"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/search"
)

// A simulation runs a search on a table as if W workers trained its
// candidates: a virtual clock advances by the table's train_s of the repeat
// each evaluation draws, so that the wall time a cluster would take can be
// compared across schedules without training anything.

// SimRun is one run on the virtual clock.
type SimRun struct {
	Seed uint64
	// Records are the run's trainings (cache hits aside) in the order they
	// finish on the virtual clock (ties: the order they started).
	Records []fitness.Record
	// Finish[i] is the virtual time, in seconds from the start, at which
	// Records[i] finished; Regret[i] is the incumbent's regret from then on
	// (Replay's incumbent, NaN while no evaluation succeeded).
	Finish []float64
	Regret []float64
	WallS  float64 // the virtual time at which the last training finished
	// Busy is the fraction of worker-seconds spent training up to WallS.
	Busy float64
}

// Final is the run's regret at its end.
func (r *SimRun) Final() float64 {
	if len(r.Regret) == 0 {
		return math.NaN()
	}
	return r.Regret[len(r.Regret)-1]
}

// TimeTo is the virtual time at which the run's regret first is at most
// target, or +Inf if it never is.
func (r *SimRun) TimeTo(target float64) float64 {
	for i, x := range r.Regret {
		if x <= target {
			return r.Finish[i]
		}
	}
	return math.Inf(1)
}

// At is the run's regret at virtual time t: that after the last training
// finished by then, NaN if none has.
func (r *SimRun) At(t float64) float64 {
	n := sort.Search(len(r.Finish), func(i int) bool { return r.Finish[i] > t })
	if n == 0 {
		return math.NaN()
	}
	return r.Regret[n-1]
}

// finish completes a run whose Records and Finish are set.
func (r *SimRun) finish(workers int) {
	r.Regret, _ = follow(r.Records)
	var work float64
	for i, rec := range r.Records {
		r.WallS = math.Max(r.WallS, r.Finish[i])
		work += rec.TrainS
	}
	if r.WallS > 0 {
		r.Busy = work / (r.WallS * float64(workers))
	}
}

// SimulateGenerations runs strategy s on p under seed with a budget of
// evaluations, as Run does, and times it on the given number of workers
// the way a generational search runs: a generation's trainings go, longest
// first (as fitness.Evaluator starts the biggest networks first), each to
// the first worker free, and the next generation starts only once the last
// of them has finished. A training's result counts from the moment it
// finishes, not from the end of its generation.
func (p *Problem) SimulateGenerations(ctx context.Context, s Strategy, seed uint64, budget, workers int) (*SimRun, error) {
	if workers < 1 {
		return nil, fmt.Errorf("table: %d workers, want at least 1", workers)
	}
	run, err := p.Run(ctx, s, seed, budget)
	if err != nil {
		return nil, err
	}
	sim := &SimRun{Seed: seed}
	var start float64 // the current generation's start
	rs := run.Records // ordered by generation
	for lo := 0; lo < len(rs); {
		hi := lo
		for hi < len(rs) && rs[hi].Generation == rs[lo].Generation {
			hi++
		}
		gen := append([]fitness.Record(nil), rs[lo:hi]...)
		sort.SliceStable(gen, func(i, j int) bool { return gen[i].TrainS > gen[j].TrainS })
		free := make(clock, min(workers, len(gen))) // each worker's free time
		for i := range free {
			free[i] = event{t: start, seq: i}
		}
		heap.Init(&free)
		end := start
		type done struct {
			rec fitness.Record
			t   float64
			seq int
		}
		var ds []done
		for i, rec := range gen {
			w := heap.Pop(&free).(event)
			t := w.t + rec.TrainS
			ds = append(ds, done{rec, t, i})
			heap.Push(&free, event{t: t, seq: w.seq})
			end = math.Max(end, t)
		}
		sort.SliceStable(ds, func(i, j int) bool { return ds[i].t < ds[j].t })
		for _, d := range ds {
			sim.Records = append(sim.Records, d.rec)
			sim.Finish = append(sim.Finish, d.t)
		}
		start, lo = end, hi
	}
	sim.finish(workers)
	return sim, nil
}

// SimulateAsync runs asynchronous regularized evolution (search's
// async_regularized model, settings s) on p under seed with a budget of
// trainings and the given number of workers, on the virtual clock: each
// worker, the moment it frees up, is handed a random sample while fewer
// than Population trainings have finished, then a mutated copy of the best
// of SampleSize members drawn from the population as it stands at that
// moment; every finished evaluation joins the population and the
// oldest member leaves once there are more than Population. A genome
// evaluated before is a cache hit: it takes no time (or, while its training
// is under way, waits for it) and is not counted against the budget.
//
// It draws its random numbers as search does, so with one worker it makes
// the same evaluations as search.Evolve with that model; with more, the
// virtual clock, not the machine, decides which training finishes first,
// so a simulation is reproducible for a seed at any number of workers.
func (p *Problem) SimulateAsync(s search.Settings, seed uint64, budget, workers int) (*SimRun, error) {
	return p.SimulateAsyncUntil(s, seed, budget, workers, math.Inf(1))
}

// SimulateAsyncUntil is SimulateAsync that stops at the virtual time
// deadline: no training starts at or after it, and one still running then
// is not counted, as if the cluster were stopped. The budget still
// applies; give a large one to compare at equal wall time.
func (p *Problem) SimulateAsyncUntil(s search.Settings, seed uint64, budget, workers int, deadline float64) (*SimRun, error) {
	s.Model, s.Seed, s.Budget = search.AsyncModel, seed, budget
	if s.Islands == 0 {
		s.Islands = 1
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if workers < 1 || budget < 1 {
		return nil, fmt.Errorf("table: %d workers and budget %d, want at least 1 each", workers, budget)
	}
	// The same cap on children as Evolution gives search.Evolve, so that
	// a space too small for the budget ends.
	gens := max(s.Generations, 20*((budget+s.Population-1)/s.Population))
	total := s.Population * (gens + 1)
	rng := rand.New(rand.NewSource(int64(seed)))
	type entry struct {
		rec    fitness.Record
		finish float64
	}
	cache := map[string]*entry{}
	var (
		pending                    clock
		inFlight                   []asyncJob // by seq
		pop                        []asyncJob // oldest first
		launched, trainings, inUse int
		finished                   int
		sim                        = &SimRun{Seed: seed}
	)
	var last float64 // the virtual time of the last event
	launch := func(now float64) {
		var g genome.Genome
		if len(pop) < s.Population {
			g = p.Space.Sample(rng)
		} else {
			g = asyncChild(pop, s.SampleSize, p.Space, s.Rates, rng)
		}
		key := g.Key()
		j := asyncJob{g: g}
		gen := finished / s.Population // as search numbers its records
		var t float64
		if e, ok := cache[key]; ok {
			j.rec, j.hit, t = e.rec, true, math.Max(now, e.finish)
		} else {
			j.rec = p.record(g, key, seed, 0)
			j.rec.Generation = gen
			t = now + j.rec.TrainS
			cache[key] = &entry{rec: j.rec, finish: t}
			trainings++
		}
		heap.Push(&pending, event{t: t, seq: len(inFlight)})
		inFlight = append(inFlight, j)
		launched++
		inUse++
	}
	more := func() bool { return launched < total && trainings < budget && last < deadline }
	for inUse < workers && more() {
		launch(0)
	}
	for pending.Len() > 0 {
		e := heap.Pop(&pending).(event)
		inUse--
		last = e.t
		if e.t > deadline {
			continue // cut off: nothing more joins or starts
		}
		j := inFlight[e.seq]
		if !j.hit {
			sim.Records = append(sim.Records, j.rec)
			sim.Finish = append(sim.Finish, e.t)
		}
		finished++
		pop = append(pop, j)
		if len(pop) > s.Population {
			pop = pop[1:]
		}
		if more() {
			launch(e.t)
		}
	}
	sim.finish(workers)
	return sim, nil
}

// asyncJob is a genome handed to a worker, and its evaluation.
type asyncJob struct {
	g   genome.Genome
	rec fitness.Record
	hit bool // a cache hit
}

// asyncChild is search's tournamentChild: a mutated copy of the fittest of
// `sample` members drawn without replacement from pop, drawing the same
// random numbers.
func asyncChild(pop []asyncJob, sample int, space genome.Space, rates genome.Rates, rng *rand.Rand) genome.Genome {
	n := len(pop)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	best := -1
	for j := 0; j < min(sample, n); j++ {
		p := j + rng.Intn(n-j)
		idx[j], idx[p] = idx[p], idx[j]
		if best < 0 || pop[idx[j]].rec.Fitness < pop[best].rec.Fitness {
			best = idx[j]
		}
	}
	child := pop[best].g.Clone()
	space.Mutate(&child, rates, rng)
	return child
}

// event is a moment on the virtual clock: a training's end or a worker's
// free time; seq breaks ties.
type event struct {
	t   float64
	seq int
}

// clock is a min-heap of events.
type clock []event

func (c clock) Len() int { return len(c) }
func (c clock) Less(i, j int) bool {
	if c[i].t != c[j].t {
		return c[i].t < c[j].t
	}
	return c[i].seq < c[j].seq
}
func (c clock) Swap(i, j int) { c[i], c[j] = c[j], c[i] }
func (c *clock) Push(x any)   { *c = append(*c, x.(event)) }
func (c *clock) Pop() any {
	old := *c
	e := old[len(old)-1]
	*c = old[:len(old)-1]
	return e
}

// SimStrategy is a search to simulate: Evolution's settings, run
// generation by generation or, for the async_regularized model, on the
// asynchronous schedule.
type SimStrategy struct {
	Name     string
	Settings search.Settings
}

// simulate runs the strategy under one seed.
func (p *Problem) simulate(ctx context.Context, s SimStrategy, seed uint64, budget, workers int) (*SimRun, error) {
	if s.Settings.Model == search.AsyncModel {
		return p.SimulateAsync(s.Settings, seed, budget, workers)
	}
	return p.SimulateGenerations(ctx, Evolution(s.Name, s.Settings), seed, budget, workers)
}

// SimResult is a strategy's part of a simulation.
type SimResult struct {
	Name        string    `json:"name"`
	Model       string    `json:"model"`
	FinalRegret Quartiles `json:"final_regret"`
	WallS       Quartiles `json:"wall_s"` // the simulated time of the whole budget
	Busy        float64   `json:"busy"`   // mean fraction of worker time spent training
	// TimeToTarget is the first simulated time at which the median over
	// seeds of the regret is at most the simulation's target (null if
	// never; a run keeps its final regret after its end, and counts as
	// the worst before its first result). Reached counts the seeds whose
	// own regret gets there.
	TimeToTarget *float64  `json:"time_to_target_s"`
	Reached      int       `json:"reached"`
	Times        []float64 `json:"-"` // per seed, +Inf when not reached
	// Ratio is TimeToTarget over the first strategy's, when both are
	// finite.
	Ratio *float64 `json:"ratio_to_first,omitempty"`
	// AtHalf is the median over seeds of the regret at half the first
	// strategy's median wall time (Simulation.Half); a run with no result
	// by then counts as the worst (nil when that is the median).
	AtHalf *float64 `json:"regret_at_half"`
	// EqualTime is an asynchronous model's runs at equal simulated wall
	// time rather than equal trainings (nil for the others, and when the
	// first strategy is asynchronous too).
	EqualTime *EqualTime `json:"equal_time,omitempty"`
}

// EqualTime is an asynchronous model given, seed by seed, the first
// strategy's simulated wall time under that seed instead of the budget:
// what a cluster running it for as long would get. Its time to target is
// timed as SimResult's.
type EqualTime struct {
	FinalRegret  Quartiles `json:"final_regret"`
	Trainings    Quartiles `json:"trainings"`
	TimeToTarget *float64  `json:"time_to_target_s"`
	Reached      int       `json:"reached"`
	Ratio        *float64  `json:"ratio_to_first,omitempty"`
}

// Simulation compares strategies on W simulated workers.
type Simulation struct {
	Table   string  `json:"table"`
	Workers int     `json:"workers"`
	Budget  int     `json:"budget"`
	Seeds   int     `json:"seeds"`
	Target  float64 `json:"target_regret"` // the first strategy's median final regret
	Half    float64 `json:"half_s"`        // half the first strategy's median wall time
	// Strategies are in the order given; the first is the reference.
	Strategies []SimResult `json:"strategies"`
}

// Simulate runs every strategy under seeds 1..seeds with the given budget
// of trainings on the given number of simulated workers. Its target is the
// first strategy's median final regret; every strategy is timed to it. The
// table must have train_s columns.
func Simulate(ctx context.Context, p *Problem, strategies []SimStrategy, seeds, budget, workers int) (*Simulation, error) {
	if !p.Table.HasTrainSeconds() {
		return nil, fmt.Errorf("table %s has no train_s columns: a simulation needs each repeat's training time", p.Table.Name)
	}
	if len(strategies) == 0 || seeds < 1 || budget < 1 || workers < 1 {
		return nil, fmt.Errorf("table: %d strategies, %d seeds, budget %d, %d workers: want at least 1 each", len(strategies), seeds, budget, workers)
	}
	sim := &Simulation{Table: p.Table.Name, Workers: workers, Budget: budget, Seeds: seeds}
	runs := make([][]*SimRun, len(strategies))
	for i, s := range strategies {
		for seed := 1; seed <= seeds; seed++ {
			r, err := p.simulate(ctx, s, uint64(seed), budget, workers)
			if err != nil {
				return nil, fmt.Errorf("strategy %s: %w", s.Name, err)
			}
			runs[i] = append(runs[i], r)
		}
	}
	finals := func(rs []*SimRun) []float64 {
		var v []float64
		for _, r := range rs {
			v = append(v, r.Final())
		}
		return finite(v)
	}
	sim.Target = quartilesOf(finals(runs[0])).Median
	for i, s := range strategies {
		res := SimResult{Name: s.Name, Model: s.Settings.Model, FinalRegret: quartilesOf(finals(runs[i]))}
		var walls []float64
		for _, r := range runs[i] {
			walls = append(walls, r.WallS)
			res.Busy += r.Busy / float64(len(runs[i]))
			t := r.TimeTo(sim.Target)
			res.Times = append(res.Times, t)
			if !math.IsInf(t, 1) {
				res.Reached++
			}
		}
		res.WallS = quartilesOf(walls)
		res.TimeToTarget = medianTimeTo(runs[i], sim.Target)
		sim.Strategies = append(sim.Strategies, res)
	}
	sim.Half = sim.Strategies[0].WallS.Median / 2
	for i := range sim.Strategies {
		if m := medianAt(runs[i], sim.Half); !math.IsInf(m, 1) {
			sim.Strategies[i].AtHalf = &m
		}
	}
	ref := sim.Strategies[0].TimeToTarget
	ratio := func(t *float64) *float64 {
		if t == nil || ref == nil || *ref <= 0 {
			return nil
		}
		x := *t / *ref
		return &x
	}
	for i := range sim.Strategies {
		sim.Strategies[i].Ratio = ratio(sim.Strategies[i].TimeToTarget)
	}
	if strategies[0].Settings.Model == search.AsyncModel {
		return sim, nil
	}
	for i, s := range strategies {
		if s.Settings.Model != search.AsyncModel {
			continue
		}
		var rs []*SimRun
		var finals, trainings []float64
		eq := &EqualTime{}
		for _, r0 := range runs[0] {
			// No budget: a run cannot train more than the table's
			// configurations.
			r, err := p.SimulateAsyncUntil(s.Settings, r0.Seed, p.Table.Len(), workers, r0.WallS)
			if err != nil {
				return nil, fmt.Errorf("strategy %s: %w", s.Name, err)
			}
			rs = append(rs, r)
			finals = append(finals, r.Final())
			trainings = append(trainings, float64(len(r.Records)))
			if !math.IsInf(r.TimeTo(sim.Target), 1) {
				eq.Reached++
			}
		}
		eq.FinalRegret, eq.Trainings = quartilesOf(finite(finals)), quartilesOf(trainings)
		eq.TimeToTarget = medianTimeTo(rs, sim.Target)
		eq.Ratio = ratio(eq.TimeToTarget)
		sim.Strategies[i].EqualTime = eq
	}
	return sim, nil
}

// medianAt is the median over runs of the regret at time t, a run with no
// result yet counting as +Inf.
func medianAt(runs []*SimRun, t float64) float64 {
	v := make([]float64, len(runs))
	for i, r := range runs {
		v[i] = r.At(t)
		if math.IsNaN(v[i]) {
			v[i] = math.Inf(1)
		}
	}
	return median(v)
}

// medianTimeTo is the first finish time at which medianAt is at most
// target, or nil.
func medianTimeTo(runs []*SimRun, target float64) *float64 {
	var ts []float64
	for _, r := range runs {
		ts = append(ts, r.Finish...)
	}
	sort.Float64s(ts)
	for i, t := range ts {
		if i > 0 && t == ts[i-1] {
			continue
		}
		if medianAt(runs, t) <= target {
			return &t
		}
	}
	return nil
}

// median is the middle of v (the mean of the two middle values for an even
// count), +Inf counting as the largest.
func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
