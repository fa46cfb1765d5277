package network

// haveKernels32 reports whether this CPU runs the float32 micro-kernels
// (AVX2 and FMA, as the float64 ones); tests turn it off to run the
// pure-Go path.
var haveKernels32 = haveKernels

// The float32 micro-kernels of kernel32_amd64.s: as the float64 ones, with
// eight lanes to a register, so a block is 4 rows by 16 columns; with
// AVX-512, sixteen lanes and blocks of 8 rows by 32 columns (kern8x32z).

//go:noescape
func kern4x16s(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, acc int)

//go:noescape
func kern4x8s(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, acc int)

//go:noescape
func kern4xms(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, acc int, mask *int32)

//go:noescape
func kern1x16s(k int, a *float32, ps int, b *float32, ldb int, c *float32, acc int)

//go:noescape
func kern1x8s(k int, a *float32, ps int, b *float32, ldb int, c *float32, acc int)

//go:noescape
func kern1xms(k int, a *float32, ps int, b *float32, ldb int, c *float32, acc int, mask *int32)

//go:noescape
func kern8x32z(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, acc int)

//go:noescape
func kern8xmz(k int, a *float32, rs, ps int, b *float32, ldb int, c *float32, ldc int, acc int, mask int)

//go:noescape
func transpose8x8s(dst *float32, st int, src *float32, lds int, blocks int)

//go:noescape
func adamKernel32(n int, w, grad, m1, m2 *float32, c *[7]float32)

// colMasks32[r-1] selects the first r of eight lanes.
var colMasks32 = [7][8]int32{
	{-1, 0, 0, 0, 0, 0, 0, 0},
	{-1, -1, 0, 0, 0, 0, 0, 0},
	{-1, -1, -1, 0, 0, 0, 0, 0},
	{-1, -1, -1, -1, 0, 0, 0, 0},
	{-1, -1, -1, -1, -1, 0, 0, 0},
	{-1, -1, -1, -1, -1, -1, 0, 0},
	{-1, -1, -1, -1, -1, -1, -1, 0},
}

// kernelGemm32 computes c = op(a)*b with the float32 micro-kernels: op(a)
// is m x k, a itself (tA false, row stride lda) or its transpose (tA true,
// a is k x m with stride lda); b is k x n and c m x n, row-major.
func kernelGemm32(tA bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	rs, ps := lda, 1
	if tA {
		rs, ps = 1, lda
	}
	if m > 0 && n > 0 && k > 0 {
		_ = b[(k-1)*ldb+n-1] // the kernels read b only inside this bound
	}
	gemmBlocks32(m, n, k, a, rs, ps, b, ldb, nil, 0, nil, c, ldc)
}

// kc is the depth of the float32 kernels' blocks: kc steps of k keep a
// panel of b in the first-level cache.
const kc = 256

// packT32 is the panel of b that kernelGemmNT32 hands the micro-kernels:
// kc rows of 16 columns, or of 32 for kern8x32z.
type packT32 [kc * 32]float32

// kernelGemmNT32 computes c = a * wᵀ, where a is m x k (row stride lda),
// w is n x k (row stride ldw) and c is m x n, as kernelGemm32 computes it
// from the transpose of w: the same kernels add the same products in the
// same order, so the numbers are the same. Instead of the whole
// transpose, written out and read back (3.3 MB for a 1,012 x 809 layer,
// each step), each kc x 16 panel is transposed into pack as the kernels
// need it, and stays in the first-level cache.
func kernelGemmNT32(m, n, k int, a []float32, lda int, w []float32, ldw int, c []float32, ldc int, pack *packT32) {
	if m > 0 && n > 0 && k > 0 {
		_ = w[(n-1)*ldw+k-1]
	}
	gemmBlocks32(m, n, k, a, lda, 1, nil, 0, w, ldw, pack, c, ldc)
}

