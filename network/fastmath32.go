package network

import "math"

// Activations in float32 for the float32 trainer. Converting to float64
// for math.Tanh and math.Expm1 and back took 45% of a default search's
// training time on digits (tanh 23%, expm1 and exp 25%; go tool pprof of
// `evonas evolve --data digits`), more than the matrix products. These
// stay within a few float32 units in the last place of the exact values
// (TestTanh32, TestExpm1Neg32), the rounding a float32 training has
// anyway, and pass NaN through, so that a diverging training still stops.

// tanh32 is tanh(x) from expm1Neg32: for y = |x|, tanh y = -m / (2 + m)
// with m = e^(-2y) - 1, which cancels nowhere (m is accurate near 0, and
// -1 < m <= 0 keeps 2 + m >= 1).
func tanh32(x float32) float32 {
	y := x
	if y < 0 {
		y = -y
	}
	m := expm1Neg32(-2 * y)
	t := -m / (2 + m)
	if x < 0 {
		return -t
	}
	return t
}

// expm1Neg32 is e^x - 1 for x <= 0 (an ELU's negative side), to within 1
// float32 unit in the last place; see expParts.
func expm1Neg32(x float32) float32 {
	if x < -20 {
		return -1 // e^-20 - 1 is -1 to within 4 units in the last place
	}
	if !(x <= 0) {
		return x // NaN (a diverged training) stays NaN
	}
	s, m := expParts(x)
	return float32(s*m) + (s - 1)
}

// expNeg32 is e^x for x <= 0, to within 1 float32 unit in the last place
// above float32's smallest normal number, 0 below.
func expNeg32(x float32) float32 {
	if x < -87 {
		return 0
	}
	if !(x <= 0) {
		return x // NaN stays NaN
	}
	s, m := expParts(x)
	return float32(s*m) + s
}

const (
	log2e = 1.44269504088896341
	ln2hi = 0.693359375 // ln 2 = ln2hi + ln2lo, ln2hi exact in few bits
	ln2lo = -2.12194440e-4
)

// expParts splits e^x, -87 <= x <= 0, as 2^n e^r with x = n ln 2 + r and
// |r| <= ln 2 / 2, and returns 2^n and e^r - 1, the latter by its Taylor
// series to r⁷ (the next term is below 6e-9 there). Then e^x - 1 = 2^n
// (e^r - 1) + (2^n - 1), which for n = 0 (x > -0.347) is e^r - 1 itself,
// without cancellation.
func expParts(x float32) (pow2, em1 float32) {
	// Every product is rounded before the sum it enters (float32(...)), so
	// that no build fuses the two into one FMA: GOAMD64=v3 builds compute
	// what v1 builds do, and the kernels of act32_amd64.s the same.
	n := float32(int32(float32(x*log2e) - 0.5)) // round(x / ln 2), x <= 0
	r := (x - float32(n*ln2hi)) - float32(n*ln2lo)
	p := 1.0/720 + float32(r*(1.0/5040))
	p = 1.0/120 + float32(r*p)
	p = 1.0/24 + float32(r*p)
	p = 1.0/6 + float32(r*p)
	p = 1.0/2 + float32(r*p)
	em1 = r + float32(float32(r*r)*p)
	return math.Float32frombits(uint32(127+int32(n)) << 23), em1
}

// sigmoid32 is 1 / (1 + e^-x) from expNeg32: 1 / (1 + e^-x) for x >= 0,
// e^x / (1 + e^x) below.
func sigmoid32(x float32) float32 {
	if x >= 0 {
		return 1 / (1 + expNeg32(-x))
	}
	e := expNeg32(x)
	return e / (1 + e)
}
