package search

import (
	"context"
	"fmt"
	"math"
	"math/rand"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
)

// randomBatch is how many genomes random search samples and sends to the
// evaluator at a time; results do not depend on it.
const randomBatch = 32

// Random runs random search: genomes drawn from space with the sampler the
// evolutionary search starts from, evaluated through ev until `evaluations`
// trainings have run (cache hits do not count) or the space has nothing
// new to offer. Records carry the batch number as their generation. The
// hall of fame keeps the best `hof` architectures; the result's front is
// the Pareto front under the objectives given (none: the error alone).
func Random(ctx context.Context, space genome.Space, ev *fitness.Evaluator, evaluations, hof int, seed uint64, obs Observer, objectives ...string) (*Result, error) {
	return RandomNoise(ctx, space, ev, evaluations, hof, seed, Noise{}, obs, objectives...)
}

// RandomNoise is Random with noise handling: promising genomes are
// re-evaluated and the finalists re-checked before the winner is named, as
// Noise describes, within the same number of trainings.
func RandomNoise(ctx context.Context, space genome.Space, ev *fitness.Evaluator, evaluations, hof int, seed uint64, noise Noise, obs Observer, objectives ...string) (*Result, error) {
	if err := space.Validate(); err != nil {
		return nil, err
	}
	if err := fitness.CheckObjectives(objectives); err != nil {
		return nil, fmt.Errorf("search: %v", err)
	}
	if noise.Repeats < 0 || noise.Finalists < 0 {
		return nil, fmt.Errorf("search: %d repeats of %d finalists", noise.Repeats, noise.Finalists)
	}
	r := &runner{ctx: ctx, space: space, ev: ev, obs: obs,
		hofCap: hof, bestFit: math.Inf(1), bestMet: math.Inf(-1),
		front: paretoSet{objectives: Settings{Objectives: objectives}.objectives()}}
	start, _, _ := ev.Counts()
	if noise.on() {
		r.noise = newNoisy(noise, ev, start+evaluations, hof)
	}
	ev.OnRecord = r.record
	rng := rand.New(rand.NewSource(int64(seed)))
	res := &Result{Stop: "budget"}
	idle := 0 // genomes sampled since the last new one
	for batch := 0; ; batch++ {
		done, _, _ := ev.Counts()
		need := evaluations - (done - start)
		if r.noise != nil {
			need = min(need, r.noise.room())
		}
		if need <= 0 {
			break
		}
		gs := make([]genome.Genome, min(need, randomBatch))
		for i := range gs {
			gs[i] = space.Sample(rng)
		}
		r.generation = batch
		var recs []fitness.Record
		var err error
		if r.noise != nil {
			recs, err = r.noise.evaluate(ctx, gs, batch)
		} else {
			recs, err = ev.Evaluate(ctx, gs, batch)
		}
		if err != nil {
			return nil, err
		}
		var st GenerationStats
		st.Generation, st.Best = batch, math.Inf(1)
		full := math.Inf(1) // full trainings' best, as generationDone's
		var fits []float64
		for _, rec := range recs {
			st.Best = math.Min(st.Best, rec.Fitness)
			if !rec.Partial {
				full = math.Min(full, rec.Fitness)
			}
			if math.IsInf(rec.Fitness, 0) {
				st.Failed++
			} else {
				fits = append(fits, rec.Fitness)
			}
		}
		st.Mean, st.Std = meanStd(fits)
		st.BestSoFar = math.Min(r.bestFit, full)
		r.bestFit = st.BestSoFar
		st.BestMetric = r.bestMet
		st.Evaluations, st.CacheHits, st.Samples = ev.Counts()
		st.Front = r.frontSize()
		if obs != nil {
			st.Diversity, st.Unique = diversity(gs)
			obs.Generation(st)
		}
		if cp, ok := obs.(Checkpointer); ok {
			cp.Checkpoint(r.state(batch, nil, hof))
		}
		ev.EndGeneration()
		res.Generations = batch + 1
		now, _, _ := ev.Counts()
		if now == done {
			idle += len(gs)
		} else {
			idle = 0
		}
		if idle >= randomBatch {
			// A batch's worth of genomes in a row were all seen before:
			// the space is (nearly) exhausted. (One short last batch that
			// hits the cache is not enough to say so.)
			res.Stop = "exhausted"
			break
		}
	}
	if r.noise != nil {
		if err := r.noise.recheck(ctx, start+evaluations, res.Generations); err != nil {
			return nil, err
		}
	}
	res.Trainings, res.CacheHits, res.Samples = ev.Counts()
	res.Best = r.hallOfFame(hof)
	res.Means = r.means(res.Best)
	res.Front = r.front.members()
	return res, nil
}
