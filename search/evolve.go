package search

import (
	"context"
	"math"
	"math/rand"
	"sort"
	"strings"
	"sync"

	"github.com/MaxHalford/eaopt"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
)

// failedFitness is what eaopt sees for a diverged or invalid net, and the
// most it sees for any: records keep +Inf, but eaopt's roulette wheel turns
// an infinite fitness into NaN weights, and weighs every individual by
// (worst - fitness + 1), so a huge stand-in would flatten the wheel. A
// classification fitness is at most 1 plus the size penalty; a regression
// net with 1 - R² above 10 is as useless as a diverged one.
const failedFitness = 10

func eaoptFitness(f float64) float64 {
	if math.IsInf(f, 0) || math.IsNaN(f) || f > failedFitness {
		return failedFitness
	}
	return f
}

// GenerationStats summarise one generation, the initial population being
// generation 0.
type GenerationStats struct {
	Generation  int     `json:"generation"`
	Best        float64 `json:"best"`        // best fitness in the population
	Mean        float64 `json:"mean"`        // mean of the finite fitnesses
	Std         float64 `json:"std"`         // their standard deviation
	Failed      int     `json:"failed"`      // individuals with infinite fitness
	BestSoFar   float64 `json:"best_so_far"` // best fitness of the run so far
	BestMetric  float64 `json:"best_metric"` // best validation metric (accuracy, balanced accuracy or R²) so far
	Evaluations int     `json:"evaluations"` // trainings so far
	CacheHits   int     `json:"cache_hits"`  // cache hits so far
	Samples     int64   `json:"train_samples"`
	Diversity   float64 `json:"diversity"`       // mean pairwise genome distance
	Unique      int     `json:"unique"`          // distinct architectures in the population
	Front       int     `json:"front,omitempty"` // a Pareto search's: members of the front of every evaluation so far
}

// Observer receives a search's events. Its methods are called one at a
// time. Nothing in this package prints; progress bars and logs observe.
type Observer interface {
	Evaluated(fitness.Record)
	Generation(GenerationStats)
}

// State is a search's state after a generation (random search: after a
// batch), what a checkpoint records.
type State struct {
	Generation  int              `json:"generation"`
	Populations [][]Member       `json:"populations,omitempty"` // per island
	HallOfFame  []fitness.Record `json:"hall_of_fame"`
	Trainings   int              `json:"trainings"`
	CacheHits   int              `json:"cache_hits"`
	Samples     int64            `json:"train_samples"`
	BestSoFar   *float64         `json:"best_so_far"`
}

// Member is an individual of a population.
type Member struct {
	Key     string   `json:"key"`
	Fitness *float64 `json:"fitness"` // null when infinite
}

// Checkpointer is an Observer that also wants the search's state after
// every generation.
type Checkpointer interface {
	Checkpoint(State)
}

// finitePtr is &f, or nil (JSON null) when f is not finite.
func finitePtr(f float64) *float64 {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil
	}
	return &f
}

// state returns the search's state; pops may be nil.
func (r *runner) state(generation int, pops eaopt.Populations, hof int) State {
	st := State{Generation: generation, HallOfFame: r.hallOfFame(hof), BestSoFar: finitePtr(r.bestFit)}
	st.Trainings, st.CacheHits, st.Samples = r.ev.Counts()
	for _, pop := range pops {
		var ms []Member
		for _, indi := range pop.Individuals {
			c := indi.Genome.(*candidate)
			ms = append(ms, Member{Key: c.g.Key(), Fitness: finitePtr(c.rec.Fitness)})
		}
		st.Populations = append(st.Populations, ms)
	}
	return st
}

// Result is a finished search.
type Result struct {
	Generations int              // generations evolved after the initial population
	Stop        string           // generations, budget, target, no_improvement
	Best        []fitness.Record // the hall of fame: best distinct architectures, best first
	// Means are Best's, one per record: with objective.repeats, how many
	// trainings each one's fitness is the mean of and their mean scores;
	// without, its one training's.
	Means []Mean
	// Front is the Pareto front of every evaluation under the search's
	// objectives (see Front); with the fitness alone, its best.
	Front     []fitness.Record
	Trainings int
	CacheHits int
	Samples   int64
}

