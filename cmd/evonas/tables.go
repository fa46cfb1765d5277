package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/run"
	"github.com/evonas/evonas/table"
)

// Searches on tabular benchmarks: evolve, random, compare and sweep with
// --table (or a config's data.table) look candidates up in a table instead
// of training them (run/table.go).

func tableFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "table", Usage: "tabular benchmark to look candidates up in instead of training: a CSV file, maybe gzip'd, or a shipped table (" + strings.Join(table.Builtin(), ", ") + ") (overrides data.table)"},
		&cli.BoolFlag{Name: "records", Usage: "table comparisons: also write every run's evaluations (<strategy>/seed-N.jsonl); by default only the summary"},
		&cli.BoolFlag{Name: "table-grid", Usage: "search the table's whole grid, taking only the configs' evolution settings (their search_space is ignored)"},
	}
}

// tableOf returns the table a command runs on: --table, else the config's
// data.table, else "".
func tableOf(c *cli.Context, cfg configs.Config) string {
	if t := c.String("table"); t != "" {
		return t
	}
	return cfg.Data.Table
}

// tableRunChecks refuses the flags that mean training.
func tableRunChecks(c *cli.Context) error {
	for _, f := range []string{"data", "queue"} {
		if c.IsSet(f) {
			return usagef("--%s: a table run trains nothing (drop --%s or --table)", f, f)
		}
	}
	return nil
}

// runTableStrategy is evolve or random on a table.
func runTableStrategy(c *cli.Context, cfg configs.Config, strategy string, evaluations int) error {
	if err := tableRunChecks(c); err != nil {
		return err
	}
	r := &run.TableRun{Table: c.String("table"), Config: cfg, Explicit: c.IsSet("config") && !c.Bool("table-grid"), Source: c.String("config"),
		Strategy: strategy, Evaluations: evaluations, Dir: c.String("out"), Command: commandLine(c)}
	sum, name, err := r.Run(c.Context)
	if err != nil {
		return tableStopped(c, "a table run", err)
	}
	return printResult(c, sum, func(w io.Writer) error { sum.WriteText(w, name); return nil })
}

// tableStopped is the error of a table run or comparison: one interrupted
// is run again rather than resumed.
func tableStopped(c *cli.Context, what string, err error) error {
	if c.Context.Err() != nil {
		return interrupted{fmt.Sprintf("interrupted; %s takes seconds: run it again", what), c.Context.Err()}
	}
	return err
}

// runTableComparison is compare or sweep on a table. The variants' search
// spaces are searched when a config was given; otherwise every strategy
// searches the table's grid.
func runTableComparison(c *cli.Context, variants []run.Variant, kind, title string) error {
	if err := tableRunChecks(c); err != nil {
		return err
	}
	if c.IsSet("first-seed") {
		return usagef("--first-seed: table comparisons run seeds 1..N")
	}
	budget := c.Int("budget")
	if c.IsSet("budget") && budget < 1 {
		return usagef("--budget: want at least 1, got %d", budget)
	}
	tc := &run.TableComparison{Kind: kind, Title: title, Variants: variants, Table: c.String("table"), Configs: c.StringSlice("config"),
		Seeds: c.Int("seeds"), Budget: budget, Records: c.Bool("records"), Dir: c.String("out"), Command: commandLine(c)}
	if kind == run.KindSweep {
		tc.Configs = []string{c.String("config")}
	}
	tc.Explicit = (len(c.StringSlice("config")) > 0 || kind == run.KindSweep && c.IsSet("config")) && !c.Bool("table-grid")
	if c.IsSet("workers") {
		tc.Workers = c.Int("workers")
	}
	t, err := tc.Open()
	if err != nil {
		return err
	}
	sum, err := tc.Run(c.Context, t)
	if err != nil {
		return tableStopped(c, "a table comparison", err)
	}
	return printComparison(c, sum, fmt.Sprintf("%s/%s (%.1f s)", tc.Dir, run.ReportFile, sum.WallS))
}
