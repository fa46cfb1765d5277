package run

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/report"
	"github.com/evonas/evonas/search"
	"github.com/evonas/evonas/table"
)

// Searches on tabular benchmarks (docs/tables.md): a run looks candidates
// up in a table instead of training them, in seconds, so its directory
// holds only what a reader needs.

// OpenTable reads a table file or a shipped table; a malformed table, or a
// name that is neither a file nor a shipped table, is an *InputError.
func OpenTable(name string) (*table.Table, error) {
	t, err := table.Open(name)
	var te *table.Error
	switch {
	case errors.As(err, &te):
		return nil, &InputError{err}
	case errors.Is(err, fs.ErrNotExist) && strings.ContainsAny(name, "/\\"):
		return nil, &InputError{restated{"table " + name + ": no such file", err}}
	case errors.Is(err, fs.ErrNotExist):
		return nil, &InputError{restated{"table " + name + ": no such file, and no shipped table of that name (shipped: " + strings.Join(table.Builtin(), ", ") + ")", err}}
	}
	return t, err
}

// restated is an error said in other words that still wraps the original,
// so errors.Is(err, fs.ErrNotExist) holds.
type restated struct {
	msg string
	err error
}

func (e restated) Error() string { return e.msg }
func (e restated) Unwrap() error { return e.err }

// TableProblem is the search of cfg's space on t or, when explicit is
// false (no config given, or --table-grid), of t's whole grid. A space
// outside the grid is an *InputError naming source (the config), the key
// and the table's values.
func TableProblem(t *table.Table, cfg configs.Config, explicit bool, source string) (*table.Problem, error) {
	space := t.Space()
	if explicit {
		space = cfg.Space()
	}
	p, err := table.NewProblem(t, space)
	if err != nil {
		return nil, inputf("%s: %v", source, err)
	}
	return p, nil
}

// TableRun is an evolve or random run on a table (evonas evolve --table):
// one search of a config's space, or of the table's whole grid.
type TableRun struct {
	Table    string // a file or a shipped name; "" for Config's data.table
	Config   configs.Config
	Explicit bool   // search Config's space (TableProblem); else the grid
	Source   string // the config as given, which errors name
	Strategy string // GA or Random
	// Evaluations of a random search; 0 for RandomEvaluations.
	Evaluations  int
	Dir, Command string // as TableSearch takes them
}

// Run opens the table and runs the search (TableSearch). It returns the
// summary and the table's name.
func (r *TableRun) Run(ctx context.Context) (*TableSummary, string, error) {
	name := r.Table
	if name == "" {
		name = r.Config.Data.Table
	}
	t, err := OpenTable(name)
	if err != nil {
		return nil, "", err
	}
	p, err := TableProblem(t, r.Config, r.Explicit, r.Source)
	if err != nil {
		return nil, "", err
	}
	sum, err := TableSearch(ctx, p, r.Config, r.Strategy, RandomEvaluations(r.Config, r.Evaluations), r.Dir, r.Command)
	return sum, t.Name, err
}

// TableSummary is summary.json of an evolve or random run on a table.
type TableSummary struct {
	Strategy    string          `json:"strategy"`
	Config      string          `json:"config"`
	Table       string          `json:"table"`
	Metric      string          `json:"metric"`
	BestMean    float64         `json:"best_mean"`
	Seed        uint64          `json:"seed"`
	Evaluations int             `json:"evaluations"`
	Regret      float64         `json:"regret"` // the incumbent's, after the last evaluation
	Incumbent   TableIncumbent  `json:"incumbent"`
	AtBudget    map[int]float64 `json:"regret_at"` // regret after n evaluations
	WallS       float64         `json:"wall_s"`
	Dir         string          `json:"dir"`
	Command     string          `json:"command"`
	// A Pareto search's (objective.minimize of two or more): the objectives
	// and the front of its evaluations, the most accurate first.
	Objectives []string      `json:"objectives,omitempty"`
	Front      []FrontMember `json:"front,omitempty"`
}

