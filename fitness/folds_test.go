package fitness

import (
	"context"
	"testing"

	"github.com/evonas/evonas/genome"
)

// TestReevaluateFolds checks that with Settings.Folds a genome's n-th
// evaluation trains and validates on fold n mod Folds: each record is the
// one a training of that fold with the visit's seed gives, and the
// records' validation sizes are the folds'.
func TestReevaluateFolds(t *testing.T) {
	d := testData(t)
	s := Settings{Epochs: 3, Folds: 3}
	ev := NewEvaluator(d, s, 7, 2)
	g := dense(8, "relu", 0.01, 16)
	ctx := context.Background()
	first, err := ev.Evaluate(ctx, []genome.Genome{g}, 0)
	if err != nil {
		t.Fatal(err)
	}
	again, err := ev.Reevaluate(ctx, []genome.Genome{g, g, g}, 1)
	if err != nil {
		t.Fatal(err)
	}
	recs := append(first, again...)
	base := TrainingSeed(7, g.Key())
	for visit, rec := range recs {
		fold := visit % 3
		if rec.Visit != visit || rec.Fold != fold {
			t.Fatalf("record %d: visit %d fold %d, want visit %d fold %d", visit, rec.Visit, rec.Fold, visit, fold)
		}
		want, _, err := Run(ctx, d.Fold(3, fold), s, g, VisitSeed(base, visit))
		if err != nil {
			t.Fatal(err)
		}
		if rec.Val != want.Val || rec.Test != want.Test || rec.Fitness != want.Fitness {
			t.Errorf("visit %d: val %+v test %+v, want those of fold %d: val %+v test %+v", visit, rec.Val, rec.Test, fold, want.Val, want.Test)
		}
	}
	// Folds 1 and 2 validate on other rows than fold 0: a training of
	// the same seed on the data's own split scores differently on
	// validation (a test that folds were in fact used).
	same, _, err := Run(ctx, d, s, g, VisitSeed(base, 1))
	if err != nil {
		t.Fatal(err)
	}
	if same.Val == recs[1].Val {
		t.Errorf("visit 1 scored as on the data's own split: %+v", same.Val)
	}
	// The test rows are the same in every fold: a fold's net is scored on
	// them (their loss differs from fold 0's since the net differs, but
	// the row count behind the accuracy is the test split's).
	for j := 1; j < 3; j++ {
		if f := d.Fold(3, j); f.Test.N != d.Test.N {
			t.Errorf("fold %d has %d test rows, want %d", j, f.Test.N, d.Test.N)
		}
	}
}
