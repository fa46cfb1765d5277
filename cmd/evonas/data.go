package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/dataset"
)

// dataFlags are the flags of every command that loads a data set.
func dataFlags(defaultData string) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "data", Value: defaultData, Usage: "built-in data set name (see evonas datasets) or CSV file (.csv or .csv.gz)"},
		&cli.StringFlag{Name: "target", Usage: "target column of a CSV file (default: the last column)"},
		&cli.StringFlag{Name: "task", Usage: "binary, multiclass or regression (default: detected from the target)"},
		&cli.StringFlag{Name: "missing", Value: "error", Usage: "missing values: error, drop (the row) or mean (training-split mean)"},
		&cli.StringFlag{Name: "split", Value: "0.7,0.15,0.15", Usage: "train,validation,test fractions (stratified for classification)"},
		&cli.IntFlag{Name: "rows", Usage: "rows of a generated data set (0: its default)"},
		&cli.Float64Flag{Name: "noise", Usage: "noise of a generated data set (0: its default)"},
	}
}

// dataOptions reads the data flags.
func dataOptions(c *cli.Context, seed uint64) (dataset.Options, error) {
	opts := dataset.Options{
		Target:  c.String("target"),
		Task:    dataset.Task(c.String("task")),
		Missing: c.String("missing"),
		Seed:    seed,
		Rows:    c.Int("rows"),
		Noise:   c.Float64("noise"),
	}
	switch opts.Task {
	case "", dataset.Binary, dataset.Multiclass, dataset.Regression:
	default:
		return opts, usagef("--task: unknown task %q (want binary, multiclass or regression)", opts.Task)
	}
	switch opts.Missing {
	case "error", "drop", "mean":
	default:
		return opts, usagef("--missing: unknown policy %q (want error, drop or mean)", opts.Missing)
	}
	if c.IsSet("split") {
		f, err := floatList(c.String("split"))
		if err != nil || len(f) != 3 {
			return opts, usagef("--split: want three fractions like 0.7,0.15,0.15, got %q", c.String("split"))
		}
		opts.Split = dataset.Fractions{Train: f[0], Val: f[1], Test: f[2]}
	}
	if opts.Rows < 0 {
		return opts, usagef("--rows: %d is negative", opts.Rows)
	}
	if opts.Noise < 0 {
		return opts, usagef("--noise: %g is negative", opts.Noise)
	}
	return opts, nil
}

func floatList(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func intList(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		v, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", f)
		}
		out = append(out, v)
	}
	return out, nil
}
