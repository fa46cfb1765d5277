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

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/search"
)

func evolveCommand() *cli.Command {
	return &cli.Command{
		Name:  "evolve",
		Usage: "search for the best architecture with a genetic algorithm",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "config", Value: "default", Usage: "run config: a YAML file or a shipped config (" + strings.Join(configs.Embedded(), ", ") + ")"},
			&cli.StringFlag{Name: "data", Usage: "built-in data set or CSV file (overrides data.name)"},
			&cli.IntFlag{Name: "population", Usage: "individuals per island (overrides evolution.population)"},
			&cli.IntFlag{Name: "generations", Usage: "generations after the initial population (overrides evolution.generations)"},
			&cli.IntFlag{Name: "budget", Usage: "stop after this many trainings (overrides budget.evaluations)"},
			&cli.Uint64Flag{Name: "seed", Usage: "run seed (overrides seed)"},
			&cli.IntFlag{Name: "workers", Usage: "concurrent trainings, 0 for one per CPU (overrides workers)"},
			&cli.StringFlag{Name: "out", Usage: "run directory (default: runs/<time>-<config name>)"},
			&cli.BoolFlag{Name: "json", Usage: "print summary.json instead of the table"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but the result"},
		},
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
	for _, o := range overrides {
		if c.IsSet(o.flag) {
			if err := configs.Set(&cfg, o.key, c.String(o.flag)); err != nil {
				return cfg, usagef("--%s: %v", o.flag, err)
			}
		}
	}
	if err := cfg.Validate(); err != nil {
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
	start := time.Now()
	cfg, err := loadConfig(c)
	if err != nil {
		return err
	}
	dir := c.String("out")
	if dir == "" {
		dir = filepath.Join("runs", start.Format("20060102-150405")+"-"+cfg.Name)
	}
	if err := prepareRunDir(dir); err != nil {
		return err
	}
	d, err := loadData(cfg.Data.Name, dataOptionsOf(cfg))
	if err != nil {
		return err
	}
	ycfg, err := cfg.YAML()
	if err != nil {
		return err
	}
	if err := model.WriteFileAtomic(filepath.Join(dir, "config.yaml"), ycfg); err != nil {
		return err
	}
	evals, err := os.Create(filepath.Join(dir, "evaluations.jsonl"))
	if err != nil {
		return err
	}
	defer evals.Close()
	gens, err := os.Create(filepath.Join(dir, "generations.jsonl"))
	if err != nil {
		return err
	}
	defer gens.Close()

	ev := fitness.NewEvaluator(d, trainingOf(cfg), cfg.Seed, cfg.Workers)
	set := settingsOf(cfg)
	metric := "val accuracy"
	if d.Task == dataset.Regression {
		metric = "val R²"
	}
	log := &runLog{evals: evals, gens: gens, metricName: metric}
	quiet := c.Bool("quiet") || c.Bool("json")
	total := expectedTrainings(set)
	switch {
	case quiet:
	case isTerminal(c.App.ErrWriter):
		log.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(c.App.ErrWriter),
			progressbar.OptionSetDescription("generation 0"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetItsString("evals"),
			progressbar.OptionThrottle(100*time.Millisecond))
	default:
		log.progress = c.App.ErrWriter
		fmt.Fprintf(c.App.ErrWriter, "evolving on %s (%s, %d train rows) with %d workers; run directory %s\n", d.Name, d.Task, d.Train.N, ev.Workers(), dir)
	}
	res, err := search.Evolve(c.Context, spaceOf(cfg), ev, set, log)
	log.finish()
	if err != nil {
		if c.Context.Err() != nil {
			return fmt.Errorf("interrupted: %w", c.Context.Err())
		}
		return err
	}
	if log.err != nil {
		return fmt.Errorf("writing the run log: %w", log.err)
	}
	sum := summary{Strategy: "ga", Config: cfg.Name, Data: d.Name, Task: string(d.Task), Seed: cfg.Seed, Workers: ev.Workers(),
		Evaluations: res.Trainings, CacheHits: res.CacheHits, Generations: res.Generations, Stop: res.Stop,
		TrainSamples: res.Samples, Dir: dir}
	for _, r := range res.Best {
		sum.HallOfFame = append(sum.HallOfFame, bestOf(r, d.Task))
	}
	if len(res.Best) > 0 {
		sum.Best = sum.HallOfFame[0]
		if err := saveBest(c, ev, res.Best[0], filepath.Join(dir, "best.json")); err != nil {
			return err
		}
	}
	sum.WallS = time.Since(start).Seconds()
	b, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return err
	}
	if err := model.WriteFileAtomic(filepath.Join(dir, "summary.json"), append(b, '\n')); err != nil {
		return err
	}
	if c.Bool("json") {
		_, err := c.App.Writer.Write(append(b, '\n'))
		return err
	}
	printBest(c, sum, res, d.Task, dir)
	return nil
}

// expectedTrainings estimates a search's evaluations for the progress bar.
func expectedTrainings(s search.Settings) int {
	n := s.Population * s.Islands * (s.Generations + 1)
	if s.Budget > 0 && s.Budget < n {
		n = s.Budget
	}
	return n
}

// saveBest retrains the best genome with its recorded seed (the same
// training it had in the search) and saves the model.
func saveBest(c *cli.Context, ev *fitness.Evaluator, best fitness.Record, path string) error {
	if best.Status != fitness.OK && best.Status != fitness.Cached {
		return nil
	}
	rec, o, err := ev.Train(c.Context, best.Genome)
	if err != nil {
		return err
	}
	if o == nil || rec.Fitness != best.Fitness {
		return fmt.Errorf("retraining the best genome gave fitness %v, the search recorded %v", rec.Fitness, best.Fitness)
	}
	d := ev.Data()
	m, err := model.New(d.Name, d.Prep, o.Net, map[string]any{"command": "evolve", "record": rec})
	if err != nil {
		return err
	}
	return m.Save(path)
}

func printBest(c *cli.Context, sum summary, res *search.Result, task dataset.Task, dir string) {
	w := c.App.Writer
	fmt.Fprintf(w, "%d evaluations (%d cache hits) over %d generations in %.1f s; stopped: %s\n",
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
		fmt.Fprintf(tw, "%d\t%s\t%.2g\t%d\t%d\t%.4f\t%.4f\t%s\n", i+1, r.Arch, r.Genome.LR, r.Genome.Batch, r.Params, v, t, fit)
	}
	tw.Flush()
	fmt.Fprintf(w, "run directory: %s (best.json, summary.json, evaluations.jsonl, generations.jsonl, config.yaml)\n", dir)
	fmt.Fprintf(w, "predict with: evonas predict --model %s --data FILE.csv\n", filepath.Join(dir, "best.json"))
}

// prepareRunDir creates a run directory, refusing one that already holds a
// run, and checks it can be written before any training starts.
func prepareRunDir(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, "evaluations.jsonl")); err == nil {
		return usagef("run directory %s already holds a run; choose another --out", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return usagef("run directory %s: %v", dir, errors.Unwrap(err))
	}
	return checkWritable(filepath.Join(dir, "summary.json"))
}

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
