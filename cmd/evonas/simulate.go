package main

import (
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/run"
	"github.com/evonas/evonas/search"
)

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
			&cli.IntFlag{Name: "population", DefaultText: "workers", Usage: "population of every model"},
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
	if w < 1 {
		return usagef("--workers: want at least 1, got %d", w)
	}
	t, err := run.OpenTable(c.Args().First())
	if err != nil {
		return err
	}
	if !t.HasTrainSeconds() {
		return usagef("table %s has no train_s columns: a simulation needs each repeat's training time", t.Name)
	}
	budget, pop := c.Int("budget"), c.Int("population")
	if !c.IsSet("budget") {
		// Past the table's size, runs end on cache hits, not the budget.
		budget = max(min(16*w, t.Len()/2), 1)
	}
	if !c.IsSet("population") {
		pop = max(w, 4)
	}
	if budget < 1 || c.Int("seeds") < 1 || pop < 2 {
		return usagef("--budget %d, --seeds %d, --population %d: want at least 1, 1 and 2", budget, c.Int("seeds"), pop)
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
