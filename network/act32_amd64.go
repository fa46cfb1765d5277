package network

import "math"

// The float32 activations with AVX2 (act32_amd64.s): tanhBias32 and
// eluBias32 add a row's biases and apply tanh32 or an ELU eight units at a
// time, and backpropBias32 applies the derivative of a ReLU, tanh or ELU,
// with the same operations in the same order as the scalar code, so the
// same bits (TestActivationKernels32).

//go:noescape
func tanhBias32(z, b *float32, n int, c *[18][8]uint32)

//go:noescape
func eluBias32(z, b *float32, n int, c *[18][8]uint32)

//go:noescape
func backpropBias32(a int, grad, out *float32, n int, c *[18][8]uint32)

//go:noescape
func mulTo32(grad, m *float32, n int)

//go:noescape
func sumRows32(db, grad *float32, rows, n, ld int)

// act32Consts are the constants of tanh32 and expParts, each as eight
// lanes, in the order act32_amd64.s names them.
var act32Consts = func() (c [18][8]uint32) {
	f := math.Float32bits
	for i, v := range [18]uint32{
		1 << 31, 0, f(-2), f(log2e), f(0.5), f(ln2hi), f(ln2lo),
		f(1.0 / 5040), f(1.0 / 720), f(1.0 / 120), f(1.0 / 24), f(1.0 / 6), f(1.0 / 2),
		127, f(1), f(-20), f(-1), f(2),
	} {
		for j := range c[i] {
			c[i][j] = v
		}
	}
	return c
}()

// applyKernel32 adds bias to row and applies a to the first units of it,
// a multiple of eight, with the kernels, and returns how many it did: 0
// for an activation without a kernel, or without AVX2.
func applyKernel32(a Activation, row, bias []float32) int {
	n := len(bias) &^ 7
	if !haveKernels32 || n == 0 {
		return 0
	}
	_ = row[n-1]
	switch a {
	case Tanh:
		tanhBias32(&row[0], &bias[0], n, &act32Consts)
	case ELU:
		eluBias32(&row[0], &bias[0], n, &act32Consts)
	default:
		return 0
	}
	return n
}

// backpropKernel32 is backprop32 on the first units of g, a multiple of
// eight, with the kernel; it returns how many it did: 0 for an activation
// without a kernel, or without AVX2.
func backpropKernel32(a Activation, g, out []float32) int {
	n := len(g) &^ 7
	if !haveKernels32 || n == 0 {
		return 0
	}
	_ = out[n-1]
	code := 0
	switch a {
	case ReLU:
		code = 1
	case Tanh:
		code = 2
	case ELU:
		code = 3
	default:
		return 0
	}
	backpropBias32(code, &g[0], &out[0], n, &act32Consts)
	return n
}

// mulKernel32 multiplies g by m element by element on the first elements
// of g, a multiple of eight, and returns how many it did.
func mulKernel32(g, m []float32) int {
	n := len(g) &^ 7
	if !haveKernels32 || n == 0 {
		return 0
	}
	_ = m[n-1]
	mulTo32(&g[0], &m[0], n)
	return n
}

// sumRowsKernel32 sets db to the sum of the rows of g (rows of len(db),
// added in order) on the first columns, a multiple of eight, and returns
// how many it did.
func sumRowsKernel32(db, g []float32, rows int) int {
	n := len(db) &^ 7
	if !haveKernels32 || n == 0 || rows == 0 {
		return 0
	}
	_ = g[(rows-1)*len(db)+n-1]
	sumRows32(&db[0], &g[0], rows, n, len(db))
	return n
}
