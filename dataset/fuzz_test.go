package dataset

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

// FuzzParseCSV checks that any input gives an *InputError or a well-formed
// table, that Prepare on that table (with each missing-value policy) gives an
// *InputError or well-formed data, and that Transform reproduces the rows
// prepared without imputation.
func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("a,b,c\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n9,10,x\n11,12,y\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := ParseCSV(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("ParseCSV error %T %v is not an *InputError", err, err)
			}
			return
		}
		checkTable(t, tab)
		for _, missing := range []string{"", "drop", "mean"} {
			d, err := Prepare(tab, Options{Missing: missing})
			if err != nil {
				var ie *InputError
				if !errors.As(err, &ie) {
					t.Fatalf("Prepare error %T %v is not an *InputError", err, err)
				}
				continue
			}
			checkData(t, tab, d, missing == "")
		}
	})
}

func checkTable(t *testing.T, tab *Table) {
	t.Helper()
	n := tab.Rows()
	if n == 0 || len(tab.Columns) == 0 || len(tab.Lines) != n {
		t.Fatalf("table with %d rows, %d columns, %d lines", n, len(tab.Columns), len(tab.Lines))
	}
	for i := 1; i < n; i++ {
		if tab.Lines[i] <= tab.Lines[i-1] {
			t.Fatalf("lines %v not increasing", tab.Lines)
		}
	}
	names := make(map[string]bool)
	for _, c := range tab.Columns {
		if c.Name == "" || names[c.Name] {
			t.Fatalf("empty or repeated column name %q", c.Name)
		}
		names[c.Name] = true
		if (c.Num == nil) == (c.Str == nil) {
			t.Fatalf("column %q: Num and Str both set or both nil", c.Name)
		}
		if c.len() != n {
			t.Fatalf("column %q has %d rows, table %d", c.Name, c.len(), n)
		}
		for i := range n {
			if c.Num != nil && math.IsInf(c.Num[i], 0) {
				t.Fatalf("column %q holds %v", c.Name, c.Num[i])
			}
		}
	}
}

func checkData(t *testing.T, tab *Table, d *Data, complete bool) {
	t.Helper()
	if d.Train.N == 0 || complete && d.Train.N+d.Val.N+d.Test.N != tab.Rows() {
		t.Fatalf("splits of %d/%d/%d rows from a table of %d", d.Train.N, d.Val.N, d.Test.N, tab.Rows())
	}
	if len(d.Features) == 0 || d.Prep.NumFeatures() != len(d.Features) {
		t.Fatalf("%d features, preprocessor %d", len(d.Features), d.Prep.NumFeatures())
	}
	if (d.Task == Regression) != (d.Classes == nil) || d.Task != Regression && len(d.Classes) < 2 {
		t.Fatalf("task %s with classes %q", d.Task, d.Classes)
	}
	var all map[string]bool
	if complete {
		x, _, err := d.Prep.Transform(tab)
		if err != nil {
			t.Fatalf("Transform of the prepared table: %v", err)
		}
		all = rowKeys(x, d.Prep.NumFeatures())
	}
	for _, s := range []Split{d.Train, d.Val, d.Test} {
		if s.D != len(d.Features) || len(s.X) != s.N*s.D || len(s.Y) != s.N {
			t.Fatalf("split shape N=%d D=%d len(X)=%d len(Y)=%d", s.N, s.D, len(s.X), len(s.Y))
		}
		for _, v := range s.X {
			if math.IsInf(v, 0) || math.IsNaN(v) {
				t.Fatalf("feature value %v", v)
			}
		}
		for _, y := range s.Y {
			if math.IsInf(y, 0) || math.IsNaN(y) ||
				d.Task != Regression && (y != math.Trunc(y) || y < 0 || int(y) >= len(d.Classes)) {
				t.Fatalf("target value %v with %d classes", y, len(d.Classes))
			}
		}
		for key := range rowKeys(s.X, s.D) {
			if complete && !all[key] {
				t.Fatal("a prepared row differs from every transformed row")
			}
		}
	}
}
