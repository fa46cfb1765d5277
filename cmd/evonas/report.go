package main

import (
	"fmt"
	"io"

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
				return printComparison(c, dir, sum)
			case *run.TableComparisonSummary:
				return printResult(c, sum, func(w io.Writer) error {
					sum.WriteText(w)
					_, err := fmt.Fprintf(w, "report: %s/%s\n", dir, run.ReportFile)
					return err
				})
			}
			return nil
		},
	}
}