// runner holds a search's state shared by its genomes.
type runner struct {
	ctx   context.Context
	space genome.Space
	rates genome.Rates
	ev    *fitness.Evaluator
	obs   Observer
	local bool   // mutate one gene at a time (genome.Space.MutateLocal)
	noise *noisy // nil: every genome is evaluated once

	generation int // written only between generations

	onGeneration func(*eaopt.GA) // a test's view of each generation

	mu      sync.Mutex
	pending map[*rand.Rand][]*candidate // per island (its RNG), genomes awaiting evaluation
	born    map[*rand.Rand]int64
	lineage map[string]madeIn       // by key: how the genome was last made, for its record
	scored  map[string]scoredGenome // by key, first evaluations, for screening (Settings.Screen) without noise handling; nil when off
	// scoredN counts the changes to scored (or, with noise handling, to
	// its means); sur is the last surrogate built, at change surN: a
	// batch whose children were all cache hits leaves it as it was.
	scoredN, surN int
	sur           *surrogate
	surBuilt      bool

	top      []fitness.Record // the hall of fame: the best distinct architectures, best first
	front    paretoSet
	hofCap   int
	budget   int // trainings; 0 = unlimited
	bestMet  float64
	bestFit  float64
	sinceImp int
}

// candidate is the eaopt genome: an architecture and, once evaluated, its
// record. Crossover changes only the receiver: eaopt v0.4.2 clears the
// mate's Evaluated flag on a copy, so a changed mate would keep a stale
// fitness.
type candidate struct {
	g    genome.Genome
	r    *runner
	rec  *fitness.Record
	rng  *rand.Rand // the island whose queue holds it while pending
	born int64      // creation order, for regularized evolution's ages
	lin  *lineage   // how it was made since its last evaluation; nil: sampled
}

// lineage is how a genome was made: its parents' keys and the operators
// applied, in order. A record carries its genome's (Record.Parents, Ops).
type lineage struct {
	parents, ops []string
}

// String is the lineage in a canonical form; "" for none (a sampled genome).
func (l *lineage) String() string {
	if l == nil {
		return ""
	}
	return strings.Join(l.parents, " ") + "|" + strings.Join(l.ops, " ")
}

// madeIn is how a genome was made, and in which generation.
type madeIn struct {
	generation int
	lin        *lineage
}

// made notes that c, a clone of the evaluated parents or a genome changed
// since its evaluation, was changed by op; parents are the genomes it was
// made from when c is still a clone of its first parent.
func (c *candidate) made(op []string, parents ...string) {
	l := &lineage{parents: parents}
	if c.rec == nil && c.lin != nil { // changed already since its evaluation
		l.parents = c.lin.parents
		l.ops = append(l.ops, c.lin.ops...)
	}
	c.lin = l
	l.ops = append(l.ops, op...)
}

func (c *candidate) Evaluate() (float64, error) {
	if c.rec == nil {
		if err := c.r.flush(c.rng); err != nil {
			return 0, err
		}
	}
	if c.rec == nil { // a clone of a pending genome: evaluate it alone
		if err := c.r.evaluate([]*candidate{c}); err != nil {
			return 0, err
		}
	}
	return eaoptFitness(c.rec.Fitness), nil
}

func (c *candidate) Mutate(rng *rand.Rand) {
	before := c.g.Key()
	if ops := c.r.mutate(&c.g, rng); len(ops) > 0 {
		c.made(ops, before)
		c.r.changed(rng, c)
	}
}

// mutate applies the search's mutation to g and returns the operators
// applied, none when g did not change.
func (r *runner) mutate(g *genome.Genome, rng *rand.Rand) []string {
	if r.local {
		if gene := r.space.MutateLocal(g, rng); gene != "" {
			return []string{gene}
		}
		return nil
	}
	return r.space.Mutate(g, r.rates, rng)
}

func (c *candidate) Crossover(mate eaopt.Genome, rng *rand.Rand) {
	before := c.g.Key()
	m := mate.(*candidate).g
	c.r.space.Crossover(&c.g, m, rng)
	if c.g.Key() != before {
		c.made([]string{"crossover"}, before, m.Key())
		c.r.changed(rng, c)
	}
}

func (c *candidate) Clone() eaopt.Genome {
	d := *c
	d.g = c.g.Clone()
	return &d
}

// changed marks c as a new genome, born now, pending evaluation on rng's
// island.
func (r *runner) changed(rng *rand.Rand, c *candidate) {
	r.mu.Lock()
	r.born[rng]++
	c.born = int64(r.generation)<<32 | r.born[rng]
	r.noteMade(c.g.Key(), r.generation, c.lin)
	r.mu.Unlock()
	r.queue(rng, c)
}

