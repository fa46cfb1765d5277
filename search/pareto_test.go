package search

import (
	"fmt"
	"math"
	"math/rand"
	"sort"
	"testing"
)

func TestDominates(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		a, b []float64
		want bool
	}{
		{[]float64{1, 2}, []float64{2, 3}, true},
		{[]float64{1, 3}, []float64{2, 3}, true},
		{[]float64{2, 3}, []float64{2, 3}, false}, // equal: neither
		{[]float64{1, 4}, []float64{2, 3}, false}, // a trade-off
		{[]float64{2, 3}, []float64{1, 2}, false},
		{[]float64{1, 2}, []float64{1, nan}, true}, // NaN is worst
		{[]float64{1, nan}, []float64{1, 2}, false},
		{[]float64{1, 2}, []float64{math.Inf(1), math.Inf(1)}, true},
	} {
		if got := Dominates(tc.a, tc.b); got != tc.want {
			t.Errorf("Dominates(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// The example worked by hand: six points in two objectives.
//
//	0 (1, 5)  1 (2, 3)  2 (4, 1)   first front: a staircase
//	3 (3, 4)  4 (5, 2)             dominated by 1 and by 2 respectively
//	5 (6, 6)                       dominated by 3 and 4
//	6 (2, 3)                       equal to 1: same front
func handPoints() [][]float64 {
	return [][]float64{{1, 5}, {2, 3}, {4, 1}, {3, 4}, {5, 2}, {6, 6}, {2, 3}}
}

func TestNondominatedSortByHand(t *testing.T) {
	got := NondominatedSort(handPoints())
	want := [][]int{{0, 1, 2, 6}, {3, 4}, {5}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("fronts %v, want %v", got, want)
	}
	if got := NondominatedSort(nil); len(got) != 0 {
		t.Errorf("no points: %v", got)
	}
}

// TestNondominatedSortProperties checks the definition on random points:
// nothing in a front dominates anything else in it, and every point after
// the first front is dominated by some point of the front before.
func TestNondominatedSortProperties(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for trial := 0; trial < 50; trial++ {
		pts := make([][]float64, 1+rng.Intn(30))
		for i := range pts {
			pts[i] = []float64{float64(rng.Intn(6)), float64(rng.Intn(6)), float64(rng.Intn(3))}
		}
		fronts := NondominatedSort(pts)
		seen := 0
		for f, front := range fronts {
			seen += len(front)
			for _, i := range front {
				for _, j := range front {
					if Dominates(pts[i], pts[j]) {
						t.Fatalf("front %d: %v dominates %v", f, pts[i], pts[j])
					}
				}
				if f == 0 {
					continue
				}
				found := false
				for _, j := range fronts[f-1] {
					found = found || Dominates(pts[j], pts[i])
				}
				if !found {
					t.Fatalf("front %d: %v not dominated by front %d", f, pts[i], f-1)
				}
			}
		}
		if seen != len(pts) {
			t.Fatalf("fronts hold %d points of %d", seen, len(pts))
		}
	}
}

func TestCrowdingByHand(t *testing.T) {
	pts := handPoints()
	// First front 0, 1, 2, 6. Along objective 1 (range 1..4): order 0, 1,
	// 6, 2; along objective 2 (range 1..5): order 2, 1, 6, 0 (1 before 6,
	// their position in the front). Extremes 0 and 2 are infinite.
	// Point 1: (2-1)/3 + (3-1)/4 = 1/3 + 1/2. Point 6: (4-2)/3 + (5-3)/4 =
	// 2/3 + 1/2.
	got := Crowding(pts, []int{0, 1, 2, 6})
	want := []float64{math.Inf(1), 1.0/3 + 0.5, math.Inf(1), 2.0/3 + 0.5}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 && !(math.IsInf(got[i], 1) && math.IsInf(want[i], 1)) {
			t.Fatalf("crowding %v, want %v", got, want)
		}
	}
	// A front flat in one objective: that objective adds nothing.
	got = Crowding([][]float64{{0, 1}, {1, 1}, {3, 1}}, []int{0, 1, 2})
	if !math.IsInf(got[0], 1) || !math.IsInf(got[2], 1) || math.Abs(got[1]-1) > 1e-12 {
		t.Errorf("flat objective: %v, want [+Inf 1 +Inf]", got)
	}
	if got := Crowding(pts, []int{5}); !math.IsInf(got[0], 1) {
		t.Errorf("single point: %v", got)
	}
}

func TestHypervolumeByHand(t *testing.T) {
	// Reference (7, 7). The staircase 0 (1,5), 1 (2,3), 2 (4,1): the
	// union of [1,7]x[5,7] (12), [2,7]x[3,5] (10) and [4,7]x[1,3] (6) = 28.
	pts := handPoints()
	for _, tc := range []struct {
		name string
		pts  [][]float64
		ref  []float64
		want float64
	}{
		{"staircase", pts[:3], []float64{7, 7}, 28},
		{"dominated points add nothing", pts, []float64{7, 7}, 28},
		{"outside the reference", [][]float64{{8, 1}, {1, 7}}, []float64{7, 7}, 0},
		{"empty", nil, []float64{7, 7}, 0},
		{"one point, 3-D", [][]float64{{1, 2, 3}}, []float64{2, 4, 6}, 1 * 2 * 3},
		// Two boxes [0,2]x[1,2]x[0,2] and [1,2]x[0,2]x[1,2]: 4 + 2 - 1.
		{"two boxes, 3-D", [][]float64{{0, 1, 0}, {1, 0, 1}}, []float64{2, 2, 2}, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Hypervolume(tc.pts, tc.ref); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("hypervolume %v, want %v", got, tc.want)
			}
		})
	}
}

