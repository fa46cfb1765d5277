package model_test

import (
	"math"
	"strings"
	"testing"

	"github.com/evonas/evonas/model"
)

// TestScore: a numeric class target is matched to the labels as Prepare
// made them, a missing target is counted and left out, an unknown label is
// a miss, and a table without the target is not scored.
func TestScore(t *testing.T) {
	m, _ := train(t, "x,y\n0,0\n0.1,0\n0.2,0\n0.3,0\n0.4,0\n0.5,0\n0.6,1\n0.7,1\n0.8,1\n0.9,1\n1,1\n1.1,1\n1.2,1\n1.3,1\n", "num.csv", 200)
	tab := parseCSV(t, "x,y\n0,0\n1.3,1\n0.05,\n1.2,7\n", "new.csv")
	preds, err := m.Predict(tab)
	if err != nil {
		t.Fatal(err)
	}
	if preds[0].Label != "0" || preds[1].Label != "1" || preds[3].Label != "1" {
		t.Fatalf("labels %v, want 0, 1, ?, 1 (the net did not learn the threshold)", preds)
	}
	s, ok := m.Score(tab, preds)
	if !ok || s.Rows != 3 || s.Missing != 1 || s.Right != 2 || s.Accuracy != 2.0/3 || s.Unknown != 1 || s.Example != "7" {
		t.Errorf("score %+v, %v; want 2 of 3 rows right, 1 missing, 1 labelled 7 (unknown)", s, ok)
	}
	// The labels the rows carry, the unknown 7 too: recalls 1, 1 and 0.
	if s.Balanced != 2.0/3 {
		t.Errorf("balanced accuracy %v, want 2/3 (labels 0 and 1 right, 7 wrong)", s.Balanced)
	}
	// Worked by hand: 4 rows of 0, 3 predicted right, 2 of 1, 1 right:
	// recalls 3/4 and 1/2, balanced accuracy 0.625, accuracy 4/6.
	six := parseCSV(t, "x,y\n0,0\n0,0\n0,0\n0,0\n0,1\n0,1\n", "six.csv")
	var hand []model.Prediction
	for _, l := range []string{"0", "0", "0", "1", "1", "0"} {
		hand = append(hand, model.Prediction{Label: l})
	}
	if s, _ := m.Score(six, hand); s.Balanced != 0.625 || s.Accuracy != 4.0/6 || !strings.Contains(m.ScoreLine(s), "accuracy 0.6667, balanced accuracy 0.6250 (4 of 6 rows right)") {
		t.Errorf("score %+v: %s; want accuracy 4/6, balanced accuracy 0.625", s, m.ScoreLine(s))
	}
	// A row the net gave no answer (its output not a number) counts wrong.
	none := append([]model.Prediction(nil), preds...)
	none[1] = model.Prediction{Value: math.NaN(), None: true}
	if s, _ := m.Score(tab, none); s.Rows != 3 || s.Right != 1 || s.None != 1 ||
		!strings.Contains(m.ScoreLine(s), "(1 of 3 rows right; 1 row without a target not scored; 1 row labelled \"7\", not a class the model knows, counted wrong; 1 row without a prediction (the net's output is not a number), counted wrong)") {
		t.Errorf("score %+v: %s; want 1 of 3 right, 1 without a prediction, said", s, m.ScoreLine(s))
	}
	if _, ok := m.Score(parseCSV(t, "x\n0\n", "x.csv"), preds[:1]); ok {
		t.Error("scored a table without the target")
	}

	r, _ := train(t, regressionCSV(), "regression.csv", 150)
	tab = parseCSV(t, "x,y\n0.1,100\n0.5,130\n0.9,NA\n", "new.csv")
	preds, err = r.Predict(tab)
	if err != nil {
		t.Fatal(err)
	}
	s, _ = r.Score(tab, preds)
	e0, e1 := preds[0].Value-100, preds[1].Value-130
	mean := 115.0
	wantRMSE := math.Sqrt((e0*e0 + e1*e1) / 2)
	wantR2 := 1 - (e0*e0+e1*e1)/((100-mean)*(100-mean)+(130-mean)*(130-mean))
	if s.Rows != 2 || s.Missing != 1 || math.Abs(s.RMSE-wantRMSE) > 1e-12 || math.Abs(s.R2-wantR2) > 1e-12 {
		t.Errorf("score %+v, want 2 rows, 1 missing, RMSE %g, R² %g", s, wantRMSE, wantR2)
	}
	// A regression row without an answer is left out, not a NaN RMSE.
	none = append([]model.Prediction(nil), preds...)
	none[1] = model.Prediction{Value: math.NaN(), None: true}
	if s, _ := r.Score(tab, none); s.Rows != 1 || s.None != 1 || math.Abs(s.RMSE-math.Abs(e0)) > 1e-12 {
		t.Errorf("score %+v, want 1 row scored (RMSE %g) and 1 without a prediction", s, math.Abs(e0))
	}

	// Rows of one target value have no variance to explain, so no R²,
	// whether or not their mean rounds (3.7 three times averages to
	// 3.7000000000000006, and the residuals over that rounding error gave
	// an R² of -7.6e34 here).
	for _, v := range []string{"5", "3.7"} {
		tab = parseCSV(t, "x,y\n0.1,"+v+"\n0.5,"+v+"\n0.9,"+v+"\n", "new.csv")
		if preds, err = r.Predict(tab); err != nil {
			t.Fatal(err)
		}
		if s, _ = r.Score(tab, preds); s.Rows != 3 || !math.IsNaN(s.R2) || !(s.RMSE > 0) {
			t.Errorf("target %s in every row: score %+v, want 3 rows, R² NaN and an RMSE", v, s)
		}
	}
}