// noteMade records how the genome with key was made in generation, for its
// record. The same architecture made twice in a generation (by two
// islands, at once) keeps the first lineage in a fixed order; a record
// logged before the other island made it still carries the lineage noted
// then, so with islands a record's lineage (not its result) may depend on
// which island ran first. The caller holds r.mu.
func (r *runner) noteMade(key string, generation int, lin *lineage) {
	if e, ok := r.lineage[key]; !ok || e.generation != generation || lin.String() < e.lin.String() {
		r.lineage[key] = madeIn{generation, lin}
	}
}

// queue puts c in rng's island's batch of genomes awaiting evaluation.
func (r *runner) queue(rng *rand.Rand, c *candidate) {
	c.rec, c.rng = nil, rng
	r.mu.Lock()
	r.pending[rng] = append(r.pending[rng], c)
	r.mu.Unlock()
}

// flush evaluates every genome pending on rng's island in one batch, so the
// worker pool trains them concurrently.
func (r *runner) flush(rng *rand.Rand) error {
	r.mu.Lock()
	cs := r.pending[rng]
	delete(r.pending, rng)
	r.mu.Unlock()
	var todo []*candidate
	seen := map[*candidate]bool{}
	for _, c := range cs {
		if c.rec == nil && !seen[c] {
			seen[c] = true
			todo = append(todo, c)
		}
	}
	return r.evaluate(todo)
}

func (r *runner) evaluate(cs []*candidate) error {
	if len(cs) == 0 {
		return nil
	}
	gs := make([]genome.Genome, len(cs))
	for i, c := range cs {
		gs[i] = c.g
	}
	var recs []fitness.Record
	var err error
	if r.noise != nil {
		recs, err = r.noise.evaluate(r.ctx, gs, r.generation)
	} else {
		recs, err = r.ev.Evaluate(r.ctx, gs, r.generation)
	}
	if err != nil {
		return err
	}
	for i := range recs {
		cs[i].rec = &recs[i]
	}
	return nil
}

// flushing wraps a model: after it, every individual's fitness is its own
// genome's (eaopt's ring model mutates a neighbour in place without
// clearing its flag), and the new genomes are evaluated in one batch.
type flushing struct {
	eaopt.Model
	r *runner
}

func (m flushing) Apply(pop *eaopt.Population) error {
	if err := m.Model.Apply(pop); err != nil {
		return err
	}
	for i := range pop.Individuals {
		indi := &pop.Individuals[i]
		c := indi.Genome.(*candidate)
		if c.rec == nil {
			indi.Evaluated = false
			m.r.queue(pop.RNG, c)
		} else if indi.Evaluated {
			indi.Fitness = eaoptFitness(c.rec.Fitness)
		}
	}
	return m.r.flush(pop.RNG)
}

// Evolve runs an evolutionary search over space, scoring genomes with ev.
// A cancelled ctx stops it with ctx.Err().
func Evolve(ctx context.Context, space genome.Space, ev *fitness.Evaluator, s Settings, obs Observer) (*Result, error) {
	return evolve(ctx, space, ev, s, obs, nil)
}

