package search

import (
	"math"
	"sort"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"
)

// MannWhitney returns the two-sided p-value of the Mann-Whitney U test of
// samples x and y, and U for x (the number of pairs in which x beats y,
// ties counting a half). For up to exactLimit observations in all the
// p-value is exact: the null distribution of the rank sum, midranks for
// ties included, counted by dynamic programming over the pooled ranks.
// Above that it uses the normal approximation with the tie correction and
// a continuity correction. An empty sample gives p = 1.
func MannWhitney(x, y []float64) (p, u float64) {
	n1, n2 := len(x), len(y)
	if n1 == 0 || n2 == 0 {
		return 1, 0
	}
	ranks, ties := midranks(x, y)
	r1 := 0.0
	for _, r := range ranks[:n1] {
		r1 += r
	}
	u = r1 - float64(n1*(n1+1))/2
	if n1+n2 <= exactLimit {
		return exactP(ranks, n1, r1), u
	}
	n := float64(n1 + n2)
	mu := float64(n1*n2) / 2
	sigma2 := float64(n1*n2) / 12 * ((n + 1) - ties/(n*(n-1)))
	if sigma2 <= 0 {
		return 1, u
	}
	z := (math.Abs(u-mu) - 0.5) / math.Sqrt(sigma2)
	if z < 0 {
		z = 0
	}
	return math.Min(1, math.Erfc(z/math.Sqrt2)), u
}

const exactLimit = 60

// MinP is the smallest two-sided p-value MannWhitney can return for
// samples of n1 and n2 values: that of two samples with no overlap. With
// three runs or fewer a side it is at least 0.1, so no difference can be
// significant at 0.05 however large it is; four a side allow 0.029.
func MinP(n1, n2 int) float64 {
	if n1 == 0 || n2 == 0 {
		return 1
	}
	if n1+n2 <= exactLimit {
		// Of the C(n1+n2, n1) equally likely rank sets, the lowest and
		// the highest sums are the only ones as extreme.
		lc, _ := math.Lgamma(float64(n1 + n2 + 1))
		l1, _ := math.Lgamma(float64(n1 + 1))
		l2, _ := math.Lgamma(float64(n2 + 1))
		return math.Min(1, 2*math.Exp(l1+l2-lc))
	}
	n := float64(n1 + n2)
	mu := float64(n1*n2) / 2
	sigma := math.Sqrt(float64(n1*n2) / 12 * (n + 1))
	return math.Min(1, math.Erfc((mu-0.5)/sigma/math.Sqrt2))
}

// midranks ranks the pooled samples (x first, then y) from 1, giving tied
// values their mean rank; it also returns sum(t^3 - t) over tie groups.
func midranks(x, y []float64) ([]float64, float64) {
	all := append(append([]float64(nil), x...), y...)
	idx := make([]int, len(all))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return all[idx[a]] < all[idx[b]] })
	ranks := make([]float64, len(all))
	ties := 0.0
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && all[idx[j+1]] == all[idx[i]] {
			j++
		}
		r := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			ranks[idx[k]] = r
		}
		t := float64(j - i + 1)
		ties += t*t*t - t
		i = j + 1
	}
	return ranks, ties
}

// exactP is the two-sided exact p-value of rank sum r1 for the first n1 of
// the pooled ranks: the probability, over all equally likely ways to pick
// n1 of the ranks, of a rank sum at least as far from its mean as r1.
func exactP(ranks []float64, n1 int, r1 float64) float64 {
	// Doubled midranks are integers.
	maxSum := 0
	for _, r := range ranks {
		maxSum += int(math.Round(2 * r))
	}
	// count[k][s]: subsets of k ranks whose doubled sum is s.
	count := make([][]float64, n1+1)
	for k := range count {
		count[k] = make([]float64, maxSum+1)
	}
	count[0][0] = 1
	for i, r := range ranks {
		d := int(math.Round(2 * r))
		for k := min(i+1, n1); k >= 1; k-- {
			row, prev := count[k], count[k-1]
			for s := maxSum; s >= d; s-- {
				row[s] += prev[s-d]
			}
		}
	}
	total, mean := 0.0, 0.0
	for s, c := range count[n1] {
		total += c
		mean += c * float64(s)
	}
	mean /= total
	obs := math.Abs(2*r1 - mean)
	extreme := 0.0
	for s, c := range count[n1] {
		if math.Abs(float64(s)-mean) >= obs-1e-9 {
			extreme += c
		}
	}
	return math.Min(1, extreme/total)
}

