package fitness

import (
	"context"
	"errors"
	"sync"

	"github.com/evonas/evonas/dataset"

	"github.com/evonas/evonas/genome"
)

// VisitSeed is the training seed of the visit-th evaluation of a genome
// whose first evaluation has the training seed base: base itself for visit
// 0, a seed derived from both after.
func VisitSeed(base uint64, visit int) uint64 {
	if visit == 0 {
		return base
	}
	return splitmix(base ^ splitmix(uint64(visit)))
}

// Reevaluate evaluates each genome again, however often it was evaluated
// before: a training with another seed (VisitSeed), or another repeat of a
// tabular benchmark. Each is a new evaluation that counts as a training and
// is logged (Record.Visit says which), and none changes what the cache
// answers for the genome. Strategies that handle noise use it to average
// the evaluations of promising candidates. The only error is the context's.
func (e *Evaluator) Reevaluate(ctx context.Context, gs []genome.Genome, generation int) ([]Record, error) {
	recs := make([]Record, len(gs))
	errs := make([]error, len(gs))
	var wg sync.WaitGroup
	for i, g := range gs {
		wg.Add(1)
		e.visit(ctx, g, generation, func(rec Record, err error) {
			defer wg.Done()
			recs[i], errs[i] = rec, err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return recs, nil
}

// visit numbers g's next re-evaluation now, so that a genome's visits are
// numbered in the order they are asked for, then runs it in the pool on a
// goroutine of its own and calls done with its record, or the context's
// (or backend's) error.
func (e *Evaluator) visit(ctx context.Context, g genome.Genome, generation int, done func(Record, error)) {
	key := g.Key()
	e.mu.Lock()
	if e.visits == nil {
		e.visits = map[string]int{}
	}
	e.visits[key]++
	visit := e.visits[key]
	ahead := e.claim(specKey{key, visit})
	e.mu.Unlock()
	g = g.Clone()
	go func() {
		var rec Record
		var err error
		if ahead != nil {
			// Trained ahead (speculate.go) with this visit's seed, within
			// the batch whose generation this is.
			<-ahead.done
			rec, err = ahead.rec, ahead.err
		} else {
			if !e.acquire(ctx) {
				done(Record{}, ctx.Err())
				return
			}
			rec, err = e.runVisit(ctx, g, key, generation, visit)
			<-e.pool
		}
		if err != nil {
			done(Record{}, err)
			return
		}
		rec.Visit = visit
		rec.Generation = generation
		e.mu.Lock()
		e.trainings++
		e.samples += int64(rec.Samples)
		rec.Index = e.next
		e.next++
		if e.OnRecord != nil {
			e.OnRecord(rec)
		}
		e.mu.Unlock()
		done(rec, nil)
	}()
}

// runVisit runs the visit-th evaluation of g: with Settings.Folds, on
// fold visit mod Folds. It trains every epoch, without median stopping: a
// re-evaluation measures a genome judged promising on a full training (a
// stopped one is never re-evaluated), and the mean of its evaluations must
// not mix stopped trainings with full ones.
func (e *Evaluator) runVisit(ctx context.Context, g genome.Genome, key string, generation int, visit int) (Record, error) {
	seed := VisitSeed(TrainingSeed(e.runSeed, key), visit)
	fold := 0
	if k := e.settings.Folds; k > 1 {
		fold = visit % k
	}
	if e.backend != nil {
		if fold > 0 {
			return Record{}, errors.New("fitness: cross-validation folds need trainings in this process, not through a backend")
		}
		return e.backend.Run(ctx, Job{Key: key, Genome: g, Seed: seed, Generation: generation, Visit: visit})
	}
	rec, _, err := Run(ctx, e.fold(fold), e.settings, g, seed)
	rec.Fold = fold
	return rec, err
}

// fold returns fold j of the data (dataset.Data.Fold), made once.
func (e *Evaluator) fold(j int) *dataset.Data {
	if j == 0 {
		return e.data
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.folds == nil {
		e.folds = map[int]*dataset.Data{}
	}
	d, ok := e.folds[j]
	if !ok {
		d = e.data.Fold(e.settings.Folds, j)
		e.folds[j] = d
	}
	return d
}
