package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/report"
	"github.com/evonas/evonas/table"
)

// Searches on tabular benchmarks: evolve, random, compare and sweep with
// --table (or a config's data.table) look candidates up in a table instead
// of training them.

func tableFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "table", Usage: "tabular benchmark to look candidates up in instead of training: a CSV file, maybe gzip'd, or a shipped table (" + strings.Join(table.Builtin(), ", ") + ") (overrides data.table)"},
		&cli.BoolFlag{Name: "records", Usage: "table comparisons: also write every run's evaluations (<strategy>/seed-N.jsonl); by default only the summary"},
		&cli.BoolFlag{Name: "table-grid", Usage: "search the table's whole grid, taking only the configs' evolution settings (their search_space is ignored)"},
	}
}

// tableOf returns the table a command runs on: --table, else the config's
// data.table, else "".
func tableOf(c *cli.Context, cfg configs.Config) string {
	if t := c.String("table"); t != "" {
		return t
	}
	return cfg.Data.Table
}

// loadTable reads a table file or a shipped table; a malformed table is
// a usage error (exit status 2).
func loadTable(path string) (*table.Table, error) {
	t, err := table.Open(path)
	var te *table.Error
	if errors.As(err, &te) {
		return nil, usageError{err}
	}
	return t, err
}

// tableRunChecks refuses the flags that mean training.
func tableRunChecks(c *cli.Context) error {
	for _, f := range []string{"data", "queue"} {
		if c.IsSet(f) {
			return usagef("--%s: a table run trains nothing (drop --%s or --table)", f, f)
		}
	}
	return nil
}

// tableProblem is the problem of searching cfg's space on t, or t's grid
// when the space is not explicit (no --config). A space outside the grid
// is refused naming the config, the key and the table's values.
func tableProblem(t *table.Table, cfg configs.Config, explicit bool, source string) (*table.Problem, error) {
	space := t.Space()
	if explicit {
		space = cfg.Space()
	}
	p, err := table.NewProblem(t, space)
	if err != nil {
		return nil, usagef("%s: %v", source, err)
	}
	return p, nil
}

// tableSummary is summary.json of an evolve or random run on a table.
type tableSummary struct {
	Strategy    string          `json:"strategy"`
	Config      string          `json:"config"`
	Table       string          `json:"table"`
	Metric      string          `json:"metric"`
	BestMean    float64         `json:"best_mean"`
	Seed        uint64          `json:"seed"`
	Evaluations int             `json:"evaluations"`
	Regret      float64         `json:"regret"` // the incumbent's, after the last evaluation
	Incumbent   tableIncumbent  `json:"incumbent"`
	AtBudget    map[int]float64 `json:"regret_at"` // regret after n evaluations
	WallS       float64         `json:"wall_s"`
	Dir         string          `json:"dir"`
	Command     string          `json:"command"`
}

type tableIncumbent struct {
	Key      string        `json:"key"`
	Arch     string        `json:"arch"`
	Genome   genome.Genome `json:"genome"`
	Observed float64       `json:"observed"` // the metric as first observed
	Mean     float64       `json:"mean"`     // over the table's repeats
}

