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
			&cli.StringFlag{Name: "model", Usage: "model file written by train --out or evolve (best.json)"},
			&cli.StringFlag{Name: "data", Usage: "CSV file of rows to predict; columns are matched by name"},
			&cli.StringFlag{Name: "out", Usage: "write predictions to this CSV file (default: stdout)"},
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
	m, err := model.Load(c.String("model"))
	if err != nil {
		return err
	}
	out := c.String("out")
	if out != "" {
		if err := run.CheckWritable(out); err != nil {
			return err
		}
	}
	t, err := dataset.ReadCSV(c.String("data"))
	if err != nil {
		return err
	}
	preds, err := m.Predict(t)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := m.WritePredictions(&buf, preds); err != nil {
		return err
	}
	if out == "" {
		_, err := c.App.Writer.Write(buf.Bytes())
		return err
	}
	return model.WriteFileAtomic(out, buf.Bytes())
}
