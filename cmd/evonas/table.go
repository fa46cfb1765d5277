package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/run"
	"github.com/evonas/evonas/search"
	"github.com/evonas/evonas/table"
)

func tableCommand() *cli.Command {
	return &cli.Command{
		Name:  "table",
		Usage: "build and inspect tabular benchmarks (see docs/tables.md)",
		Subcommands: []*cli.Command{
			{
				Name:      "build",
				Usage:     "train every configuration of a config's discrete search space several times and write the table",
				ArgsUsage: " ",
				Flags: append([]cli.Flag{
					&cli.StringFlag{Name: "config", Usage: "run config (a file or a shipped name) whose search space lists choices or fixes every gene"},
					&cli.IntFlag{Name: "repeats", Value: 3, Usage: "trainings per configuration, each with its own seed"},
					&cli.StringFlag{Name: "out", Usage: "the table to write, gzip'd CSV (T.csv.gz)"},
					workersFlag(),
					&cli.IntFlag{Name: "max-rows", Value: table.DefaultMaxRows, Usage: "refuse a space with more configurations"},
					quietFlag(),
				}, queueFlags()...),
				Before: noArgs,
				Action: runTableBuild,
			},
			{
				Name:      "info",
				Usage:     "describe a table: rows, metric, repeats, its grid and its best configuration",
				ArgsUsage: "TABLE",
				Action:    runTableInfo,
			},
			tableSimulateCommand(),
		},
	}
}

func runTableBuild(c *cli.Context) error {
	start := time.Now()
	for _, f := range []string{"config", "out"} {
		if c.String(f) == "" {
			return usagef("table build: --%s is required", f)
		}
	}
	cfg, err := loadConfig(c)
	if err != nil {
		return err
	}
	b := &run.TableBuild{Config: cfg, Source: c.String("config"), Out: c.String("out"),
		BuildOptions: table.BuildOptions{Repeats: c.Int("repeats"), MaxRows: c.Int("max-rows")}}
	if _, err := b.Check(); err != nil {
		return err
	}
	su, err := setup(c)
	if err != nil {
		return err
	}
	t, err := b.Launch(c.Context, su)
	if err != nil {
		if c.Context.Err() != nil {
			return interrupted{fmt.Sprintf("interrupted; every finished row is in %s.partial: run the same command again to go on", b.Out), c.Context.Err()}
		}
		return err
	}
	fmt.Fprintf(c.App.Writer, "%s: %d configurations x %d repeats of %s in %.1f s\n", b.Out, t.Len(), t.Repeats, t.Metric, time.Since(start).Seconds())
	return nil
}

func runTableInfo(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("table info: want one TABLE, got %d arguments", c.NArg())
	}
	t, err := run.OpenTable(c.Args().First())
	if err != nil {
		return err
	}
	return t.WriteInfo(c.App.Writer)
}

// table simulate: W workers on the virtual clock of a table's train_s
// columns (table/simulate.go).

func tableSimulateCommand() *cli.Command {
	return &cli.Command{
		Name:      "simulate",
		Usage:     "simulate a search on W workers, each evaluation taking the table's train_s, and time each model to the first model's final regret",
		ArgsUsage: "[flags] TABLE",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "workers", Value: 64, Usage: "simulated workers"},
			&cli.StringFlag{Name: "models", Value: "generational," + search.AsyncModel, Usage: "evolution models to simulate, comma-separated; the first is the reference whose median final regret every model is timed to"},
			&cli.IntFlag{Name: "budget", DefaultText: "16 x workers, at most half the table's configurations", Usage: "trainings per run"},
			&cli.IntFlag{Name: "seeds", Value: 30, Usage: "runs per model, under seeds 1..N"},
			&cli.IntFlag{Name: "population", DefaultText: "workers, at least 4", Usage: "population of every model"},
			&cli.IntFlag{Name: "sample-size", DefaultText: "population / 4", Usage: "regularized and async_regularized: members sampled per child"},
			&cli.StringFlag{Name: "config", Usage: "take the other evolution settings from this config (a file or a shipped name); by default evonas's defaults"},
			&cli.BoolFlag{Name: "json", Usage: "print the simulation as JSON"},
		},
		Action: runTableSimulate,
	}
}

func runTableSimulate(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("table simulate: want one TABLE, got %d arguments", c.NArg())
	}
	w := c.Int("workers")
	if err := (run.SimOptions{Workers: w, Seeds: 1, Budget: 1, Population: 2, SampleSize: 1}).Check(); err != nil {
		return err // before the defaults below scale with it
	}
	t, err := run.OpenTable(c.Args().First())
	if err != nil {
		return err
	}
	budget, pop := c.Int("budget"), c.Int("population")
	if !c.IsSet("budget") {
		// Past the table's size, runs end on cache hits, not the budget.
		budget = max(min(16*w, t.Len()/2), 1)
	}
	if !c.IsSet("population") {
		pop = max(w, 4)
	}
	sample := c.Int("sample-size")
	if !c.IsSet("sample-size") {
		sample = max(pop/4, 1)
	}
	sim, err := run.Simulate(c.Context, t, run.SimOptions{Models: strings.Split(c.String("models"), ","), Config: c.String("config"),
		Workers: w, Seeds: c.Int("seeds"), Budget: budget, Population: pop, SampleSize: sample})
	if err != nil {
		return err
	}
	return printResult(c, sim, func(w io.Writer) error { return sim.WriteText(w, pop, sample) })
}
