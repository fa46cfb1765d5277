package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/queue"
	"github.com/evonas/evonas/search"
)

func evolveCommand() *cli.Command {
	return &cli.Command{
		Name:  "evolve",
		Usage: "search for the best architecture with a genetic algorithm",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "config", Value: "default", Usage: "run config: a YAML file or a shipped config (" + strings.Join(configs.Embedded(), ", ") + ")"},
			&cli.StringFlag{Name: "data", Usage: "built-in data set or CSV file (overrides data.name)"},
			&cli.IntFlag{Name: "population", DefaultText: "the config's", Usage: "individuals per island (overrides evolution.population)"},
			&cli.IntFlag{Name: "generations", DefaultText: "the config's", Usage: "generations after the initial population (overrides evolution.generations)"},
			&cli.IntFlag{Name: "budget", DefaultText: "the config's", Usage: "stop after the generation in which the trainings reach N, so up to a population more (overrides budget.evaluations)"},
			&cli.Uint64Flag{Name: "seed", DefaultText: "the config's", Usage: "run seed (overrides seed)"},
			&cli.IntFlag{Name: "workers", DefaultText: "the config's", Usage: "concurrent trainings, 0 for one per CPU (overrides workers)"},
			&cli.StringFlag{Name: "out", Usage: "run directory (default: runs/<time>-<config name>)"},
			&cli.BoolFlag{Name: "json", Usage: "print summary.json instead of the table"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but the result"},
		}, append(csvFlags(), queueFlags()...)...),
		Before: noArgs,
		Action: runEvolve,
	}
}

// loadConfig reads --config and applies the flags that override it.
func loadConfig(c *cli.Context) (configs.Config, error) {
	cfg, err := configs.LoadNamed(c.String("config"))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return cfg, usageError{err}
		}
		return cfg, err
	}
	overrides := []struct{ flag, key string }{
		{"data", "data.name"},
		{"population", "evolution.population"},
		{"generations", "evolution.generations"},
		{"budget", "budget.evaluations"},
		{"seed", "seed"},
		{"workers", "workers"},
	}
	if c.IsSet("data") && c.String("data") != cfg.Data.Name {
		// The config's size and noise described its own data set.
		cfg.Data.Rows, cfg.Data.Noise = 0, 0
	}
	for _, o := range overrides {
		if c.IsSet(o.flag) {
			if err := configs.Set(&cfg, o.key, c.String(o.flag)); err != nil {
				return cfg, usagef("--%s: %v", o.flag, err)
			}
		}
	}
	if err := applyCSVFlags(c, &cfg); err != nil {
		return cfg, err
	}
	if err := cfg.Validate(); err != nil {
		var set []string
		for _, o := range overrides {
			if c.IsSet(o.flag) {
				set = append(set, "--"+o.flag+" "+c.String(o.flag))
			}
		}
		if len(set) > 0 {
			return cfg, fmt.Errorf("%w (with %s)", err, strings.Join(set, ", "))
		}
		return cfg, err
	}
	return cfg, nil
}

// summary is summary.json.
type summary struct {
	Strategy     string        `json:"strategy"`
	Config       string        `json:"config"`
	Data         string        `json:"data"`
	Task         string        `json:"task"`
	Seed         uint64        `json:"seed"`
	Workers      int           `json:"workers"`
	Evaluations  int           `json:"evaluations"` // trainings
	CacheHits    int           `json:"cache_hits"`
	Generations  int           `json:"generations"`
	Stop         string        `json:"stop"`
	WallS        float64       `json:"wall_s"`
	TrainSamples int64         `json:"train_samples"`
	Best         bestSummary   `json:"best"`
	HallOfFame   []bestSummary `json:"hall_of_fame"`
	Dir          string        `json:"dir"`
}

type bestSummary struct {
	Arch    string   `json:"arch"`
	Key     string   `json:"key"`
	Genome  any      `json:"genome"`
	Params  int      `json:"params"`
	Fitness *float64 `json:"fitness"`
	Status  string   `json:"status"`
	Seed    uint64   `json:"seed"`
	ValAcc  *float64 `json:"val_acc,omitempty"`
	TestAcc *float64 `json:"test_acc,omitempty"`
	ValR2   *float64 `json:"val_r2,omitempty"`
	TestR2  *float64 `json:"test_r2,omitempty"`
}

func bestOf(r fitness.Record, task dataset.Task) bestSummary {
	b := bestSummary{Arch: r.Arch, Key: r.Key, Genome: r.Genome, Params: r.Params, Fitness: finite(r.Fitness), Status: string(r.Status), Seed: r.Seed}
	if task == dataset.Regression {
		b.ValR2, b.TestR2 = &r.Val.R2, &r.Test.R2
	} else {
		b.ValAcc, b.TestAcc = &r.Val.Acc, &r.Test.Acc
	}
	return b
}

func runEvolve(c *cli.Context) error {
	return runStrategy(c, "ga", 0)
}

