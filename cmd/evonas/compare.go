package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/report"
	"github.com/evonas/evonas/search"
)

func compareFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.IntFlag{Name: "seeds", Value: 10, Usage: "run every strategy under seeds 1..N"},
		&cli.IntFlag{Name: "budget", DefaultText: "the first config's budget, else population x islands x (generations + 1)", Usage: "trainings per run"},
		&cli.StringFlag{Name: "data", Usage: "built-in data set or CSV file for every strategy (overrides data.name)"},
		&cli.IntFlag{Name: "workers", DefaultText: "the config's", Usage: "concurrent trainings, 0 for one per CPU (overrides workers)"},
		&cli.StringFlag{Name: "out", Usage: "output directory (default: runs/<time>-compare)"},
		&cli.BoolFlag{Name: "json", Usage: "print summary.json instead of the table"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but the result"},
	}, append(csvFlags(), queueFlags()...)...)
}

func compareCommand() *cli.Command {
	return &cli.Command{
		Name:  "compare",
		Usage: "compare evolution configs with random search over several seeds, with statistical tests and plots",
		Flags: append([]cli.Flag{
			&cli.StringSliceFlag{Name: "config", Usage: "a config to compare (a file or a shipped name); repeat for several (default: default)"},
		}, compareFlags()...),
		Before: noArgs,
		Action: func(c *cli.Context) error {
			names := c.StringSlice("config")
			if len(names) == 0 {
				names = []string{"default"}
			}
			var variants []variant
			for _, n := range names {
				cfg, err := configs.LoadNamed(n)
				if err != nil {
					return err
				}
				variants = append(variants, variant{name: cfg.Name, cfg: cfg})
			}
			return runComparison(c, variants, "compare", "Comparison", nil)
		},
	}
}

// variant is one strategy of a comparison: a config to evolve with.
type variant struct {
	name string
	cfg  configs.Config
}

// comparisonSummary is a comparison's summary.json.
type comparisonSummary struct {
	*search.Comparison
	Seeds   int      `json:"seeds"`
	Data    string   `json:"data"`
	Command string   `json:"command"`
	WallS   float64  `json:"wall_s"`
	Ranking []string `json:"ranking,omitempty"` // sweep: variants by median final test metric, best first
}

