package network

import "math"

// tanhBias64 adds a row's biases and applies math.Tanh four units at a
// time (act_amd64.s), with the same operations in the same order as
// math.Tanh and math.Exp's FMA path, so the same bits; eluBias64 applies
// an ELU with math.Expm1's operations (TestActivationKernels64).
//
//go:noescape
func tanhBias64(z, b *float64, n int, c *[25][4]uint64)

//go:noescape
func eluBias64(z, b *float64, n int, c *[21][4]uint64)

// act64Consts are tanhBias64's constants, each as four lanes, in the order
// act_amd64.s names them: math.Tanh's and exp_amd64.s's.
var act64Consts = func() (c [25][4]uint64) {
	f := math.Float64bits
	for i, v := range [25]uint64{
		1 << 63, 1<<63 - 1, f(0.5 * 8.8029691931113054295988e+01), f(0.625), f(2), f(1),
		f(1.4426950408889634073599246810018920), f(0.69314718055966295651160180568695068359375),
		f(0.28235290563031577122588448175013436025525412068e-12), f(0.0625),
		f(2.4801587301587301587e-5), f(1.9841269841269841270e-4), f(1.3888888888888888889e-3),
		f(8.3333333333333333333e-3), f(4.1666666666666666667e-2), f(1.6666666666666666667e-1), f(0.5),
		f(-9.64399179425052238628e-1), f(-9.92877231001918586564e1), f(-1.61468768441708447952e3),
		f(1.12811678491632931402e2), f(2.23548839060100448583e3), f(4.84406305325125486048e3),
		0x3ff, 0,
	} {
		for j := range c[i] {
			c[i][j] = v
		}
	}
	return c
}()

// act64EluConsts are eluBias64's constants, math.Expm1's, in the order
// act_amd64.s names them.
var act64EluConsts = func() (c [21][4]uint64) {
	f := math.Float64bits
	for i, v := range [21]uint64{
		1 << 63, 1<<63 - 1, 0, f(1), f(0.5), f(3), f(6),
		f(3.88162421113569373274e+01), f(1.03972077083991796413e+00), f(3.46573590279972654709e-01),
		f(6.93147180369123816490e-01), f(1.90821492927058770002e-10), f(-1.90821492927058770002e-10),
		f(1.44269504088896338700e+00), f(1.0 / (1 << 54)),
		f(-3.33333333333331316428e-02), f(1.58730158725481460165e-03), f(-7.93650757867487942473e-05),
		f(4.00821782732936239552e-06), f(-2.01099218183624371326e-07), f(-1),
	} {
		for j := range c[i] {
			c[i][j] = v
		}
	}
	return c
}()

// tanhKernel applies math.Tanh to row + bias on the first units of the
// row, a multiple of four, and returns how many it did: 0 without AVX2 and
// FMA (there math.Exp does not take the FMA path either).
func tanhKernel(row, bias []float64) int {
	n := len(bias) &^ 3
	if !haveKernels || n == 0 {
		return 0
	}
	_ = row[n-1]
	tanhBias64(&row[0], &bias[0], n, &act64Consts)
	return n
}

// eluKernel is tanhKernel for an ELU: v = row + bias, v < 0 ? math.Expm1(v)
// : v.
func eluKernel(row, bias []float64) int {
	n := len(bias) &^ 3
	if !haveKernels || n == 0 {
		return 0
	}
	_ = row[n-1]
	eluBias64(&row[0], &bias[0], n, &act64EluConsts)
	return n
}
