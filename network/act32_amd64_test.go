package network

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestActivationKernels32: the vectorized tanh and ELU, and the
// derivatives of ReLU, tanh and ELU, give the bits of the scalar code for
// every input, the edges included (zeros of either sign, the cut-offs at
// -20 and -10, values near them, huge and tiny numbers, infinities; a NaN
// stays a NaN), on rows whose width is not a multiple of eight.
func TestActivationKernels32(t *testing.T) {
	if !haveKernels32 {
		t.Skip("no micro-kernels on this CPU")
	}
	rng := rand.New(rand.NewPCG(3, 9))
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	edges := []float32{0, float32(math.Copysign(0, -1)), nan, inf, -inf, -20, -10, -87, -88, -100,
		1e-40, -1e-40, 1e30, -1e30, 0.3466, -0.3466, -0.3467, 10, 20, -19.999998, -20.000002, -9.999999, -10.000001}
	const rows, width = 41, 37
	z := make([]float32, rows*width)
	for i := range z {
		switch {
		case i < len(edges):
			z[i] = edges[i]
		case i%3 == 0:
			z[i] = float32(rng.NormFloat64() * 30)
		default:
			z[i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(6)-3)))
		}
	}
	bias := make([]float32, width)
	for i := 8; i < width; i++ { // the first 8 keep the edges as they are
		bias[i] = float32(rng.NormFloat64())
	}
	same := func(a, b float32) bool {
		return math.Float32bits(a) == math.Float32bits(b) || a != a && b != b
	}
	for _, act := range []Activation{Tanh, ELU} {
		got, want := append([]float32(nil), z...), append([]float32(nil), z...)
		apply32(act, got, bias)
		withoutKernels32(func() { apply32(act, want, bias) })
		bad := 0
		for i := range got {
			if !same(got[i], want[i]) {
				if bad++; bad <= 5 {
					t.Errorf("%v(%g + %g): kernel %g (%#x), scalar %g (%#x)", act, z[i], bias[i%width],
						got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
				}
			}
		}
		if bad > 0 {
			t.Errorf("%v: %d of %d differ", act, bad, len(got))
		}
	}
	g := make([]float32, len(z))
	for i := range g {
		g[i] = float32(rng.NormFloat64())
	}
	for _, act := range []Activation{ReLU, Tanh, ELU} {
		out := append([]float32(nil), z...)
		apply32(act, out, bias)
		for i := 0; i < len(edges); i += 2 { // and some raw values, edges among them
			out[i] = z[i]
		}
		got, want := append([]float32(nil), g...), append([]float32(nil), g...)
		backprop32(act, got, out)
		withoutKernels32(func() { backprop32(act, want, out) })
		bad := 0
		for i := range got {
			if !same(got[i], want[i]) {
				if bad++; bad <= 5 {
					t.Errorf("%v'(%g) * %g: kernel %g, scalar %g", act, out[i], g[i], got[i], want[i])
				}
			}
		}
		if bad > 0 {
			t.Errorf("%v derivative: %d of %d differ", act, bad, len(got))
		}
	}
}

// TestRowKernels32: the vectorized dropout-mask product and bias-gradient
// sum give the scalar loops' bits (the sum adds the rows in the same
// order), for widths on and off a multiple of eight and one row or many.
func TestRowKernels32(t *testing.T) {
	if !haveKernels32 {
		t.Skip("no micro-kernels on this CPU")
	}
	rng := rand.New(rand.NewPCG(4, 8))
	for _, width := range []int{8, 37, 64, 1012} {
		for _, rows := range []int{1, 2, 33} {
			g := make([]float32, rows*width)
			m := make([]float32, rows*width)
			for i := range g {
				g[i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(12)-6)))
				if rng.IntN(3) > 0 {
					m[i] = 1 / 0.7
				}
			}
			want := append([]float32(nil), g...)
			for j := range want {
				want[j] *= m[j]
			}
			got := append([]float32(nil), g...)
			j0 := mulKernel32(got, m)
			for j := j0; j < len(got); j++ {
				got[j] *= m[j]
			}
			if j0 == 0 || !slices.Equal(got, want) {
				t.Errorf("mask product, %d x %d: kernel did %d, differs %v", rows, width, j0, !slices.Equal(got, want))
			}
			wantDB := append([]float32(nil), g[:width]...)
			for r := 1; r < rows; r++ {
				for j, v := range g[r*width : (r+1)*width] {
					wantDB[j] += v
				}
			}
			db := make([]float32, width)
			j0 = sumRowsKernel32(db, g, rows)
			copy(db[j0:], g[j0:width])
			for r := 1; r < rows; r++ {
				for j, v := range g[r*width+j0 : (r+1)*width] {
					db[j0+j] += v
				}
			}
			if j0 == 0 || !slices.Equal(db, wantDB) {
				t.Errorf("bias sum, %d x %d: kernel did %d, differs %v", rows, width, j0, !slices.Equal(db, wantDB))
			}
		}
	}
}
