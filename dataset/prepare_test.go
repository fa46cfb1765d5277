package dataset

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func parse(t testing.TB, text string) *Table {
	t.Helper()
	tab, err := ParseCSV(strings.NewReader(text), "data.csv")
	if err != nil {
		t.Fatalf("ParseCSV: %v", err)
	}
	return tab
}

// csvOf builds CSV text with an id column, an input column x and the given
// target values, so that every class has enough rows to split.
func csvOf(targets ...string) string {
	var b strings.Builder
	b.WriteString("id,x,y\n")
	for i, y := range targets {
		fmt.Fprintf(&b, "%d,%g,%s\n", i, float64(i%7)/3, y)
	}
	return b.String()
}

// repeat returns each value n times.
func repeat(n int, values ...string) []string {
	var out []string
	for _, v := range values {
		for range n {
			out = append(out, v)
		}
	}
	return out
}

func TestTaskDetection(t *testing.T) {
	ints := func(lo, hi int) []string {
		var v []string
		for i := lo; i <= hi; i++ {
			v = append(v, fmt.Sprint(i))
		}
		return v
	}
	tests := []struct {
		name    string
		targets []string
		task    Task
		classes []string
	}{
		{"two strings", repeat(10, "yes", "no"), Binary, []string{"no", "yes"}},
		{"three strings", repeat(10, "b", "c", "a"), Multiclass, []string{"a", "b", "c"}},
		{"zero one", repeat(10, "1", "0"), Binary, []string{"0", "1"}},
		{"integers sort numerically", repeat(10, "10", "2", "-3"), Multiclass, []string{"-3", "2", "10"}},
		{"twenty integers", repeat(5, ints(1, 20)...), Multiclass, ints(1, 20)},
		{"integer-valued floats", repeat(10, "1.0", "2.0", "3e0"), Multiclass, []string{"1", "2", "3"}},
		{"minus zero is zero", repeat(10, "-0", "0", "1"), Binary, []string{"0", "1"}},
		{"twenty-one integers", repeat(5, ints(1, 21)...), Regression, nil},
		{"fractions", repeat(10, "0.5", "1", "1.5"), Regression, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Prepare(parse(t, csvOf(tc.targets...)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if d.Task != tc.task || !slices.Equal(d.Classes, tc.classes) {
				t.Errorf("task %s, classes %q; want %s, %q", d.Task, d.Classes, tc.task, tc.classes)
			}
			if d.Prep.Task != d.Task || !slices.Equal(d.Prep.Classes, d.Classes) {
				t.Errorf("Prep says %s %q, Data says %s %q", d.Prep.Task, d.Prep.Classes, d.Task, d.Classes)
			}
			for _, s := range []Split{d.Train, d.Val, d.Test} {
				for _, y := range s.Y {
					if tc.task != Regression && (y != math.Trunc(y) || y < 0 || int(y) >= len(tc.classes)) {
						t.Fatalf("Y value %v is not a class index", y)
					}
				}
			}
		})
	}
}

func TestTaskOverride(t *testing.T) {
	floats := make([]string, 60)
	for i := range floats {
		floats[i] = fmt.Sprint(float64(i%3) + 0.5)
	}
	many := make([]string, 3030)
	for i := range many {
		many[i] = fmt.Sprint(float64(i%1010) + 0.5)
	}
	tests := []struct {
		name    string
		targets []string
		task    Task
		want    Task
		classes int
		err     string // error text; "" for success
	}{
		{"binary on two classes", repeat(10, "a", "b"), Binary, Binary, 2, ""},
		{"multiclass on two classes", repeat(10, "a", "b"), Multiclass, Multiclass, 2, ""},
		{"binary on three classes", repeat(10, "a", "b", "c"), Binary, "", 0, `data.csv: column "y": binary task needs 2 classes, target has 3`},
		{"regression on strings", repeat(10, "a", "b"), Regression, "", 0, `data.csv: column "y": regression needs a numeric target`},
		{"regression on integers", repeat(10, "0", "1"), Regression, Regression, 0, ""},
		{"multiclass on fractions", floats, Multiclass, Multiclass, 3, ""},
		{"multiclass on too many values", many, Multiclass, "", 0, `data.csv: column "y": more than 1000 distinct target values, too many for multiclass classification`},
		{"single class", repeat(10, "only"), "", "", 0, `data.csv: column "y": target has a single class "only"`},
		{"single numeric class", repeat(10, "4"), Multiclass, "", 0, `data.csv: column "y": target has a single class "4"`},
		{"unknown task", repeat(10, "a", "b"), "ordinal", "", 0, `data.csv: unknown task "ordinal" (want binary, multiclass or regression)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Prepare(parse(t, csvOf(tc.targets...)), Options{Task: tc.task})
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
			if d.Task != tc.want || len(d.Classes) != tc.classes {
				t.Errorf("task %s with %d classes, want %s with %d", d.Task, len(d.Classes), tc.want, tc.classes)
			}
		})
	}
}

func TestPrepareErrors(t *testing.T) {
	ok := "a,b,c\n" + strings.Repeat("1,2,x\n3,4,y\n", 10)
	tests := []struct {
		name string
		text string
		opts Options
		want string
	}{
		{"target not found", ok, Options{Target: "foo"}, `data.csv: target column "foo" not found (columns: a, b, c)`},
		{"target in another case", ok, Options{Target: "B"}, `data.csv: target column "B" not found (columns: a, b, c); did you mean "b"?`},
		{"target with spaces", ok, Options{Target: " c "}, `data.csv: target column " c " not found (columns: a, b, c); did you mean "c"?`},
		{"missing value", "a,b,c\n1,2,x\n3,NA,y\n5,,z\n", Options{}, `data.csv:3: column "b": missing value (drop or impute it: --missing drop|mean, or data.missing in a config)`},
		{"first missing value in row order", "a,b,c\n1,2,x\n3,4,\n,6,y\n", Options{}, `data.csv:3: column "c": missing target value (drop the row: --missing drop, or data.missing in a config)`},
		{"missing feature and target", "a,b,c\n1,2,x\n,4,\n5,6,y\n", Options{}, `data.csv:3: column "c": missing target value (drop the row: --missing drop, or data.missing in a config)`},
		{"missing target with mean", "a,b,c\n1,2,x\n3,NA,\n", Options{Missing: "mean"}, `data.csv:3: column "c": missing target value (use --missing drop)`},
		{"unknown missing policy", ok, Options{Missing: "zero"}, `data.csv: unknown missing-value policy "zero" (want error, drop or mean)`},
		{"split sum", ok, Options{Split: Fractions{0.7, 0.2, 0.2}}, "data.csv: bad split 0.7/0.2/0.2: fractions must be >= 0, train > 0, and sum to 1"},
		{"negative split", ok, Options{Split: Fractions{1.2, -0.2, 0}}, "data.csv: bad split 1.2/-0.2/0: fractions must be >= 0, train > 0, and sum to 1"},
		{"no training", ok, Options{Split: Fractions{0, 0.5, 0.5}}, "data.csv: bad split 0/0.5/0.5: fractions must be >= 0, train > 0, and sum to 1"},
		{"NaN split", ok, Options{Split: Fractions{math.NaN(), 0.5, 0.5}}, "data.csv: bad split NaN/0.5/0.5: fractions must be >= 0, train > 0, and sum to 1"},
		{"small class", "a,x\n" + strings.Repeat("1,big\n", 20) + "2,x\n3,x\n", Options{}, `data.csv: class "x" has 2 rows, too few for a stratified 0.70/0.15/0.15 split (each class needs a row in each of its 3 parts)`},
		{"one-row class", "a,x\n" + strings.Repeat("1,big\n", 20) + "2,x\n", Options{Split: Fractions{0.8, 0.2, 0}}, `data.csv: class "x" has 1 row, too few for a stratified 0.80/0.20/0.00 split (each class needs a row in each of its 2 parts)`},
		{"small numeric class", "a,y\n" + strings.Repeat("1,0\n2,1\n3,2\n", 10) + "4,3\n", Options{}, `data.csv: class "3" has 1 row, too few for a stratified 0.70/0.15/0.15 split (each class needs a row in each of its 3 parts); the target "y" holds whole numbers, read as 4 classes: --task regression if it is a quantity`},
		{"small numeric class, task given", "a,y\n" + strings.Repeat("1,0\n2,1\n3,2\n", 10) + "4,3\n", Options{Task: Multiclass}, `data.csv: class "3" has 1 row, too few for a stratified 0.70/0.15/0.15 split (each class needs a row in each of its 3 parts)`},
		{"small regression", "a,b\n1,0.5\n2,1.5\n", Options{}, `data.csv: 2 rows, too few for a 0.70/0.15/0.15 split (it needs a row in each of its 3 parts)`},
		{"all missing", "a,b,c\n1,NA,x\n2,,y\n", Options{}, `data.csv: column "b": no values (all missing)`},
		{"all missing, dropped", "a,b,c\n1,NA,x\n2,,y\n", Options{Missing: "drop"}, `data.csv: column "b": no values (all missing)`},
		{"all missing target", "a,b\n1,\n2,\n", Options{}, `data.csv: column "b": no values (all missing)`},
		{"only a target", "y\n1\n2\n", Options{}, `data.csv: no input columns besides the target "y"`},
		{"everything dropped", "a,b,c\n1,NA,x\nNA,2,y\n", Options{Missing: "drop"}, "data.csv: no rows left after dropping rows with missing values"},
		{"huge values", "a,b\n" + strings.Repeat("1e300,0\n-1e300,1\n", 10), Options{}, `data.csv: column "a": values too large to standardize`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Prepare(parse(t, tc.text), tc.opts)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Errorf("error %T is not an *InputError", err)
			}
		})
	}
}

func TestPrepareBadTable(t *testing.T) {
	tests := []struct {
		name string
		tab  *Table
		want string
	}{
		{"no columns", &Table{Source: "t"}, "t: no columns"},
		{"ragged", &Table{Source: "t", Columns: []Column{{Name: "a", Num: []float64{1, 2}}, {Name: "b", Num: []float64{1}}}},
			`t: column "b": 1 rows, want 2`},
		{"both kinds", &Table{Source: "t", Columns: []Column{{Name: "a", Num: []float64{1}, Str: []string{"x"}}}},
			`t: column "a": both numeric and string values`},
		{"duplicate", &Table{Source: "t", Columns: []Column{{Name: "a", Num: []float64{1}}, {Name: "a", Num: []float64{1}}}},
			`t: duplicate column name "a"`},
		{"lines", &Table{Source: "t", Columns: []Column{{Name: "a", Num: []float64{1}}}, Lines: []int{1, 2}},
			`t: 2 line numbers for 1 rows`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Prepare(tc.tab, Options{})
			if err == nil || err.Error() != tc.want {
				t.Fatalf("Prepare: error %v, want %q", err, tc.want)
			}
			p := &Preprocessor{Inputs: []Input{{Name: "a", Scale: 1}}}
			if _, _, err := p.Transform(tc.tab); err == nil || err.Error() != tc.want {
				t.Errorf("Transform: error %v, want %q", err, tc.want)
			}
		})
	}
}

// idTable returns a table with an id column (0..n-1), a numeric input u, a
// categorical input c and a target y: class "a", "b" or "c" by id, or
// 3*id+7.5 for regression.
func idTable(n int, regression bool) *Table {
	rng := rand.New(rand.NewPCG(7, 7))
	t := &Table{Source: "ids.csv", Columns: []Column{
		{Name: "id", Num: make([]float64, n)},
		{Name: "u", Num: make([]float64, n)},
		{Name: "c", Str: make([]string, n)},
		{Name: "y"},
	}}
	if regression {
		t.Columns[3].Num = make([]float64, n)
	} else {
		t.Columns[3].Str = make([]string, n)
	}
	for i := range n {
		t.Lines = append(t.Lines, i+2)
		t.Columns[0].Num[i] = float64(i)
		t.Columns[1].Num[i] = rng.NormFloat64()*5 + 10
		t.Columns[2].Str[i] = []string{"red", "green", "blue"}[rng.IntN(3)]
		if regression {
			t.Columns[3].Num[i] = 3*float64(i) + 7.5
		} else {
			t.Columns[3].Str[i] = []string{"a", "b", "b", "c"}[i%4]
		}
	}
	return t
}

// ids recovers the id of every row of s, assuming id is feature 0.
func ids(d *Data, s Split) []int {
	in := d.Prep.Inputs[0]
	out := make([]int, s.N)
	for r := range s.N {
		out[r] = int(math.Round(s.X[r*s.D]*in.Scale + in.Mean))
	}
	return out
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name       string
		rows       int
		regression bool
		split      Fractions
		want       [3]int
	}{
		{"classification default", 200, false, Fractions{}, [3]int{140, 30, 30}},
		{"classification uneven", 101, false, Fractions{0.6, 0.3, 0.1}, [3]int{61, 30, 10}},
		{"classification no test", 50, false, Fractions{0.8, 0.2, 0}, [3]int{40, 10, 0}},
		{"classification train only", 20, false, Fractions{1, 0, 0}, [3]int{20, 0, 0}},
		{"regression default", 200, true, Fractions{}, [3]int{140, 30, 30}},
		{"regression rounding", 7, true, Fractions{0.5, 0.25, 0.25}, [3]int{4, 2, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab := idTable(tc.rows, tc.regression)
			d, err := Prepare(tab, Options{Split: tc.split, Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			if got := [3]int{d.Train.N, d.Val.N, d.Test.N}; got != tc.want {
				t.Errorf("split sizes %v, want %v", got, tc.want)
			}
			// Disjoint and complete.
			seen := make([]int, tc.rows)
			for _, s := range []Split{d.Train, d.Val, d.Test} {
				if len(s.X) != s.N*s.D || len(s.Y) != s.N || s.D != len(d.Features) {
					t.Fatalf("split shape: len(X)=%d len(Y)=%d N=%d D=%d features=%d", len(s.X), len(s.Y), s.N, s.D, len(d.Features))
				}
				for _, id := range ids(d, s) {
					seen[id]++
				}
			}
			for id, n := range seen {
				if n != 1 {
					t.Fatalf("row %d is in %d splits, want 1", id, n)
				}
			}
			// Each row keeps its own target.
			for _, s := range []Split{d.Train, d.Val, d.Test} {
				for r, id := range ids(d, s) {
					if tc.regression {
						if got, want := d.Prep.TargetValue(s.Y[r]), 3*float64(id)+7.5; math.Abs(got-want) > 1e-9 {
							t.Fatalf("row %d: target %v, want %v", id, got, want)
						}
					} else if got, want := d.Classes[int(s.Y[r])], tab.Columns[3].Str[id]; got != want {
						t.Fatalf("row %d: class %q, want %q", id, got, want)
					}
				}
			}
		})
	}
}

func TestSplitStratified(t *testing.T) {
	tab := idTable(400, false) // classes a:100, b:200, c:100
	frac := Fractions{0.7, 0.15, 0.15}
	d, err := Prepare(tab, Options{Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	for k, s := range []Split{d.Train, d.Val, d.Test} {
		share := []float64{frac.Train, frac.Val, frac.Test}[k]
		count := make([]int, len(d.Classes))
		for _, y := range s.Y {
			count[int(y)]++
		}
		for c, n := range count {
			size := []float64{100, 200, 100}[c]
			if want := size * share; math.Abs(float64(n)-want) > 1 {
				t.Errorf("split %d class %s: %d rows, want %v±1", k, d.Classes[c], n, want)
			}
		}
	}
}

func TestAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for range 2000 {
		k := 1 + rng.IntN(6)
		sizes := make([]int, k)
		total := 0
		for c := range sizes {
			sizes[c] = 3 + rng.IntN(60)
			total += sizes[c]
		}
		tr := 0.05 + 0.9*rng.Float64()
		va := (1 - tr) * rng.Float64()
		f := Fractions{tr, va, 1 - tr - va}
		if rng.IntN(4) == 0 {
			f = Fractions{tr, 1 - tr, 0}
		}
		train, val, short := allocate(sizes, f)
		if short >= 0 {
			t.Fatalf("allocate(%v, %v): group %d too small", sizes, f, short)
		}
		sumTr, sumVa := 0, 0
		for c, n := range sizes {
			te := n - train[c] - val[c]
			if train[c] < 1 || val[c] < 0 || te < 0 || (f.Val > 0) != (val[c] > 0) || (f.Test > 0) != (te > 0) {
				t.Fatalf("allocate(%v, %v): group %d gets %d/%d/%d", sizes, f, c, train[c], val[c], te)
			}
			sumTr += train[c]
			sumVa += val[c]
		}
		wantTr := int(math.Round(float64(total) * f.Train))
		wantVa := min(int(math.Round(float64(total)*f.Val)), total-wantTr)
		// The minimum of one row per split moves the totals by at most
		// two per group, and only when it binds.
		slack := 0
		for _, n := range sizes {
			for _, v := range []float64{f.Train, f.Val, f.Test} {
				if v > 0 && float64(n)*v < 1 {
					slack = 2 * k
				}
			}
		}
		if abs(sumTr-wantTr) > slack || abs(sumVa-wantVa) > slack {
			t.Fatalf("allocate(%v, %v) = %v/%v totals %d/%d, want %d/%d", sizes, f, train, val, sumTr, sumVa, wantTr, wantVa)
		}
	}
	if _, _, short := allocate([]int{10, 2, 10}, Fractions{0.7, 0.15, 0.15}); short != 1 {
		t.Errorf("allocate with a 2-row group: short = %d, want 1", short)
	}
	if _, _, short := allocate([]int{10, 2, 10}, Fractions{0.7, 0.3, 0}); short != -1 {
		t.Errorf("allocate with a 2-row group and two splits: short = %d, want -1", short)
	}
}

func abs(n int) int { return max(n, -n) }

func TestSplitSeed(t *testing.T) {
	tab := idTable(100, false)
	a, err := Prepare(tab, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Prepare(tab, Options{Seed: 1})
	c, _ := Prepare(tab, Options{Seed: 2})
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed gave different data")
	}
	if slices.Equal(ids(a, a.Train), ids(c, c.Train)) {
		t.Error("seeds 1 and 2 gave the same training rows in the same order")
	}
}

// columnStats returns the mean and population standard deviation of
// feature f in s.
func columnStats(s Split, f int) (mean, std float64) {
	for r := range s.N {
		mean += s.X[r*s.D+f]
	}
	mean /= float64(s.N)
	for r := range s.N {
		d := s.X[r*s.D+f] - mean
		std += d * d
	}
	return mean, math.Sqrt(std / float64(s.N))
}

func TestStandardization(t *testing.T) {
	for _, regression := range []bool{false, true} {
		t.Run(fmt.Sprint("regression=", regression), func(t *testing.T) {
			d, err := Prepare(idTable(300, regression), Options{Seed: 9})
			if err != nil {
				t.Fatal(err)
			}
			wantFeatures := []string{"id", "u", "c=blue", "c=green", "c=red"}
			if !slices.Equal(d.Features, wantFeatures) {
				t.Fatalf("features %q, want %q", d.Features, wantFeatures)
			}
			for f := range 2 {
				if m, s := columnStats(d.Train, f); math.Abs(m) > 1e-12 || math.Abs(s-1) > 1e-12 {
					t.Errorf("train feature %s: mean %v std %v, want 0 and 1", d.Features[f], m, s)
				}
				// Statistics come from training rows only, so other splits are off.
				mv, _ := columnStats(d.Val, f)
				mt, _ := columnStats(d.Test, f)
				if math.Abs(mv) < 1e-9 || math.Abs(mt) < 1e-9 {
					t.Errorf("feature %s: validation mean %v, test mean %v; want both off zero", d.Features[f], mv, mt)
				}
			}
			for _, s := range []Split{d.Train, d.Val, d.Test} {
				for r := range s.N {
					hot := s.X[r*s.D+2 : r*s.D+5]
					if n := slices.Index(hot, 1); n < 0 || hot[0]+hot[1]+hot[2] != 1 {
						t.Fatalf("one-hot features %v, want one 1 and zeros", hot)
					}
				}
			}
			if regression {
				var m, v float64
				for _, y := range d.Train.Y {
					m += y
				}
				m /= float64(d.Train.N)
				for _, y := range d.Train.Y {
					v += (y - m) * (y - m)
				}
				if math.Abs(m) > 1e-12 || math.Abs(math.Sqrt(v/float64(d.Train.N))-1) > 1e-12 {
					t.Errorf("train targets: mean %v std %v, want 0 and 1", m, math.Sqrt(v/float64(d.Train.N)))
				}
			}
		})
	}
}

func TestConstantColumn(t *testing.T) {
	// A column of one value has a zero deviation, whether or not its mean
	// rounds (0.3 summed over 14 training rows, divided by 14, is
	// 0.29999999999999993): it must get scale 1, not the rounding error's
	// 5.6e-17, by which a value 1e-8 off at prediction would be multiplied.
	for _, v := range []string{"5", "0.1", "0.3", "1.7", "1e12", "-0", "1e-320"} {
		t.Run(v, func(t *testing.T) {
			d, err := Prepare(parse(t, "k,x,y\n"+strings.Repeat(v+",1,a\n"+v+",2,b\n", 10)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			want, _ := strconv.ParseFloat(v, 64)
			if in := d.Prep.Inputs[0]; in.Mean != want || in.Scale != 1 {
				t.Errorf("constant column: mean %v scale %v, want %v and 1", in.Mean, in.Scale, want)
			}
			for r := range d.Train.N {
				if x := d.Train.X[r*d.Train.D]; x != 0 {
					t.Fatalf("constant column encodes as %v, want 0", x)
				}
			}
			x, _, err := d.Prep.Transform(parse(t, "k,x\n"+strconv.FormatFloat(want+1e-8, 'g', -1, 64)+",1\n"))
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(x[0]) > 1e-7 {
				t.Errorf("a new row 1e-8 off the constant encodes as %v, want about 1e-8", x[0])
			}
		})
	}
	t.Run("regression target", func(t *testing.T) {
		d, err := Prepare(parse(t, "x,y\n"+strings.Repeat("1,0.1\n2,0.1\n3,0.1\n", 10)), Options{Task: Regression})
		if err != nil {
			t.Fatal(err)
		}
		if d.Prep.TargetMean != 0.1 || d.Prep.TargetScale != 1 {
			t.Errorf("constant target: mean %v scale %v, want 0.1 and 1", d.Prep.TargetMean, d.Prep.TargetScale)
		}
		for _, y := range d.Train.Y {
			if y != 0 {
				t.Fatalf("constant target standardizes to %v, want 0", y)
			}
		}
	})
}

func TestMissingDrop(t *testing.T) {
	text := "a,b,y\n" + strings.Repeat("1,x,p\n2,y,q\n", 20) + "NA,x,p\n3,,q\n4,x,\n"
	d, err := Prepare(parse(t, text), Options{Missing: "drop"})
	if err != nil {
		t.Fatal(err)
	}
	if n := d.Train.N + d.Val.N + d.Test.N; n != 40 {
		t.Errorf("%d rows after dropping, want 40", n)
	}
	if want := []string{"a", "b=x", "b=y"}; !slices.Equal(d.Features, want) {
		t.Errorf("features %q, want %q", d.Features, want)
	}
}

func TestMissingMean(t *testing.T) {
	// Rows with id%5 == 0 lack u, rows with id%7 == 0 lack c.
	tab := idTable(140, false)
	u, c := slices.Clone(tab.Columns[1].Num), slices.Clone(tab.Columns[2].Str)
	for i := range u {
		if i%5 == 0 {
			u[i] = math.NaN()
		}
		if i%7 == 0 {
			c[i] = ""
		}
	}
	tab.Columns[1].Num, tab.Columns[2].Str = u, c

	if _, err := Prepare(tab, Options{}); err == nil || !strings.HasPrefix(err.Error(), `ids.csv:2: column "u": missing value`) {
		t.Fatalf("default policy: error %v, want a missing value in line 2", err)
	}
	d, err := Prepare(tab, Options{Missing: "mean"})
	if err != nil {
		t.Fatal(err)
	}
	trainIDs := ids(d, d.Train)
	var sum float64
	var n int
	count := map[string]int{}
	for _, id := range trainIDs {
		if !math.IsNaN(u[id]) {
			sum += u[id]
			n++
		}
		if c[id] != "" {
			count[c[id]]++
		}
	}
	mean := sum / float64(n)
	mode := ""
	for _, k := range []string{"blue", "green", "red"} {
		if count[k] > count[mode] {
			mode = k
		}
	}
	in := d.Prep.Inputs[1]
	checked := 0
	for _, s := range []Split{d.Train, d.Val, d.Test} {
		for r, id := range ids(d, s) {
			x := s.X[r*s.D : (r+1)*s.D]
			want := u[id]
			if math.IsNaN(want) {
				want = mean
				checked++
			}
			if got := x[1]*in.Scale + in.Mean; math.Abs(got-want) > 1e-9 {
				t.Fatalf("row %d: u = %v, want %v", id, got, want)
			}
			cat := c[id]
			if cat == "" {
				cat = mode
			}
			if got := d.Features[2+slices.Index(x[2:], 1)]; got != "c="+cat {
				t.Fatalf("row %d: one-hot %s, want c=%s", id, got, cat)
			}
		}
	}
	if checked != 28 {
		t.Errorf("checked %d imputed rows, want 28", checked)
	}
}

// TestIgnore: ignored columns are left out as if the file did not hold
// them (a missing or unreadable value in one is no error), the target is
// found before they go (ignoring the last column does not make the one
// before it the target), and a name that is no column, the target, or
// every input is refused naming it.
func TestIgnore(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,x,note,y\n")
	for i := range 40 {
		note := "ok"
		if i == 3 {
			note = "" // missing: no error once ignored
		}
		fmt.Fprintf(&b, "%d,%g,%s,%d\n", i, float64(i%7), note, i%2)
	}
	tab := parse(t, b.String())
	d, err := Prepare(tab, Options{Ignore: []string{"id", "note"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.Features, ","); got != "x" || d.Prep.Target != "y" || len(d.Notes) != 0 {
		t.Errorf("features %q, target %q, notes %q; want x, y and no note", got, d.Prep.Target, d.Notes)
	}
	whole, err := Prepare(tab, Options{Missing: MissingDrop})
	if err != nil {
		t.Fatal(err)
	}
	if whole.Train.N+whole.Val.N+whole.Test.N != 39 || len(whole.Notes) != 1 || !strings.Contains(whole.Notes[0], `column "id" numbers the rows (0 to 39`) {
		t.Errorf("not ignored: %d rows, notes %q; want 39 rows and a note on id", whole.Train.N+whole.Val.N+whole.Test.N, whole.Notes)
	}
	// The last column ignored with the target named: y stays the target.
	d, err = Prepare(parse(t, "x,y,id\n"+strings.Repeat("1,a,1\n2,b,2\n", 10)), Options{Target: "y", Ignore: []string{"id"}})
	if err != nil || d.Prep.Target != "y" || strings.Join(d.Features, ",") != "x" {
		t.Errorf("ignoring the last column: %v; want target y and input x", err)
	}
	for _, tc := range []struct {
		ignore []string
		want   string
	}{
		{[]string{"ID"}, `data.csv: column "ID" to ignore not found (columns: id, x, note, y); did you mean "id"?`},
		{[]string{"y"}, `data.csv: column "y": the target cannot be ignored`},
		{[]string{"id", "x", "note"}, `data.csv: no input columns left besides the target "y" (ignored: "id", "x", "note")`},
	} {
		if _, err := Prepare(tab, Options{Ignore: tc.ignore}); err == nil || err.Error() != tc.want {
			t.Errorf("ignore %v: %v, want %s", tc.ignore, err, tc.want)
		}
	}
}

// TestMajorityNote: when one class holds three quarters of the validation
// rows or more, Prepare notes the accuracy a net answering it for every
// row scores there, the bar the search's accuracies are to be read
// against; a balanced target gets no note.
func TestMajorityNote(t *testing.T) {
	table := func(every int) *Table {
		var b strings.Builder
		b.WriteString("x,y\n")
		for i := range 200 {
			y := "no"
			if i%every == 0 {
				y = "yes"
			}
			fmt.Fprintf(&b, "%d,%s\n", i%13, y)
		}
		return parse(t, b.String())
	}
	d, err := Prepare(table(10), Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	no := 0
	for _, y := range d.Val.Y {
		if d.Classes[int(y)] == "no" {
			no++
		}
	}
	want := fmt.Sprintf(`data.csv: class "no" is %d of the %d validation rows: a net that answers it for every row scores a validation accuracy of %.4f (a balanced accuracy of 0.5000);`, no, d.Val.N, float64(no)/float64(d.Val.N))
	if len(d.Notes) != 1 || !strings.HasPrefix(d.Notes[0], want) || !strings.HasSuffix(d.Notes[0], "with objective.metric: balanced") {
		t.Errorf("a 9:1 target: notes %q, want one starting %q and naming objective.metric: balanced", d.Notes, want)
	}
	if d, err := Prepare(table(2), Options{Seed: 1}); err != nil || len(d.Notes) != 0 {
		t.Errorf("a balanced target: notes %q, %v; want none", d.Notes, err)
	}
}
