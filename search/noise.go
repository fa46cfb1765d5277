package search

import (
	"context"
	"math"
	"slices"
	"sort"
	"sync/atomic"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
)

// Noise handles noisy evaluations: a fitness measured once, with one
// training seed, can be lucky, and a search that keeps the best single value
// names a lucky genome its winner. With Repeats > 1, a genome whose first
// evaluation would enter the best Finalists so far is evaluated again with
// other training seeds (fitness.Evaluator.Reevaluate) until it has Repeats
// evaluations, and is ranked, selected and named on their mean; at the end
// of the search the best Finalists by mean are re-checked the same way
// before the winner is named. Every re-evaluation is a training counted in
// the budget: the search reserves Finalists*(Repeats-1) trainings of a
// budget for the final re-check.
type Noise struct {
	Repeats   int // evaluations of a promising genome and of each finalist; <= 1 is off
	Finalists int // how many of the best are re-checked (and what "promising" means); 0 with Repeats > 1 means 1
}

func (n Noise) on() bool { return n.Repeats > 1 }

func (n Noise) finalists() int { return max(n.Finalists, 1) }

// reserve is the trainings a budget keeps for the final re-check.
func (n Noise) reserve() int {
	if !n.on() {
		return 0
	}
	return n.finalists() * (n.Repeats - 1)
}

// Mean is what a genome of a search's hall of fame (Result.Best) is
// judged on: the number of its trainings its fitness is the mean of (more
// than one with objective.repeats), and the mean validation and test
// scores of those same trainings. A record keeps its own training's
// scores, those of the net best.json saves.
type Mean struct {
	Trainings int
	Val, Test fitness.Scores
}

// meanStat is a genome's evaluations so far.
type meanStat struct {
	rec       fitness.Record // its first evaluation, Fitness replaced by the mean
	sum       float64
	val, test fitness.Scores // sums of the evaluations' scores
	n         int
	failed    bool // some evaluation diverged or was invalid: the genome ranks last
	// partial: its first evaluation was stopped early by multi-fidelity
	// (fitness.Record.Partial), a lower fidelity than the others' full
	// trainings. It is never re-evaluated (its mean would mix fidelities)
	// and ranks after every genome trained in full.
	partial bool
	final   bool // after the re-check: it has all its repeats, and ranks before those that do not
}

func (m *meanStat) mean() float64 {
	if m.failed || m.n == 0 {
		return math.Inf(1)
	}
	return m.sum / float64(m.n)
}

// add counts one evaluation of the genome.
func (m *meanStat) add(rec fitness.Record) {
	if math.IsInf(rec.Fitness, 0) || math.IsNaN(rec.Fitness) {
		m.failed = true
	} else {
		m.sum += rec.Fitness
		m.val, m.test = addScores(m.val, rec.Val), addScores(m.test, rec.Test)
	}
	m.n++
	m.rec.Fitness = m.mean()
}

// summary is the genome's Mean; its scores are meaningless when it failed.
func (m *meanStat) summary() Mean {
	k := float64(max(m.n, 1))
	return Mean{Trainings: m.n, Val: scaleScores(m.val, 1/k), Test: scaleScores(m.test, 1/k)}
}

func addScores(a, b fitness.Scores) fitness.Scores {
	return fitness.Scores{Loss: a.Loss + b.Loss, Acc: a.Acc + b.Acc, R2: a.R2 + b.R2, RMSE: a.RMSE + b.RMSE,
		BalAcc: a.BalAcc + b.BalAcc, Balanced: a.Balanced || b.Balanced}
}

func scaleScores(a fitness.Scores, f float64) fitness.Scores {
	return fitness.Scores{Loss: a.Loss * f, Acc: a.Acc * f, R2: a.R2 * f, RMSE: a.RMSE * f, BalAcc: a.BalAcc * f, Balanced: a.Balanced}
}

// noisy is a search's noise handling: the mean of every genome's
// evaluations. Its methods are called from the search's goroutine only, in
// an order that does not depend on when trainings finish, so that results
// do not depend on the worker count.
type noisy struct {
	Noise
	ev      *fitness.Evaluator
	cap     int // trainings the search may run before the final re-check; 0 = unlimited
	means   map[string]*meanStat
	counted int         // evaluations counted into means
	top     []*meanStat // the best keep genomes by mean, then key
	keep    int
	// stream lets a batch's re-evaluations start while the batch trains
	// (evaluate); off, every batch waits for its last training first.
	// Results are the same either way.
	stream bool
}

