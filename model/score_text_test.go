package model

import (
	"reflect"
	"testing"

	"github.com/evonas/evonas/dataset"
)

func TestScoreLine(t *testing.T) {
	cls := &Model{Prep: &dataset.Preprocessor{Target: "y", Task: dataset.Binary, Inputs: []dataset.Input{{Name: "x"}}}}
	reg := &Model{Prep: &dataset.Preprocessor{Target: "price", Task: dataset.Regression}}
	for _, c := range []struct {
		m    *Model
		s    Score
		want string
	}{
		{cls, Score{Rows: 4, Right: 3, Accuracy: 0.75, Balanced: 0.8}, "score against y: accuracy 0.7500, balanced accuracy 0.8000 (3 of 4 rows right)"},
		{cls, Score{Rows: 2, Right: 2, Accuracy: 1, Balanced: 1, Missing: 1}, "score against y: accuracy 1.0000, balanced accuracy 1.0000 (2 of 2 rows right; 1 row without a target not scored)"},
		{cls, Score{Rows: 4, Right: 1, Accuracy: 0.25, Balanced: 0.25, Unknown: 1, Example: "maybe"}, `score against y: accuracy 0.2500, balanced accuracy 0.2500 (1 of 4 rows right; 1 row labelled "maybe", not a class the model knows, counted wrong)`},
		{cls, Score{Rows: 4, Right: 1, Accuracy: 0.25, Balanced: 0.25, Unknown: 2, Example: "maybe"}, `score against y: accuracy 0.2500, balanced accuracy 0.2500 (1 of 4 rows right; 2 rows labelled with classes the model does not know (such as "maybe"), counted wrong)`},
		{reg, Score{Rows: 3, R2: 0.5, RMSE: 12.5}, "score against price: R² 0.5000, RMSE 12.5 (3 rows)"},
		{reg, Score{Missing: 2}, "score: no row has a price value; 2 rows without a target not scored"},
	} {
		if got := c.m.ScoreLine(c.s); got != c.want {
			t.Errorf("got  %q\nwant %q", got, c.want)
		}
	}
	if got := cls.IDColumns([]string{"id", "x", "y", "name"}); !reflect.DeepEqual(got, []string{"id", "name"}) {
		t.Errorf("IDColumns = %v, want [id name]: inputs and target are not IDs", got)
	}
}
