//go:build !amd64

package network

var haveKernels32 = false

func kernelGemm32(tA bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	panic("network: no float32 micro-kernels on this architecture")
}

type packT32 struct{}

func kernelGemmNT32(m, n, k int, a []float32, lda int, w []float32, ldw int, c []float32, ldc int, pack *packT32) {
	panic("network: no float32 micro-kernels on this architecture")
}

func adam32(p, g, m, v []float32, c *[7]float32) int { return 0 }

func applyKernel32(a Activation, row, bias []float32) int { return 0 }

func backpropKernel32(a Activation, g, out []float32) int { return 0 }

func mulKernel32(g, m []float32) int { return 0 }

func sumRowsKernel32(db, g []float32, rows int) int { return 0 }
