package search

import (
	"math"
	"sort"
)

// Dominates reports whether point a Pareto-dominates point b, every
// objective being minimized: a is nowhere worse and somewhere better. NaN
// compares as worse than anything.
func Dominates(a, b []float64) bool {
	better := false
	for i := range a {
		x, y := orInf(a[i]), orInf(b[i])
		if x > y {
			return false
		}
		if x < y {
			better = true
		}
	}
	return better
}

func orInf(x float64) float64 {
	if math.IsNaN(x) {
		return math.Inf(1)
	}
	return x
}

// NondominatedSort ranks points by Pareto dominance (Deb et al.'s fast
// non-dominated sort): fronts[0] holds the indices of the points no other
// point dominates, fronts[1] those dominated only by points of fronts[0],
// and so on. Indices within a front are ascending. Equal points share a
// front.
func NondominatedSort(points [][]float64) [][]int {
	n := len(points)
	dominated := make([][]int, n) // dominated[i]: the points i dominates
	count := make([]int, n)       // how many points dominate i
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			switch {
			case Dominates(points[i], points[j]):
				dominated[i] = append(dominated[i], j)
				count[j]++
			case Dominates(points[j], points[i]):
				dominated[j] = append(dominated[j], i)
				count[i]++
			}
		}
	}
	var fronts [][]int
	var cur []int
	for i := range points {
		if count[i] == 0 {
			cur = append(cur, i)
		}
	}
	for len(cur) > 0 {
		fronts = append(fronts, cur)
		var next []int
		for _, i := range cur {
			for _, j := range dominated[i] {
				if count[j]--; count[j] == 0 {
					next = append(next, j)
				}
			}
		}
		sort.Ints(next)
		cur = next
	}
	return fronts
}

// Crowding returns the crowding distance of each point of a front (indices
// into points), in the front's order: for every objective, the front's
// extreme points get +Inf and the others the gap between their two
// neighbours along that objective, divided by the objective's range over
// the front, summed over objectives. An objective on which the whole front
// agrees adds nothing. Neighbours are taken in the order of the objective,
// ties broken by position in the front, so the result is deterministic.
func Crowding(points [][]float64, front []int) []float64 {
	d := make([]float64, len(front))
	if len(front) == 0 {
		return d
	}
	order := make([]int, len(front)) // positions in front
	for m := range points[front[0]] {
		for i := range order {
			order[i] = i
		}
		val := func(k int) float64 { return orInf(points[front[order[k]]][m]) }
		sort.SliceStable(order, func(a, b int) bool {
			return orInf(points[front[order[a]]][m]) < orInf(points[front[order[b]]][m])
		})
		lo, hi := val(0), val(len(order)-1)
		d[order[0]], d[order[len(order)-1]] = math.Inf(1), math.Inf(1)
		span := hi - lo
		if span == 0 || math.IsInf(span, 0) || math.IsNaN(span) {
			continue
		}
		for k := 1; k < len(order)-1; k++ {
			d[order[k]] += (val(k+1) - val(k-1)) / span
		}
	}
	return d
}

// Hypervolume returns the volume of the region dominated by points and
// bounded by the reference point ref, every objective being minimized. A
// point that is not better than ref in every objective adds nothing.
// Two objectives take a sweep in O(n log n); more take the slicing method
// (hypervolume by slicing objectives), fine for the fronts of a search.
func Hypervolume(points [][]float64, ref []float64) float64 {
	var in [][]float64
	for _, p := range points {
		ok := true
		for i := range ref {
			if !(p[i] < ref[i]) { // NaN is not better either
				ok = false
				break
			}
		}
		if ok {
			in = append(in, p)
		}
	}
	if len(in) == 0 {
		return 0
	}
	return hv(in, ref)
}

// hv is the hypervolume of points that all lie strictly inside ref.
func hv(points [][]float64, ref []float64) float64 {
	d := len(ref)
	if d == 1 {
		best := ref[0]
		for _, p := range points {
			best = math.Min(best, p[0])
		}
		return ref[0] - best
	}
	// Sort by the last objective; between two consecutive values of it, the
	// slice's (d-1)-dimensional area is that of the points seen so far.
	sorted := append([][]float64(nil), points...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i][d-1] < sorted[j][d-1] })
	if d == 2 {
		vol, bestX := 0.0, ref[0]
		for i, p := range sorted {
			bestX = math.Min(bestX, p[0])
			next := ref[1]
			if i+1 < len(sorted) {
				next = sorted[i+1][1]
			}
			vol += (ref[0] - bestX) * (next - p[1])
		}
		return vol
	}
	vol := 0.0
	var slice [][]float64
	for i, p := range sorted {
		slice = append(slice, p[:d-1])
		next := ref[d-1]
		if i+1 < len(sorted) {
			next = sorted[i+1][d-1]
		}
		if h := next - p[d-1]; h > 0 {
			vol += hv(nondominated(slice), ref[:d-1]) * h
		}
	}
	return vol
}

// nondominated returns the points of the first front.
func nondominated(points [][]float64) [][]float64 {
	var out [][]float64
	for i, p := range points {
		dom := false
		for j, q := range points {
			if j != i && Dominates(q, p) {
				dom = true
				break
			}
		}
		if !dom {
			out = append(out, p)
		}
	}
	return out
}

// HypervolumeCurve returns, for each k from 1 to len(points), the
// hypervolume of the first k points against ref: a search's hypervolume
// after each evaluation, points being in the order they were evaluated.
func HypervolumeCurve(points [][]float64, ref []float64) []float64 {
	out := make([]float64, len(points))
	var front [][]float64
	vol := 0.0
	for k, p := range points {
		// Only a point that joins the front changes the volume.
		joins := true
		for _, q := range front {
			if Dominates(q, p) || equal(q, p) {
				joins = false
				break
			}
		}
		if joins {
			kept := front[:0:0]
			for _, q := range front {
				if !Dominates(p, q) {
					kept = append(kept, q)
				}
			}
			front = append(kept, p)
			vol = Hypervolume(front, ref)
		}
		out[k] = vol
	}
	return out
}

func equal(a, b []float64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
