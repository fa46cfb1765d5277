package table

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
)

// Problem is a search on a table: a space inside the table's grid and the
// best mean over that space, from which regret is measured.
type Problem struct {
	Table   *Table
	Space   genome.Space
	BestRow int     // the row of the best mean in Space (ties: the lowest row)
	Best    float64 // its mean
	// Objectives, set by SetObjectives, make comparisons multi-objective.
	Objectives []string
}

// NewProblem returns the search of space on t. A space that leaves the
// table's grid is refused with an error naming the search_space key and
// the values the table has.
func NewProblem(t *Table, space genome.Space) (*Problem, error) {
	if err := t.Covers(space); err != nil {
		return nil, err
	}
	p := &Problem{Table: t, Space: space, BestRow: -1}
	sub, err := genome.NewGrid(space)
	if err != nil {
		return nil, err
	}
	whole := sub.Size() == t.Len()
	for i := range t.Len() {
		if !whole {
			if _, ok := sub.Index(t.Genome(i)); !ok {
				continue
			}
		}
		m := t.mean[i]
		if p.BestRow < 0 || t.Fitness(m) < t.Fitness(p.Best) {
			p.BestRow, p.Best = i, m
		}
	}
	return p, nil
}

// Regret returns how far a row's mean is from the best mean of the space:
// best - mean for accuracy and R², mean - best for a loss. It is 0 for the
// best row and positive otherwise.
func (p *Problem) Regret(row int) float64 {
	return p.Table.Fitness(p.Table.mean[row]) - p.Table.Fitness(p.Best)
}

// Covers returns nil if every genome of space is in the table, and
// otherwise an error naming the first search_space key whose values the
// table lacks, with the values it has.
func (t *Table) Covers(space genome.Space) error {
	if err := space.Validate(); err != nil {
		return err
	}
	ts := t.space
	refuse := func(key, got, have string) error {
		return fmt.Errorf("search_space.%s: %s, but table %s has %s", key, got, t.Name, have)
	}
	if space.Layers.Min < ts.Layers.Min || space.Layers.Max > ts.Layers.Max {
		return refuse("layers", fmt.Sprintf("[%d, %d]", space.Layers.Min, space.Layers.Max), fmt.Sprintf("depths %d to %d", ts.Layers.Min, ts.Layers.Max))
	}
	if space.SharedWidth != ts.SharedWidth && space.Layers.Max > 1 {
		if ts.SharedWidth {
			return refuse("shared_width", "false", "one shared width per configuration (set shared_width: true)")
		}
		return refuse("shared_width", "true", "a width per layer (set shared_width: false)")
	}
	if space.Layers.Max > 0 {
		if err := subsetInts("width", intsOf(space.WidthChoices, space.Width), ts.WidthChoices, ts.Width, refuse); err != nil {
			return err
		}
		if err := subsetStrs("activations", space.Activations, ts.Activations, refuse); err != nil {
			return err
		}
		if err := subsetFloats("dropout", space.DropoutChoices, space.Dropout, ts.DropoutChoices, ts.Dropout, refuse); err != nil {
			return err
		}
	}
	if err := subsetFloats("lr", space.LRChoices, space.LR, ts.LRChoices, ts.LR, refuse); err != nil {
		return err
	}
	if err := subsetStrs("lr_schedule", schedules(space), schedules(ts), refuse); err != nil {
		return err
	}
	if err := subsetInts("batch", space.Batches, ts.Batches, genome.IntRange{}, refuse); err != nil {
		return err
	}
	if err := subsetFloats("l2", space.L2Choices, space.L2, ts.L2Choices, ts.L2, refuse); err != nil {
		return err
	}
	return subsetStrs("optimizers", space.Optimizers, ts.Optimizers, refuse)
}

func schedules(s genome.Space) []string {
	if len(s.Schedules) == 0 {
		return []string{genome.ConstSchedule}
	}
	return s.Schedules
}

// intsOf is a width gene's values: its choices or, when fixed, its one
// value; nil for a range.
func intsOf(choices []int, r genome.IntRange) []int {
	if len(choices) > 0 {
		return choices
	}
	if r.Min == r.Max {
		return []int{r.Min}
	}
	return nil
}

func subsetInts(key string, xs, have []int, haveRange genome.IntRange, refuse func(key, got, have string) error) error {
	if len(have) == 0 {
		have = []int{haveRange.Min}
	}
	if xs == nil {
		return refuse(key, "a range", "the values "+fmtInts(have)+" (give them as choices)")
	}
	for _, x := range xs {
		if !slices.Contains(have, x) {
			return refuse(key, strconv.Itoa(x), "only "+fmtInts(have))
		}
	}
	return nil
}