// barriers is a test's switch: searches made while it is set wait for
// each batch's last training before re-evaluating (noisy.stream off);
// streamed counts the batches that did not, for tests to see.
var (
	barriers bool
	streamed atomic.Int64
)

func newNoisy(n Noise, ev *fitness.Evaluator, budget, hof int) *noisy {
	c := 0
	if budget > 0 {
		c = max(budget-n.reserve(), 1)
	}
	return &noisy{Noise: n, ev: ev, cap: c, means: map[string]*meanStat{}, keep: max(n.finalists(), hof) + 1, stream: !barriers}
}

func better(a, b *meanStat) bool {
	if a.final != b.final {
		return a.final
	}
	if ahead(a.tier(), a.rec.Fitness, b.tier(), b.rec.Fitness) || ahead(b.tier(), b.rec.Fitness, a.tier(), a.rec.Fitness) {
		return ahead(a.tier(), a.rec.Fitness, b.tier(), b.rec.Fitness)
	}
	return a.rec.Key < b.rec.Key
}

// tier orders genomes before their fitness: those trained in full first,
// then those a multi-fidelity method stopped early, then failed ones.
func (m *meanStat) tier() int {
	return tierOf(m.rec.Fitness, m.partial)
}

func tierOf(f float64, partial bool) int {
	switch {
	case math.IsInf(f, 0) || math.IsNaN(f):
		return 2
	case partial:
		return 1
	}
	return 0
}

// ahead reports whether a genome of tier ta and fitness fa ranks strictly
// before one of tier tb and fitness fb, keys aside.
func ahead(ta int, fa float64, tb int, fb float64) bool {
	if ta != tb {
		return ta < tb
	}
	return fa < fb
}

// count adds an evaluation to its genome's mean and keeps the ranking of
// the best: in place when the genome is new to it, by a full sort when a
// ranked genome's mean moved (rare: only promising genomes are evaluated
// twice).
func (z *noisy) count(rec fitness.Record) {
	z.counted++
	m, ok := z.means[rec.Key]
	if !ok {
		m = &meanStat{rec: rec, partial: rec.Partial}
		z.means[rec.Key] = m
	}
	m.add(rec)
	if slices.Contains(z.top, m) {
		z.rank()
		return
	}
	if len(z.top) == z.keep && !better(m, z.top[len(z.top)-1]) {
		return
	}
	i := sort.Search(len(z.top), func(i int) bool { return better(m, z.top[i]) })
	z.top = slices.Insert(z.top, i, m)
	if len(z.top) > z.keep {
		z.top = z.top[:z.keep]
	}
}

// rank sorts every genome into the ranking of the best.
func (z *noisy) rank() {
	all := make([]*meanStat, 0, len(z.means))
	for _, m := range z.means {
		all = append(all, m)
	}
	sort.Slice(all, func(i, j int) bool { return better(all[i], all[j]) })
	z.top = all[:min(z.keep, len(all))]
}

// room returns how many trainings the search may still run before the
// final re-check (math.MaxInt when unlimited).
func (z *noisy) room() int {
	if z.cap == 0 {
		return math.MaxInt
	}
	tr, _, _ := z.ev.Counts()
	return z.cap - tr
}

// evaluate evaluates a batch of genomes, re-evaluates the promising ones
// and returns the batch's records in order, each with its genome's mean as
// its fitness. A cache hit stands for its genome. It makes the decisions
// scored makes once the whole batch is in, but starts a promising genome's
// re-evaluations as soon as they are decided (decider), while the rest of
// the batch trains (fitness.Evaluator.EvaluateThen), so that fewer workers
// wait for the batch's stragglers. When the batch's trainings and all
// their possible re-evaluations might not fit in the budget's room left,
// it waits for the batch and cuts as scored does. Results do not depend on
// which way a batch goes, nor on the worker count.
func (z *noisy) evaluate(ctx context.Context, gs []genome.Genome, generation int) ([]fitness.Record, error) {
	d := z.decider(gs)
	if !z.stream || len(d.cands)*z.Repeats > z.room() {
		recs, err := z.ev.Evaluate(ctx, gs, generation)
		if err != nil {
			return nil, err
		}
		return recs, z.scored(ctx, recs, generation)
	}
	streamed.Add(1)
	recs, again, err := z.ev.EvaluateThen(ctx, gs, generation, func(i int, rec fitness.Record) fitness.Then {
		var t fitness.Then
		for _, c := range d.arrived(i, rec) {
			t.Now = append(t.Now, slices.Repeat([]genome.Genome{c.g}, z.Repeats-1)...)
		}
		for _, c := range d.undecided() {
			t.Maybe = append(t.Maybe, slices.Repeat([]genome.Genome{c.g}, z.Repeats-1)...)
		}
		return t
	})
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		if _, ok := z.means[rec.Key]; !ok {
			z.count(rec)
		}
	}
	for _, rs := range again {
		for _, rec := range rs {
			z.count(rec)
		}
	}
	for i := range recs {
		recs[i].Fitness = z.means[recs[i].Key].mean()
	}
	return recs, nil
}

