package main

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"
)

func reportCommand() *cli.Command {
	return &cli.Command{
		Name:      "report",
		Usage:     "draw a comparison's plots and report.md again from its summary.json",
		ArgsUsage: "DIR",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print summary.json instead of the table"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usagef("report: want one comparison directory, got %d arguments", c.NArg())
			}
			dir := c.Args().First()
			path := filepath.Join(dir, "summary.json")
			b, err := os.ReadFile(path)
			if errors.Is(err, fs.ErrNotExist) {
				return usagef("%s is not a comparison directory (no summary.json)", dir)
			}
			if err != nil {
				return err
			}
			var sum comparisonSummary
			if err := json.Unmarshal(b, &sum); err != nil || sum.Comparison == nil || len(sum.Strategies) == 0 {
				return usagef("%s: not a comparison's summary: %v", path, err)
			}
			title := "Comparison"
			if len(sum.Ranking) > 0 {
				title = "Sweep"
			}
			if ri, err := readRunInfo(dir); err == nil && ri.Title != "" {
				title = ri.Title
			} else if md, err := os.ReadFile(filepath.Join(dir, "report.md")); err == nil {
				// Keep the title the report was written with.
				if first, _, _ := strings.Cut(string(md), "\n"); strings.HasPrefix(first, "# ") {
					title = strings.TrimPrefix(first, "# ")
				}
			}
			return writeComparison(c, dir, sum, title)
		},
	}
}