// TableIncumbent is the configuration a table run ends with.
type TableIncumbent struct {
	Key      string        `json:"key"`
	Arch     string        `json:"arch"`
	Genome   genome.Genome `json:"genome"`
	Observed float64       `json:"observed"` // the metric as observed
	Mean     float64       `json:"mean"`     // over the table's repeats
}

// TableSearch runs one search, GA (cfg's evolution) or Random, of p with
// cfg's seed and `budget` evaluations, into dir (default
// runs/<time>-<config>-<strategy>-<table>): evaluations.jsonl and
// summary.json.
func TableSearch(ctx context.Context, p *table.Problem, cfg configs.Config, strategy string, budget int, dir, command string) (*TableSummary, error) {
	start := time.Now()
	t := p.Table
	objs := cfg.Objective.Minimize
	if err := p.SetObjectives(objs); err != nil {
		return nil, inputf("objective.minimize: %v", err)
	}
	s := table.Evolution(cfg.Name, cfg.Settings())
	kind := KindEvolve
	if strategy == Random {
		s, kind = table.Random(), KindRandom
	}
	if dir == "" {
		dir = filepath.Join("runs", start.Format("20060102-150405")+"-"+cfg.Name+"-"+s.Name+"-"+t.Name)
	}
	y, err := cfg.YAML()
	if err != nil {
		return nil, err
	}
	info := &Info{Version: InfoVersion, Kind: kind, Strategy: strategy, Command: command, Config: string(y), Budget: budget, Table: t.Name}
	undo, err := startTableRun(dir, info, prepareRunDir)
	if err != nil {
		return nil, err
	}
	sum, err := tableSearch(ctx, p, cfg, s, budget, dir, command, start)
	if err != nil {
		undo()
		return nil, err
	}
	return sum, nil
}

// tableSearch runs s into dir, whose run.json is written.
func tableSearch(ctx context.Context, p *table.Problem, cfg configs.Config, s table.Strategy, budget int, dir, command string, start time.Time) (*TableSummary, error) {
	t := p.Table
	objs := cfg.Objective.Minimize
	r, err := p.Run(ctx, s, cfg.Seed, budget)
	if err != nil {
		return nil, err
	}
	if err := writeRecords(filepath.Join(dir, EvaluationsFile), r.Records); err != nil {
		return nil, err
	}
	inc := r.Incumbent
	row, _ := t.Index(inc.Genome)
	observed := inc.Fitness
	if t.Maximize() {
		observed = 1 - observed
	}
	sum := &TableSummary{Strategy: s.Name, Config: cfg.Name, Table: t.File, Metric: t.Metric, BestMean: p.Best,
		Seed: cfg.Seed, Evaluations: len(r.Records), Regret: r.Final(), AtBudget: map[int]float64{},
		Incumbent: TableIncumbent{Key: inc.Key, Arch: inc.Arch, Genome: inc.Genome, Observed: observed, Mean: t.Mean(row)},
		Dir:       dir, Command: command}
	for _, n := range table.Checkpoints(budget) {
		sum.AtBudget[n] = r.At(n)
	}
	if len(objs) > 1 {
		front := search.Front(r.Records, objs)
		// A table's records have no test split's metrics, and a loss table
		// no accuracy or R²: the error objective is its value.
		sum.Objectives, sum.Front = objs, frontMembers(front, objs, &dataset.Data{Task: t.Task()})
		if !t.Maximize() {
			for i := range sum.Front {
				sum.Front[i].ValR2, sum.Front[i].ValAcc = nil, nil
			}
		}
		title := fmt.Sprintf("%s on table %s: %d evaluations, Pareto front of %d", cfg.Name, t.Name, len(r.Records), len(front))
		if err := report.FrontPlot(r.Records, front, objs, t.Task(), title, filepath.Join(dir, ParetoFile), filepath.Join(dir, ParetoSVGFile)); err != nil {
			return nil, err
		}
	}
	sum.WallS = time.Since(start).Seconds()
	return sum, writeJSON(filepath.Join(dir, SummaryFile), sum)
}

