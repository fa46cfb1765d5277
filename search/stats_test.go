package search

import (
	"math"
	"testing"
)

// The expected values were counted by enumerating every way to split the
// pooled ranks (itertools.combinations over scipy's rankdata), and, for
// the large case, by scipy.stats.mannwhitneyu(method="asymptotic",
// use_continuity=True).
func TestMannWhitney(t *testing.T) {
	cases := []struct {
		name  string
		x, y  []float64
		p, u  float64
		exact bool
	}{
		{"separated", []float64{1, 2, 3}, []float64{4, 5, 6}, 0.1, 0, true},
		{"n = 1", []float64{1}, []float64{2}, 1, 0, true},
		{"identical samples", []float64{5, 5, 5}, []float64{5, 5, 5}, 1, 4.5, true},
		{"ties", []float64{1, 2, 2}, []float64{2, 3, 4}, 0.3, 1, true},
		{"ties, unequal sizes", []float64{0.9, 0.95, 0.95, 0.97, 0.93}, []float64{0.91, 0.95, 0.92, 0.90, 0.94, 0.96}, 0.5800865800865801, 18.5, true},
		{"normal approximation with ties",
			[]float64{0.53, 0.58, 0.53, 0.37, 0.59, 0.54, 0.45, 0.56, 0.54, 0.53, 0.5, 0.55, 0.43, 0.48, 0.45, 0.56, 0.5, 0.47, 0.42, 0.47, 0.5, 0.47, 0.63, 0.6, 0.23, 0.31, 0.48, 0.46, 0.52, 0.52, 0.71, 0.39, 0.46, 0.7, 0.56, 0.57, 0.45, 0.34, 0.52, 0.51},
			[]float64{0.33, 0.38, 0.44, 0.36, 0.44, 0.46, 0.45, 0.4, 0.51, 0.54, 0.48, 0.37, 0.52, 0.4, 0.54, 0.34, 0.54, 0.45, 0.33, 0.42, 0.46, 0.48, 0.35, 0.34, 0.47, 0.4, 0.47, 0.53, 0.29, 0.48, 0.57, 0.42, 0.37, 0.53, 0.48},
			0.001974938073552579, 991.5, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if exact := len(tc.x)+len(tc.y) <= exactLimit; exact != tc.exact {
				t.Fatalf("exact = %v, want %v", exact, tc.exact)
			}
			p, u := MannWhitney(tc.x, tc.y)
			if math.Abs(p-tc.p) > 1e-9 || u != tc.u {
				t.Errorf("p = %.12g, U = %v; want p = %.12g, U = %v", p, u, tc.p, tc.u)
			}
			// The test is symmetric: swapping the samples keeps p and
			// gives U' = n1*n2 - U.
			p2, u2 := MannWhitney(tc.y, tc.x)
			if math.Abs(p2-p) > 1e-9 || u2 != float64(len(tc.x)*len(tc.y))-u {
				t.Errorf("swapped: p = %v, U = %v", p2, u2)
			}
		})
	}
	if p, _ := MannWhitney(nil, []float64{1}); p != 1 {
		t.Errorf("empty sample: p = %v, want 1", p)
	}
}

func TestA12(t *testing.T) {
	cases := []struct {
		x, y []float64
		want float64
	}{
		{[]float64{1, 2, 3}, []float64{2}, 0.5},
		{[]float64{4, 5}, []float64{1, 2, 3}, 1},
		{[]float64{1, 2, 3}, []float64{4, 5}, 0},
		{[]float64{5, 5, 5}, []float64{5, 5, 5}, 0.5},
		{[]float64{1, 3}, []float64{2, 3}, 0.375}, // 1<2, 1<3, 3>2, 3=3: (0+0+1+0.5)/4
	}
	for _, tc := range cases {
		if got := A12(tc.x, tc.y); got != tc.want {
			t.Errorf("A12(%v, %v) = %v, want %v", tc.x, tc.y, got, tc.want)
		}
	}
}

func TestSummarize(t *testing.T) {
	s := Summarize([]float64{4, 1, 3, 2})
	// numpy: mean 2.5, std(ddof=1) 1.2909944487358056, quantiles 1.75, 2.5, 3.25
	want := Summary{N: 4, Mean: 2.5, Std: 1.2909944487358056, Median: 2.5, Q1: 1.75, Q3: 3.25, Min: 1, Max: 4}
	if math.Abs(s.Std-want.Std) > 1e-15 {
		t.Errorf("std %v, want %v", s.Std, want.Std)
	}
	s.Std = want.Std
	if s != want {
		t.Errorf("got %+v, want %+v", s, want)
	}
	if one := Summarize([]float64{7}); one.Median != 7 || one.Std != 0 || one.Q1 != 7 {
		t.Errorf("one value: %+v", one)
	}
	if q := tQuantile975(9); math.Abs(q-2.2621571627409915) > 1e-9 {
		t.Errorf("t quantile for 9 df = %v", q)
	}
}