// A decider makes scored's decisions for a batch while its records arrive,
// in any order. scored re-evaluates a genome of the batch evaluated once
// (new, or seen once before) whose value is at most the Finalists-th best
// mean once the batch's new genomes are counted: that is, one with fewer
// than Finalists other genomes strictly better. Those known before the
// batch are counted at once; of the batch's new genomes, those arrived
// are, and those still training might be: a genome is decided promising
// when even all of them being better would leave it among the best, and
// not promising as soon as enough better ones are known.
type decider struct {
	z     *noisy
	cands []*cand       // the genomes that may be re-evaluated, one per key
	byIdx map[int]*cand // by the index of their first occurrence in the batch
	fresh []*cand       // the candidates new to the search
	// waiting is how many of the batch's new genomes have not arrived.
	waiting int
}

// cand is a genome of a batch that may be re-evaluated.
type cand struct {
	g       genome.Genome
	key     string
	fresh   bool // new to the search
	in      bool // its record arrived
	v       float64
	failed  bool
	partial bool // stopped early by multi-fidelity: never re-evaluated
	before  int  // genomes known before the batch strictly better, up to Finalists
	decided bool
}

func (z *noisy) decider(gs []genome.Genome) *decider {
	d := &decider{z: z, byIdx: map[int]*cand{}}
	seen := map[string]bool{}
	for i, g := range gs {
		k := g.Key()
		if seen[k] {
			continue
		}
		seen[k] = true
		m, ok := z.means[k]
		if ok && (m.n != 1 || m.partial) {
			continue
		}
		c := &cand{g: g, key: k, fresh: !ok}
		d.cands = append(d.cands, c)
		d.byIdx[i] = c
		if c.fresh {
			d.fresh = append(d.fresh, c)
			d.waiting++
		}
	}
	return d
}

// arrived takes the record of the batch's i-th genome and returns the
// candidates that it lets be decided promising, in the batch's order.
func (d *decider) arrived(i int, rec fitness.Record) []*cand {
	c, ok := d.byIdx[i]
	if !ok || c.in {
		return nil
	}
	c.in, c.v, c.partial = true, rec.Fitness, rec.Partial
	c.failed = math.IsInf(c.v, 0) || math.IsNaN(c.v)
	if c.fresh {
		d.waiting--
	} else if d.z.means[c.key].failed {
		c.failed = true
	}
	f := d.z.finalists()
	for _, t := range d.z.top {
		if c.before < f && t.rec.Key != c.key && ahead(t.tier(), t.rec.Fitness, c.tier(), c.v) {
			c.before++
		}
	}
	var out []*cand
	for _, c := range d.cands {
		if !c.in || c.decided {
			continue
		}
		if c.failed || c.partial {
			c.decided = true
			continue
		}
		better := c.before
		for _, o := range d.fresh {
			if o != c && o.in && ahead(o.tier(), o.v, c.tier(), c.v) {
				better++
			}
		}
		switch {
		case better >= f:
			c.decided = true
		case better+d.waiting < f:
			c.decided = true
			out = append(out, c)
		}
	}
	return out
}

func (c *cand) tier() int { return tierOf(c.v, c.partial) }

// undecided returns the candidates arrived but not yet decided, the best
// first (then by key): those whose re-evaluations an idle worker may train
// ahead (fitness.Then). (Those still training were tried too: on a replayed
// default run 24 of their 28 trainings were dropped, for a speed-up of
// 1.857x over 1.848x; bench/replay.)
func (d *decider) undecided() []*cand {
	var out []*cand
	for _, c := range d.cands {
		if c.in && !c.decided {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].v != out[j].v {
			return out[i].v < out[j].v
		}
		return out[i].key < out[j].key
	})
	return out
}