// startTableRun writes info, the run.json of a run or comparison on a
// table, into dir before anything else, once prepare (prepareRunDir or
// makeOutDir) has made dir. A run.json there of a table run that never
// finished (killed before its summary) is replaced, and its records
// removed: such a run is run again, not resumed. undo takes run.json and
// the records away again, and dir when this made it and nothing else is in
// it: a table run that fails or is interrupted leaves nothing that a
// reader (evonas ui, report, resume) would take for a run, or that would
// stop the same command from running again.
func startTableRun(dir string, info *Info, prepare func(string) error) (undo func(), err error) {
	path := filepath.Join(dir, InfoFile)
	if old, err := ReadInfo(dir); err == nil && old.Table != "" {
		if _, err := os.Stat(filepath.Join(dir, SummaryFile)); errors.Is(err, fs.ErrNotExist) {
			if err := os.Remove(filepath.Join(dir, EvaluationsFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
			if err := os.Remove(path); err != nil {
				return nil, err
			}
		}
	}
	_, err = os.Stat(dir)
	made := errors.Is(err, fs.ErrNotExist)
	records := filepath.Join(dir, EvaluationsFile)
	_, err = os.Stat(records)
	ours := errors.Is(err, fs.ErrNotExist) // records there later are this run's
	if err := prepare(dir); err != nil {
		return nil, err
	}
	if err := writeJSON(path, info); err != nil {
		return nil, err
	}
	return func() {
		if _, err := os.Stat(filepath.Join(dir, SummaryFile)); err == nil {
			return // finished, its report aside
		}
		if ours {
			os.Remove(records)
		}
		os.Remove(path)
		if made {
			os.Remove(dir) // only when empty
		}
	}, nil
}

// writeRecords writes records as JSON lines, atomically: a reader never
// sees part of them.
func writeRecords(path string, recs []fitness.Record) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return model.WriteFileAtomic(path, b.Bytes())
}

// TableComparison is a comparison or sweep on a table: every variant's
// evolution and random search under seeds 1..Seeds.
type TableComparison struct {
	Kind, Title string
	Variants    []Variant
	// Explicit: the variants' search spaces are searched (each inside the
	// table); otherwise every strategy searches the table's whole grid.
	Explicit bool
	// Table is the table, a file or a shipped name; "" for the variants'
	// data.table, which must be the same.
	Table string
	// Configs are the configs the variants came from as given (files or
	// shipped names), which errors name: one a variant, or a sweep's base;
	// nil: the variants' names.
	Configs []string
	Seeds   int
	Budget  int  // 0: the first variant's (RandomEvaluations)
	Workers int  // runs at a time; 0: one per CPU
	Records bool // also write every run's evaluations (<strategy>/seed-N.jsonl)
	Dir     string
	Command string
}

// TableComparisonSummary is summary.json of a comparison on a table.
type TableComparisonSummary struct {
	*table.Comparison
	File    string `json:"file"`
	Command string `json:"command"`
	Title   string `json:"title"` // report.md's
}

// Open opens the comparison's table: Table, else the variants' data.table.
func (c *TableComparison) Open() (*table.Table, error) {
	path := c.Table
	if path == "" {
		path = c.Variants[0].Config.Data.Table
		for _, v := range c.Variants[1:] {
			if v.Config.Data.Table != path {
				return nil, inputf("configs %s and %s use different tables; give --table to compare them on the same", c.Variants[0].Name, v.Name)
			}
		}
	}
	return OpenTable(path)
}

// Run runs the comparison on t (Open) and writes summary.json, report.md
// and the regret curves (curves.png, curves.svg) into c.Dir (default
// runs/<time>-<kind>-<table>).
func (c *TableComparison) Run(ctx context.Context, t *table.Table) (*TableComparisonSummary, error) {
	start := time.Now()
	if c.Seeds < 1 {
		return nil, optionf("seeds", "want at least 1, got %d", c.Seeds)
	}
	if c.Seeds > MaxSeeds {
		return nil, optionf("seeds", "want at most %d, got %d", MaxSeeds, c.Seeds)
	}
	source := func(i int) string {
		switch {
		case c.Kind == KindSweep && len(c.Configs) > 0:
			return c.Configs[0] + " (" + c.Variants[i].Name + ")"
		case i < len(c.Configs):
			return c.Configs[i]
		}
		return c.Variants[i].Name
	}
	p, err := TableProblem(t, c.Variants[0].Config, c.Explicit, source(0))
	if err != nil {
		return nil, err
	}
	if err := p.SetObjectives(c.Variants[0].Config.Objective.Minimize); err != nil {
		return nil, inputf("%s: objective.minimize: %v", source(0), err)
	}
	var strategies []table.Strategy
	for i, v := range c.Variants {
		s := table.Evolution(v.Name, v.Config.Settings())
		if c.Explicit {
			if vs := v.Config.Space(); !reflect.DeepEqual(vs, p.Space) {
				if _, err := TableProblem(t, v.Config, true, source(i)); err != nil {
					return nil, err
				}
				s.Space = &vs
			}
		}
		strategies = append(strategies, s)
	}
	strategies = append(strategies, table.Random())
	budget := c.Budget
	if budget == 0 {
		budget = RandomEvaluations(c.Variants[0].Config, 0)
	}
	if c.Dir == "" {
		c.Dir = filepath.Join("runs", start.Format("20060102-150405")+"-"+c.Kind+"-"+t.Name)
	}
	if _, err := os.Stat(filepath.Join(c.Dir, SummaryFile)); err == nil {
		return nil, inputf("%s already holds a %s; choose another --out", c.Dir, c.Kind)
	}
	if old, err := ReadInfo(c.Dir); err == nil && old.Table == "" {
		return nil, inputf("%s already holds a %s; choose another --out", c.Dir, old.Kind)
	}
	info := &Info{Version: InfoVersion, Kind: c.Kind, Command: c.Command, Seeds: c.Seeds, Budget: budget,
		Title: c.Title + " on table " + t.Name, Table: t.Name}
	for _, v := range c.Variants {
		y, err := v.Config.YAML()
		if err != nil {
			return nil, err
		}
		info.Variants = append(info.Variants, VariantInfo{Name: v.Name, Config: string(y)})
	}
	undo, err := startTableRun(c.Dir, info, makeOutDir)
	if err != nil {
		return nil, err
	}
	sum, err := c.run(ctx, p, strategies, budget, start)
	if err != nil {
		undo()
		return nil, err
	}
	return sum, nil
}

// run runs the comparison into c.Dir, whose run.json is written.
func (c *TableComparison) run(ctx context.Context, p *table.Problem, strategies []table.Strategy, budget int, start time.Time) (*TableComparisonSummary, error) {
	t := p.Table
	var keep func(string, *table.Run) error
	if c.Records {
		keep = func(name string, r *table.Run) error {
			dir := filepath.Join(c.Dir, name)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			return writeRecords(filepath.Join(dir, fmt.Sprintf("seed-%d.jsonl", r.Seed)), r.Records)
		}
	}
	cmp, err := table.Compare(ctx, p, strategies, c.Seeds, budget, c.Workers, keep)
	if err != nil {
		return nil, err
	}
	cmp.WallS = time.Since(start).Seconds()
	sum := &TableComparisonSummary{Comparison: cmp, File: t.File, Command: c.Command, Title: c.Title + " on table " + t.Name}
	b, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := model.WriteFileAtomic(filepath.Join(c.Dir, SummaryFile), append(b, '\n')); err != nil {
		return nil, err
	}
	return sum, WriteTableReport(c.Dir, sum)
}

// WriteTableReport draws a table comparison's regret curves (curves.png,
// curves.svg), a multi-objective one's hypervolume curves (hypervolume.png,
// hypervolume.svg), and writes its report.md into dir.
func WriteTableReport(dir string, sum *TableComparisonSummary) error {
	if err := report.RegretCurves(sum.Comparison, filepath.Join(dir, "curves.png"), filepath.Join(dir, "curves.svg")); err != nil {
		return err
	}
	var md strings.Builder
	report.TableMarkdown(&md, sum.Comparison, sum.Title, sum.Command)
	if sum.Pareto != nil {
		if err := report.Hypervolumes(sum.Pareto, filepath.Join(dir, "hypervolume.png"), filepath.Join(dir, "hypervolume.svg")); err != nil {
			return err
		}
		md.WriteString("\n")
		report.HypervolumeMarkdown(&md, sum.Pareto)
	}
	return model.WriteFileAtomic(filepath.Join(dir, ReportFile), []byte(md.String()))
}

// ReadTableComparison reads the summary.json of a comparison on a table in
// dir; ok is false when dir holds another kind of summary (or none).
func ReadTableComparison(dir string) (sum *TableComparisonSummary, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(dir, SummaryFile))
	if err != nil {
		return nil, false, nil
	}
	var probe struct {
		Table   *string `json:"table"`
		Metric  *string `json:"metric"`
		Repeats *int    `json:"repeats"`
	}
	if json.Unmarshal(b, &probe) != nil || probe.Table == nil || probe.Metric == nil || probe.Repeats == nil {
		return nil, false, nil
	}
	sum = &TableComparisonSummary{Comparison: &table.Comparison{}}
	if err := json.Unmarshal(b, sum); err != nil {
		return nil, true, inputf("%s: not a table comparison's summary: %v", filepath.Join(dir, SummaryFile), err)
	}
	return sum, true, nil
}

