package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"os"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/model"
)

func predictCommand() *cli.Command {
	return &cli.Command{
		Name:  "predict",
		Usage: "predict with a saved model, one output row per input row",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Usage: "model file written by train --out or evolve (best.json)"},
			&cli.StringFlag{Name: "data", Usage: "CSV file or built-in data set of rows to predict; columns are matched by name"},
			&cli.StringFlag{Name: "out", Usage: "write predictions to this CSV file (default: stdout)"},
			forceFlag,
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
		if err := checkWritable(out); err != nil {
			return err
		}
		if err := refuseOverwrite(c, out); err != nil {
			return err
		}
	}
	t, err := dataset.LoadTable(c.String("data"), dataset.Options{})
	if errors.Is(err, fs.ErrNotExist) {
		return usagef("data %q: no such file, and no built-in data set of that name (evonas datasets lists them)", c.String("data"))
	}
	if err != nil {
		return err
	}
	preds, err := m.Predict(t)
	if err != nil {
		return err
	}
	if out == "" {
		bw := bufio.NewWriter(c.App.Writer)
		if err := writePredictions(bw, m, preds); err != nil {
			return err
		}
		return bw.Flush()
	}
	f, err := os.CreateTemp(dirOf(out), ".evonas-predict*")
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	err = writePredictions(bw, m, preds)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), out)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// writePredictions writes a header and one row per prediction: the label
// (or value) and, for classification, each class's probability.
func writePredictions(w io.Writer, m *model.Model, preds []model.Prediction) error {
	cw := csv.NewWriter(w)
	header := []string{"prediction"}
	for _, cl := range m.Prep.Classes {
		header = append(header, "p_"+cl)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	row := make([]string, len(header))
	for _, p := range preds {
		row[0] = p.Label
		if m.Prep.Task == dataset.Regression {
			row[0] = strconv.FormatFloat(p.Value, 'g', -1, 64)
		}
		for j, pr := range p.Probs {
			row[1+j] = strconv.FormatFloat(pr, 'g', -1, 64)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
