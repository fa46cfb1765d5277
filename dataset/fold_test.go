package dataset

import (
	"slices"
	"strconv"
	"testing"
)

// rowsOf returns a split's rows as strings of their features and target,
// so that tests can compare sets of rows.
func rowsOf(s Split) []string {
	var out []string
	for i := range s.N {
		r := slices.Clone(s.X[i*s.D : (i+1)*s.D])
		r = append(r, s.Y[i])
		out = append(out, fmtRow(r))
	}
	return out
}

func fmtRow(r []float64) string {
	b := make([]byte, 0, 8*len(r))
	for _, x := range r {
		b = append(b, []byte(" "+formatFloat(x))...)
	}
	return string(b)
}

func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func TestFold(t *testing.T) {
	d, err := Load("seed-sum", Options{Seed: 3, Rows: 140})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{2, 3, 5} {
		if f := d.Fold(k, 0); f != d {
			t.Errorf("k=%d: fold 0 is not the data itself", k)
		}
		all := append(rowsOf(d.Train), rowsOf(d.Val)...)
		slices.Sort(all)
		seenVal := rowsOf(d.Val)
		for j := 1; j < k; j++ {
			f := d.Fold(k, j)
			if f.Train.N+f.Val.N != d.Train.N+d.Val.N {
				t.Fatalf("k=%d fold %d: %d training and %d validation rows, want %d in all", k, j, f.Train.N, f.Val.N, d.Train.N+d.Val.N)
			}
			if len(f.Train.X) != f.Train.N*f.Train.D || len(f.Val.X) != f.Val.N*f.Val.D || len(f.Val.Y) != f.Val.N {
				t.Fatalf("k=%d fold %d: split slices do not match their sizes", k, j)
			}
			got := append(rowsOf(f.Train), rowsOf(f.Val)...)
			slices.Sort(got)
			if !slices.Equal(got, all) {
				t.Errorf("k=%d fold %d: training and validation rows are not d's", k, j)
			}
			if want := (d.Train.N + k - 1 - j) / (k - 1); f.Val.N != want {
				t.Errorf("k=%d fold %d: %d validation rows, want %d", k, j, f.Val.N, want)
			}
			for _, r := range rowsOf(f.Val) {
				if slices.Contains(rowsOf(f.Train), r) {
					t.Fatalf("k=%d fold %d: row %s both trains and validates", k, j, r)
				}
			}
			seenVal = append(seenVal, rowsOf(f.Val)...)
			if !slices.Equal(f.Test.X, d.Test.X) || !slices.Equal(f.Test.Y, d.Test.Y) {
				t.Errorf("k=%d fold %d: test rows changed", k, j)
			}
		}
		slices.Sort(seenVal)
		if !slices.Equal(seenVal, all) {
			t.Errorf("k=%d: over the folds the validation rows are not every training and validation row once", k)
		}
	}
	if d.Train.N != 100 || d.Val.N != 20 {
		t.Fatalf("loaded %d/%d rows: the data moved, the test no longer checks what it says", d.Train.N, d.Val.N)
	}
}

func TestFoldPanics(t *testing.T) {
	d, err := Load("seed-sum", Options{Seed: 1, Rows: 140})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range [][2]int{{1, 0}, {3, 3}, {3, -1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Fold(%d, %d) did not panic", c[0], c[1])
				}
			}()
			d.Fold(c[0], c[1])
		}()
	}
}
