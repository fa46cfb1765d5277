package model

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"

	"github.com/evonas/evonas/dataset"
)

// WritePredictions writes preds as CSV: a header, then one row per
// prediction with the kept columns' values (copies of the input rows', an
// ID say; a missing value is empty), the label (a regression's value) and,
// for a classification, each class's probability in columns p_CLASS.
func (m *Model) WritePredictions(w io.Writer, preds []Prediction, keep ...*dataset.Column) error {
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
		if p.None {
			// No answer: empty cells, as a missing value is written.
			clear(row[pos:])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// cellText is row i of column c as text; a missing value is empty.
func cellText(c *dataset.Column, i int) string {
	if c.Str != nil {
		return c.Str[i]
	}
	if math.IsNaN(c.Num[i]) {
		return ""
	}
	return strconv.FormatFloat(c.Num[i], 'g', -1, 64)
}