func subsetFloats(key string, xs []float64, r genome.FloatRange, have []float64, haveRange genome.FloatRange, refuse func(key, got, have string) error) error {
	if len(have) == 0 {
		have = []float64{haveRange.Min}
	}
	if len(xs) == 0 {
		if r.Min != r.Max {
			return refuse(key, fmt.Sprintf("a range [%s, %s]", fmtFloat(r.Min), fmtFloat(r.Max)), "the values "+fmtFloats(have)+" (give them as choices)")
		}
		xs = []float64{r.Min}
	}
	for _, x := range xs {
		if !slices.Contains(have, x) {
			return refuse(key, fmtFloat(x), "only "+fmtFloats(have))
		}
	}
	return nil
}

func subsetStrs(key string, xs, have []string, refuse func(key, got, have string) error) error {
	for _, x := range xs {
		if !slices.Contains(have, x) {
			return refuse(key, x, "only ["+strings.Join(have, ", ")+"]")
		}
	}
	return nil
}

func fmtInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return "[" + strings.Join(s, ", ") + "]"
}

func fmtFloats(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmtFloat(x)
	}
	return "[" + strings.Join(s, ", ") + "]"
}

// Repeat returns which repeat the visit-th evaluation (0: the first) of the
// genome with the given key sees in a run with the given seed. The first
// visit's repeat is drawn from the run seed and the key, the same for
// every strategy; later visits take the following repeats in turn.
func (p *Problem) Repeat(runSeed uint64, key string, visit int) int {
	r := uint64(p.Table.Repeats)
	return int((fitness.TrainingSeed(runSeed, key)%r + uint64(visit)%r) % r)
}

// Task is the data task a table's metric stands for: classification for
// accuracy, regression otherwise.
func (t *Table) Task() dataset.Task {
	if t.Metric == "val_acc" {
		return dataset.Multiclass
	}
	return dataset.Regression
}

// Evaluator returns an evaluator that looks genomes up in the table instead
// of training them, under the protocol of Repeat, with the cache,
// re-evaluation and records of a real run. One worker is enough: a lookup
// takes well under a microsecond.
func (p *Problem) Evaluator(runSeed uint64) *fitness.Evaluator {
	return p.evaluator(&backend{p: p, runSeed: runSeed})
}

func (p *Problem) evaluator(b *backend) *fitness.Evaluator {
	d := &dataset.Data{Name: p.Table.Name, Task: p.Table.Task()}
	ev := fitness.NewEvaluator(d, fitness.Settings{Epochs: 1}, b.runSeed, 1)
	ev.SetBackend(b)
	return ev
}

// backend answers evaluations from the table.
type backend struct {
	p       *Problem
	runSeed uint64

	mu      sync.Mutex
	collect bool
	recs    []fitness.Record // with collect: every evaluation, in the order asked
}

// Run looks a job's genome up: its record holds the repeat of the visit as
// the validation (and test) metric, the fitness that metric gives, the
// configuration's regret, and the table's parameters and training time.
func (b *backend) Run(ctx context.Context, job fitness.Job) (fitness.Record, error) {
	if err := ctx.Err(); err != nil {
		return fitness.Record{}, err
	}
	rec := b.p.record(job.Genome, job.Key, b.runSeed, job.Visit)
	if b.collect {
		r := rec
		r.Generation = job.Generation
		b.mu.Lock()
		b.recs = append(b.recs, r)
		b.mu.Unlock()
	}
	return rec, nil
}

// record is the evaluation of g under the protocol.
func (p *Problem) record(g genome.Genome, key string, runSeed uint64, visit int) fitness.Record {
	t := p.Table
	rec := fitness.Record{Key: key, Arch: g.Arch(), Genome: g, Fitness: math.Inf(1), Epochs: 1,
		Seed: fitness.TrainingSeed(runSeed, key), Visit: visit}
	row, ok := t.Index(g)
	if !ok {
		rec.Status, rec.Reason = fitness.Invalid, "not in table "+t.Name
		return rec
	}
	k := p.Repeat(runSeed, key, visit)
	v := t.Value(row, k)
	rec.Val = scores(t.Metric, v)
	if tv, ok := t.Test(row, k); ok {
		rec.Test = scores(t.Metric, tv)
	}
	rec.Params, rec.TrainS = t.Params(row), t.TrainSeconds(row, k)
	rec.FLOPs = t.FLOPs(row)
	rec.Fitness, rec.Status = t.Fitness(v), fitness.OK
	if math.IsInf(rec.Fitness, 0) || math.IsNaN(rec.Fitness) {
		rec.Status, rec.Reason, rec.Fitness = fitness.Diverged, fmt.Sprintf("table value %v", v), math.Inf(1)
	}
	r := p.Regret(row)
	rec.Regret = &r
	return rec
}

// scores puts a table value where a record keeps that metric. A table
// holds one metric: the loss of an accuracy or R² table, and the RMSE of
// an R² table, are NaN (written null: not known), not a loss of 0.
func scores(metric string, v float64) fitness.Scores {
	switch metric {
	case "val_acc":
		return fitness.Scores{Loss: math.NaN(), Acc: v}
	case "val_r2":
		return fitness.Scores{Loss: math.NaN(), R2: v, RMSE: math.NaN()}
	}
	return fitness.Scores{Loss: v}
}
