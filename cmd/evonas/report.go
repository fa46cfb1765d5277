package main

import (
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/run"
)

func reportCommand() *cli.Command {
	return &cli.Command{
		Name:      "report",
		Usage:     "draw a comparison's plots and report.md again from its summary.json, or a search's progress and Pareto plots",
		ArgsUsage: "DIR",
		Flags: []cli.Flag{
			jsonFlag(),
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usagef("report: want one run directory, got %d arguments", c.NArg())
			}
			dir := c.Args().First()
			sum, err := run.Redraw(dir, c.App.Writer)
			if err != nil || sum == nil {
				return err // a search's report is printed
			}
			switch sum := sum.(type) {
			case *run.ComparisonSummary:
				return printComparison(c, sum, filepath.Join(dir, run.ReportFile))
			case *run.TableComparisonSummary:
				return printComparison(c, sum, dir+"/"+run.ReportFile)
			}
			return nil
		},
	}
}