// gemmBlocks32 is kernelGemm32 and kernelGemmNT32: c = op(a) * B, op(a)'s
// element (i, p) at a[i*rs+p*ps], B k x n taken from b (row stride ldb)
// or, with a pack, from the transpose of w (n x k, row stride ldw), a
// panel at a time.
func gemmBlocks32(m, n, k int, a []float32, rs, ps int, b []float32, ldb int, w []float32, ldw int, pack *packT32, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		for i := 0; i < m; i++ {
			clear(c[i*ldc : i*ldc+n])
		}
		return
	}
	// The kernels read and write only inside these bounds.
	_ = a[(m-1)*rs+(k-1)*ps]
	_ = c[(m-1)*ldc+n-1]
	panel := func(j, width, p0, kk int) ([]float32, int) {
		if pack == nil {
			return b[p0*ldb+j:], ldb
		}
		st := 16
		if width > 16 {
			st = 32
		}
		pack.load(w, ldw, j, width, p0, kk, st)
		return pack[:], st
	}
	m8, m4, n16 := m&^7, m&^3, n&^15
	// With AVX-512, the first m8 rows go to kern8x32z in blocks of 32
	// columns and to kern8xmz for the last few; the AVX2 kernels then do
	// only the rows from r0 on.
	n32, r0 := 0, 0
	if have512 && m8 > 0 {
		n32, r0 = n&^31, m8
	}
	n8 := n16
	if n-n16 >= 8 {
		n8 = n16 + 8
	}
	for p0 := 0; p0 < k; p0 += kc {
		kk := min(kc, k-p0)
		ac := 0
		if p0 > 0 {
			ac = 1
		}
		for j := 0; j < n32; j += 32 {
			bp, ld := panel(j, 32, p0, kk)
			for i := 0; i < m8; i += 8 {
				kern8x32z(kk, &a[i*rs+p0*ps], rs, ps, &bp[0], ld, &c[i*ldc+j], ldc, ac)
			}
			for i := m8; i < m4; i += 4 {
				kern4x16s(kk, &a[i*rs+p0*ps], rs, ps, &bp[0], ld, &c[i*ldc+j], ldc, ac)
				kern4x16s(kk, &a[i*rs+p0*ps], rs, ps, &bp[16], ld, &c[i*ldc+j+16], ldc, ac)
			}
			for i := m4; i < m; i++ {
				kern1x16s(kk, &a[i*rs+p0*ps], ps, &bp[0], ld, &c[i*ldc+j], ac)
				kern1x16s(kk, &a[i*rs+p0*ps], ps, &bp[16], ld, &c[i*ldc+j+16], ac)
			}
		}
		if r := n - n32; r0 > 0 && r > 0 {
			bp, ld := panel(n32, r, p0, kk)
			for i := 0; i < m8; i += 8 {
				kern8xmz(kk, &a[i*rs+p0*ps], rs, ps, &bp[0], ld, &c[i*ldc+n32], ldc, ac, 1<<r-1)
			}
		}
		if r0 == m {
			continue // no row left for the AVX2 kernels
		}
		for j := n32; j < n16; j += 16 {
			bp, ld := panel(j, 16, p0, kk)
			for i := r0; i < m4; i += 4 {
				kern4x16s(kk, &a[i*rs+p0*ps], rs, ps, &bp[0], ld, &c[i*ldc+j], ldc, ac)
			}
			for i := m4; i < m; i++ {
				kern1x16s(kk, &a[i*rs+p0*ps], ps, &bp[0], ld, &c[i*ldc+j], ac)
			}
		}
		if n8 > n16 {
			bp, ld := panel(n16, 8, p0, kk)
			for i := r0; i < m4; i += 4 {
				kern4x8s(kk, &a[i*rs+p0*ps], rs, ps, &bp[0], ld, &c[i*ldc+n16], ldc, ac)
			}
			for i := m4; i < m; i++ {
				kern1x8s(kk, &a[i*rs+p0*ps], ps, &bp[0], ld, &c[i*ldc+n16], ac)
			}
		}
		if r := n - n8; r > 0 {
			bp, ld := panel(n8, r, p0, kk)
			mask := &colMasks32[r-1][0]
			for i := r0; i < m4; i += 4 {
				kern4xms(kk, &a[i*rs+p0*ps], rs, ps, &bp[0], ld, &c[i*ldc+n8], ldc, ac, mask)
			}
			for i := m4; i < m; i++ {
				kern1xms(kk, &a[i*rs+p0*ps], ps, &bp[0], ld, &c[i*ldc+n8], ac, mask)
			}
		}
	}
}

// load transposes rows j to j+width of w, columns p0 to p0+kk, into the
// panel, whose rows are st apart: pack[p*st+jj] = w[j+jj][p0+p].
func (pack *packT32) load(w []float32, ldw, j, width, p0, kk, st int) {
	if width%16 == 0 {
		for jj := 0; jj < width; jj += 16 {
			pack.load16(w, ldw, j+jj, p0, kk, pack[jj:], st)
		}
		return
	}
	for jj := 0; jj < width; jj++ {
		row := w[(j+jj)*ldw+p0 : (j+jj)*ldw+p0+kk]
		for p, v := range row {
			pack[p*st+jj] = v
		}
	}
}

// load16 is load of 16 rows: the first kk&^7 columns as 8x8 blocks
// transposed in registers (transpose8x8s), the rest one row of the panel
// at a time, from the 16 rows of w side by side (each resliced to the
// first's length, so that the compiler drops the bounds checks).
func (pack *packT32) load16(w []float32, ldw, j, p0, kk int, dst []float32, st int) {
	at := func(jj int) []float32 { return w[(j+jj)*ldw+p0 : (j+jj)*ldw+p0+kk] }
	r0 := at(0)
	n := len(r0)
	r1, r2, r3, r4, r5, r6, r7 := at(1)[:n], at(2)[:n], at(3)[:n], at(4)[:n], at(5)[:n], at(6)[:n], at(7)[:n]
	r8, r9, r10, r11, r12, r13, r14, r15 := at(8)[:n], at(9)[:n], at(10)[:n], at(11)[:n], at(12)[:n], at(13)[:n], at(14)[:n], at(15)[:n]
	p8 := 0
	if b := n / 8; b > 0 {
		_ = dst[(b*8-1)*st+15]
		transpose8x8s(&dst[0], st, &r0[0], ldw, b)
		transpose8x8s(&dst[8], st, &r8[0], ldw, b)
		p8 = b * 8
	}
	for p := p8; p < n; p++ {
		d := dst[p*st : p*st+16 : p*st+16]
		d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7] = r0[p], r1[p], r2[p], r3[p], r4[p], r5[p], r6[p], r7[p]
		d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15] = r8[p], r9[p], r10[p], r11[p], r12[p], r13[p], r14[p], r15[p]
	}
}

// adam32 applies Adam's update to the first n&^7 parameters with the
// kernel and returns how many it updated.
func adam32(p, g, m, v []float32, c *[7]float32) int {
	n := len(p) &^ 7
	if !haveKernels32 || n == 0 {
		return 0
	}
	_, _, _ = g[n-1], m[n-1], v[n-1]
	adamKernel32(n, &p[0], &g[0], &m[0], &v[0], c)
	return n
}
