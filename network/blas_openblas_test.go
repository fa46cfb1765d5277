//go:build openblas && cgo

package network

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	gonumblas "gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/netlib/blas/netlib"

	"github.com/evonas/evonas/network/internal/openblas"
)

// TestOpenBLASInUse checks that the tag put OpenBLAS under every product,
// with one thread per call, and that gemm takes it rather than the
// micro-kernels.
func TestOpenBLASInUse(t *testing.T) {
	t.Logf("%s; core %s; CPU offers %s", openblas.Config(), openblas.Core(), thisCPU().best())
	if _, ok := blas64.Implementation().(netlib.Implementation); !ok {
		t.Fatalf("blas64 implementation %T, want netlib.Implementation", blas64.Implementation())
	}
	if got := openblas.Threads(); got != 1 {
		t.Errorf("OpenBLAS threads %d, want 1", got)
	}
	net, err := New(Spec{Inputs: 3, Outputs: 2, Head: Softmax, Hidden: []Layer{{Units: 4, Activation: ReLU}}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	tr := newTrainer(net, 8, TrainConfig{Epochs: 1, Batch: 8}.withDefaults())
	for name, impl := range map[string]blas.Float64{"trainer": tr.impl, "evaluator": tr.eval.impl} {
		if _, pure := impl.(gonumblas.Implementation); pure {
			t.Errorf("%s multiplies with gonum's pure-Go BLAS", name)
		}
	}
}

// TestOpenBLASAgrees compares OpenBLAS's products with the micro-kernels'
// and a naive product on the shapes a training step of the benchmark nets
// makes.
func TestOpenBLASAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 7))
	for _, sh := range gemmShapes {
		a, b := randSlice(rng, sh.m*sh.k), randSlice(rng, sh.k*sh.n)
		got := make([]float64, sh.m*sh.n)
		gemm(netlib.Implementation{}, false, sh.m, sh.n, sh.k, a, sh.k, b, sh.n, 0, got, sh.n)
		wants := map[string][]float64{"naive": naiveGemm(false, sh.m, sh.n, sh.k, a, sh.k, b, sh.n)}
		if haveKernels {
			k := make([]float64, sh.m*sh.n)
			kernelGemm(false, sh.m, sh.n, sh.k, a, sh.k, b, sh.n, false, k, sh.n)
			wants["kernels"] = k
		}
		for name, want := range wants {
			for i := range want {
				if math.Abs(got[i]-want[i]) > 1e-10*(1+math.Abs(want[i])) {
					t.Fatalf("%s: OpenBLAS c[%d] = %v, %s %v", sh.name, i, got[i], name, want[i])
				}
			}
		}
	}
}

// TestCoreChoice covers the decisions taken on OpenBLAS's core at start-up.
func TestCoreChoice(t *testing.T) {
	var (
		sse    = features{}
		avx2   = features{avx: true, avx2: true}
		avx512 = features{avx: true, avx2: true, avx512: true}
	)
	tests := []struct {
		core     string
		cpu      features
		usable   bool   // the kernels run on this CPU
		coretype string // what to ask for instead
	}{
		{"Prescott", avx2, true, "HASWELL"},
		{"Prescott", avx512, true, "SKYLAKEX"},
		{"Prescott", sse, true, ""},
		{"Nehalem", avx2, true, "HASWELL"},
		{"Sandybridge", avx2, true, "HASWELL"},
		{"Sandybridge", sse, false, ""},
		{"Haswell", avx2, true, ""},
		{"Zen", avx2, true, ""},
		{"Zen", avx512, true, ""},
		{"SkylakeX", avx512, true, ""},
		{"SkylakeX", avx2, false, ""},
		{"Haswell", sse, false, ""},
		{"Piledriver", avx2, true, ""},
		{"neoversen1", sse, true, ""},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s/%s", tc.core, tc.cpu.best()), func(t *testing.T) {
			if got := tc.cpu.has(coreNeeds(tc.core)); got != tc.usable {
				t.Errorf("usable %v, want %v", got, tc.usable)
			}
			if got := betterCore(tc.core, tc.cpu); got != tc.coretype {
				t.Errorf("better core %q, want %q", got, tc.coretype)
			}
		})
	}
}

// gemmShapes are the products of a training step of the digits and mnist
// benchmark nets (forward, weight gradient, input gradient), and two
// larger squares for reference.
var gemmShapes = []struct {
	name    string
	m, n, k int
}{
	{"digits_fwd_32x64x64", 32, 64, 64},
	{"digits_out_32x10x64", 32, 10, 64},
	{"digits_back_32x64x10", 32, 64, 10},
	{"mnist_fwd_64x128x784", 64, 128, 784},
	{"mnist_wgrad_784x128x64", 784, 128, 64},
	{"mnist_out_64x10x128", 64, 10, 128},
	{"square_128", 128, 128, 128},
	{"square_256", 256, 256, 256},
}

func randSlice(rng *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = rng.NormFloat64()
	}
	return s
}

// BenchmarkGemm runs the step's products on the micro-kernels, gonum's
// pure-Go Dgemm and OpenBLAS, side by side in one process, and reports
// GFLOP/s (2mnk floating-point operations per product).
func BenchmarkGemm(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, sh := range gemmShapes {
		a, bm, c := randSlice(rng, sh.m*sh.k), randSlice(rng, sh.k*sh.n), make([]float64, sh.m*sh.n)
		run := func(b *testing.B, f func()) {
			b.ReportAllocs()
			for b.Loop() {
				f()
			}
			b.ReportMetric(2*float64(sh.m*sh.n*sh.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		}
		b.Run(sh.name+"/kernels", func(b *testing.B) {
			if !haveKernels {
				b.Skip("no micro-kernels on this CPU")
			}
			run(b, func() { kernelGemm(false, sh.m, sh.n, sh.k, a, sh.k, bm, sh.n, false, c, sh.n) })
		})
		b.Run(sh.name+"/gonum", func(b *testing.B) {
			run(b, func() {
				gonumblas.Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, sh.m, sh.n, sh.k, 1, a, sh.k, bm, sh.n, 0, c, sh.n)
			})
		})
		b.Run(sh.name+"/openblas", func(b *testing.B) {
			run(b, func() {
				netlib.Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, sh.m, sh.n, sh.k, 1, a, sh.k, bm, sh.n, 0, c, sh.n)
			})
		})
	}
}
