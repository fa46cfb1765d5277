package model

import (
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/evonas/evonas/dataset"
)

// Score is how well predictions match the rows' known targets.
type Score struct {
	Rows     int     // rows with a target value, the ones scored
	Missing  int     // rows whose target is missing, not scored
	Right    int     // classification: rows whose label is the target
	Accuracy float64 // classification: Right / Rows
	// Balanced is a classification's balanced accuracy: the mean over the
	// labels the scored rows carry (those the model does not know too) of
	// the share of each label's rows predicted as it, scikit-learn's
	// balanced_accuracy_score.
	Balanced float64
	R2       float64 // regression: 1 - residual / total sum of squares about these rows' mean; NaN when their targets are one value
	RMSE     float64 // regression, in the target's units
	// Unknown counts the rows, scored and wrong, whose label is none of the
	// model's classes (a class the training data did not have); Example
	// is the first such label.
	Unknown int
	Example string
	// None counts the rows with a target the model gave no prediction
	// (Prediction.None): counted wrong in a classification, left out of
	// a regression's R² and RMSE.
	None int
}

// Score compares preds, Predict's answers for t, with t's target column.
// ok is false when t has no column of the model's target name. A numeric
// target of a classification is matched to the labels as Prepare made them
// (strconv.FormatFloat(v, 'g', -1, 64)); a label the model never saw counts
// as a miss.
func (m *Model) Score(t *dataset.Table, preds []Prediction) (s Score, ok bool) {
	var col *dataset.Column
	for i := range t.Columns {
		if t.Columns[i].Name == m.Prep.Target {
			col = &t.Columns[i]
		}
	}
	if col == nil {
		return s, false
	}
	if m.Prep.Task == dataset.Regression {
		var y, yhat []float64
		for i, p := range preds {
			v := math.NaN()
			if col.Str != nil {
				if f, err := strconv.ParseFloat(col.Str[i], 64); err == nil {
					v = f
				}
			} else {
				v = col.Num[i]
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				s.Missing++
				continue
			}
			if p.None {
				s.None++
				continue
			}
			y, yhat = append(y, v), append(yhat, p.Value)
		}
		s.Rows = len(y)
		if s.Rows == 0 {
			return s, true
		}
		mean := 0.0
		for _, v := range y {
			mean += v
		}
		mean /= float64(len(y))
		var sse, sst float64
		for i, v := range y {
			sse += (v - yhat[i]) * (v - yhat[i])
			sst += (v - mean) * (v - mean)
		}
		s.RMSE = math.Sqrt(sse / float64(len(y)))
		s.R2 = 1 - sse/sst
		// Targets of one value leave no variance to explain, even where
		// their mean rounds and sst is that rounding error.
		if sst == 0 || !slices.ContainsFunc(y, func(v float64) bool { return v != y[0] }) {
			s.R2 = math.NaN()
		}
		return s, true
	}
	rows, hits := map[string]int{}, map[string]int{}
	for i, p := range preds {
		var label string
		if col.Str != nil {
			label = col.Str[i]
		} else if !math.IsNaN(col.Num[i]) {
			label = strconv.FormatFloat(col.Num[i], 'g', -1, 64)
		}
		if label == "" {
			s.Missing++
			continue
		}
		s.Rows++
		rows[label]++
		if p.None {
			s.None++
		}
		if label == p.Label {
			s.Right++
			hits[label]++
		} else if !slices.Contains(m.Prep.Classes, label) {
			if s.Unknown++; s.Unknown == 1 {
				s.Example = label
			}
		}
	}
	if s.Rows > 0 {
		s.Accuracy = float64(s.Right) / float64(s.Rows)
		// Summed in the labels' order, so that the same rows give the
		// same bits.
		labels := slices.Sorted(maps.Keys(rows))
		for _, l := range labels {
			s.Balanced += float64(hits[l]) / float64(rows[l])
		}
		s.Balanced /= float64(len(labels))
	}
	return s, true
}