// runStrategy is the evolve and random commands: one search into a run
// directory, a table of the best architectures or summary.json.
func runStrategy(c *cli.Context, strategy string, evaluations int) error {
	start := time.Now()
	cfg, err := loadConfig(c)
	if err != nil {
		return err
	}
	if err := checkQueueFidelity(c, cfg); err != nil {
		return err
	}
	dir := c.String("out")
	if dir == "" {
		name := cfg.Name
		if strategy == "random" {
			name += "-random"
		}
		dir = filepath.Join("runs", start.Format("20060102-150405")+"-"+name)
	}
	d, err := loadData(cfg.Data.Name, dataOptionsOf(cfg))
	if err != nil {
		return err
	}
	q, err := openQueue(c, workersOf(cfg))
	if err != nil {
		return err
	}
	defer q.close()
	if err := prepareRunDir(dir); err != nil {
		return err
	}
	run := &searchRun{cfg: cfg, strategy: strategy, evaluations: evaluations, data: d, dir: dir, saveBest: true, start: start, queue: q}
	kind := map[string]string{"ga": "evolve", "random": "random"}[strategy]
	ycfg, err := cfg.YAML()
	if err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(dir, "run.json"), runInfo{Version: runInfoVersion, Kind: kind, Strategy: strategy,
		Evaluations: evaluations, Data: d.Fingerprint(), Command: commandLine(c), Config: string(ycfg)}); err != nil {
		return err
	}
	return finishStrategy(c, run)
}

// finishStrategy runs a search (new or resumed) with progress on stderr and
// prints its result.
func finishStrategy(c *cli.Context, run *searchRun) error {
	d, dir := run.data, run.dir
	quiet := c.Bool("quiet") || c.Bool("json")
	switch {
	case quiet:
	case isTerminal(c.App.ErrWriter):
		run.bar = newBar(c.App.ErrWriter, run.expected())
	default:
		run.progress = c.App.ErrWriter
		verb := map[string]string{"ga": "evolving", "random": "random search"}[run.strategy]
		if run.resume {
			verb = "resuming " + verb
		}
		fmt.Fprintf(c.App.ErrWriter, "%s on %s (%s, %d train rows) with %d workers; run directory %s\n",
			verb, d.Name, d.Task, d.Train.N, workersOf(run.cfg), dir)
	}
	sum, res, err := run.execute(c.Context)
	if run.bar != nil {
		run.bar.Finish()
		fmt.Fprintln(c.App.ErrWriter)
	}
	if err != nil {
		if c.Context.Err() != nil {
			return interruptedRun(c, dir)
		}
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
	printBest(c, *sum, res, d.Task, dir)
	return nil
}

// interrupted is a run stopped by a signal: what was done is in its
// directory, and the message says how to go on.
type interrupted struct {
	dir   string
	flags string // flags the resume needs again, such as --queue
	err   error
}

// interruptedRun is the interruption of the run in dir.
func interruptedRun(c *cli.Context, dir string) interrupted {
	e := interrupted{dir: dir, err: c.Context.Err()}
	if q := c.String("queue"); q != "" {
		e.flags = "--queue " + queue.Redact(q) + " "
	}
	return e
}

func (e interrupted) Error() string {
	return fmt.Sprintf("interrupted; every finished evaluation is saved, continue with: evonas resume %s%s", e.flags, e.dir)
}

func (e interrupted) Unwrap() error { return e.err }

func printBest(c *cli.Context, sum summary, res *search.Result, task dataset.Task, dir string) {
	w := c.App.Writer
	fmt.Fprintf(w, "%d trainings and %d cache hits over %d generations in %.1f s; stopped: %s\n",
		sum.Evaluations, sum.CacheHits, sum.Generations, sum.WallS, sum.Stop)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if task == dataset.Regression {
		fmt.Fprintln(tw, "RANK\tARCHITECTURE\tLR\tBATCH\tPARAMS\tVAL R²\tTEST R²\tFITNESS")
	} else {
		fmt.Fprintln(tw, "RANK\tARCHITECTURE\tLR\tBATCH\tPARAMS\tVAL ACC\tTEST ACC\tFITNESS")
	}
	for i, r := range res.Best {
		v, t := r.Val.Acc, r.Test.Acc
		if task == dataset.Regression {
			v, t = r.Val.R2, r.Test.R2
		}
		fit := "failed"
		if !math.IsInf(r.Fitness, 0) {
			fit = strconv.FormatFloat(r.Fitness, 'f', 4, 64)
		}
		fmt.Fprintf(tw, "%d\t%s\t%.3g\t%d\t%d\t%.4f\t%.4f\t%s\n", i+1, r.Arch, r.Genome.LR, r.Genome.Batch, r.Params, v, t, fit)
	}
	tw.Flush()
	fmt.Fprintf(w, "run directory: %s (best.json, summary.json, evaluations.jsonl, generations.jsonl, config.yaml, run.json, checkpoint.json)\n", dir)
	fmt.Fprintf(w, "predict with: evonas predict --model %s --data FILE.csv\n", filepath.Join(dir, "best.json"))
}

// prepareRunDir creates a run directory, refusing one that already holds a
// run, and checks it can be written before any training starts. Its parent
// must exist, but for the default runs/ directory.
func prepareRunDir(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, "run.json")); err == nil {
		return usagef("run directory %s already holds a run; choose another --out, or continue it with evonas resume %s", dir, dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "evaluations.jsonl")); err == nil {
		return usagef("run directory %s already holds a run; choose another --out", dir)
	}
	return makeOutDir(dir)
}

// makeOutDir creates an output directory whose parent exists (runs/, the
// default parent, is created) and checks that it can be written.
func makeOutDir(dir string) error {
	parent := filepath.Dir(filepath.Clean(dir))
	if parent == "runs" {
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return usagef("output directory %s: %v", dir, errors.Unwrap(err))
		}
	}
	if st, err := os.Stat(parent); err != nil {
		return usagef("output directory %s: parent directory %s does not exist", dir, parent)
	} else if !st.IsDir() {
		return usagef("output directory %s: %s is not a directory", dir, parent)
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return usagef("output directory %s: %v", dir, errors.Unwrap(err))
	}
	return checkWritable(filepath.Join(dir, "summary.json"))
}

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
