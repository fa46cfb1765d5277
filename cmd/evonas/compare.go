package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/run"
)

func compareFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.IntFlag{Name: "seeds", Value: 10, Usage: "run every strategy under seeds 1..N"},
		&cli.IntFlag{Name: "budget", DefaultText: "the first config's budget, else population x islands x (generations + 1)", Usage: "trainings per run"},
		&cli.StringFlag{Name: "data", Usage: "built-in data set or CSV file for every strategy (overrides data.name)"},
		workersFlag(),
		&cli.StringFlag{Name: "out", Usage: "output directory (default: runs/<time>-compare)"},
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
		}, compareFlags()...),
		Before: noArgs,
		Action: func(c *cli.Context) error {
			names := c.StringSlice("config")
			if len(names) == 0 {
				names = []string{"default"}
			}
			variants, err := run.LoadVariants(names)
			if err != nil {
				return err
			}
			return runComparison(c, variants, run.KindCompare, "Comparison", c.String("out"), nil)
		},
	}
}

// runComparison runs a comparison or a sweep of variants into dir (""
// for the default), or resumes the one in dir whose run.json is resumed,
// with progress on stderr, and prints its table or summary.json.
func runComparison(c *cli.Context, variants []run.Variant, kind, title, dir string, resumed *run.Info) error {
	if resumed == nil && tableOf(c, variants[0].Config) != "" {
		return runTableComparison(c, variants, kind, title)
	}
	// (NewComparison checks the seeds too, but the commands say first.)
	seeds := c.Int("seeds")
	if resumed != nil {
		seeds = resumed.Seeds
	}
	if seeds < 1 {
		return usagef("--seeds: want at least 1, got %d", seeds)
	}
	// Flag overrides apply to every variant, then each must validate.
	for i := range variants {
		v := &variants[i]
		if err := override(c, &v.Config, "budget"); err != nil {
			return err
		}
		if err := v.Config.Validate(); err != nil {
			return err
		}
		if err := checkQueue(c, v.Config); err != nil {
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
		cmp, err = run.NewComparison(kind, title, variants, c.Int("seeds"), c.Int("budget"), dir)
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
	return printComparison(c, cmp.Dir, sum)
}

// printComparison prints a comparison's table or its summary.json.
func printComparison(c *cli.Context, dir string, sum *run.ComparisonSummary) error {
	return printResult(c, sum, func(w io.Writer) error {
		sum.WriteText(w)
		_, err := fmt.Fprintf(w, "report: %s\n", filepath.Join(dir, run.ReportFile))
		return err
	})
}

// commandLine is the command as typed, to reproduce a report.
func commandLine(c *cli.Context) string {
	args, _ := c.App.Metadata["args"].([]string)
	return run.CommandLine(args)
}