// scored takes the records of a batch of first evaluations, in the batch's
// order, re-evaluates the promising ones, and rewrites each record's
// fitness to its genome's mean. A cache hit stands for its genome.
func (z *noisy) scored(ctx context.Context, recs []fitness.Record, generation int) error {
	for _, rec := range recs {
		if _, ok := z.means[rec.Key]; !ok {
			z.count(rec)
		}
	}
	// Promising: a first value that would rank among the best Finalists.
	bar := z.threshold()
	var jobs []genome.Genome
	queued := map[string]bool{}
	for _, rec := range recs {
		m := z.means[rec.Key]
		if !z.on() || m.n != 1 || queued[rec.Key] || m.failed || m.partial || m.mean() > bar {
			continue
		}
		queued[rec.Key] = true
		for k := 1; k < z.Repeats; k++ {
			jobs = append(jobs, rec.Genome)
		}
	}
	if room := z.room(); len(jobs) > room {
		jobs = jobs[:max(room, 0)]
	}
	if err := z.repeat(ctx, jobs, generation); err != nil {
		return err
	}
	for i := range recs {
		recs[i].Fitness = z.means[recs[i].Key].mean()
	}
	return nil
}

// threshold is the mean of the Finalists-th best genome trained in full so
// far (+Inf when there are fewer): a new genome doing at least as well is
// promising. Those trained in full rank first, so it is the Finalists-th
// of the ranking when that one was trained in full.
func (z *noisy) threshold() float64 {
	f := z.finalists()
	if len(z.top) <= f || z.top[f-1].tier() != 0 {
		return math.Inf(1)
	}
	return z.top[f-1].rec.Fitness
}

// repeat re-evaluates the genomes of jobs (fitness.Evaluator.Reevaluate:
// each time with another seed, or another repeat of a table) and counts
// their records into the means, in the jobs' order.
func (z *noisy) repeat(ctx context.Context, jobs []genome.Genome, generation int) error {
	if len(jobs) == 0 {
		return nil
	}
	recs, err := z.ev.Reevaluate(ctx, jobs, generation)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		z.count(rec)
	}
	return nil
}

// recheck re-evaluates the best Finalists by mean until each has Repeats
// evaluations, or the budget runs out; a finalist that falls behind on its
// new evaluations makes way for the next best, which is re-checked in
// turn. Trainings of the reserve left over (the finalists were already
// re-evaluated during the search) re-check the next best genomes of the
// hall of fame.
func (z *noisy) recheck(ctx context.Context, budget, generation int) error {
	if !z.on() {
		return nil
	}
	defer z.verifiedFirst()
	n := z.finalists()
	for {
		var jobs []genome.Genome
		for _, r := range z.best(n) {
			m := z.means[r.Key]
			if m.failed || m.partial {
				continue
			}
			for k := m.n; k < z.Repeats; k++ {
				jobs = append(jobs, r.Genome)
			}
		}
		if budget > 0 {
			tr, _, _ := z.ev.Counts()
			jobs = jobs[:min(len(jobs), max(budget-tr, 0))]
		}
		if len(jobs) == 0 {
			tr, _, _ := z.ev.Counts()
			if budget <= 0 || tr >= budget || n >= len(z.top) {
				return nil
			}
			n++
			continue
		}
		if err := z.repeat(ctx, jobs, generation); err != nil {
			return err
		}
	}
}

// best returns the n best genomes by mean fitness, then key, each as its
// first record with the mean as its fitness; n is at most the ranking's
// size.
func (z *noisy) best(n int) []fitness.Record {
	out := make([]fitness.Record, 0, min(n, len(z.top)))
	for _, m := range z.top[:min(n, len(z.top))] {
		out = append(out, m.rec)
	}
	return out
}

// evaluations returns how many times g was evaluated.
func (z *noisy) evaluations(g genome.Genome) int {
	if m, ok := z.means[g.Key()]; ok {
		return m.n
	}
	return 0
}

// verifiedFirst ranks the genomes evaluated Repeats times before the
// others, so that a genome measured once, which a budget spent on the
// re-check left unverified, is never named the winner over a verified one.
func (z *noisy) verifiedFirst() {
	for _, m := range z.means {
		m.final = !m.failed && m.n >= z.Repeats
	}
	z.rank()
}
