//go:build !amd64

package network

var haveKernels = false

func kernelGemm(tA bool, m, n, k int, a []float64, lda int, b []float64, ldb int, acc bool, c []float64, ldc int) {
	panic("network: no micro-kernels on this architecture")
}

func adam(p, g, m, v []float64, c *[7]float64) int { return 0 }

var have512 = false

func tanhKernel(row, bias []float64) int { return 0 }

func eluKernel(row, bias []float64) int { return 0 }