// TieValue is v to 12 significant digits. The tests see values (and
// differences) equal to 12 digits as the ties they are: accuracies are
// fractions, and two equal ones reached by different floating-point sums,
// or two equal differences of different fractions, can differ in their
// last bits.
func TieValue(v float64) float64 {
	if math.IsInf(v, 0) || math.IsNaN(v) || v == 0 {
		return v
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	return r
}

// Wilcoxon returns the two-sided p-value of the Wilcoxon signed-rank test
// of paired samples, x[i] with y[i], and the number of pairs that differ.
// Pairs with equal values are dropped (Wilcoxon's own rule); the others are
// ranked by the size of their difference (to 12 significant digits,
// TieValue), ties taking their midrank. For up to exactLimit such pairs
// the p-value is exact: the null distribution of the sum of the positive
// ranks, each rank positive or negative with equal chance, counted by
// dynamic programming over doubled midranks. Above that
// it uses the normal approximation with the tie correction and a
// continuity correction. No pair that differs gives p = 1. x and y must be
// as long as each other; a pair with an infinite value differs by more
// than any finite pair.
func Wilcoxon(x, y []float64) (p float64, n int) {
	var d []float64
	for i := range x {
		if x[i] == y[i] {
			continue
		}
		v := x[i] - y[i]
		if math.IsNaN(v) {
			continue
		}
		d = append(d, TieValue(v))
	}
	n = len(d)
	if n == 0 {
		return 1, 0
	}
	abs := make([]float64, n)
	for i, v := range d {
		abs[i] = math.Abs(v)
	}
	ranks, ties := midranks(abs, nil)
	wplus := 0.0
	for i, v := range d {
		if v > 0 {
			wplus += ranks[i]
		}
	}
	if n <= exactLimit {
		return signedRankP(ranks, wplus), n
	}
	return signedRankNormalP(n, ties, wplus), n
}

// signedRankNormalP is the normal approximation of signedRankP for n
// ranks with tie term ties (sum of t^3 - t over tie groups).
func signedRankNormalP(n int, ties, wplus float64) float64 {
	nf := float64(n)
	mu := nf * (nf + 1) / 4
	sigma2 := nf*(nf+1)*(2*nf+1)/24 - ties/48
	if sigma2 <= 0 {
		return 1
	}
	z := (math.Abs(wplus-mu) - 0.5) / math.Sqrt(sigma2)
	if z < 0 {
		z = 0
	}
	return math.Min(1, math.Erfc(z/math.Sqrt2))
}

// signedRankP is the two-sided exact p-value of the positive rank sum
// wplus: the probability, over the 2^n equally likely signs of the ranks,
// of a sum at least as far from its mean as wplus.
func signedRankP(ranks []float64, wplus float64) float64 {
	total := 0
	for _, r := range ranks {
		total += int(math.Round(2 * r))
	}
	// count[s]: sign assignments whose doubled positive sum is s, as a
	// fraction of those made so far.
	count := make([]float64, total+1)
	count[0] = 1
	top := 0
	for _, r := range ranks {
		d := int(math.Round(2 * r))
		top += d
		for s := top; s >= 0; s-- {
			c := count[s] / 2
			if s >= d {
				c += count[s-d] / 2
			}
			count[s] = c
		}
	}
	mean := float64(total) / 2
	obs := math.Abs(2*wplus - mean)
	p := 0.0
	for s, c := range count {
		if math.Abs(float64(s)-mean) >= obs-1e-9 {
			p += c
		}
	}
	return math.Min(1, p)
}

// A12 is the Vargha-Delaney effect size: the probability that a value
// drawn from x is larger than one drawn from y, ties counting a half. 0.5
// means no difference; above 0.5, x tends to be larger.
func A12(x, y []float64) float64 {
	if len(x) == 0 || len(y) == 0 {
		return 0.5
	}
	wins := 0.0
	for _, a := range x {
		for _, b := range y {
			switch {
			case a > b:
				wins++
			case a == b:
				wins += 0.5
			}
		}
	}
	return wins / float64(len(x)*len(y))
}

// Summary describes a sample.
type Summary struct {
	N      int     `json:"n"`
	Mean   float64 `json:"mean"`
	Std    float64 `json:"std"` // sample standard deviation (n-1)
	Median float64 `json:"median"`
	Q1     float64 `json:"q1"`
	Q3     float64 `json:"q3"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

// Summarize returns the summary of v; quartiles interpolate linearly
// between order statistics (type 7, R's and numpy's default).
func Summarize(v []float64) Summary {
	s := Summary{N: len(v)}
	if len(v) == 0 {
		nan := math.NaN()
		s.Mean, s.Std, s.Median, s.Q1, s.Q3, s.Min, s.Max = nan, nan, nan, nan, nan, nan, nan
		return s
	}
	sorted := append([]float64(nil), v...)
	sort.Float64s(sorted)
	for _, x := range v {
		s.Mean += x
	}
	s.Mean /= float64(len(v))
	if len(v) > 1 {
		for _, x := range v {
			s.Std += (x - s.Mean) * (x - s.Mean)
		}
		s.Std = math.Sqrt(s.Std / float64(len(v)-1))
	}
	s.Median, s.Q1, s.Q3 = quantile(sorted, 0.5), quantile(sorted, 0.25), quantile(sorted, 0.75)
	s.Min, s.Max = sorted[0], sorted[len(sorted)-1]
	return s
}

func quantile(sorted []float64, q float64) float64 {
	h := q * float64(len(sorted)-1)
	lo := int(math.Floor(h))
	hi := min(lo+1, len(sorted)-1)
	frac := h - float64(lo)
	if frac == 0 || sorted[hi] == sorted[lo] {
		// An order statistic itself: no interpolation, which with an
		// infinite neighbour would give 0 x Inf = NaN (R's quantile
		// returns the order statistic too).
		return sorted[lo]
	}
	return sorted[lo] + frac*(sorted[hi]-sorted[lo])
}

// tQuantile975 is the 0.975 quantile of Student's t with df degrees of
// freedom, for 95% confidence bands.
func tQuantile975(df int) float64 {
	if df < 1 {
		return math.NaN()
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
}