// TableBuild is a table of every configuration of a config's discrete
// space, each trained Repeats times (evonas table build).
type TableBuild struct {
	Config configs.Config
	Source string // the config as given, which errors name
	Out    string // the table to write, gzip'd CSV
	table.BuildOptions
}

// Check refuses, before any data is loaded, a build that cannot be made
// (its config names a table, its space is not discrete or has more than
// MaxRows configurations, Out exists) and returns the number of
// configurations.
func (b *TableBuild) Check() (float64, error) {
	if b.Config.Data.Table != "" {
		return 0, inputf("%s: data.table is set; a table is built from a data set (data.name)", b.Source)
	}
	if b.Repeats < 1 {
		return 0, optionf("repeats", "want at least 1, got %d", b.Repeats)
	}
	n, err := b.Config.Space().GridSize()
	if err != nil {
		return 0, inputf("%s: %v (table build needs every gene a list of choices or fixed)", b.Source, err)
	}
	if n > float64(b.MaxRows) {
		return 0, inputf("%s: search_space has %.6g configurations (x %d repeats = %.6g trainings), more than --max-rows %d", b.Source, n, b.Repeats, n*float64(b.Repeats), b.MaxRows)
	}
	if _, err := os.Stat(b.Out); err == nil {
		return 0, inputf("--out %s exists; choose another", b.Out)
	}
	if err := CheckWritable(b.Out); err != nil {
		return 0, inputf("--out %v", err)
	}
	return n, nil
}