// runComparison runs every variant's evolution and random search under
// seeds 1..K with the same budget, then analyses, plots and reports. With
// resumed set it continues the comparison in resumed.dir: finished runs
// replay from their logs, unfinished ones resume, missing ones start.
func runComparison(c *cli.Context, variants []variant, kind, title string, resumed *resumedComparison) error {
	start := time.Now()
	seeds := c.Int("seeds")
	if resumed != nil {
		seeds = resumed.info.Seeds
	}
	if seeds < 1 {
		return usagef("--seeds: want at least 1, got %d", seeds)
	}
	// Flag overrides apply to every variant, then each must validate.
	names := map[string]int{}
	for i := range variants {
		v := &variants[i]
		if c.IsSet("data") && c.String("data") != v.cfg.Data.Name {
			v.cfg.Data.Rows, v.cfg.Data.Noise = 0, 0
		}
		for _, o := range []struct{ flag, key string }{{"data", "data.name"}, {"workers", "workers"}} {
			if c.IsSet(o.flag) {
				if err := configs.Set(&v.cfg, o.key, c.String(o.flag)); err != nil {
					return usagef("--%s: %v", o.flag, err)
				}
			}
		}
		if err := applyCSVFlags(c, &v.cfg); err != nil {
			return err
		}
		if err := v.cfg.Validate(); err != nil {
			return err
		}
		if err := checkQueueFidelity(c, v.cfg); err != nil {
			return err
		}
		if v.name == search.Baseline {
			v.name = "random-config"
		}
		if n := names[v.name]; n > 0 {
			v.name = fmt.Sprintf("%s-%d", v.name, n+1)
		}
		names[v.name]++
	}
	first := variants[0].cfg
	for _, v := range variants[1:] {
		if v.cfg.Data != first.Data {
			return usagef("configs %s and %s use different data; give --data to compare them on the same", variants[0].name, v.name)
		}
	}
	budget := c.Int("budget")
	if c.IsSet("budget") && budget < 1 {
		return usagef("--budget: want at least 1, got %d", budget)
	}
	if budget == 0 {
		budget = (&searchRun{cfg: first, strategy: "random"}).randomEvaluations()
	}
	// The data of the first seed before any directory: a bad file leaves
	// nothing behind.
	dataOf := func(seed int) (*dataset.Data, error) {
		dcfg := first
		dcfg.Seed = uint64(seed)
		return loadData(dcfg.Data.Name, dataOptionsOf(dcfg))
	}
	firstData, err := dataOf(1)
	if err != nil {
		return err
	}
	q, err := openQueue(c, workersOf(first))
	if err != nil {
		return err
	}
	defer q.close()
	out := c.String("out")
	command := commandLine(c)
	if resumed != nil {
		out, budget, command = resumed.dir, resumed.info.Budget, resumed.info.Command
	} else {
		if out == "" {
			out = filepath.Join("runs", start.Format("20060102-150405")+"-"+kind)
		}
		if _, err := os.Stat(filepath.Join(out, "run.json")); err == nil {
			return usagef("%s already holds a %s; choose another --out, or continue it with evonas resume %s", out, kind, out)
		}
		if err := makeOutDir(out); err != nil {
			return err
		}
		info := runInfo{Version: runInfoVersion, Kind: kind, Command: command, Seeds: seeds, Budget: budget, Title: title}
		for _, v := range variants {
			y, err := v.cfg.YAML()
			if err != nil {
				return err
			}
			info.Variants = append(info.Variants, variantInfo{Name: v.name, Config: string(y)})
		}
		if err := writeJSON(filepath.Join(out, "run.json"), info); err != nil {
			return err
		}
	}

	strategies := append(append([]variant(nil), variants...), variant{name: search.Baseline, cfg: first})
	quiet := c.Bool("quiet") || c.Bool("json")
	var run0 searchRun
	if !quiet && isTerminal(c.App.ErrWriter) {
		run0.bar = newBar(c.App.ErrWriter, seeds*len(strategies)*budget)
	} else if !quiet {
		run0.progress = c.App.ErrWriter
	}
	runs := make([]search.StrategyRuns, len(strategies))
	for i, s := range strategies {
		runs[i].Name = s.name
	}
	var task dataset.Task
	for seed := 1; seed <= seeds; seed++ {
		// Every strategy of a seed sees the same split: the data seed is the run seed.
		d := firstData
		if seed > 1 {
			if d, err = dataOf(seed); err != nil {
				return err
			}
		}
		task = d.Task
		for i, s := range strategies {
			cfg := s.cfg
			cfg.Seed = uint64(seed)
			cfg.Budget.Evaluations = budget
			strategy := "ga"
			if s.name == search.Baseline {
				strategy = "random"
			} else {
				// Enough generations to spend the budget; the budget stops it.
				per := cfg.Evolution.Population * cfg.Evolution.Islands
				cfg.Evolution.Generations = max(cfg.Evolution.Generations, 20*((budget+per-1)/per))
			}
			dir := filepath.Join(out, s.name, fmt.Sprintf("seed-%d", seed))
			_, statErr := os.Stat(filepath.Join(dir, "evaluations.jsonl"))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			r := &searchRun{cfg: cfg, strategy: strategy, evaluations: budget, data: d, dir: dir, keep: true, start: time.Now(),
				bar: run0.bar, progress: run0.progress, resume: resumed != nil && statErr == nil, queue: q}
			if r.progress != nil {
				fmt.Fprintf(r.progress, "%s, seed %d\n", s.name, seed)
			}
			if _, _, err := r.execute(c.Context); err != nil {
				if c.Context.Err() != nil {
					return interruptedRun(c, out)
				}
				return err
			}
			runs[i].Runs = append(runs[i].Runs, search.Run{Seed: uint64(seed), Records: r.records})
		}
	}
	if run0.bar != nil {
		run0.bar.Finish()
		fmt.Fprintln(c.App.ErrWriter)
	}
	cmp, err := search.Analyze(runs, budget, task)
	if err != nil {
		return err
	}
	sum := comparisonSummary{Comparison: cmp, Seeds: seeds, Data: first.Data.Name, Command: command, WallS: time.Since(start).Seconds()}
	if kind == "sweep" {
		sum.Ranking = rank(cmp)
	}
	return writeComparison(c, out, sum, title)
}

