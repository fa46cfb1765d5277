package main

import (
	"bufio"
	"encoding/csv"
	"io"
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
			&cli.StringFlag{Name: "model", Usage: "model file written by train --out or evolve (best.json), or a run directory"},
			&cli.StringFlag{Name: "data", Usage: "built-in data set name (see evonas datasets) or CSV file of rows to predict; columns are matched by name, and a target column is scored"},
			&cli.StringFlag{Name: "out", Usage: "write predictions to this CSV file (default: stdout; the score then goes to stderr)"},
			&cli.StringSliceFlag{Name: "keep", Usage: "copy this column (an ID, say) into each output row, before the prediction; repeat for more"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "seed of a generated data set (as train and evolve used it)"},
			&cli.IntFlag{Name: "rows", Usage: "rows of a generated data set (0: its default)"},
			&cli.Float64Flag{Name: "noise", Usage: "noise of a generated data set (0: its default)"},
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
	m, err := loadModel(c.String("model"))
	if err != nil {
		return err
	}
	out := c.String("out")
	if out != "" {
		if err := checkWritable(out); err != nil {
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
	if out == "" {
		bw := bufio.NewWriter(c.App.Writer)
		if err := writePredictions(bw, m, preds, keep); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		printScore(c.App.ErrWriter, m, t, preds)
		return nil
	}
	f, err := os.CreateTemp(dirOf(out), ".evonas-predict*")
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	err = writePredictions(bw, m, preds, keep)
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
		return err
	}
	printScore(c.App.Writer, m, t, preds)
	return nil
}

// writePredictions writes a header and one row per prediction: the kept
// columns, the label (or value) and, for classification, each class's
// probability.
func writePredictions(w io.Writer, m *model.Model, preds []model.Prediction, keep []*dataset.Column) error {
	cw := csv.NewWriter(w)
	var header []string
	for _, k := range keep {
		header = append(header, k.Name)
	}
	header = append(header, "prediction")
	for _, cl := range m.Prep.Classes {
		header = append(header, "p_"+cl)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	row := make([]string, len(header))
	for i, p := range preds {
		for j, k := range keep {
			row[j] = cellText(k, i)
		}
		pos := len(keep)
		row[pos] = p.Label
		if m.Prep.Task == dataset.Regression {
			row[pos] = strconv.FormatFloat(p.Value, 'g', -1, 64)
		}
		for j, pr := range p.Probs {
			row[pos+1+j] = strconv.FormatFloat(pr, 'g', -1, 64)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
