package fitness

import (
	"context"

	"github.com/evonas/evonas/genome"
)

// Then is what EvaluateThen's callback answers for a record that arrived:
// the genomes to re-evaluate now, and those whose re-evaluation it may ask
// for once more records are in (Maybe: most likely first, each listed as
// many times as it may be re-evaluated). A worker that would otherwise
// wait for the batch's stragglers trains the latter ahead (speculation),
// and a training is kept for the re-evaluation it turns out to be, with
// the seed and number that re-evaluation would have had, or dropped when
// the genome leaves Maybe without being asked for. The records and the
// counts do not change: a dropped training is neither logged nor counted
// (SpeculationCounts says how many there were).
type Then struct {
	Now, Maybe []genome.Genome
}

// SetSpeculation turns speculation (see Then) on or off; it is on unless
// SetBackend was called, since a job sent elsewhere cannot be taken back.
// Results are the same either way. Call it before evaluating.
func (e *Evaluator) SetSpeculation(on bool) { e.speculate = on }

// specKey names a re-evaluation: a genome and its visit number.
type specKey struct {
	key   string
	visit int
}

// specTask is a re-evaluation trained ahead of being asked for.
type specTask struct {
	done    chan struct{} // closed when rec and err are set
	rec     Record
	err     error
	cancel  context.CancelFunc
	seq     int  // the order it started in: the later, the less likely asked for
	claimed bool // asked for: visit waits for it; it is never cancelled
	dropped bool // cancelled, or finished and not wanted
}

// speculator trains the Maybe re-evaluations of one EvaluateThen call on
// the pool's free slots. Its methods run on the call's goroutine; the tasks
// live in e.spec, under e.mu, where visit claims them.
type speculator struct {
	e          *Evaluator
	ctx        context.Context
	generation int
	maybe      []genome.Genome
	mine       map[specKey]*specTask
	freed      chan<- struct{} // told when a training ends
}

func (e *Evaluator) speculator(ctx context.Context, generation int, freed chan<- struct{}) *speculator {
	if !e.speculate {
		return nil
	}
	return &speculator{e: e, ctx: ctx, generation: generation, mine: map[specKey]*specTask{}, freed: freed}
}

// update replaces the list of genomes that may be re-evaluated and drops
// the unclaimed trainings of those no longer in it.
func (s *speculator) update(maybe []genome.Genome) {
	if s == nil {
		return
	}
	s.maybe = maybe
	keep := map[string]bool{}
	for _, g := range maybe {
		keep[g.Key()] = true
	}
	s.drop(func(k specKey) bool { return !keep[k.key] })
}

// fill starts trainings of the listed re-evaluations, most likely first,
// while the pool has a free slot that no training waits for.
func (s *speculator) fill() {
	if s == nil || len(s.maybe) == 0 {
		return
	}
	e := s.e
	seen := map[string]int{}
	for _, g := range s.maybe {
		if cap(e.pool)-len(e.pool)-int(e.blocked.Load()) <= 0 {
			return
		}
		key := g.Key()
		seen[key]++
		e.mu.Lock()
		k := specKey{key, e.visits[key] + seen[key]}
		e.mu.Unlock()
		if _, started := s.mine[k]; started {
			continue // or dropped: not again
		}
		select {
		case e.pool <- struct{}{}:
		default:
			return
		}
		ctx, cancel := context.WithCancel(s.ctx)
		t := &specTask{done: make(chan struct{}), cancel: cancel}
		e.mu.Lock()
		if e.spec == nil {
			e.spec = map[specKey]*specTask{}
		}
		e.spec[k] = t
		e.specStarted++
		t.seq = e.specStarted
		e.mu.Unlock()
		s.mine[k] = t
		g := g.Clone()
		go func() {
			t.rec, t.err = e.runVisit(ctx, g, k.key, s.generation, k.visit)
			<-e.pool
			close(t.done)
			select {
			case s.freed <- struct{}{}:
			default:
			}
		}()
	}
}

// stop drops every unclaimed training of the call.
func (s *speculator) stop() {
	if s != nil {
		s.drop(func(specKey) bool { return true })
	}
}

// drop cancels and forgets the unclaimed trainings whose key matches.
func (s *speculator) drop(match func(specKey) bool) {
	e := s.e
	e.mu.Lock()
	defer e.mu.Unlock()
	for k, t := range s.mine {
		if match(k) && !t.claimed && !t.dropped {
			e.dropSpec(k, t)
		}
	}
}

// dropSpec cancels an unclaimed training started ahead. The caller holds
// e.mu.
func (e *Evaluator) dropSpec(k specKey, t *specTask) {
	t.cancel()
	t.dropped = true
	delete(e.spec, k)
	e.specDropped++
}

// preempt frees a slot of the pool for a training that was asked for:
// it cancels the running training started ahead that is least likely to
// be asked for (the last started), if there is one.
func (e *Evaluator) preempt() {
	e.mu.Lock()
	defer e.mu.Unlock()
	var last *specTask
	var lastKey specKey
	for k, t := range e.spec {
		select {
		case <-t.done:
			continue // finished: it holds no slot
		default:
		}
		if last == nil || t.seq > last.seq {
			last, lastKey = t, k
		}
	}
	if last != nil {
		e.dropSpec(lastKey, last)
	}
}

// claim returns the training started ahead for a re-evaluation, marked
// claimed, or nil. The caller holds e.mu.
func (e *Evaluator) claim(k specKey) *specTask {
	t := e.spec[k]
	if t == nil {
		return nil
	}
	t.claimed = true
	delete(e.spec, k)
	e.specUsed++
	return t
}

// SpeculationCounts returns how many re-evaluations were trained ahead of
// being asked for, how many of those were used and how many dropped
// (trained, in part or in full, for nothing).
func (e *Evaluator) SpeculationCounts() (started, used, dropped int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.specStarted, e.specUsed, e.specDropped
}