// writeComparison writes summary.json, the plots and report.md, and prints
// the table or summary.json.
func writeComparison(c *cli.Context, out string, sum comparisonSummary, title string) error {
	b, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return err
	}
	if err := model.WriteFileAtomic(filepath.Join(out, "summary.json"), append(b, '\n')); err != nil {
		return err
	}
	if err := report.Curves(sum.Comparison, filepath.Join(out, "curves.png"), filepath.Join(out, "curves.svg")); err != nil {
		return err
	}
	if err := report.Boxes(sum.Comparison, filepath.Join(out, "final.png")); err != nil {
		return err
	}
	var md strings.Builder
	report.Markdown(&md, sum.Comparison, title, sum.Command)
	if len(sum.Ranking) > 0 {
		md.WriteString("\n## Ranking\n\nVariants by median final test " + sum.MetricName + ":\n\n")
		for _, r := range sum.Ranking {
			md.WriteString(r + "\n")
		}
		md.WriteString("\n\"Beats random\" marks a two-sided Mann-Whitney U test against random search with p < 0.05 on final test " + sum.MetricName + ", one test per variant, not corrected for their number. Random search samples the first variant's search space with the first variant's training settings.\n")
	}
	if err := model.WriteFileAtomic(filepath.Join(out, "report.md"), []byte(md.String())); err != nil {
		return err
	}
	if c.Bool("json") {
		_, err := c.App.Writer.Write(append(b, '\n'))
		return err
	}
	report.Table(c.App.Writer, sum.Comparison)
	for _, r := range sum.Ranking {
		fmt.Fprintln(c.App.Writer, r)
	}
	fmt.Fprintf(c.App.Writer, "report: %s\n", filepath.Join(out, "report.md"))
	return nil
}

// commandLine is the command as typed, to reproduce a report.
func commandLine(c *cli.Context) string {
	args, _ := c.App.Metadata["args"].([]string)
	quoted := make([]string, len(args))
	for i, a := range args {
		if i == 0 {
			a = "evonas"
		}
		if strings.ContainsAny(a, " \t'\"$;&|<>*?()") || a == "" {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		quoted[i] = a
	}
	return strings.Join(quoted, " ")
}

// resumedComparison is a comparison being resumed.
type resumedComparison struct {
	dir  string
	info *runInfo
}

// resumeComparison continues a compare or sweep from its run.json.
func resumeComparison(c *cli.Context, dir string, ri *runInfo) error {
	if c.IsSet("generations") || c.IsSet("budget") || c.IsSet("evaluations") || len(c.StringSlice("set")) > 0 {
		return usagef("resume %s: a %s keeps its budget and settings; only --workers, --quiet and --json apply", dir, ri.Kind)
	}
	var variants []variant
	for _, v := range ri.Variants {
		cfg, err := configs.Parse([]byte(v.Config), filepath.Join(dir, "run.json")+" ("+v.Name+")")
		if err != nil {
			return err
		}
		if c.IsSet("workers") {
			if err := configs.Set(&cfg, "workers", c.String("workers")); err != nil {
				return usagef("--workers: %v", err)
			}
		}
		variants = append(variants, variant{name: v.Name, cfg: cfg})
	}
	if len(variants) == 0 {
		return usagef("%s: run.json lists no strategies", dir)
	}
	return runComparison(c, variants, ri.Kind, ri.Title, &resumedComparison{dir: dir, info: ri})
}
