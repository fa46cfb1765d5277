package model

import (
	"fmt"
	"io"

	"github.com/evonas/evonas/dataset"
)

// IDColumns returns the columns of keep (columns to copy beside the
// predictions) that are neither the model's inputs nor its target: they
// are to be read as text, so that an ID written 007 stays 007.
func (m *Model) IDColumns(keep []string) []string {
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

// TextColumns returns the columns of a file of rows to predict that are to
// be read as text: the model's categorical inputs, whose categories were
// read as written (a code 0012 is category "0012", which a column of such
// codes alone, read as numbers, would give as "12"), then IDColumns(keep).
func (m *Model) TextColumns(keep []string) []string {
	var text []string
	for _, in := range m.Prep.Inputs {
		if len(in.Categories) > 0 {
			text = append(text, in.Name)
		}
	}
	return append(text, m.IDColumns(keep)...)
}

// WriteScore prints, when t has the model's target column, how well preds
// (Predict's for t) match it, as evonas predict does; nothing otherwise.
func (m *Model) WriteScore(w io.Writer, t *dataset.Table, preds []Prediction) {
	if s, ok := m.Score(t, preds); ok {
		fmt.Fprintln(w, m.ScoreLine(s))
	}
}

// ScoreLine is s in words: accuracy and balanced accuracy, or R² and RMSE, against the model's
// target, with the rows scored and those without a target.
func (m *Model) ScoreLine(s Score) string {
	skipped := ""
	switch {
	case s.Missing == 1:
		skipped = "; 1 row without a target not scored"
	case s.Missing > 1:
		skipped = fmt.Sprintf("; %d rows without a target not scored", s.Missing)
	}
	switch {
	case s.Unknown == 1:
		skipped += fmt.Sprintf("; 1 row labelled %q, not a class the model knows, counted wrong", s.Example)
	case s.Unknown > 1:
		skipped += fmt.Sprintf("; %d rows labelled with classes the model does not know (such as %q), counted wrong", s.Unknown, s.Example)
	}
	if s.None > 0 {
		what := "counted wrong"
		if m.Prep.Task == dataset.Regression {
			what = "not scored"
		}
		rows := "rows"
		if s.None == 1 {
			rows = "row"
		}
		skipped += fmt.Sprintf("; %d %s without a prediction (the net's output is not a number), %s", s.None, rows, what)
	}
	switch {
	case s.Rows == 0 && s.None == 0:
		return fmt.Sprintf("score: no row has a %s value%s", m.Prep.Target, skipped)
	case s.Rows == 0:
		return fmt.Sprintf("score: no row with a %s value has a prediction%s", m.Prep.Target, skipped)
	case m.Prep.Task == dataset.Regression:
		return fmt.Sprintf("score against %s: R² %.4f, RMSE %.4g (%d rows%s)", m.Prep.Target, s.R2, s.RMSE, s.Rows, skipped)
	default:
		return fmt.Sprintf("score against %s: accuracy %.4f, balanced accuracy %.4f (%d of %d rows right%s)", m.Prep.Target, s.Accuracy, s.Balanced, s.Right, s.Rows, skipped)
	}
}
