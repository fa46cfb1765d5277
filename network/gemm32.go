package network

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	gonumblas "gonum.org/v1/gonum/blas/gonum"
)

// kernels32InUse reports whether gemm32 runs the float32 micro-kernels.
func kernels32InUse() bool {
	_, pure := blas32.Implementation().(gonumblas.Implementation)
	return pure && haveKernels32
}

// gemm32 computes c = op(a) * b in float32, where op(a) is m x k (a, or
// its transpose when tA) and b is k x n, all row-major. It runs the float32
// micro-kernels on a CPU with AVX2 and FMA while gonum's pure-Go BLAS is in
// place, and otherwise the BLAS's Sgemm (in serial tiles when it is
// gonum's, as gemm does for the same reasons).
func gemm32(tA bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	impl := blas32.Implementation()
	_, pure := impl.(gonumblas.Implementation)
	if pure && haveKernels32 {
		kernelGemm32(tA, m, n, k, a, lda, b, ldb, c, ldc)
		return
	}
	if m == 0 || n == 0 {
		return
	}
	ta := blas.NoTrans
	if tA {
		ta = blas.Trans
	}
	if !pure || blocks(m)*blocks(n) < 4 {
		impl.Sgemm(ta, blas.NoTrans, m, n, k, 1, a, lda, b, ldb, 0, c, ldc)
		return
	}
	for i := 0; i < m; i += tileRows {
		mi := min(tileRows, m-i)
		var ai []float32
		if tA {
			ai = a[i:]
		} else {
			ai = a[i*lda:]
		}
		for j := 0; j < n; j += tileCols {
			nj := min(tileCols, n-j)
			impl.Sgemm(ta, blas.NoTrans, mi, nj, k, 1, ai, lda, b[j:], ldb, 0, c[i*ldc+j:], ldc)
		}
	}
}