func evolve(ctx context.Context, space genome.Space, ev *fitness.Evaluator, s Settings, obs Observer, onGeneration func(*eaopt.GA)) (*Result, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := space.Validate(); err != nil {
		return nil, err
	}
	if s.Model == AsyncModel {
		return evolveAsync(ctx, space, ev, s, obs)
	}
	r := &runner{ctx: ctx, space: space, rates: s.Rates, ev: ev, obs: obs, onGeneration: onGeneration,
		pending: map[*rand.Rand][]*candidate{}, born: map[*rand.Rand]int64{}, lineage: map[string]madeIn{},
		hofCap: s.HallOfFame, bestFit: math.Inf(1), bestMet: math.Inf(-1), front: paretoSet{objectives: s.objectives()},
		local: s.Mutation == "local", budget: s.Budget}
	if s.Noise.on() {
		r.noise = newNoisy(s.Noise, ev, s.Budget, s.HallOfFame)
	} else if s.Screen > 1 {
		r.scored = map[string]scoredGenome{}
	}
	ev.OnRecord = r.record
	model, err := s.model(r)
	if err != nil {
		return nil, err
	}
	conf := eaopt.GAConfig{
		NPops:        uint(s.Islands),
		PopSize:      uint(s.Population),
		NGenerations: uint(max(s.Generations, 1)),
		HofSize:      uint(s.HallOfFame),
		Model:        flushing{model, r},
		RNG:          rand.New(rand.NewSource(int64(s.Seed))),
	}
	if s.MigrationEvery > 0 {
		conf.Migrator = eaopt.MigRing{NMigrants: uint(s.Migrants)}
		conf.MigFrequency = uint(s.MigrationEvery)
	}
	switch s.Speciation {
	case "kmedoids":
		// No minimum for eaopt's own rebalancing, which can leave a species
		// short (see balanced).
		conf.Speciator = balanced{eaopt.SpecKMedoids{K: uint(s.Species), MaxIterations: 20, Metric: distance}, s.minPerSpecies()}
	case "interval":
		conf.Speciator = balanced{eaopt.SpecFitnessInterval{K: uint(s.Species)}, s.minPerSpecies()}
	}
	res := &Result{Stop: "generations"}
	canceled := false
	conf.Callback = func(ga *eaopt.GA) {
		r.generationDone(ga)
		if cp, ok := obs.(Checkpointer); ok {
			cp.Checkpoint(r.state(int(ga.Generations), ga.Populations, s.HallOfFame))
		}
		if r.onGeneration != nil {
			r.onGeneration(ga)
		}
	}
	conf.EarlyStop = func(ga *eaopt.GA) bool {
		// A cancellation otherwise reaches the search only through a
		// training, and a generation may train nothing (every child an
		// unchanged copy or a cache hit, as in a space of fixed genes).
		if ctx.Err() != nil {
			canceled = true
			return true
		}
		ev.EndGeneration()
		stop := r.stop(ga, s)
		if stop != "" {
			res.Stop = stop
			return true
		}
		r.generation = int(ga.Generations) + 1
		return false
	}
	ga, err := conf.NewGA()
	if err != nil {
		return nil, err
	}
	err = ga.Minimize(func(rng *rand.Rand) eaopt.Genome {
		c := &candidate{g: space.Sample(rng), r: r}
		r.changed(rng, c)
		return c
	})
	if err != nil || canceled {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	if r.noise != nil {
		if err := r.noise.recheck(ctx, s.Budget, r.generation); err != nil {
			return nil, err
		}
	}
	res.Generations = int(ga.Generations)
	res.Trainings, res.CacheHits, res.Samples = ev.Counts()
	res.Best = r.hallOfFame(s.HallOfFame)
	res.Means = r.means(res.Best)
	res.Front = r.front.members()
	return res, nil
}

// record observes each evaluation, adding its genome's lineage.
func (r *runner) record(rec fitness.Record) {
	// r.mu also guards the hall of fame, the front and bestMet: the
	// asynchronous model reads them while trainings still complete.
	r.mu.Lock()
	if l := r.lineage[rec.Key].lin; l != nil {
		rec.Parents, rec.Ops = l.parents, l.ops
	}
	if r.noise == nil {
		r.admit(rec)
		if r.scored != nil && rec.Visit == 0 && rec.Status != fitness.Cached {
			r.scored[rec.Key] = scoredGenome{rec.Genome, rec.Fitness}
			r.scoredN++
		}
	}
	r.front.add(rec)
	// A cache hit of a failed genome has no scores, and a training stopped
	// early by multi-fidelity a lower fidelity's: the best metric so far is
	// a full training's.
	if (rec.Status == fitness.OK || rec.Status == fitness.Cached) && !math.IsInf(rec.Fitness, 0) && !rec.Partial {
		if m := rec.Val.Metric(r.ev.Data().Task); m > r.bestMet {
			r.bestMet = m
		}
	}
	r.mu.Unlock()
	if r.obs != nil {
		r.obs.Evaluated(rec)
	}
}

// generationDone computes a generation's statistics and tells the observer.
func (r *runner) generationDone(ga *eaopt.GA) {
	var fits []float64
	var gs []genome.Genome
	st := GenerationStats{Generation: int(ga.Generations), Best: math.Inf(1)}
	full := math.Inf(1)
	for _, pop := range ga.Populations {
		for _, indi := range pop.Individuals {
			c := indi.Genome.(*candidate)
			gs = append(gs, c.g)
			f := c.rec.Fitness
			st.Best = math.Min(st.Best, f)
			if !c.rec.Partial {
				full = math.Min(full, f)
			}
			if math.IsInf(f, 0) {
				st.Failed++
			} else {
				fits = append(fits, f)
			}
		}
	}
	st.Mean, st.Std = meanStd(fits)
	// The best so far, and so the target and no_improvement, are full
	// trainings': a training stopped early by multi-fidelity has a lower
	// fidelity's fitness.
	if full < r.bestFit {
		r.bestFit, r.sinceImp = full, 0
	} else {
		r.sinceImp++
	}
	st.BestSoFar, st.BestMetric = r.bestFit, r.bestMet
	tr, hits, samples := r.ev.Counts()
	st.Evaluations, st.CacheHits, st.Samples = tr, hits, samples
	st.Front = r.frontSize()
	if r.obs != nil {
		// Diversity costs a distance per pair of genomes: only an observer
		// reads it (a third of a table benchmark's time went to it).
		st.Diversity, st.Unique = diversity(gs)
		r.obs.Generation(st)
	}
}

// frontSize is the size of a Pareto search's front so far, 0 for one
// objective.
func (r *runner) frontSize() int {
	if len(r.front.objectives) < 2 {
		return 0
	}
	return len(r.front.recs)
}

// stop says why the search should stop before the next generation, or "".
func (r *runner) stop(ga *eaopt.GA, s Settings) string {
	tr, _, _ := r.ev.Counts()
	switch {
	case int(ga.Generations) >= s.Generations:
		return "generations"
	case s.Budget > 0 && (tr >= s.Budget || r.room() <= 0):
		return "budget"
	case s.TargetFitness != nil && r.bestFit <= *s.TargetFitness:
		return "target"
	case s.NoImprovement > 0 && r.sinceImp >= s.NoImprovement:
		return "no_improvement"
	}
	return ""
}

// admit puts a record into the hall of fame if it is among the best
// hofCap distinct architectures (by fitness, then key). A record a
// multi-fidelity method stopped early (fitness.Record.Partial) ranks after
// every one trained in full, whose fitness it cannot be compared with,
// and before failed ones. A cache hit stands for its original. Keeping
// only these keeps memory flat over long runs.
func (r *runner) admit(rec fitness.Record) {
	less := func(a, b fitness.Record) bool {
		ta, tb := tierOf(a.Fitness, a.Partial), tierOf(b.Fitness, b.Partial)
		if ahead(ta, a.Fitness, tb, b.Fitness) || ahead(tb, b.Fitness, ta, a.Fitness) {
			return ahead(ta, a.Fitness, tb, b.Fitness)
		}
		return a.Key < b.Key
	}
	for i, t := range r.top {
		if t.Key == rec.Key {
			if t.Status == fitness.Cached && rec.Status != fitness.Cached {
				r.top[i] = rec
			}
			return
		}
	}
	if len(r.top) == max(r.hofCap, 1) && !less(rec, r.top[len(r.top)-1]) {
		return
	}
	i := sort.Search(len(r.top), func(i int) bool { return less(rec, r.top[i]) })
	r.top = append(r.top, fitness.Record{})
	copy(r.top[i+1:], r.top[i:])
	r.top[i] = rec
	if len(r.top) > max(r.hofCap, 1) {
		r.top = r.top[:len(r.top)-1]
	}
}

// hallOfFame returns the best n distinct architectures evaluated, by
// fitness, then key for a stable order.
func (r *runner) hallOfFame(n int) []fitness.Record {
	if r.noise != nil {
		return r.noise.best(n)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]fitness.Record(nil), r.top[:min(n, len(r.top))]...)
}

