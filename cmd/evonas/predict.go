package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/run"
)

func predictCommand() *cli.Command {
	return &cli.Command{
		Name:  "predict",
		Usage: "predict with a saved model, one output row per input row",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Usage: "model file written by train --out or evolve (best.json), or a run directory"},
			&cli.StringFlag{Name: "data", Usage: "built-in data set name (see evonas datasets) or CSV file of rows to predict; columns are matched by name, and a target column is scored"},
			&cli.StringFlag{Name: "out", Usage: "write predictions to this CSV file (default: stdout; the score then goes to stderr)"},
			forceFlag(),
			&cli.StringSliceFlag{Name: "keep", Usage: "copy this column (an ID, say) into each output row, before the prediction; repeat for more"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "seed of a generated data set (as train and evolve used it)"},
			&cli.IntFlag{Name: "rows", Usage: "rows of a generated data set (0: its default)"},
			&cli.Float64Flag{Name: "noise", Usage: "noise of a generated data set (0: its default)"},
			memberFlag(),
		},
		Before: noArgs,
		Action: runPredict,
	}
}

func runPredict(c *cli.Context) error {
	for _, name := range []string{"model", "data"} {
		if c.String(name) == "" {
			return usagef("predict: --%s is required", name)
		}
	}
	m, err := run.OpenModel(c.Context, c.String("model"), c.String("member"))
	if err != nil {
		return err
	}
	if err := run.CheckOut(c.String("out"), c.Bool("force")); err != nil {
		return err
	}
	opts := dataset.Options{Seed: c.Uint64("seed"), Rows: c.Int("rows"), Noise: c.Float64("noise")}
	p, err := run.Predict(m, c.String("data"), opts, c.StringSlice("keep"))
	if err != nil {
		return err
	}
	for _, n := range p.Notes {
		fmt.Fprintf(c.App.ErrWriter, "evonas: note: %s\n", n)
	}
	return p.Save(c.String("out"), c.App.Writer, c.App.ErrWriter)
}
