package model

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/evonas/evonas/dataset"
)

// WritePredictions writes preds as CSV: a header, then one row per
// prediction with the label (a regression's value) and, for a
// classification, each class's probability in columns p_CLASS.
func (m *Model) WritePredictions(w io.Writer, preds []Prediction) error {
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
