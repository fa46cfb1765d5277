//go:build !amd64

package network

var haveKernels32 = false

func kernelGemm32(tA bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	panic("network: no float32 micro-kernels on this architecture")
}

func adam32(p, g, m, v []float32, c *[7]float32) int { return 0 }
