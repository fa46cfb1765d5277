package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/model"
)

// What predict adds around the predictions: --keep columns and the score.

// idColumns returns the kept columns that are neither inputs nor the
// target: they are read as text, so that an ID written 007 stays 007.
func idColumns(m *model.Model, keep []string) []string {
	var ids []string
	for _, k := range keep {
		used := k == m.Prep.Target
		for _, in := range m.Prep.Inputs {
			used = used || in.Name == k
		}
		if !used {
			ids = append(ids, k)
		}
	}
	return ids
}

// keptColumns finds the --keep columns in t.
func keptColumns(t *dataset.Table, names []string) ([]*dataset.Column, error) {
	var cols []*dataset.Column
	for _, name := range names {
		var col *dataset.Column
		for i := range t.Columns {
			if t.Columns[i].Name == name {
				col = &t.Columns[i]
			}
		}
		if col == nil {
			var have []string
			for _, c := range t.Columns {
				have = append(have, c.Name)
			}
			return nil, usagef("--keep: %s has no column %q (columns: %s)", t.Source, name, strings.Join(have, ", "))
		}
		cols = append(cols, col)
	}
	return cols, nil
}

// printScore prints, when t has the model's target column, how well the
// predictions match it.
func printScore(w io.Writer, m *model.Model, t *dataset.Table, preds []model.Prediction) {
	s, ok := m.Score(t, preds)
	if !ok {
		return
	}
	skipped := ""
	if s.Missing > 0 {
		skipped = fmt.Sprintf("; %d rows without a target not scored", s.Missing)
	}
	switch {
	case s.Rows == 0:
		fmt.Fprintf(w, "score: no row has a %s value%s\n", m.Prep.Target, skipped)
	case m.Prep.Task == dataset.Regression:
		fmt.Fprintf(w, "score against %s: R² %.4f, RMSE %.4g (%d rows%s)\n", m.Prep.Target, s.R2, s.RMSE, s.Rows, skipped)
	default:
		fmt.Fprintf(w, "score against %s: accuracy %.4f (%d of %d rows right%s)\n", m.Prep.Target, s.Accuracy, s.Right, s.Rows, skipped)
	}
}
