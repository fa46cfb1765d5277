// Package cpupeak measures the arithmetic peak of one core for the
// benchmarks: its clock, from a chain of dependent integer additions (one
// cycle each), and how many vector FMAs it retires per cycle, from a loop of
// independent ones. The peak in GFLOP/s is clock x FMAs per cycle x lanes x
// 2 (an FMA is a multiply and an add). The FMA loop runs once with AVX2's
// 256-bit registers (GFLOPS) and, on a core with AVX-512, once with 512-bit
// ones (GFLOPS512), which the training kernels' main blocks use there.
package cpupeak

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
)

// Peak is one core's measured clock and FMA throughput.
type Peak struct {
	GHz         float64 // measured clock
	CPUInfoMHz  float64 // what /proc/cpuinfo says (a virtual machine's is often the base clock), 0 if unknown
	FMAPerCycle float64 // 256-bit FMAs retired per cycle, measured
	// FMA512PerCycle is 512-bit FMAs retired per cycle, measured; 0 without
	// AVX-512.
	FMA512PerCycle float64
}

// Supported reports whether this CPU can run the measurement (AVX2, FMA).
func Supported() bool { return supported }

// Measure runs both loops many times, each run about a millisecond, and
// keeps the fastest run of each, the one least disturbed by other
// processes; it takes about 50 ms.
func Measure() Peak {
	const chain = 1 << 18 // iterations of 8 dependent additions
	const fmas = 1 << 17  // iterations of 12 independent FMAs
	addS := best(func() { addChain(chain) })
	p := Peak{GHz: 8 * chain / addS / 1e9, CPUInfoMHz: cpuinfoMHz()}
	if supported {
		fmaS := best(func() { fmaLoop(fmas) })
		p.FMAPerCycle = 12 * fmas / fmaS / (p.GHz * 1e9)
	}
	if have512 {
		fmaS := best(func() { fmaLoop512(fmas) })
		p.FMA512PerCycle = 12 * fmas / fmaS / (p.GHz * 1e9)
	}
	return p
}

func best(f func()) float64 {
	b := math.Inf(1)
	for range 25 {
		t := time.Now()
		f()
		b = min(b, time.Since(t).Seconds())
	}
	return b
}

// GFLOPS is the peak for numbers of the given size in bytes (4 or 8):
// clock x FMAs per cycle (rounded to a whole number of units) x lanes x 2.
func (p Peak) GFLOPS(size int) float64 {
	return p.GHz * math.Round(p.FMAPerCycle) * float64(32/size) * 2
}

// GFLOPS512 is GFLOPS with 512-bit FMAs (twice the lanes), or GFLOPS on a
// core without AVX-512.
func (p Peak) GFLOPS512(size int) float64 {
	if p.FMA512PerCycle == 0 {
		return p.GFLOPS(size)
	}
	return p.GHz * math.Round(p.FMA512PerCycle) * float64(64/size) * 2
}

func (p Peak) String() string {
	info := "unknown"
	if p.CPUInfoMHz > 0 {
		info = fmt.Sprintf("%.0f MHz", p.CPUInfoMHz)
	}
	s := fmt.Sprintf("clock %.2f GHz (measured: 8 dependent adds per loop, 1 cycle each; /proc/cpuinfo: %s), "+
		"%.2f 256-bit FMAs per cycle (measured, counted as %.0f) -> peak %.1f GFLOP/s float32 (8 lanes), %.1f GFLOP/s float64 (4 lanes)",
		p.GHz, info, p.FMAPerCycle, math.Round(p.FMAPerCycle), p.GFLOPS(4), p.GFLOPS(8))
	if p.FMA512PerCycle > 0 {
		s += fmt.Sprintf("; %.2f 512-bit FMAs per cycle (counted as %.0f) -> peak %.1f GFLOP/s float32 (16 lanes), %.1f GFLOP/s float64 (8 lanes)",
			p.FMA512PerCycle, math.Round(p.FMA512PerCycle), p.GFLOPS512(4), p.GFLOPS512(8))
	}
	return s
}

func cpuinfoMHz() float64 {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, ok := strings.Cut(s.Text(), ":")
		if ok && strings.TrimSpace(k) == "cpu MHz" {
			mhz, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return mhz
		}
	}
	return 0
}
