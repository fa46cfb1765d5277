package fitness

import (
	"context"
	"fmt"
	"math"
	"sort"
	"sync"

	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/network"
)

// Fidelity configures multi-fidelity evaluation: spending less training on
// candidates that look poor early.
type Fidelity struct {
	// Method is "" or "none" (every candidate trains its full epochs),
	// "median" (median stopping) or "halving" (successive halving).
	Method string
	// MinEvaluations: median stopping starts once this many trainings have
	// finished in earlier generations.
	MinEvaluations int
	// MinEpochs: median stopping never stops a training before this epoch;
	// successive halving's first rung trains this many epochs.
	MinEpochs int
	// Eta: successive halving keeps the best 1/Eta of each rung and trains
	// them Eta times longer.
	Eta int
}

// Validate reports whether the fidelity settings can run.
func (f Fidelity) Validate() error {
	switch f.Method {
	case "", "none":
		return nil
	case "median":
		if f.MinEvaluations < 1 || f.MinEpochs < 1 {
			return fmt.Errorf("fitness: median stopping needs min_evaluations and min_epochs >= 1")
		}
	case "halving":
		if f.Eta < 2 || f.MinEpochs < 1 {
			return fmt.Errorf("fitness: successive halving needs eta >= 2 and min_epochs >= 1")
		}
	default:
		return fmt.Errorf("fitness: unknown fidelity method %q", f.Method)
	}
	return nil
}

// halving reports whether batches are evaluated by successive halving
// (which needs the trainings in this process).
func (e *Evaluator) halving() bool {
	return e.settings.Fidelity.Method == "halving" && e.backend == nil
}

// addCurve keeps a finished training's validation curve for median
// stopping. The caller holds e.mu.
func (e *Evaluator) addCurve(r Record) {
	if r.Status == OK && len(r.Curve) > 0 {
		e.curves = append(e.curves, r.Curve)
	}
}

// EndGeneration tells the evaluator a generation (or a random search's
// batch) is over: median stopping's thresholds for the next one are the
// medians of the curves finished so far. Taking them only between
// generations keeps a run's results independent of the order in which its
// trainings finish.
func (e *Evaluator) EndGeneration() {
	f := e.settings.Fidelity
	if f.Method != "median" {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.curves) < f.MinEvaluations {
		e.medians = nil
		return
	}
	medians := make([]float64, e.settings.Epochs)
	for ep := range medians {
		var v []float64
		for _, c := range e.curves {
			if ep < len(c) {
				v = append(v, c[ep])
			}
		}
		medians[ep] = math.NaN()
		if len(v) >= f.MinEvaluations {
			sort.Float64s(v)
			medians[ep] = (v[(len(v)-1)/2] + v[len(v)/2]) / 2
		}
	}
	e.medians = medians
}

// Medians returns median stopping's thresholds for the current generation.
func (e *Evaluator) Medians() []float64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]float64(nil), e.medians...)
}

// halvingTask is one candidate of a successive-halving batch.
type halvingTask struct {
	en  *entry
	g   genome.Genome
	key string

	rec     Record
	net     *network.Net
	session *network.Session
	metric  float64
}

// rungs are successive halving's epoch budgets: MinEpochs times powers of
// Eta below the full epochs, then the full epochs.
func (f Fidelity) rungs(epochs int) []int {
	var r []int
	for e := max(f.MinEpochs, 1); e < epochs; e *= max(f.Eta, 2) {
		r = append(r, e)
	}
	return append(r, epochs)
}

// halve evaluates a batch's new candidates by successive halving: all train
// for the first rung's epochs, the best 1/Eta (by validation metric, then
// key) continue to the next rung, and so on to the full epochs. The others
// are finished as partial records. A session continued across rungs ends
// exactly as a single training of its final epochs would, so a candidate
// that reaches the last rung gets the same record as without halving.
func (e *Evaluator) halve(ctx context.Context, group []halvingTask, generation int) {
	d, st := e.data, e.settings
	var active []*halvingTask
	for i := range group {
		t := &group[i]
		seed := TrainingSeed(e.runSeed, t.key)
		t.rec = Record{Key: t.key, Arch: t.g.Arch(), Genome: t.g, Seed: seed, Fitness: math.Inf(1)}
		hidden, cfg, err := netConfig(d, st, t.g, seed)
		if err == nil {
			t.rec.Params, t.rec.FLOPs = Spec(d, hidden).Params(), FLOPs(Spec(d, hidden))
			t.net, err = network.New(Spec(d, hidden), seed)
		}
		if err == nil {
			rec := &t.rec
			cfg.OnEpoch = func(s network.EpochStats) bool {
				m := st.epochMetric(d.Task, s.Val)
				rec.Curve = append(rec.Curve, m)
				return false
			}
			t.session, err = t.net.NewSession(NetData(d.Train), NetData(d.Val), cfg)
		}
		if err != nil {
			t.rec.Status, t.rec.Reason = Invalid, err.Error()
			e.finishTask(t, nil, generation)
			continue
		}
		active = append(active, t)
	}
	rungs := st.Fidelity.rungs(st.Epochs)
	for ri, epochs := range rungs {
		// Train every active candidate to this rung, through the pool.
		var wg sync.WaitGroup
		errs := make([]error, len(active))
		for i, t := range active {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if !e.acquire(ctx) {
					errs[i] = ctx.Err()
					return
				}
				_, errs[i] = t.session.Run(ctx, epochs)
				<-e.pool
			}()
		}
		wg.Wait()
		if ctx.Err() != nil {
			for _, t := range active {
				e.forget(ctx, t.key, t.en, ctx.Err())
				close(t.en.ready)
			}
			return
		}
		last := ri == len(rungs)-1
		var next []*halvingTask
		for i, t := range active {
			switch {
			case errs[i] != nil || last || t.session.Stopped():
				// Diverged, at the full budget, or stopped by its own
				// early stopping: a complete result.
				e.finishTask(t, errs[i], generation)
			default:
				t.metric = st.epochMetric(d.Task, t.session.Result().Val)
				next = append(next, t)
			}
		}
		if last {
			break
		}
		sort.SliceStable(next, func(i, j int) bool {
			if next[i].metric != next[j].metric {
				return next[i].metric > next[j].metric
			}
			return next[i].key < next[j].key
		})
		keep := (len(next) + st.Fidelity.Eta - 1) / st.Fidelity.Eta
		for _, t := range next[keep:] {
			t.rec.Partial = true
			t.rec.Stopped = fmt.Sprintf("halving: rung %d of %d, %d epochs", ri+1, len(rungs), epochs)
			e.finishTask(t, nil, generation)
		}
		active = next[:keep]
	}
}

// finishTask completes a halving candidate's record and entry.
func (e *Evaluator) finishTask(t *halvingTask, err error, generation int) {
	rec := t.rec
	if t.session != nil {
		res := t.session.Finish()
		var o *Outcome
		if err != nil {
			o = &Outcome{Net: t.net, Result: res}
		} else {
			o, err = outcome(t.net, res, e.data)
		}
		rec = finishRecord(rec, o, err, e.data, e.settings)
		e.keep(rec, t.net)
	}
	e.complete(t.en, rec, generation)
	close(t.en.ready)
}
