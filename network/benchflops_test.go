package network

import (
	"runtime"
	"sync"
	"testing"

	"github.com/evonas/evonas/network/internal/cpupeak"
)

// stepFlops counts the floating-point operations of the products in one
// training step of batch rows: forward x W, the weight gradient prevᵀ g,
// and the input gradient g Wᵀ (not needed by the first layer), 2 per
// multiply-add. Activations, the loss and the optimizer are left out; they
// are a few operations per unit or weight, not per product term.
func stepFlops(spec Spec, batch int) float64 {
	f, in := 0.0, spec.Inputs
	layers := append(append([]Layer(nil), spec.Hidden...), Layer{Units: spec.Outputs})
	for i, l := range layers {
		mults := float64(batch) * float64(in) * float64(l.Units)
		f += 4 * mults // forward and weight gradient
		if i > 0 {
			f += 2 * mults
		}
		in = l.Units
	}
	return f
}

func TestStepFlops(t *testing.T) {
	// The mnist workload: 784 -> 128 -> 10, batch 64.
	spec := Spec{Inputs: 784, Hidden: []Layer{{Units: 128}}, Outputs: 10, Head: Softmax}
	if got, want := stepFlops(spec, 64), 64*(4*784*128+6*128*10.0); got != want {
		t.Errorf("stepFlops = %g, want %g", got, want)
	}
}

var (
	peakOnce sync.Once
	peak     cpupeak.Peak
)

// cpuClock measures the CPU time a benchmark's loop consumes: on a shared
// machine a step's wall time includes waiting for a core, its CPU time
// does not. Start it before the loop, on a goroutine locked to its thread.
type cpuClock struct{ start float64 }

func startCPU() cpuClock {
	runtime.LockOSThread()
	return cpuClock{threadCPU()}
}

// report adds the loop's samples and GFLOP per CPU-second, and the share
// of the peak for numbers of size bytes (4 or 8) that is.
func (c cpuClock) report(b *testing.B, spec Spec, batch, size int) {
	s := threadCPU() - c.start
	runtime.UnlockOSThread()
	if s <= 0 {
		return
	}
	gflops := stepFlops(spec, batch) * float64(b.N) / s / 1e9
	b.ReportMetric(float64(batch)*float64(b.N)/s, "samples/cpu-s")
	b.ReportMetric(gflops, "GFLOP/cpu-s")
	peakOnce.Do(func() { peak = cpupeak.Measure() })
	if cpupeak.Supported() {
		b.ReportMetric(100*gflops/peakFor(size), "%peak-cpu")
	}
}

// reportFlops adds the step's GFLOP/s and its share of the core's peak for
// numbers of size bytes (4 or 8) to a benchmark's metrics.
func reportFlops(b *testing.B, spec Spec, batch, size int) {
	gflops := stepFlops(spec, batch) * float64(b.N) / b.Elapsed().Seconds() / 1e9
	b.ReportMetric(gflops, "GFLOP/s")
	peakOnce.Do(func() { peak = cpupeak.Measure() })
	if cpupeak.Supported() {
		b.ReportMetric(100*gflops/peakFor(size), "%peak")
	}
}

// peakFor is the peak of the kernels that train numbers of size bytes:
// that of 512-bit FMAs where the kernels have AVX-512 blocks (kern8x32z,
// kern8x16d), else of 256-bit ones.
func peakFor(size int) float64 {
	if have512 && (size == 4 && kernels32InUse() || size == 8 && haveKernels) {
		return peak.GFLOPS512(size)
	}
	return peak.GFLOPS(size)
}

// BenchmarkPeak measures the core's clock and FMA throughput and prints
// the peak the step benchmarks' %peak divides by.
func BenchmarkPeak(b *testing.B) {
	peakOnce.Do(func() { peak = cpupeak.Measure() })
	for b.Loop() {
	}
	b.ReportMetric(peak.GHz, "GHz")
	b.ReportMetric(peakFor(4), "peak32-GFLOP/s")
	b.ReportMetric(peakFor(8), "peak64-GFLOP/s")
	b.Log(peak)
}
