package main

import (
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
			if ts, ok, err := run.ReadTableComparison(dir); ok {
				return redrawTableComparison(c, dir, ts, err)
			}
			d, oerr := run.Open(dir)
			if oerr == nil && !d.IsComparison() {
				return d.Report(c.App.Writer) // a search: its plots
			}
			sum, err := run.ReadComparisonSummary(dir)
			if err != nil && oerr != nil {
				return usagef("%v, nor a comparison (no summary.json)", oerr)
			}
			if err != nil {
				return err
			}
			if err := run.WriteReport(dir, sum, run.ReportTitle(dir, sum)); err != nil {
				return err
			}
			return printComparison(c, dir, sum)
		},
	}
}
