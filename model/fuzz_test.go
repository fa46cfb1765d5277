package model

import (
	"os"
	"testing"

	"github.com/evonas/evonas/dataset"
)

// FuzzParse feeds arbitrary bytes to the model file decoder: it returns an
// error or a model whose net and preprocessor fit, which then predicts on
// a row without panicking.
func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile("testdata/iris.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"format":"evonas-model","version":1}`))
	f.Add([]byte(`{"format":"evonas-model","version":2}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(b, "fuzz.json")
		if err != nil {
			if _, ok := err.(*FormatError); !ok {
				t.Fatalf("error %T, want *FormatError: %v", err, err)
			}
			return
		}
		if m.check() != nil {
			t.Fatal("Parse returned a model that fails its check")
		}
		// One row with every input column, numeric value 1 or the first
		// category.
		tab := &dataset.Table{Source: "row"}
		for _, in := range m.Prep.Inputs {
			c := dataset.Column{Name: in.Name}
			if len(in.Categories) > 0 {
				c.Str = []string{in.Categories[0]}
			} else {
				c.Num = []float64{1}
			}
			tab.Columns = append(tab.Columns, c)
		}
		if len(tab.Columns) == 0 {
			return
		}
		preds, err := m.Predict(tab)
		if err == nil && len(preds) != 1 {
			t.Fatalf("%d predictions for one row", len(preds))
		}
	})
}
