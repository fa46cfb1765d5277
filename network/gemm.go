package network

import (
	"gonum.org/v1/gonum/blas"
	gonumblas "gonum.org/v1/gonum/blas/gonum"
)

// gemm computes c = op(a) * b + beta*c (beta 0 or 1), where op(a) is m x k
// (a, or its transpose when tA) and b is k x n, all row-major.
//
// With gonum's pure-Go BLAS in place and a CPU with AVX2 and FMA, it runs
// this package's own micro-kernels: gonum's Dgemm works through one row of
// C at a time with SSE2 and is several times slower on the small products a
// dense net is made of. Otherwise it calls the BLAS implementation, in
// tiles when it is gonum's: gonum's Dgemm starts goroutines once C has four
// or more 64x64 blocks, which allocates and fights the worker pool that
// owns the cores; tiles of at most tileRows x tileCols stay serial.
func gemm(impl blas.Float64, tA bool, m, n, k int, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	_, pure := impl.(gonumblas.Implementation)
	if pure && haveKernels {
		kernelGemm(tA, m, n, k, a, lda, b, ldb, beta != 0, c, ldc)
		return
	}
	ta := blas.NoTrans
	if tA {
		ta = blas.Trans
	}
	if !pure || blocks(m)*blocks(n) < 4 {
		impl.Dgemm(ta, blas.NoTrans, m, n, k, 1, a, lda, b, ldb, beta, c, ldc)
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
			impl.Dgemm(ta, blas.NoTrans, mi, nj, k, 1, ai, lda, b[j:], ldb, beta, c[i*ldc+j:], ldc)
		}
	}
}

const (
	tileRows = 64
	tileCols = 192
)

// blocks is how many of gonum's 64-wide blocks cover n.
func blocks(n int) int { return (n + 63) / 64 }

// transpose writes the transpose of a (rows x cols, row-major) into t.
func transpose(a []float64, rows, cols int, t []float64) { transposeBlocked(a, rows, cols, t) }

// transposeBlocked transposes in tiles of 16 rows of a by 8 of its
// columns, so that the writes of a tile fill whole cache lines of t
// instead of touching one element of a line per write, as a row-by-row
// walk does. That walk took 8% of the default search's training time on
// digits, and most of a large net's: with 1,024 rows, t's rows are 4 KiB
// apart and every write of a column lands in the same cache set
// (BenchmarkTranspose: 1,024 x 809 in 6.5 ms, tiled 0.8 ms).
func transposeBlocked[F float32 | float64](a []F, rows, cols int, t []F) {
	if rows*cols <= 1<<13 {
		// Small enough for the first-level cache: tiles only cost.
		for i := 0; i < rows; i++ {
			for j, v := range a[i*cols : (i+1)*cols] {
				t[j*rows+i] = v
			}
		}
		return
	}
	const ti, tj = 16, 8 // 8 rows of t at a time: rows a power of two apart share a cache set
	for j0 := 0; j0 < cols; j0 += tj {
		j1 := min(j0+tj, cols)
		for i0 := 0; i0 < rows; i0 += ti {
			i1 := min(i0+ti, rows)
			for i := i0; i < i1; i++ {
				for j, v := range a[i*cols+j0 : i*cols+j1] {
					t[(j0+j)*rows+i] = v
				}
			}
		}
	}
}
