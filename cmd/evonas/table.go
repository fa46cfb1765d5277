package main

import (
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/run"
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
					&cli.StringFlag{Name: "config", Required: true, Usage: "run config (a file or a shipped name) whose search space lists choices or fixes every gene"},
					&cli.IntFlag{Name: "repeats", Value: 3, Usage: "trainings per configuration, each with its own seed"},
					&cli.StringFlag{Name: "out", Required: true, Usage: "the table to write, gzip'd CSV (T.csv.gz)"},
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
	cfg, err := loadConfig(c)
	if err != nil {
		return err
	}
	b := &run.TableBuild{Config: cfg, Source: c.String("config"), Out: c.String("out"),
		BuildOptions: table.BuildOptions{Repeats: c.Int("repeats"), MaxRows: c.Int("max-rows")}}
	n, err := b.Check()
	if err != nil {
		return err
	}
	su, err := setup(c)
	if err != nil {
		return err
	}
	q, err := su.OpenQueue(c.Context, run.Workers(cfg))
	if err != nil {
		return err
	}
	defer q.Close()
	if !c.Bool("quiet") {
		resumed := ""
		if b.Resuming() {
			resumed = " (resuming from " + b.Out + ".partial)"
		}
		fmt.Fprintf(c.App.ErrWriter, "building %s: %.0f configurations x %d repeats on %s%s\n", b.Out, n, b.Repeats, cfg.Data.Name, resumed)
		b.Progress = func(done, total int) {
			fmt.Fprintf(c.App.ErrWriter, "%d/%d configurations (%.0f s)\n", done, total, time.Since(start).Seconds())
		}
	}
	t, err := b.Run(c.Context, q)
	if err != nil {
		if c.Context.Err() != nil {
			return fmt.Errorf("interrupted; every finished row is in %s.partial: run the same command again to go on", b.Out)
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