// bruteHypervolume counts, on the grid the points' and the reference's
// coordinates make, the cells some point dominates.
func bruteHypervolume(points [][]float64, ref []float64) float64 {
	d := len(ref)
	axes := make([][]float64, d)
	for m := range ref {
		vals := []float64{ref[m]}
		for _, p := range points {
			if p[m] < ref[m] {
				vals = append(vals, p[m])
			}
		}
		sort.Float64s(vals)
		axes[m] = vals
	}
	vol := 0.0
	idx := make([]int, d)
	var walk func(m int)
	walk = func(m int) {
		if m == d {
			cell, corner := 1.0, make([]float64, d)
			for k := range idx {
				lo, hi := axes[k][idx[k]], axes[k][idx[k]+1]
				cell *= hi - lo
				corner[k] = lo
			}
			if cell == 0 {
				return
			}
			for _, p := range points {
				in := true
				for k := range p {
					in = in && p[k] <= corner[k]
				}
				if in {
					vol += cell
					return
				}
			}
			return
		}
		for idx[m] = 0; idx[m]+1 < len(axes[m]); idx[m]++ {
			walk(m + 1)
		}
	}
	walk(0)
	return vol
}

func TestHypervolumeAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for trial := 0; trial < 200; trial++ {
		d := 2 + trial%2
		pts := make([][]float64, rng.Intn(25))
		for i := range pts {
			pts[i] = make([]float64, d)
			for m := range pts[i] {
				// Some ties and some points beyond the reference.
				pts[i][m] = float64(rng.Intn(12)) / 10
			}
		}
		ref := make([]float64, d)
		for m := range ref {
			ref[m] = 1
		}
		got, want := Hypervolume(pts, ref), bruteHypervolume(pts, ref)
		if math.Abs(got-want) > 1e-9 {
			t.Fatalf("trial %d, %d-D, %v: hypervolume %v, brute force %v", trial, d, pts, got, want)
		}
	}
}

// TestHypervolume4DAgainstWFG checks four objectives, which the brute
// force above does not reach, against Optuna 3.1's WFG
// (optuna._hypervolume.WFG) on the same points: the first and last are
// equal and lie outside the reference box, as does the fifth; WFG was
// given the seven inside.
func TestHypervolume4DAgainstWFG(t *testing.T) {
	pts := [][]float64{
		{0.54, 0.67, 1.11, 0.56}, {0.61, 0.7, 0.22, 0.61}, {0.76, 0.95, 0.11, 0.36},
		{0.11, 0.97, 0.83, 0.05}, {1.18, 1.16, 0.78, 0.74}, {0.19, 0.02, 0.63, 0.07},
		{0.23, 0.29, 0.04, 0.56}, {0.53, 1.01, 0.62, 0.77}, {0.6, 0.79, 0.55, 0.33},
		{0.54, 0.67, 1.11, 0.56},
	}
	const want = 0.7112181200000003
	if got := Hypervolume(pts, []float64{1.1, 1.1, 1.1, 1.1}); math.Abs(got-want) > 1e-12 {
		t.Errorf("hypervolume %v, WFG %v", got, want)
	}
}

// TestCrowdingDuplicatesAndFailed: equal points inside a front share its
// gaps, and a front of failed candidates (every objective +Inf) has no
// range to divide by, so only its first and last get +Inf.
func TestCrowdingDuplicatesAndFailed(t *testing.T) {
	inf := math.Inf(1)
	pts := [][]float64{{0, 3}, {1, 2}, {1, 2}, {3, 0}, {inf, inf}, {inf, inf}, {inf, inf}}
	for _, tc := range []struct {
		name  string
		front []int
		want  []float64
	}{
		{"duplicates", []int{0, 1, 2, 3}, []float64{inf, 1, 1, inf}},
		{"failed", []int{4, 5, 6}, []float64{inf, 0, inf}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Crowding(pts, tc.front)
			for i := range got {
				if got[i] != tc.want[i] && math.Abs(got[i]-tc.want[i]) > 1e-12 {
					t.Fatalf("crowding %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestHypervolumeCurve(t *testing.T) {
	pts := [][]float64{{5, 2}, {6, 6}, {1, 5}, {4, 1}, {2, 3}, {2, 3}}
	ref := []float64{7, 7}
	got := HypervolumeCurve(pts, ref)
	for k := range pts {
		if want := bruteHypervolume(pts[:k+1], ref); math.Abs(got[k]-want) > 1e-12 {
			t.Fatalf("after %d points: %v, want %v (curve %v)", k+1, got[k], want, got)
		}
	}
	if got[len(got)-1] != 28 {
		t.Errorf("final %v, want 28", got[len(got)-1])
	}
	for k := 1; k < len(got); k++ {
		if got[k] < got[k-1] {
			t.Fatalf("curve decreases: %v", got)
		}
	}
}
