package main

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
)

// benchTable is a tabular benchmark of ../shared/tables: every genome of a
// discrete space with the metric each repeat of its training reached.
type benchTable struct {
	name     string
	space    genome.Space
	rows     map[string][]float64 // genome key -> fitness of each repeat (lower is better)
	means    map[string]float64
	best     float64 // the best mean fitness
	maximize bool    // the table's metric is an accuracy (fitness = 1 - accuracy)
}

// loadTable reads a gzip'd CSV table: FCNet (two layers, val_mse_*) or
// HPOBench's MLP (depth x shared width, val_acc_*).
func loadTable(path string) (*benchTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	r := csv.NewReader(zr)
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	header = slices.Clone(header)
	col := map[string]int{}
	var metric []int
	for i, h := range header {
		col[h] = i
		if strings.HasPrefix(h, "val_mse_") || strings.HasPrefix(h, "val_acc_") {
			metric = append(metric, i)
		}
	}
	if len(metric) == 0 {
		return nil, fmt.Errorf("%s: no val_mse_* or val_acc_* columns", path)
	}
	t := &benchTable{name: strings.TrimSuffix(filepath.Base(path), ".csv.gz"), rows: map[string][]float64{}, means: map[string]float64{},
		maximize: strings.HasPrefix(header[metric[0]], "val_acc_")}
	_, fcnet := col["units_1"]
	var build func(rec []string) (genome.Genome, error)
	if fcnet {
		t.space = genome.Space{Layers: genome.IntRange{Min: 2, Max: 2}, Optimizers: []string{"adam"}}
		build = func(rec []string) (genome.Genome, error) {
			var p parser
			g := genome.Genome{Optimizer: "adam", Layers: []genome.Layer{
				{Units: p.int(rec[col["units_1"]]), Activation: rec[col["activation_1"]], Dropout: p.float(rec[col["dropout_1"]])},
				{Units: p.int(rec[col["units_2"]]), Activation: rec[col["activation_2"]], Dropout: p.float(rec[col["dropout_2"]])},
			}, LR: p.float(rec[col["lr"]]), Batch: p.int(rec[col["batch"]]), Schedule: rec[col["lr_schedule"]]}
			return g, p.err
		}
	} else {
		t.space = genome.Space{Layers: genome.IntRange{Min: 1, Max: 3}, SharedWidth: true, Activations: []string{"relu"},
			Optimizers: []string{"adam"}}
		build = func(rec []string) (genome.Genome, error) {
			var p parser
			g := genome.Genome{Optimizer: "adam", LR: p.float(rec[col["lr"]]), Batch: p.int(rec[col["batch"]]), L2: p.float(rec[col["l2"]])}
			w := p.int(rec[col["width"]])
			for range p.int(rec[col["depth"]]) {
				g.Layers = append(g.Layers, genome.Layer{Units: w, Activation: "relu"})
			}
			return g, p.err
		}
	}
	sets := map[string]map[string]bool{}
	add := func(k, v string) {
		if sets[k] == nil {
			sets[k] = map[string]bool{}
		}
		sets[k][v] = true
	}
	line := 1
	for {
		rec, err := r.Read()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		line++
		g, err := build(rec)
		if err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", path, line, err)
		}
		vals := make([]float64, len(metric))
		var sum float64
		for i, c := range metric {
			v, err := strconv.ParseFloat(rec[c], 64)
			if err != nil {
				return nil, fmt.Errorf("%s: line %d: column %s: %w", path, line, header[c], err)
			}
			if t.maximize {
				v = 1 - v
			}
			vals[i] = v
			sum += v
		}
		k := g.Key()
		t.rows[k] = vals
		t.means[k] = sum / float64(len(vals))
		for h, i := range col {
			if !slices.Contains(metric, i) {
				add(h, rec[i])
			}
		}
	}
	t.best = math.Inf(1)
	for _, m := range t.means {
		t.best = min(t.best, m)
	}
	ints := func(k string) []int {
		var out []int
		for v := range sets[k] {
			n, _ := strconv.Atoi(v)
			out = append(out, n)
		}
		slices.Sort(out)
		return out
	}
	floats := func(k string) []float64 {
		var out []float64
		for v := range sets[k] {
			x, _ := strconv.ParseFloat(v, 64)
			out = append(out, x)
		}
		slices.Sort(out)
		return out
	}
	names := func(k string) []string {
		var out []string
		for v := range sets[k] {
			out = append(out, v)
		}
		slices.Sort(out)
		return out
	}
	s := &t.space
	s.Batches = ints("batch")
	s.LRChoices = floats("lr")
	if fcnet {
		s.WidthChoices = ints("units_1")
		s.Activations = names("activation_1")
		s.DropoutChoices = floats("dropout_1")
		s.L2 = genome.FloatRange{}
		s.Schedules = names("lr_schedule")
	} else {
		s.WidthChoices = ints("width")
		d := ints("depth")
		s.Layers = genome.IntRange{Min: d[0], Max: d[len(d)-1]}
		s.L2Choices = floats("l2")
	}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// parser keeps the first error of a row's conversions.
type parser struct{ err error }

func (p *parser) int(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil && p.err == nil {
		p.err = err
	}
	return n
}

func (p *parser) float(s string) float64 {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil && p.err == nil {
		p.err = err
	}
	return x
}

// regret is how much worse key's mean is than the table's best.
func (t *benchTable) regret(key string) float64 {
	m, ok := t.means[key]
	if !ok {
		return math.Inf(1)
	}
	return m - t.best
}

// backend answers an evaluation from the table: one repeat, drawn from the
// training seed, as the tables' protocol has it. A re-evaluation
// (fitness.Job.Repeat k) takes the k-th repeat after the first one drawn, so
// that a genome's first evaluations see distinct repeats, as trainings with
// distinct seeds would.
type backend struct {
	t       *benchTable
	runSeed uint64
}

func (b backend) Run(_ context.Context, j fitness.Job) (fitness.Record, error) {
	rec := fitness.Record{Key: j.Key, Arch: j.Genome.Arch(), Genome: j.Genome, Seed: j.Seed, Fitness: math.Inf(1)}
	vals, ok := b.t.rows[j.Key]
	if !ok {
		rec.Status, rec.Reason = fitness.Invalid, "not in the table"
		return rec, nil
	}
	first := fitness.TrainingSeed(b.runSeed, j.Key) % uint64(len(vals))
	rec.Status, rec.Fitness, rec.Epochs = fitness.OK, vals[int((first+uint64(j.Repeat))%uint64(len(vals)))], 1
	return rec, nil
}
