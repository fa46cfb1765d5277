package main

import (
	"bytes"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/model"
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
	m, err := loadModel(c, c.String("model"))
	if err != nil {
		return err
	}
	out := c.String("out")
	if out != "" {
		if err := run.CheckWritable(out); err != nil {
			return err
		}
		if err := refuseOverwrite(c, out); err != nil {
			return err
		}
	}
	t, err := dataset.LoadTable(c.String("data"), dataset.Options{Seed: c.Uint64("seed"), Rows: c.Int("rows"), Noise: c.Float64("noise"), Text: idColumns(m, c.StringSlice("keep"))})
	if err != nil {
		return err
	}
	keep, err := keptColumns(t, c.StringSlice("keep"))
	if err != nil {
		return err
	}
	preds, err := m.Predict(t)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := m.WritePredictions(&buf, preds, keep...); err != nil {
		return err
	}
	if out == "" {
		if _, err := c.App.Writer.Write(buf.Bytes()); err != nil {
			return err
		}
		printScore(c.App.ErrWriter, m, t, preds)
		return nil
	}
	if err := model.WriteFileAtomic(out, buf.Bytes()); err != nil {
		return err
	}
	printScore(c.App.Writer, m, t, preds)
	return nil
}
