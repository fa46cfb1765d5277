package network

import (
	"fmt"
	"math"
	"testing"
)

// ulps32 is how many float32 units in the last place got is from want
// (measured at want).
func ulps32(got float32, want float64) float64 {
	w := float32(want)
	ulp := float64(math.Nextafter32(float32(math.Abs(float64(w))), float32(math.Inf(1))) - float32(math.Abs(float64(w))))
	return math.Abs(float64(got)-want) / ulp
}

// checkGrid checks f against the float64 function want at x = from + i
// step for i = 0..n: within maxULPs float32 units in the last place,
// except where the absolute error is at most abs (near 0, where units in
// the last place shrink). It logs the worst error seen.
func checkGrid(t *testing.T, name string, f func(float32) float32, want func(float64) float64, from, step float32, n int, maxULPs, abs float64) {
	t.Helper()
	worst := 0.0
	for i := 0; i <= n; i++ {
		x := from + float32(i)*step
		got, w := f(x), want(float64(x))
		if math.Abs(float64(got)-w) <= abs {
			continue
		}
		u := ulps32(got, w)
		if u > maxULPs {
			t.Fatalf("%s(%v) = %v, want %v (%.1f units in the last place)", name, x, got, w, u)
		}
		worst = max(worst, u)
	}
	t.Logf("%s: worst %.2f units in the last place", name, worst)
	if v := f(float32(math.NaN())); v == v {
		t.Errorf("%s(NaN) = %v, want NaN", name, v)
	}
}

// TestTanh32 checks tanh32 against math.Tanh on a fine grid of [-10, 10]
// within 3 float32 units in the last place (or 1e-9 absolute near 0), and
// at zero, tiny, huge and infinite arguments exactly.
func TestTanh32(t *testing.T) {
	checkGrid(t, "tanh32", tanh32, math.Tanh, -10, 5e-5, 400000, 3, 1e-9)
	for _, x := range []float32{0, 1e-30, -1e-30, 1e3, -1e3, float32(math.Inf(1)), float32(math.Inf(-1))} {
		if got, want := tanh32(x), float32(math.Tanh(float64(x))); got != want {
			t.Errorf("tanh32(%v) = %v, want %v", x, got, want)
		}
	}
}

// TestExpm1Neg32 checks expm1Neg32 against math.Expm1 on [-30, 0] within
// 3 float32 units in the last place, and at the ends exactly.
func TestExpm1Neg32(t *testing.T) {
	checkGrid(t, "expm1Neg32", expm1Neg32, math.Expm1, -30, 5e-5, 600000, 3, 1e-9)
	for _, x := range []float32{0, -1e-30, -1e3, float32(math.Inf(-1))} {
		if got, want := expm1Neg32(x), float32(math.Expm1(float64(x))); got != want {
			t.Errorf("expm1Neg32(%v) = %v, want %v", x, got, want)
		}
	}
}

// TestSigmoid32 checks sigmoid32 against the float64 sigmoid on [-30, 30]
// within 3 float32 units in the last place (or 1e-12 absolute).
func TestSigmoid32(t *testing.T) {
	checkGrid(t, "sigmoid32", sigmoid32, sigmoid, -30, 1e-4, 600000, 3, 1e-12)
}

func BenchmarkTanh(b *testing.B) {
	xs := make([]float32, 1024)
	for i := range xs {
		xs[i] = float32(i-512) / 100
	}
	b.Run("math", func(b *testing.B) {
		for b.Loop() {
			for j, x := range xs {
				xs[j] = float32(math.Tanh(float64(x))) * 3
			}
		}
	})
	b.Run("tanh32", func(b *testing.B) {
		for b.Loop() {
			for j, x := range xs {
				xs[j] = tanh32(x) * 3
			}
		}
	})
}

func BenchmarkExpm1(b *testing.B) {
	xs := make([]float32, 1024)
	b.Run("math", func(b *testing.B) {
		for b.Loop() {
			for j := range xs {
				xs[j] = float32(math.Expm1(float64(-float32(j) / 200)))
			}
		}
	})
	b.Run("expm1Neg32", func(b *testing.B) {
		for b.Loop() {
			for j := range xs {
				xs[j] = expm1Neg32(-float32(j) / 200)
			}
		}
	})
}

// TestTransposeBlocked checks the tiled transpose against the definition
// on shapes that are and are not multiples of its tile.
func TestTransposeBlocked(t *testing.T) {
	for _, sh := range [][2]int{{1, 1}, {1, 37}, {37, 1}, {16, 16}, {17, 33}, {64, 10}, {100, 257}, {1024, 33}} {
		rows, cols := sh[0], sh[1]
		a := make([]float32, rows*cols)
		for i := range a {
			a[i] = float32(i)
		}
		got := make([]float32, rows*cols)
		transpose32(a, rows, cols, got)
		for i := range rows {
			for j := range cols {
				if got[j*rows+i] != a[i*cols+j] {
					t.Fatalf("%dx%d: t[%d][%d] = %v, want %v", rows, cols, j, i, got[j*rows+i], a[i*cols+j])
				}
			}
		}
	}
}

func BenchmarkTranspose(b *testing.B) {
	for _, sh := range [][2]int{{64, 128}, {512, 512}, {1024, 809}, {1024, 1024}} {
		a, t := make([]float32, sh[0]*sh[1]), make([]float32, sh[0]*sh[1])
		b.Run(fmt.Sprintf("naive-%dx%d", sh[0], sh[1]), func(b *testing.B) {
			for b.Loop() {
				for i := 0; i < sh[0]; i++ {
					for j, v := range a[i*sh[1] : (i+1)*sh[1]] {
						t[j*sh[0]+i] = v
					}
				}
			}
		})
		b.Run(fmt.Sprintf("blocked-%dx%d", sh[0], sh[1]), func(b *testing.B) {
			for b.Loop() {
				transpose32(a, sh[0], sh[1], t)
			}
		})
	}
}
