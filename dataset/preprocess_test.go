package dataset

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// rowKeys returns the bit patterns of each row of x, for exact comparison.
func rowKeys(x []float64, d int) map[string]bool {
	keys := make(map[string]bool)
	for r := 0; r+d <= len(x) && d > 0; r += d {
		b := make([]byte, 0, 8*d)
		for _, v := range x[r : r+d] {
			b = append(b, byteString(math.Float64bits(v))...)
		}
		keys[string(b)] = true
	}
	return keys
}

func byteString(u uint64) []byte {
	b := make([]byte, 8)
	for i := range b {
		b[i] = byte(u >> (8 * i))
	}
	return b
}

func TestPreprocessorJSON(t *testing.T) {
	reg, err := Prepare(idTable(50, true), Options{Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	bc, err := Load("breast_cancer", Options{Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []*Preprocessor{reg.Prep, bc.Prep} {
		t.Run(string(p.Task), func(t *testing.T) {
			b, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			var got Preprocessor
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(&got, p) {
				t.Errorf("round trip changed the preprocessor:\n got %+v\nwant %+v", got, *p)
			}
		})
	}
	b, _ := json.Marshal(reg.Prep)
	for _, key := range []string{`"target":"y"`, `"task":"regression"`, `"inputs":[`, `"categories":["blue","green","red"]`, `"target_mean":`, `"target_scale":`, `"mean":`, `"scale":`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON %s lacks %s", b, key)
		}
	}
}

// TestTransformReproduces checks that Transform, even after a JSON round
// trip, encodes the original rows exactly as Prepare did.
func TestTransformReproduces(t *testing.T) {
	for _, name := range []string{"breast_cancer", "iris", "ids"} {
		t.Run(name, func(t *testing.T) {
			var tab *Table
			var d *Data
			var err error
			if name == "ids" {
				tab = idTable(120, false)
				d, err = Prepare(tab, Options{Seed: 8})
			} else {
				if tab, err = LoadTable(name, Options{}); err != nil {
					t.Fatal(err)
				}
				d, err = Load(name, Options{Seed: 8})
			}
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(d.Prep)
			if err != nil {
				t.Fatal(err)
			}
			var p Preprocessor
			if err := json.Unmarshal(b, &p); err != nil {
				t.Fatal(err)
			}
			x, n, err := p.Transform(tab)
			if err != nil {
				t.Fatal(err)
			}
			if n != tab.Rows() || len(x) != n*p.NumFeatures() || p.NumFeatures() != len(d.Features) {
				t.Fatalf("Transform gave %d rows, %d values, %d features; want %d rows of %d", n, len(x), p.NumFeatures(), tab.Rows(), len(d.Features))
			}
			all := rowKeys(x, p.NumFeatures())
			for k, s := range []Split{d.Train, d.Val, d.Test} {
				for key := range rowKeys(s.X, s.D) {
					if !all[key] {
						t.Fatalf("split %d has a row that Transform does not produce", k)
					}
				}
			}
		})
	}
}

func TestTransformColumns(t *testing.T) {
	tab := idTable(60, false)
	d, err := Prepare(tab, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := d.Prep.Transform(tab)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("any order, extra columns, no target", func(t *testing.T) {
		c := tab.Columns
		shuffled := &Table{Source: "new.csv", Lines: tab.Lines,
			Columns: []Column{c[2], {Name: "extra", Num: make([]float64, 60)}, c[1], c[0]}}
		got, n, err := d.Prep.Transform(shuffled)
		if err != nil {
			t.Fatal(err)
		}
		if n != 60 || !slices.Equal(got, want) {
			t.Error("reordered columns encode differently")
		}
	})

	t.Run("column in another case", func(t *testing.T) {
		cols := slices.Clone(tab.Columns)
		cols[2].Name = "C"
		_, _, err := d.Prep.Transform(&Table{Source: "new.csv", Lines: tab.Lines, Columns: cols})
		if err == nil || err.Error() != `new.csv: input column "c" not found (columns: id, u, C, y); did you mean "C"?` {
			t.Errorf("error %v, want input column \"c\" not found, did you mean \"C\"", err)
		}
	})

	t.Run("missing column", func(t *testing.T) {
		short := &Table{Source: "new.csv", Lines: tab.Lines, Columns: tab.Columns[:2]}
		_, _, err := d.Prep.Transform(short)
		if err == nil || err.Error() != `new.csv: input column "c" not found (columns: id, u)` {
			t.Errorf("error %v, want input column \"c\" not found", err)
		}
	})
}

func TestTransformValues(t *testing.T) {
	train := parse(t, "n,c,y\n"+strings.Repeat("1,a,p\n2,b,q\n3,10,p\n", 10))
	d, err := Prepare(train, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.Features, []string{"n", "c=10", "c=a", "c=b"}; !slices.Equal(got, want) {
		t.Fatalf("features %q, want %q", got, want)
	}
	in := d.Prep.Inputs[0]
	std := func(v float64) float64 { return (v - in.Mean) / in.Scale }
	tests := []struct {
		name string
		text string
		want []float64
		err  string
	}{
		{"known", "n,c\n2,b\n", []float64{std(2), 0, 0, 1}, ""},
		{"unseen category", "n,c\n2,zzz\n", []float64{std(2), 0, 0, 0}, ""},
		{"numeric column for a categorical input", "n,c\n1,10\n3,10.0\n", []float64{std(1), 1, 0, 0, std(3), 1, 0, 0}, ""},
		{"missing numeric", "n,c\n1,a\nNA,b\n", nil, `new.csv:3: column "n": missing value`},
		{"missing category", "n,c\n1,a\n2,b\n3,\n", nil, `new.csv:4: column "c": missing value`},
		{"non-numeric", "n,c\n1,a\nlots,b\n", nil, `new.csv:3: column "n": non-numeric value "lots"`},
		{"earliest row first", "n,c\n1,NA\nNA,b\n", nil, `new.csv:2: column "c": missing value`},
		{"first input within a row", "n,c\nNA,NA\n1,a\n", nil, `new.csv:2: column "n": missing value`},
		{"too large", "n,c\n1,a\n1.7e308,a\n", nil, `new.csv:3: column "n": value 1.7e+308 too large to standardize`},
		// Rows to predict, with the training file's header: the target left
		// empty, and a column the model does not use empty too.
		{"empty target and unused column", "n,c,y,notes\n2,b,,\n1,a,,\n", []float64{std(2), 0, 0, 1, std(1), 0, 1, 0}, ""},
		{"empty input column", "n,c\n,a\n,b\n", nil, `new.csv:2: column "n": missing value`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := ParseCSV(strings.NewReader(tc.text), "new.csv")
			if err != nil {
				t.Fatal(err)
			}
			got, n, err := d.Prep.Transform(tab)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				var ie *InputError
				if !errors.As(err, &ie) {
					t.Errorf("error %T is not an *InputError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n != tab.Rows() || !slices.Equal(got, tc.want) {
				t.Errorf("Transform = %v (%d rows), want %v", got, n, tc.want)
			}
		})
	}
}

func TestTransformGenerated(t *testing.T) {
	// Generated tables have no line numbers: errors give the row.
	p := &Preprocessor{Inputs: []Input{{Name: "x1", Scale: 1}}}
	tab := &Table{Source: "xor", Columns: []Column{{Name: "x1", Num: []float64{1, math.NaN()}}}}
	_, _, err := p.Transform(tab)
	if err == nil || err.Error() != `xor: row 2: column "x1": missing value` {
		t.Errorf("error %v, want a missing value in row 2", err)
	}
}

func TestNumFeaturesAndTargetValue(t *testing.T) {
	p := &Preprocessor{
		Inputs:     []Input{{Name: "a", Mean: 1, Scale: 2}, {Name: "b", Categories: []string{"x", "y", "z"}}, {Name: "c", Scale: 1}},
		TargetMean: 10, TargetScale: 4,
	}
	if got := p.NumFeatures(); got != 5 {
		t.Errorf("NumFeatures() = %d, want 5", got)
	}
	for _, tc := range []struct{ y, want float64 }{{0, 10}, {1, 14}, {-0.5, 8}} {
		if got := p.TargetValue(tc.y); got != tc.want {
			t.Errorf("TargetValue(%v) = %v, want %v", tc.y, got, tc.want)
		}
	}
}
