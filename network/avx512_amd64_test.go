package network

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestAVX512SameNumbers: the AVX-512 kernels give the products exactly
// the numbers of the AVX2 kernels, float32 and float64, for every shape of
// block and edge, plain, transposed and from a transpose, over more than
// one block of depth, so that a search's records do not depend on the
// CPU's vector width.
func TestAVX512SameNumbers(t *testing.T) {
	if !have512 {
		t.Skip("this CPU has no AVX-512")
	}
	rng := rand.New(rand.NewPCG(5, 12))
	fill := func(n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		return x
	}
	without512 := func(f func()) {
		have512 = false
		defer func() { have512 = true }()
		f()
	}
	var pack packT32
	used := 0
	for _, sh := range [][3]int{
		{8, 32, 1}, {8, 32, 300}, {32, 809, 1012}, {37, 217, 513}, {9, 95, 64},
		{15, 64, 7}, {7, 64, 50}, {64, 128, 784}, {1013, 809, 33}, {12, 40, 256},
	} {
		m, n, k := sh[0], sh[1], sh[2]
		if m >= 8 && n >= 32 {
			used++ // both wide kernels have a block
		}
		for _, tA := range []bool{false, true} {
			lda := k + 3
			if tA {
				lda = m + 3
			}
			a := fill(max(m, k) * lda)
			b, w := fill(k*(n+2)), fill(n*(k+1))
			want, got := fill(m*(n+5)), make([]float32, m*(n+5))
			copy(got, want) // the padding between rows must stay
			without512(func() { kernelGemm32(tA, m, n, k, a, lda, b, n+2, want, n+5) })
			kernelGemm32(tA, m, n, k, a, lda, b, n+2, got, n+5)
			if !slices.Equal(got, want) {
				t.Errorf("a b, tA=%v, %dx%dx%d: AVX-512 differs from AVX2", tA, m, n, k)
			}
			a64, b64 := make([]float64, len(a)), make([]float64, len(b))
			for i, v := range a {
				a64[i] = float64(v)
			}
			for i, v := range b {
				b64[i] = float64(v) * (1 + 1e-9)
			}
			for _, acc := range []bool{false, true} {
				want64 := make([]float64, m*(n+5))
				for i := range want64 {
					want64[i] = float64(i%13) / 7
				}
				got64 := slices.Clone(want64)
				without512(func() { kernelGemm(tA, m, n, k, a64, lda, b64, n+2, acc, want64, n+5) })
				kernelGemm(tA, m, n, k, a64, lda, b64, n+2, acc, got64, n+5)
				if !slices.Equal(got64, want64) {
					t.Errorf("float64 a b, tA=%v, acc=%v, %dx%dx%d: AVX-512 differs from AVX2", tA, acc, m, n, k)
				}
			}
			if tA {
				continue
			}
			copy(got, want)
			without512(func() { kernelGemmNT32(m, n, k, a, lda, w, k+1, want, n+5, &pack) })
			kernelGemmNT32(m, n, k, a, lda, w, k+1, got, n+5, &pack)
			if !slices.Equal(got, want) {
				t.Errorf("a wᵀ, %dx%dx%d: AVX-512 differs from AVX2", m, n, k)
			}
		}
	}
	if used == 0 {
		t.Fatal("no shape has a block for the AVX-512 kernel")
	}
}
