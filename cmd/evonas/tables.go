package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/report"
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
	t, err := run.OpenTable(tableOf(c, cfg))
	if err != nil {
		return err
	}
	p, err := run.TableProblem(t, cfg, c.IsSet("config") && !c.Bool("table-grid"), c.String("config"))
	if err != nil {
		return err
	}
	sum, err := run.TableSearch(c.Context, p, cfg, strategy, run.RandomEvaluations(cfg, evaluations), c.String("out"), commandLine(c))
	if err != nil {
		if c.Context.Err() != nil {
			return fmt.Errorf("interrupted; a table run takes seconds: run it again")
		}
		return err
	}
	if c.Bool("json") {
		return printJSON(c, sum)
	}
	w, inc := c.App.Writer, sum.Incumbent
	fmt.Fprintf(w, "%s on table %s: %d evaluations in %.2f s\n", sum.Strategy, t.Name, sum.Evaluations, sum.WallS)
	fmt.Fprintf(w, "incumbent %s (lr %g, batch %d): %s observed %.6g, mean %.6g; best mean %.6g; regret %.6g\n",
		inc.Arch, inc.Genome.LR, inc.Genome.Batch, t.Metric, inc.Observed, inc.Mean, sum.BestMean, sum.Regret)
	if len(sum.Front) > 0 {
		printTableFront(w, sum, t.Metric)
	}
	fmt.Fprintf(w, "run directory: %s\n", sum.Dir)
	return nil
}

// runTableComparison is compare or sweep on a table. explicit says whether
// the variants' search space was given (a config); otherwise every
// strategy searches the table's grid.
func runTableComparison(c *cli.Context, variants []run.Variant, explicit bool, kind, title string) error {
	if err := tableRunChecks(c); err != nil {
		return err
	}
	path := tableOf(c, variants[0].Config)
	for _, v := range variants[1:] {
		if tableOf(c, v.Config) != path {
			return usagef("configs %s and %s use different tables; give --table to compare them on the same", variants[0].Name, v.Name)
		}
	}
	budget := c.Int("budget")
	if c.IsSet("budget") && budget < 1 {
		return usagef("--budget: want at least 1, got %d", budget)
	}
	t, err := run.OpenTable(path)
	if err != nil {
		return err
	}
	tc := &run.TableComparison{Kind: kind, Title: title, Variants: variants, Explicit: explicit && !c.Bool("table-grid"),
		Seeds: c.Int("seeds"), Budget: budget, Records: c.Bool("records"), Dir: c.String("out"), Command: commandLine(c)}
	if c.IsSet("workers") {
		tc.Workers = c.Int("workers")
	}
	// Errors name the config file a variant came from.
	for i, v := range variants {
		switch files := c.StringSlice("config"); {
		case kind == run.KindCompare && i < len(files):
			tc.Sources = append(tc.Sources, files[i])
		case kind == run.KindSweep:
			tc.Sources = append(tc.Sources, c.String("config")+" ("+v.Name+")")
		default:
			tc.Sources = append(tc.Sources, v.Name)
		}
	}
	sum, err := tc.Run(c.Context, t)
	if err != nil {
		if c.Context.Err() != nil {
			return fmt.Errorf("interrupted; a table comparison takes seconds: run it again")
		}
		return err
	}
	if c.Bool("json") {
		return printJSON(c, sum)
	}
	report.TableText(c.App.Writer, sum.Comparison)
	if sum.Pareto != nil {
		report.HypervolumeText(c.App.Writer, sum.Pareto)
	}
	fmt.Fprintf(c.App.Writer, "report: %s/%s (%.1f s)\n", tc.Dir, run.ReportFile, sum.WallS)
	return nil
}

// redrawTableComparison is evonas report on a table comparison.
func redrawTableComparison(c *cli.Context, dir string, sum *run.TableComparisonSummary, err error) error {
	if err != nil {
		return err
	}
	if err := run.WriteTableReport(dir, sum); err != nil {
		return err
	}
	if c.Bool("json") {
		return printJSON(c, sum)
	}
	report.TableText(c.App.Writer, sum.Comparison)
	if sum.Pareto != nil {
		report.HypervolumeText(c.App.Writer, sum.Pareto)
	}
	fmt.Fprintf(c.App.Writer, "report: %s/%s\n", dir, run.ReportFile)
	return nil
}
