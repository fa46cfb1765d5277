package search

import (
	"context"
	"math"
	"math/rand"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
)

// AsyncModel is the asynchronous model's name in Settings.Model.
const AsyncModel = "async_regularized"

// evolveAsync is asynchronous regularized evolution, as large NAS runs do
// it (Real et al. 2019, with hundreds of workers): there are no
// generations to wait for. Each worker, the moment it frees up, is handed a
// new genome: a random sample while fewer than Population trainings have
// finished, then a child, a mutated copy of the best of SampleSize members
// drawn from the population as it stands at that moment.
// Every finished training joins the population, and the oldest member
// leaves once there are more than Population.
//
// Which members a child is drawn from depends on which trainings finished
// first, so a run is reproducible only with one worker: with more, the same
// seed gives a different (equally valid) search every time. The settings
// say so where they accept the model.
//
// A "generation" here is Population finished trainings: the observer sees
// statistics, and the stopping rules are checked, at each such boundary;
// Generations of them run after the initial population.
func evolveAsync(ctx context.Context, space genome.Space, ev *fitness.Evaluator, s Settings, obs Observer) (*Result, error) {
	r := &runner{ctx: ctx, space: space, rates: s.Rates, ev: ev, obs: obs, lineage: map[string]madeIn{},
		hofCap: s.HallOfFame, bestFit: math.Inf(1), bestMet: math.Inf(-1)}
	ev.OnRecord = r.record
	rng := rand.New(rand.NewSource(int64(s.Seed)))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type done struct {
		g   genome.Genome
		rec fitness.Record
		err error
	}
	results := make(chan done, ev.Workers())
	total := s.Population * (s.Generations + 1)
	launched, finished, inFlight := 0, 0, 0
	var pop []asyncMember // oldest first
	// budgetLeft: trainings may still start without passing the budget
	// (counting those in flight as trainings, though some may be cache hits).
	budgetLeft := func() bool {
		tr, _, _ := ev.Counts()
		return s.Budget <= 0 || tr+inFlight < s.Budget
	}
	launch := func() {
		var g genome.Genome
		// Random genomes until Population trainings have finished, as Real
		// et al. fill the population first: children drawn from the few
		// first finished, the quickest to train, would inbreed them.
		if len(pop) < s.Population {
			g = space.Sample(rng)
		} else {
			var lin lineage
			g, lin = tournamentChild(pop, s.SampleSize, space, s.Rates, rng)
			if len(lin.ops) > 0 { // else every gene is fixed: the parent again
				r.mu.Lock()
				r.noteMade(g.Key(), finished/s.Population, &lin)
				r.mu.Unlock()
			}
		}
		launched++
		inFlight++
		gen := finished / s.Population
		go func() {
			recs, err := ev.Evaluate(ctx, []genome.Genome{g}, gen)
			d := done{g: g, err: err}
			if err == nil {
				d.rec = recs[0]
			}
			results <- d
		}()
	}
	res := &Result{Stop: "generations"}
	for inFlight < ev.Workers() && launched < total && budgetLeft() {
		launch()
	}
	stopping := false
	for inFlight > 0 {
		d := <-results
		inFlight--
		if d.err != nil {
			if !stopping {
				cancel()
				stopping = true
			}
			continue
		}
		pop = append(pop, asyncMember{g: d.g, rec: d.rec})
		if len(pop) > s.Population {
			pop = pop[1:]
		}
		finished++
		if finished%s.Population == 0 && !stopping {
			gen := finished/s.Population - 1
			r.asyncGeneration(gen, pop)
			ev.EndGeneration()
			if why := r.asyncStop(gen, s); why != "" {
				res.Stop, res.Generations = why, gen
				stopping = true
				// The trainings in flight finish and join the log; no new
				// ones start.
				continue
			}
			res.Generations = gen
		}
		if !stopping && launched < total {
			if budgetLeft() {
				launch()
			} else if inFlight == 0 {
				res.Stop, res.Generations = "budget", finished/s.Population
			}
		}
	}
	if err := r.ctx.Err(); err != nil {
		return nil, err
	}
	res.Trainings, res.CacheHits, res.Samples = ev.Counts()
	res.Best = r.hallOfFame(s.HallOfFame)
	res.Means = r.means(res.Best)
	return res, nil
}

// asyncMember is a member of the asynchronous population.
type asyncMember struct {
	g   genome.Genome
	rec fitness.Record
}

// tournamentChild mutates a copy of the fittest of `sample` members drawn
// without replacement from pop; lin is its parent and the operators.
func tournamentChild(pop []asyncMember, sample int, space genome.Space, rates genome.Rates, rng *rand.Rand) (child genome.Genome, lin lineage) {
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
	child = pop[best].g.Clone()
	ops := space.Mutate(&child, rates, rng)
	return child, lineage{parents: []string{pop[best].g.Key()}, ops: ops}
}

// asyncGeneration tells the observer about the population after a
// generation's worth of finished trainings.
func (r *runner) asyncGeneration(gen int, pop []asyncMember) {
	st := GenerationStats{Generation: gen, Best: math.Inf(1)}
	full := math.Inf(1)
	var fits []float64
	gs := make([]genome.Genome, len(pop))
	for i, m := range pop {
		gs[i] = m.g
		f := m.rec.Fitness
		st.Best = math.Min(st.Best, f)
		if !m.rec.Partial {
			full = math.Min(full, f)
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			st.Failed++
		} else {
			fits = append(fits, f)
		}
	}
	st.Mean, st.Std = meanStd(fits)
	// Full trainings' only, as generationDone's.
	if full < r.bestFit {
		r.bestFit, r.sinceImp = full, 0
	} else {
		r.sinceImp++
	}
	r.mu.Lock()
	st.BestSoFar, st.BestMetric = r.bestFit, r.bestMet
	r.mu.Unlock()
	st.Evaluations, st.CacheHits, st.Samples = r.ev.Counts()
	st.Diversity, st.Unique = diversity(gs)
	if r.obs != nil {
		r.obs.Generation(st)
	}
	if cp, ok := r.obs.(Checkpointer); ok {
		ms := make([]Member, len(pop))
		for i, m := range pop {
			ms[i] = Member{Key: m.g.Key(), Fitness: finitePtr(m.rec.Fitness)}
		}
		st := r.state(gen, nil, r.hofCap)
		st.Populations = [][]Member{ms}
		cp.Checkpoint(st)
	}
}

// asyncStop says why the asynchronous search should stop after generation
// gen, or "".
func (r *runner) asyncStop(gen int, s Settings) string {
	tr, _, _ := r.ev.Counts()
	switch {
	case gen >= s.Generations:
		return "generations"
	case s.Budget > 0 && tr >= s.Budget:
		return "budget"
	case s.TargetFitness != nil && r.bestFit <= *s.TargetFitness:
		return "target"
	case s.NoImprovement > 0 && r.sinceImp >= s.NoImprovement:
		return "no_improvement"
	}
	return ""
}