// runTableStrategy is evolve or random on a table: one run, its records
// and summary in a run directory.
func runTableStrategy(c *cli.Context, cfg configs.Config, strategy string, evaluations int) error {
	start := time.Now()
	if err := tableRunChecks(c); err != nil {
		return err
	}
	t, err := loadTable(tableOf(c, cfg))
	if err != nil {
		return err
	}
	p, err := tableProblem(t, cfg, c.IsSet("config") && !c.Bool("table-grid"), c.String("config"))
	if err != nil {
		return err
	}
	budget := evaluations
	if budget == 0 {
		budget = (&searchRun{cfg: cfg, strategy: "random"}).randomEvaluations()
	}
	s := table.Evolution(cfg.Name, cfg.Settings())
	if strategy == "random" {
		s = table.Random()
	}
	run, err := p.Run(c.Context, s, cfg.Seed, budget)
	if err != nil {
		if c.Context.Err() != nil {
			return fmt.Errorf("interrupted; a table run takes seconds: run it again")
		}
		return err
	}
	dir := c.String("out")
	if dir == "" {
		dir = filepath.Join("runs", start.Format("20060102-150405")+"-"+cfg.Name+"-"+s.Name+"-"+t.Name)
	}
	if err := prepareRunDir(dir); err != nil {
		return err
	}
	if err := writeRecords(filepath.Join(dir, "evaluations.jsonl"), run.Records); err != nil {
		return err
	}
	inc := run.Incumbent
	row, _ := t.Index(inc.Genome)
	sum := tableSummary{Strategy: s.Name, Config: cfg.Name, Table: tableOf(c, cfg), Metric: t.Metric, BestMean: p.Best,
		Seed: cfg.Seed, Evaluations: len(run.Records), Regret: run.Final(), AtBudget: map[int]float64{},
		Incumbent: tableIncumbent{Key: inc.Key, Arch: inc.Arch, Genome: inc.Genome, Observed: observed(t, inc), Mean: t.Mean(row)},
		WallS:     time.Since(start).Seconds(), Dir: dir, Command: commandLine(c)}
	for _, n := range table.Checkpoints(budget) {
		sum.AtBudget[n] = run.At(n)
	}
	if err := writeJSON(filepath.Join(dir, "summary.json"), sum); err != nil {
		return err
	}
	if c.Bool("json") {
		b, err := json.MarshalIndent(sum, "", "  ")
		if err != nil {
			return err
		}
		_, err = c.App.Writer.Write(append(b, '\n'))
		return err
	}
	w := c.App.Writer
	fmt.Fprintf(w, "%s on table %s: %d evaluations in %.2f s\n", s.Name, t.Name, sum.Evaluations, sum.WallS)
	fmt.Fprintf(w, "incumbent %s (lr %g, batch %d): %s observed %.6g, mean %.6g; best mean %.6g; regret %.6g\n",
		inc.Arch, inc.Genome.LR, inc.Genome.Batch, t.Metric, sum.Incumbent.Observed, sum.Incumbent.Mean, p.Best, sum.Regret)
	fmt.Fprintf(w, "run directory: %s\n", dir)
	return nil
}

// observed is the metric value a record observed.
func observed(t *table.Table, r fitness.Record) float64 {
	if t.Maximize() {
		return 1 - r.Fitness
	}
	return r.Fitness
}

// writeRecords writes records as JSON lines.
func writeRecords(path string, recs []fitness.Record) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// tableComparisonSummary is summary.json of a comparison on a table.
type tableComparisonSummary struct {
	*table.Comparison
	File    string  `json:"file"`
	Command string  `json:"command"`
	WallS   float64 `json:"wall_s"`
}

