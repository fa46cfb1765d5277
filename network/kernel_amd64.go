package network

import "golang.org/x/sys/cpu"

// haveKernels reports whether this CPU runs the AVX2/FMA micro-kernels.
var haveKernels = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// have512 reports whether this CPU and its OS run AVX-512's wide kernels
// (kern8x16d and kern8x32z), which the products use for blocks of 8 rows
// by 16 float64 or 32 float32 columns; every number is the same either
// way (TestAVX512SameNumbers).
var have512 = haveKernels && cpu.X86.HasAVX512F

//go:noescape
func kern4x8(k int, a *float64, rs, ps int, b *float64, ldb int, c *float64, ldc int, acc int)

//go:noescape
func kern4x4(k int, a *float64, rs, ps int, b *float64, ldb int, c *float64, ldc int, acc int)

//go:noescape
func kern1x8(k int, a *float64, ps int, b *float64, ldb int, c *float64, acc int)

//go:noescape
func kern4xm(k int, a *float64, rs, ps int, b *float64, ldb int, c *float64, ldc int, acc int, mask *int64)

//go:noescape
func kern1xm(k int, a *float64, ps int, b *float64, ldb int, c *float64, acc int, mask *int64)

//go:noescape
func kern8x16d(k int, a *float64, rs, ps int, b *float64, ldb int, c *float64, ldc int, acc int)

//go:noescape
func kern8xmd(k int, a *float64, rs, ps int, b *float64, ldb int, c *float64, ldc int, acc int, mask int)

//go:noescape
func adamKernel(n int, w, grad, m1, m2 *float64, c *[7]float64)

// colMasks[r-1] selects the first r of four lanes.
var colMasks = [3][4]int64{{-1, 0, 0, 0}, {-1, -1, 0, 0}, {-1, -1, -1, 0}}

//go:noescape
func kern1x4(k int, a *float64, ps int, b *float64, ldb int, c *float64, acc int)

// kernelGemm computes c = op(a)*b (+ c when acc) with the micro-kernels:
// op(a) is m x k, a itself (tA false, row stride lda) or its transpose
// (tA true, a is k x m with stride lda); b is k x n and c m x n, row-major.
func kernelGemm(tA bool, m, n, k int, a []float64, lda int, b []float64, ldb int, acc bool, c []float64, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	rs, ps := lda, 1
	if tA {
		rs, ps = 1, lda
	}
	if k == 0 {
		if !acc {
			for i := 0; i < m; i++ {
				clear(c[i*ldc : i*ldc+n])
			}
		}
		return
	}
	// The kernels read and write only inside these bounds.
	_ = a[(m-1)*rs+(k-1)*ps]
	_ = b[(k-1)*ldb+n-1]
	_ = c[(m-1)*ldc+n-1]
	m8, m4, n8 := m&^7, m&^3, n&^7
	// With AVX-512, the first m8 rows go to kern8x16d in blocks of 16
	// columns and to kern8xmd for the last few; the AVX2 kernels then do
	// only the rows from r0 on.
	n16, r0 := 0, 0
	if have512 && m8 > 0 {
		n16, r0 = n&^15, m8
	}
	n4 := n8
	if n-n8 >= 4 {
		n4 = n8 + 4
	}
	// Blocks of kc steps keep a panel of b in the first-level cache.
	const kc = 256
	for p0 := 0; p0 < k; p0 += kc {
		kk := min(kc, k-p0)
		ac := 0
		if acc || p0 > 0 {
			ac = 1
		}
		for j := 0; j < n16; j += 16 {
			bp := b[p0*ldb+j:]
			for i := 0; i < m8; i += 8 {
				kern8x16d(kk, &a[i*rs+p0*ps], rs, ps, &bp[0], ldb, &c[i*ldc+j], ldc, ac)
			}
			for i := m8; i < m4; i += 4 {
				kern4x8(kk, &a[i*rs+p0*ps], rs, ps, &bp[0], ldb, &c[i*ldc+j], ldc, ac)
				kern4x8(kk, &a[i*rs+p0*ps], rs, ps, &bp[8], ldb, &c[i*ldc+j+8], ldc, ac)
			}
			for i := m4; i < m; i++ {
				kern1x8(kk, &a[i*rs+p0*ps], ps, &bp[0], ldb, &c[i*ldc+j], ac)
				kern1x8(kk, &a[i*rs+p0*ps], ps, &bp[8], ldb, &c[i*ldc+j+8], ac)
			}
		}
		if r := n - n16; r0 > 0 && r > 0 {
			for i := 0; i < m8; i += 8 {
				kern8xmd(kk, &a[i*rs+p0*ps], rs, ps, &b[p0*ldb+n16], ldb, &c[i*ldc+n16], ldc, ac, 1<<r-1)
			}
		}
		for j := n16; j < n8; j += 8 {
			bp := &b[p0*ldb+j]
			for i := r0; i < m4; i += 4 {
				kern4x8(kk, &a[i*rs+p0*ps], rs, ps, bp, ldb, &c[i*ldc+j], ldc, ac)
			}
			for i := m4; i < m; i++ {
				kern1x8(kk, &a[i*rs+p0*ps], ps, bp, ldb, &c[i*ldc+j], ac)
			}
		}
		if n4 > n8 {
			bp := &b[p0*ldb+n8]
			for i := r0; i < m4; i += 4 {
				kern4x4(kk, &a[i*rs+p0*ps], rs, ps, bp, ldb, &c[i*ldc+n8], ldc, ac)
			}
			for i := m4; i < m; i++ {
				kern1x4(kk, &a[i*rs+p0*ps], ps, bp, ldb, &c[i*ldc+n8], ac)
			}
		}
		if r := n - n4; r > 0 {
			bp, mask := &b[p0*ldb+n4], &colMasks[r-1][0]
			for i := r0; i < m4; i += 4 {
				kern4xm(kk, &a[i*rs+p0*ps], rs, ps, bp, ldb, &c[i*ldc+n4], ldc, ac, mask)
			}
			for i := m4; i < m; i++ {
				kern1xm(kk, &a[i*rs+p0*ps], ps, bp, ldb, &c[i*ldc+n4], ac, mask)
			}
		}
	}
}

// adam applies Adam's update to the first n&^3 parameters with the kernel
// and returns how many it updated.
func adam(p, g, m, v []float64, c *[7]float64) int {
	n := len(p) &^ 3
	if !haveKernels || n == 0 {
		return 0
	}
	_, _, _ = g[n-1], m[n-1], v[n-1]
	adamKernel(n, &p[0], &g[0], &m[0], &v[0], c)
	return n
}
