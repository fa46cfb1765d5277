package network

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestTanhKernel64: the vectorized math.Tanh gives math.Tanh's bits for
// every input: both branches and the cut-offs between them (0.625 and
// 44.01), zeros of either sign, tiny, huge and infinite numbers; a NaN
// stays a NaN.
func TestTanhKernel64(t *testing.T) {
	if !haveKernels {
		t.Skip("no micro-kernels on this CPU")
	}
	rng := rand.New(rand.NewPCG(6, 1))
	edges := []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), 0.625, -0.625,
		math.Nextafter(0.625, 0), math.Nextafter(-0.625, 0), 44.014845965556525, 44.01484596555653, -44.01484596555653,
		1e-300, -1e-300, 5e-324, 1e300, -1e300, 20, -20, 0.3, 1, -1, 709, -710}
	const rows, width = 2003, 37
	z := make([]float64, rows*width)
	for i := range z {
		switch {
		case i < len(edges):
			z[i] = edges[i]
		case i%4 == 0:
			z[i] = rng.NormFloat64() * 30
		case i%4 == 1:
			z[i] = (rng.Float64()*2 - 1) * 0.7 // around the rational branch's end
		default:
			z[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(8)-4))
		}
	}
	bias := make([]float64, width)
	for i := 8; i < width; i++ { // the first 8 keep the edges as they are
		bias[i] = rng.NormFloat64() * 0.1
	}
	got := append([]float64(nil), z...)
	Tanh.apply(got, bias)
	bad := 0
	for i, v := range got {
		want := math.Tanh(z[i] + bias[i%width])
		if math.Float64bits(v) != math.Float64bits(want) && !(v != v && want != want) {
			if bad++; bad <= 5 {
				t.Errorf("tanh(%v + %v): kernel %v, math.Tanh %v", z[i], bias[i%width], v, want)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d differ", bad, len(got))
	}
}