// means returns the Mean of each record of a hall of fame.
func (r *runner) means(best []fitness.Record) []Mean {
	out := make([]Mean, len(best))
	for i, rec := range best {
		if r.noise != nil {
			if m, ok := r.noise.means[rec.Key]; ok {
				out[i] = m.summary()
				continue
			}
		}
		out[i] = Mean{Trainings: 1, Val: rec.Val, Test: rec.Test}
	}
	return out
}

func meanStd(v []float64) (mean, std float64) {
	if len(v) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	for _, x := range v {
		std += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(std / float64(len(v)))
}

func diversity(gs []genome.Genome) (mean float64, unique int) {
	keys := map[string]bool{}
	for _, g := range gs {
		keys[g.Key()] = true
	}
	n := 0
	for i := range gs {
		for j := i + 1; j < len(gs); j++ {
			mean += genome.Distance(gs[i], gs[j])
			n++
		}
	}
	if n > 0 {
		mean /= float64(n)
	}
	return mean, len(keys)
}

// room returns how many trainings the search may still run before its
// budget (less the final re-check's reserve) is spent, math.MaxInt when it
// has none.
func (r *runner) room() int {
	if r.noise != nil {
		return r.noise.room()
	}
	if r.budget <= 0 {
		return math.MaxInt
	}
	tr, _, _ := r.ev.Counts()
	return r.budget - tr
}
