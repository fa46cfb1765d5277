package network

import (
	"gonum.org/v1/gonum/blas"
		gonumblas "gonum.org/v1/gonum/blas/gonum"
)

// gonum's pure-Go Dgemm splits a product into 64x64 blocks and runs them on
// new goroutines once it has four or more blocks of C. That allocates and
// starts goroutines that fight the worker pool, which owns the cores. Tiles
// of at most tileRows x tileCols of C stay below that threshold and run
// serially in the caller's goroutine.
const (
	tileRows = 64
	tileCols = 192
)

// gemm computes c = op(a) * op(b) + beta*c, where op(a) is m x k and op(b)
// is k x n, all row-major with the given strides.
func gemm(impl blas.Float64, tA, tB bool, m, n, k int, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	ta, tb := blas.NoTrans, blas.NoTrans
	if tA {
		ta = blas.Trans
	}
	if tB {
		tb = blas.Trans
	}
	if _, pure := impl.(gonumblas.Implementation); !pure || blocks(m)*blocks(n) < 4 {
		impl.Dgemm(ta, tb, m, n, k, 1, a, lda, b, ldb, beta, c, ldc)
		return
	}
	for i := 0; i < m; i += tileRows {
		mi := min(tileRows, m-i)
		var ai []float64
		if tA {
			ai = a[i:]
		} else {
			ai = a[i*lda:]
		}
		for j := 0; j < n; j += tileCols {
			nj := min(tileCols, n-j)
			var bj []float64
			if tB {
				bj = b[j*ldb:]
			} else {
				bj = b[j:]
			}
			impl.Dgemm(ta, tb, mi, nj, k, 1, ai, lda, bj, ldb, beta, c[i*ldc+j:], ldc)
		}
	}
}

// blocks is how many of gonum's 64-wide blocks cover n.
func blocks(n int) int { return (n + 63) / 64 }
