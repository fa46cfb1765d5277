package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/run"
)

// compareFlags are the flags of compare and sweep; kind names the default
// output directory (run.KindCompare or run.KindSweep).
func compareFlags(kind string) []cli.Flag {
	return append([]cli.Flag{
		&cli.IntFlag{Name: "seeds", Value: 10, Usage: "run every strategy under seeds 1..N (from --first-seed on)"},
		&cli.IntFlag{Name: "first-seed", Value: 1, Usage: "the first seed: fresh seeds check what a comparison under 1..N found"},
		&cli.IntFlag{Name: "budget", DefaultText: "the first config's budget, else population x islands x (generations + 1)", Usage: "trainings per run"},
		&cli.StringFlag{Name: "data", Usage: "built-in data set or CSV file for every strategy (overrides data.name)"},
		workersFlag(),
		&cli.StringFlag{Name: "out", Usage: "output directory (default: runs/<time>-" + kind + ", with --table runs/<time>-" + kind + "-<table>)"},
		jsonFlag(),
		quietFlag(),
	}, append(append(inputFlags(), queueFlags()...), tableFlags()...)...)
}

func compareCommand() *cli.Command {
	return &cli.Command{
		Name:  "compare",
		Usage: "compare evolution configs with random search over several seeds, with statistical tests and plots",
		Flags: append([]cli.Flag{
			&cli.StringSliceFlag{Name: "config", Usage: "a config to compare (a file or a shipped name); repeat for several (default: default)"},
		}, compareFlags(run.KindCompare)...),
		Before: noArgs,
		Action: func(c *cli.Context) error {
			variants, err := run.LoadVariants(c.StringSlice("config"))
			if err != nil {
				return err
			}
			return runComparison(c, variants, run.KindCompare, "Comparison", c.String("out"), nil)
		},
	}
}

func sweepCommand() *cli.Command {
	return &cli.Command{
		Name:  "sweep",
		Usage: "compare variants of a config (the product of --set lists) with each other and with random search",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "config", Value: "default", Usage: "base config: a file or a shipped name"},
			&cli.StringSliceFlag{Name: "set", Usage: "KEY=V1,V2,...: values of a config key to sweep; repeat for more keys (for a list-valued key separate the variants with ';', e.g. search_space.activations='relu;relu,tanh')"},
		}, compareFlags(run.KindSweep)...),
		Before: noArgs,
		Action: runSweep,
	}
}

func runSweep(c *cli.Context) error {
	vs, title, err := run.LoadSweep(c.String("config"), c.StringSlice("set"))
	if err != nil {
		return err
	}
	return runComparison(c, vs, run.KindSweep, title, c.String("out"), nil)
}

// runComparison runs a comparison or a sweep of variants into dir (""
// for the default), or resumes the one in dir whose run.json is resumed,
// with progress on stderr, and prints its table or summary.json.
func runComparison(c *cli.Context, variants []run.Variant, kind, title, dir string, resumed *run.Info) error {
	if resumed == nil && tableOf(c, variants[0].Config) != "" {
		return runTableComparison(c, variants, kind, title)
	}
	// Flag overrides apply to every variant (NewComparison validates each).
	for i := range variants {
		if err := override(c, &variants[i].Config, "budget"); err != nil {
			return err
		}
	}
	if c.IsSet("budget") && c.Int("budget") < 1 {
		return usagef("--budget: want at least 1, got %d", c.Int("budget"))
	}
	var cmp *run.Comparison
	var err error
	if resumed != nil {
		cmp, err = run.ReopenComparison(dir, resumed, variants)
	} else {
		// resume has no --first-seed: the comparison's run.json keeps it.
		if c.Int("first-seed") < 1 {
			return usagef("--first-seed: want at least 1, got %d", c.Int("first-seed"))
		}
		cmp, err = run.NewComparison(kind, title, variants, c.Int("seeds"), c.Int("budget"), dir)
		if err == nil {
			cmp.FirstSeed = c.Int("first-seed")
		}
	}
	if err != nil {
		return err
	}
	su, err := setup(c)
	if err != nil {
		return err
	}
	sum, err := cmp.Launch(c.Context, su)
	if err != nil {
		return stopped(c, err)
	}
	return printComparison(c, sum, filepath.Join(cmp.Dir, run.ReportFile))
}

// printComparison prints a comparison's table and where its report is,
// or its summary.json.
func printComparison(c *cli.Context, sum interface{ WriteText(io.Writer) }, report string) error {
	return printResult(c, sum, func(w io.Writer) error {
		sum.WriteText(w)
		_, err := fmt.Fprintf(w, "report: %s\n", report)
		return err
	})
}

// commandLine is the command as typed, to reproduce a report.
func commandLine(c *cli.Context) string {
	args, _ := c.App.Metadata["args"].([]string)
	return run.CommandLine(args)
}
