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
	// An infinite value (an infinite regret) leaves the order statistics
	// it does not touch as they are: R's quantile(c(1, 2, Inf)) gives
	// 1.5, 2, Inf for type 7's 0.25, 0.5, 0.75.
	if inf := Summarize([]float64{1, 2, math.Inf(1)}); inf.Median != 2 || inf.Q1 != 1.5 || !math.IsInf(inf.Q3, 1) {
		t.Errorf("with +Inf: median %v, q1 %v, q3 %v; want 2, 1.5, +Inf", inf.Median, inf.Q1, inf.Q3)
	}
	if inf := Summarize([]float64{math.Inf(-1), 0.5, 0.6, 0.7, 0.8}); inf.Median != 0.6 || inf.Q1 != 0.5 || inf.Q3 != 0.7 {
		t.Errorf("with -Inf: median %v, q1 %v, q3 %v; want 0.6, 0.5, 0.7", inf.Median, inf.Q1, inf.Q3)
	}
	if q := tQuantile975(9); math.Abs(q-2.2621571627409915) > 1e-9 {
		t.Errorf("t quantile for 9 df = %v", q)
	}
}

// TestWilcoxon: R's example for wilcox.test(x, y, paired = TRUE) (V = 40,
// one-sided p = 0.01953, so two-sided 0.03906); exact p-values with ties
// and zero differences against enumerating every sign of the ranks; the
// normal approximation near the exact value where both apply.
func TestWilcoxon(t *testing.T) {
	x := []float64{1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30}
	y := []float64{0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29}
	if p, n := Wilcoxon(x, y); n != 9 || math.Abs(p-0.0390625) > 1e-12 {
		t.Errorf("R's example: p = %v over %d pairs, want 0.0390625 over 9", p, n)
	}
	if p, n := Wilcoxon(y, x); n != 9 || math.Abs(p-0.0390625) > 1e-12 {
		t.Errorf("R's example swapped: p = %v over %d pairs, want the same", p, n)
	}
	if p, n := Wilcoxon([]float64{1, 2}, []float64{1, 2}); p != 1 || n != 0 {
		t.Errorf("no pair differs: p = %v, n = %d; want 1, 0", p, n)
	}

	// Ties, zeros and an infinite difference (a failed run), against
	// brute force over the 2^n signs (of the differences to 12 digits, as
	// Wilcoxon ranks them: TestWilcoxonTies).
	brute := func(x, y []float64) float64 {
		var d []float64
		for i := range x {
			if x[i] != y[i] {
				d = append(d, TieValue(x[i]-y[i]))
			}
		}
		abs := make([]float64, len(d))
		for i, v := range d {
			abs[i] = math.Abs(v)
		}
		r, _ := midranks(abs, nil)
		total, obs := 0.0, 0.0
		for i, v := range d {
			total += r[i]
			if v > 0 {
				obs += r[i]
			}
		}
		mean := total / 2
		hits := 0
		for m := 0; m < 1<<len(d); m++ {
			s := 0.0
			for i := range d {
				if m>>i&1 == 1 {
					s += r[i]
				}
			}
			if math.Abs(s-mean) >= math.Abs(obs-mean)-1e-9 {
				hits++
			}
		}
		return float64(hits) / float64(int(1)<<len(d))
	}
	for _, c := range []struct{ x, y []float64 }{
		{[]float64{0.97, 0.96, 0.98, 0.97, 0.95, 0.99, 0.97, 0.96, 0.98, 0.97, 0.96, 0.94}, []float64{0.96, 0.96, 0.97, 0.95, 0.96, 0.97, 0.97, 0.95, 0.96, 0.98, 0.95, 0.93}},
		{[]float64{1, 2, 3, 4, 5, 6}, []float64{0, 1, 2, 3, 4, 5}},
		{[]float64{0.5, math.Inf(-1), 0.7, 0.6, 0.6}, []float64{0.4, 0.5, 0.5, 0.6, 0.7}},
	} {
		p, _ := Wilcoxon(c.x, c.y)
		if want := brute(c.x, c.y); math.Abs(p-want) > 1e-12 {
			t.Errorf("Wilcoxon(%v, %v) = %v, brute force %v", c.x, c.y, p, want)
		}
	}

	// The normal approximation (used above 60 pairs) lands near the exact
	// count on 60 pairs with ties.
	x, y = make([]float64, 60), make([]float64, 60)
	for i := range x {
		x[i] = float64(i%7) + 0.3*float64(i%3)
		y[i] = float64((i*5)%7) - 0.5 + 0.2*float64(i%2)
	}
	var d []float64
	for i := range x {
		d = append(d, math.Abs(x[i]-y[i]))
	}
	r, ties := midranks(d, nil)
	wplus := 0.0
	for i := range x {
		if x[i] > y[i] {
			wplus += r[i]
		}
	}
	exact, n := Wilcoxon(x, y)
	approx := signedRankNormalP(60, ties, wplus)
	if n != 60 || math.Abs(exact-approx) > 0.01 || exact <= 0.001 || exact >= 0.999 {
		t.Errorf("60 pairs: exact p %v, normal approximation %v (n %d): want close, and neither extreme", exact, approx, n)
	}
}

// TestWilcoxonTies: differences equal but for their last bits (0.3 - 0.2
// and 0.4 - 0.3) are a tie, as the same differences written exactly are.
func TestWilcoxonTies(t *testing.T) {
	x := []float64{0.3, 0.4, 0.6, 0.5, 0.9, 0.9, 0.8}
	y := []float64{0.2, 0.3, 0.7, 0.3, 0.6, 0.5, 0.2}
	if a, b := x[0]-y[0], x[1]-y[1]; a == b {
		t.Fatalf("%v and %v are equal: the differences this test needs to differ do not", a, b)
	}
	// The same differences, times 10, exact.
	cx := []float64{1, 1, 0, 2, 3, 4, 6}
	cy := []float64{0, 0, 1, 0, 0, 0, 0}
	p, n := Wilcoxon(x, y)
	want, wn := Wilcoxon(cx, cy)
	if p != want || n != wn {
		t.Errorf("p = %v over %d pairs, want %v over %d as with the exact differences", p, n, want, wn)
	}
}
