package main

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/run"
)

func resumeCommand() *cli.Command {
	return &cli.Command{
		Name:      "resume",
		Usage:     "continue an interrupted run (evolve, random, compare or sweep) from its directory",
		ArgsUsage: "DIR",
		Flags: append([]cli.Flag{
			&cli.IntFlag{Name: "generations", DefaultText: "the run's", Usage: "evolve: generations after the initial population (evolution.generations)"},
			&cli.IntFlag{Name: "budget", DefaultText: "the run's", Usage: "evolve: stop after this many trainings (budget.evaluations)"},
			&cli.IntFlag{Name: "evaluations", DefaultText: "the run's", Usage: "random: trainings to run"},
			&cli.IntFlag{Name: "workers", DefaultText: "the run's", Usage: "concurrent trainings, 0 for one per CPU"},
			&cli.StringSliceFlag{Name: "set", Usage: "KEY=VALUE for a key a resume may change: " + strings.Join(run.ResumableKeys(), ", ")},
			&cli.BoolFlag{Name: "json", Usage: "print the summary as JSON"},
			quietFlag(),
		}, queueFlags()...),
		Action: runResume,
	}
}

func runResume(c *cli.Context) error {
	if c.NArg() > 1 && strings.HasPrefix(c.Args().Get(1), "-") {
		return usagef("resume: flags go before the directory: evonas resume %s %s", strings.Join(c.Args().Slice()[1:], " "), run.ShellQuote(c.Args().First()))
	}
	if c.NArg() != 1 {
		return usagef("resume: want one run directory, got %d arguments", c.NArg())
	}
	dir := c.Args().First()
	ri, err := run.ReadResumable(dir)
	if err != nil {
		return err
	}
	if ri.Kind == run.KindCompare || ri.Kind == run.KindSweep {
		return resumeComparison(c, dir, ri)
	}
	cfg, err := run.ReadConfig(dir)
	if err != nil {
		return err
	}
	if err := override(c, &cfg); err != nil {
		return err
	}
	if err := run.SetResumable(&cfg, c.StringSlice("set")); err != nil {
		return err
	}
	evaluations := 0
	if c.IsSet("evaluations") {
		if ri.Strategy != run.Random {
			return usagef("--evaluations: only a random search has it; give --budget or --generations")
		}
		if evaluations = c.Int("evaluations"); evaluations < 1 {
			return usagef("--evaluations: want at least 1, got %d", evaluations)
		}
	}
	s, err := run.Reopen(dir, cfg, evaluations)
	if err != nil {
		return err
	}
	return launchSearch(c, s)
}

// resumeComparison continues a compare or sweep from its run.json.
func resumeComparison(c *cli.Context, dir string, ri *run.Info) error {
	if c.IsSet("generations") || c.IsSet("budget") || c.IsSet("evaluations") || len(c.StringSlice("set")) > 0 {
		return usagef("resume %s: a %s keeps its budget and settings; only --workers, --quiet and --json apply", dir, ri.Kind)
	}
	variants, err := ri.ParseVariants(dir)
	if err != nil {
		return err
	}
	return runComparison(c, variants, ri.Kind, ri.Title, dir, ri)
}
