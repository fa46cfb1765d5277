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
}
