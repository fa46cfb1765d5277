package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/queue"
	"github.com/evonas/evonas/run"
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
		}, append(append(inputFlags(), queueFlags()...), tableFlags()...)...),
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
	overrides := []string{"data", "data.name", "population", "evolution.population", "generations", "evolution.generations",
		"budget", "budget.evaluations", "seed", "seed", "workers", "workers"}
	if err := override(c, &cfg, overrides...); err != nil {
		return cfg, err
	}
	if err := applyInputFlags(c, &cfg); err != nil {
		return cfg, err
	}
	ownSplit(&cfg)
	if err := cfg.Validate(); err != nil {
		var set []string
		for i := 0; i < len(overrides); i += 2 {
			if f := overrides[i]; c.IsSet(f) {
				set = append(set, "--"+f+" "+c.String(f))
			}
		}
		if len(set) > 0 {
			return cfg, fmt.Errorf("%w (with %s)", err, strings.Join(set, ", "))
		}
		return cfg, err
	}
	return cfg, nil
}

// override sets the config keys of the flags given: pairs are a flag and
// its key, and so on. A new --data drops the config's rows and noise,
// which described its own data set.
func override(c *cli.Context, cfg *configs.Config, pairs ...string) error {
	if c.IsSet("data") && c.String("data") != cfg.Data.Name {
		cfg.Data.Rows, cfg.Data.Noise = 0, 0
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		if flag := pairs[i]; c.IsSet(flag) {
			if err := configs.Set(cfg, pairs[i+1], c.String(flag)); err != nil {
				return usagef("--%s: %v", flag, err)
			}
		}
	}
	return nil
}

// printJSON prints v as indented JSON, as the run's files hold it.
func printJSON(c *cli.Context, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = c.App.Writer.Write(append(b, '\n'))
	return err
}

func runEvolve(c *cli.Context) error {
	return runStrategy(c, run.GA, 0)
}

// runStrategy is the evolve and random commands: one search into a run
// directory, a table of the best architectures or summary.json.
func runStrategy(c *cli.Context, strategy string, evaluations int) error {
	cfg, err := loadConfig(c)
	if err != nil {
		return err
	}
	if tableOf(c, cfg) != "" {
		return runTableStrategy(c, cfg, strategy, evaluations)
	}
	if err := checkQueueFidelity(c, cfg); err != nil {
		return err
	}
	s, err := run.New(cfg, strategy, evaluations, c.String("out"))
	if err != nil {
		return err
	}
	q, err := openQueue(c, run.Workers(cfg))
	if err != nil {
		return err
	}
	defer q.Close()
	s.Queue = q
	if err := s.Create(commandLine(c)); err != nil {
		return err
	}
	return finishStrategy(c, s)
}

// finishStrategy runs a search (new or resumed) with progress on stderr and
// prints its result.
func finishStrategy(c *cli.Context, s *run.Search) error {
	d, dir := s.Data, s.Dir
	p := newProgress(c, s.Expected(), d.Task)
	if s.Strategy == run.GA {
		st := run.SettingsOf(s.Config)
		p.generations, p.budget = st.Generations, st.Budget
	}
	s.Observer = p
	// The run directory is named first, with the bar too: a long run
	// is looked at while it runs.
	if p.lines != nil || p.bar != nil {
		verb := map[string]string{run.GA: "evolving", run.Random: "random search"}[s.Strategy]
		if s.Resume {
			verb = "resuming " + verb
		}
		fmt.Fprintf(c.App.ErrWriter, "%s on %s (%s, %d train rows) with %d workers; run directory %s\n",
			verb, d.Name, d.Task, d.Train.N, run.Workers(s.Config), dir)
	}
	printNotes(c, slices.Concat(d.Notes, batchNotes(s.Config, d.Train.N)))
	sum, res, err := s.Run(c.Context)
	p.finish(c.App.ErrWriter)
	if err != nil {
		if c.Context.Err() != nil {
			return interruptedRun(c, dir)
		}
		if isQueueStop(err) {
			return queueStopped(c, dir, err)
		}
		return err
	}
	if c.Bool("json") {
		return printJSON(c, sum)
	}
	printBest(c, *sum, res, d, dir)
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

func printBest(c *cli.Context, sum run.Summary, res *search.Result, d *dataset.Data, dir string) {
	task := d.Task
	w := c.App.Writer
	fmt.Fprintf(w, "%d trainings and %d cache hits over %d generations in %.1f s; stopped: %s\n",
		sum.Evaluations, sum.CacheHits, sum.Generations, sum.WallS, sum.Stop)
	if len(sum.Objectives) > 1 {
		printFront(w, sum, res, task, dir)
		return
	}
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
		// A failed candidate has no scores, nor has an empty split: a dash,
		// not a score of 0.
		fit, val, test := "failed", "-", "-"
		if !math.IsInf(r.Fitness, 0) {
			fit = strconv.FormatFloat(r.Fitness, 'f', 4, 64)
			val = strconv.FormatFloat(v, 'f', 4, 64)
			if d.Test.N > 0 {
				test = strconv.FormatFloat(t, 'f', 4, 64)
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%.3g\t%d\t%d\t%s\t%s\t%s\n", i+1, r.Arch, r.Genome.LR, r.Genome.Batch, r.Params, val, test, fit)
	}
	tw.Flush()
	if len(res.Best) == 0 || math.IsInf(res.Best[0].Fitness, 0) {
		// Nothing trained: no best.json, and the reasons are what to read.
		reason := ""
		if len(res.Best) > 0 {
			reason = fmt.Sprintf(" (the best ranked: %s %s)", res.Best[0].Status, res.Best[0].Reason)
		}
		fmt.Fprintf(w, "every candidate failed%s; evaluations.jsonl gives each one's reason\n", reason)
		fmt.Fprintf(w, "run directory: %s (summary.json, evaluations.jsonl, generations.jsonl, config.yaml, run.json, checkpoint.json)\n", dir)
		return
	}
	fmt.Fprintf(w, "run directory: %s (best.json, summary.json, evaluations.jsonl, generations.jsonl, config.yaml, run.json, checkpoint.json)\n", dir)
	fmt.Fprintf(w, "predict with: evonas predict --model %s --data FILE.csv\n", filepath.Join(dir, "best.json"))
}