// Resuming reports whether the build goes on from the rows of an earlier
// one, in Out + ".partial".
func (b *TableBuild) Resuming() bool {
	_, err := os.Stat(b.Out + ".partial")
	return err == nil
}

// Launch runs the build as evonas table build does: it checks it (Check),
// opens the setup's queue, says on the display what it builds and, after
// each configuration, how far it is, and runs it (Run). The setup's
// command line is not used.
func (b *TableBuild) Launch(ctx context.Context, su Setup) (*table.Table, error) {
	start := time.Now()
	n, err := b.Check()
	if err != nil {
		return nil, err
	}
	q, err := su.OpenQueue(ctx, Workers(b.Config))
	if err != nil {
		return nil, err
	}
	defer q.Close()
	if d := su.Display; d != nil {
		resumed := ""
		if b.Resuming() {
			resumed = " (resuming from " + b.Out + ".partial)"
		}
		d.Say(fmt.Sprintf("building %s: %.0f configurations x %d repeats on %s%s", b.Out, n, b.Repeats, b.Config.Data.Name, resumed))
		b.Progress = func(done, total int) {
			d.Say(fmt.Sprintf("%d/%d configurations (%.0f s)", done, total, time.Since(start).Seconds()))
		}
	}
	return b.Run(ctx, q)
}

