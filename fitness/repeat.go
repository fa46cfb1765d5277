package fitness

import (
	"context"
	"strconv"
	"sync"

	"github.com/evonas/evonas/genome"
)

// RepeatSeed returns the training seed of a genome's repeat-th evaluation:
// TrainingSeed for repeat 0, and for each later repeat another seed derived
// from the run seed, the genome key and the repeat, so that re-evaluations
// are as reproducible as first ones.
func RepeatSeed(runSeed uint64, key string, repeat int) uint64 {
	if repeat == 0 {
		return TrainingSeed(runSeed, key)
	}
	return TrainingSeed(splitmix(runSeed^splitmix(uint64(repeat))), key)
}

// RepeatJob asks for a genome's repeat-th evaluation.
type RepeatJob struct {
	Genome genome.Genome
	Repeat int // at least 1: repeat 0 is what Evaluate runs
}

// Repeat evaluates genomes again, each with the training seed of its
// repeat (RepeatSeed), concurrently through the pool, and returns their
// records in order, each with its Repeat set. Each is a training, counted
// by Counts and seen by OnRecord like any other; asking for a repeat
// already evaluated in this run answers it from the cache. It is how a
// search measures a promising genome's fitness on more than one training
// seed (or, on a tabular benchmark, more than one of its repeats) and
// selects on the mean. Repeats are trained in full: multi-fidelity stops
// only first evaluations.
func (e *Evaluator) Repeat(ctx context.Context, jobs []RepeatJob, generation int) ([]Record, error) {
	recs := make([]Record, len(jobs))
	var wg sync.WaitGroup
	errs := make([]error, len(jobs))
	for i, j := range jobs {
		key := j.Genome.Key()
		ck := key + "#" + strconv.Itoa(j.Repeat)
		e.mu.Lock()
		en, ok := e.cache[ck]
		if !ok {
			en = &entry{ready: make(chan struct{})}
			e.cache[ck] = en
		}
		e.mu.Unlock()
		if !ok {
			wg.Add(1)
			go func(en *entry, g genome.Genome, key string, repeat int) {
				defer wg.Done()
				e.trainRepeat(ctx, en, g, key, ck, repeat, generation)
			}(en, j.Genome.Clone(), key, j.Repeat)
		}
		wg.Add(1)
		go func(i int, en *entry) {
			defer wg.Done()
			select {
			case <-en.ready:
				recs[i], errs[i] = en.rec, en.err
			case <-ctx.Done():
				errs[i] = ctx.Err()
			}
		}(i, en)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return recs, nil
}

// trainRepeat runs one repeat in the pool and completes its entry.
func (e *Evaluator) trainRepeat(ctx context.Context, en *entry, g genome.Genome, key, cacheKey string, repeat, generation int) {
	defer close(en.ready)
	select {
	case e.pool <- struct{}{}:
	case <-ctx.Done():
		e.forget(cacheKey, en, ctx.Err())
		return
	}
	seed := RepeatSeed(e.runSeed, key, repeat)
	var rec Record
	var err error
	if e.backend != nil {
		rec, err = e.backend.Run(ctx, Job{Key: key, Genome: g, Seed: seed, Generation: generation})
	} else {
		s := e.settings
		s.Fidelity = Fidelity{}
		rec, _, err = Run(ctx, e.data, s, g, seed)
	}
	<-e.pool
	if err != nil {
		e.forget(cacheKey, en, err)
		return
	}
	rec.Repeat = repeat
	e.complete(en, rec, generation)
}
