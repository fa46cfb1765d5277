package cpupeak

import "testing"

func TestMeasure(t *testing.T) {
	p := Measure()
	t.Log(p)
	if !(p.GHz > 0.2 && p.GHz < 10) {
		t.Errorf("clock %.3g GHz: not a CPU's", p.GHz)
	}
	if Supported() && !(p.FMAPerCycle > 0.25 && p.FMAPerCycle < 8) {
		t.Errorf("%.3g FMAs per cycle: not a CPU's", p.FMAPerCycle)
	}
	if Supported() && p.GFLOPS(4) != 2*p.GFLOPS(8) {
		t.Errorf("float32 peak %g is not twice float64's %g", p.GFLOPS(4), p.GFLOPS(8))
	}
	if have512 != (p.FMA512PerCycle > 0) {
		t.Errorf("AVX-512 %v, but %.3g 512-bit FMAs per cycle", have512, p.FMA512PerCycle)
	}
	if have512 && !(p.FMA512PerCycle > 0.25 && p.FMA512PerCycle < 8) {
		t.Errorf("%.3g 512-bit FMAs per cycle: not a CPU's", p.FMA512PerCycle)
	}
}