// Run trains every configuration Repeats times on the config's data,
// through q when not nil, writes the table to Out (table.Build) and reads
// it back.
func (b *TableBuild) Run(ctx context.Context, q *Queue) (*table.Table, error) {
	cfg := b.Config
	d, err := LoadData(cfg.Data.Name, DataOptionsOf(cfg))
	if err != nil {
		return nil, err
	}
	ev := fitness.NewEvaluator(d, TrainingOf(cfg), cfg.Seed, q.pool(cfg.Workers))
	detach, err := q.attach(ctx, ev, &Search{Config: cfg, Strategy: "table-build", Dir: b.Out}, d.Fingerprint())
	if err != nil {
		return nil, err
	}
	defer detach()
	if err := table.Build(ctx, ev, cfg.Space(), b.Out, b.BuildOptions); err != nil {
		var te *table.Error
		if errors.As(err, &te) { // a partial file of another build
			return nil, &InputError{err}
		}
		return nil, err
	}
	t, err := table.Load(b.Out)
	if err != nil {
		return nil, fmt.Errorf("the table just written does not read back: %w", err)
	}
	return t, nil
}

// SimStrategies are the evolution models to simulate on a table (evonas
// table simulate's --models), each with cfg's settings; the asynchronous
// model runs one island without speciation.
func SimStrategies(models []string, cfg configs.Config) ([]table.SimStrategy, error) {
	var strategies []table.SimStrategy
	for _, m := range models {
		s := cfg.Settings()
		s.Model = strings.TrimSpace(m)
		if s.Model == search.AsyncModel {
			s.Islands, s.Speciation = 1, "none"
		}
		if err := s.Validate(); err != nil {
			return nil, inputf("--models %s: %v", s.Model, err)
		}
		strategies = append(strategies, table.SimStrategy{Name: s.Model, Settings: s})
	}
	return strategies, nil
}

// SimOptions are a simulation of W workers on a table (evonas table
// simulate): every field is used as given.
type SimOptions struct {
	Models     []string // evolution models, the first the reference (SimStrategies)
	Config     string   // the other evolution settings: a config file or a shipped name; "" for the defaults
	Workers    int      // simulated workers
	Seeds      int      // runs per model, under seeds 1..Seeds
	Budget     int      // trainings per run
	Population int      // of every model
	SampleSize int      // members sampled per child (regularized models)
}

// Limits of a simulation's options: each is far past any use, and keeps
// a mistyped value from allocating past memory (--workers 2^63 panicked
// in makeslice).
const (
	MaxSimWorkers = 1 << 16
	MaxSimBudget  = 10_000_000
	MaxSimPop     = 100000 // as a config's population × islands
)

// Check reports the first option out of its range, as an OptionError
// naming it: at least 1 worker, seed and training, a population of 2, a
// sample of 1 to the population, and each at most its limit.
func (o SimOptions) Check() error {
	for _, c := range []struct {
		name   string
		v, min int
		max    int
	}{
		{"workers", o.Workers, 1, MaxSimWorkers},
		{"seeds", o.Seeds, 1, MaxSeeds},
		{"budget", o.Budget, 1, MaxSimBudget},
		{"population", o.Population, 2, MaxSimPop},
		{"sample_size", o.SampleSize, 1, o.Population},
	} {
		if c.v < c.min || c.v > c.max {
			return optionf(c.name, "want %d to %d, got %d", c.min, c.max, c.v)
		}
	}
	return nil
}

// Simulate simulates o's models on t's whole grid with W workers, each
// evaluation taking the table's train_s (table.Simulate). A table without
// train_s columns is an InputError, an option out of range an OptionError
// (SimOptions.Check).
func Simulate(ctx context.Context, t *table.Table, o SimOptions) (*table.Simulation, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	if !t.HasTrainSeconds() {
		return nil, inputf("table %s has no train_s columns: a simulation needs each repeat's training time", t.Name)
	}
	cfg := configs.Default()
	if o.Config != "" {
		var err error
		if cfg, err = configs.LoadNamed(o.Config); err != nil {
			return nil, err
		}
	}
	cfg.Evolution.Population, cfg.Evolution.SampleSize = o.Population, o.SampleSize
	strategies, err := SimStrategies(o.Models, cfg)
	if err != nil {
		return nil, err
	}
	p, err := table.NewProblem(t, t.Space())
	if err != nil {
		return nil, err
	}
	return table.Simulate(ctx, p, strategies, o.Seeds, o.Budget, o.Workers)
}
