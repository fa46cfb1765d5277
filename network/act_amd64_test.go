package network

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestActivationKernels64: the vectorized math.Tanh and ELU give the bits
// of math.Tanh and math.Expm1 for every input: each branch and the
// cut-offs between them (tanh: 0.625 and 44.01; Expm1: 2^-54, ln 2 / 2,
// 1.5 ln 2, 56 ln 2), zeros of either sign, tiny, huge and infinite
// numbers; a NaN stays a NaN.
func TestActivationKernels64(t *testing.T) {
	if !haveKernels {
		t.Skip("no micro-kernels on this CPU")
	}
	rng := rand.New(rand.NewPCG(6, 1))
	edges := []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), 0.625, -0.625,
		math.Nextafter(0.625, 0), math.Nextafter(-0.625, 0), 44.014845965556525, 44.01484596555653, -44.01484596555653,
		1e-300, -1e-300, 5e-324, 1e300, -1e300, 20, -20, 0.3, 1, -1, 709, -710,
		-1.0 / (1 << 54), math.Nextafter(-1.0/(1<<54), 0), -3.46573590279972654709e-01, math.Nextafter(-3.46573590279972654709e-01, -1),
		-1.03972077083991796413e+00, math.Nextafter(-1.03972077083991796413e+00, 0), -3.88162421113569373274e+01,
		math.Nextafter(-3.88162421113569373274e+01, 0), -0.5, -2, -37, -40}
	const rows, width = 2003, 37
	z := make([]float64, rows*width)
	for i := range z {
		switch {
		case i%4 == 0:
			z[i] = rng.NormFloat64() * 30
		case i%4 == 1:
			z[i] = (rng.Float64()*2 - 1) * 0.7 // around the rational branch's end
		default:
			z[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(8)-4))
		}
	}
	bias := make([]float64, width)
	for i := 8; i < width; i++ { // the first 8 columns keep the edges as they are
		bias[i] = rng.NormFloat64() * 0.1
	}
	for j, e := range edges {
		z[j/8*width+j%8] = e
	}
	for _, act := range []Activation{Tanh, ELU} {
		got := append([]float64(nil), z...)
		act.apply(got, bias)
		bad := 0
		for i, v := range got {
			x := z[i] + bias[i%width]
			want := math.Tanh(x)
			if act == ELU {
				if want = x; x < 0 {
					want = math.Expm1(x)
				}
			}
			if math.Float64bits(v) != math.Float64bits(want) && !(v != v && want != want) {
				if bad++; bad <= 5 {
					t.Errorf("%v(%v + %v): kernel %v, scalar %v", act, z[i], bias[i%width], v, want)
				}
			}
		}
		if bad > 0 {
			t.Errorf("%v: %d of %d differ", act, bad, len(got))
		}
	}
}