// runTableComparison is compare or sweep on a table: every variant's
// evolution and random search under seeds 1..N, summarized by regret.
// explicit says whether the variants' search space was given (a config);
// otherwise every strategy searches the table's grid.
func runTableComparison(c *cli.Context, variants []variant, explicit bool, kind, title string) error {
	start := time.Now()
	if err := tableRunChecks(c); err != nil {
		return err
	}
	path := tableOf(c, variants[0].cfg)
	for _, v := range variants[1:] {
		if tableOf(c, v.cfg) != path {
			return usagef("configs %s and %s use different tables; give --table to compare them on the same", variants[0].name, v.name)
		}
	}
	seeds := c.Int("seeds")
	if seeds < 1 {
		return usagef("--seeds: want at least 1, got %d", seeds)
	}
	budget := c.Int("budget")
	if c.IsSet("budget") && budget < 1 {
		return usagef("--budget: want at least 1, got %d", budget)
	}
	if budget == 0 {
		budget = (&searchRun{cfg: variants[0].cfg, strategy: "random"}).randomEvaluations()
	}
	t, err := loadTable(path)
	if err != nil {
		return err
	}
	explicit = explicit && !c.Bool("table-grid")
	// Errors name the config file a variant came from.
	source := func(i int) string {
		if files := c.StringSlice("config"); kind == "compare" && i < len(files) {
			return files[i]
		}
		if kind == "sweep" {
			return c.String("config") + " (" + variants[i].name + ")"
		}
		return variants[i].name
	}
	p, err := tableProblem(t, variants[0].cfg, explicit, source(0))
	if err != nil {
		return err
	}
	if err := p.SetObjectives(variants[0].cfg.Objective.Minimize); err != nil {
		return usagef("%s: objective.minimize: %v", source(0), err)
	}
	var strategies []table.Strategy
	for i, v := range variants {
		s := table.Evolution(v.name, v.cfg.Settings())
		if explicit {
			if vs := v.cfg.Space(); !reflect.DeepEqual(vs, p.Space) {
				if _, err := tableProblem(t, v.cfg, true, source(i)); err != nil {
					return err
				}
				s.Space = &vs
			}
		}
		strategies = append(strategies, s)
	}
	strategies = append(strategies, table.Random())
	out := c.String("out")
	if out == "" {
		out = filepath.Join("runs", start.Format("20060102-150405")+"-"+kind+"-"+t.Name)
	}
	if _, err := os.Stat(filepath.Join(out, "summary.json")); err == nil {
		return usagef("%s already holds a %s; choose another --out", out, kind)
	}
	if err := makeOutDir(out); err != nil {
		return err
	}
	var keep func(string, *table.Run) error
	if c.Bool("records") {
		keep = func(name string, r *table.Run) error {
			dir := filepath.Join(out, name)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			return writeRecords(filepath.Join(dir, fmt.Sprintf("seed-%d.jsonl", r.Seed)), r.Records)
		}
	}
	workers := 0
	if c.IsSet("workers") {
		workers = c.Int("workers")
	}
	cmp, err := table.Compare(c.Context, p, strategies, seeds, budget, workers, keep)
	if err != nil {
		if c.Context.Err() != nil {
			return fmt.Errorf("interrupted; a table comparison takes seconds: run it again")
		}
		return err
	}
	cmp.WallS = time.Since(start).Seconds()
	sum := tableComparisonSummary{Comparison: cmp, File: path, Command: commandLine(c), WallS: cmp.WallS}
	b, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return err
	}
	if err := model.WriteFileAtomic(filepath.Join(out, "summary.json"), append(b, '\n')); err != nil {
		return err
	}
	if err := report.RegretCurves(cmp, filepath.Join(out, "curves.png"), filepath.Join(out, "curves.svg")); err != nil {
		return err
	}
	var md strings.Builder
	report.TableMarkdown(&md, cmp, title+" on table "+t.Name, sum.Command)
	if cmp.Pareto != nil {
		if err := report.Hypervolumes(cmp.Pareto, filepath.Join(out, "hypervolume.png"), filepath.Join(out, "hypervolume.svg")); err != nil {
			return err
		}
		md.WriteString("\n")
		report.HypervolumeMarkdown(&md, cmp.Pareto)
	}
	if err := model.WriteFileAtomic(filepath.Join(out, "report.md"), []byte(md.String())); err != nil {
		return err
	}
	if c.Bool("json") {
		_, err := c.App.Writer.Write(append(b, '\n'))
		return err
	}
	report.TableText(c.App.Writer, cmp)
	if cmp.Pareto != nil {
		report.HypervolumeText(c.App.Writer, cmp.Pareto)
	}
	fmt.Fprintf(c.App.Writer, "report: %s (%.1f s)\n", filepath.Join(out, "report.md"), cmp.WallS)
	return nil
}
