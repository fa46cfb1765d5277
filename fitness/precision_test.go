package fitness

import (
	"context"
	"reflect"
	"runtime"
	"testing"

	"github.com/evonas/evonas/network"
)

// TestPrecisionSetting: Settings.Precision reaches every training; float32
// evaluations are deterministic across worker counts and differ from
// float64 ones by rounding.
func TestPrecisionSetting(t *testing.T) {
	d := testData(t)
	gs := testGenomes()
	eval := func(p network.Precision, workers int) []Record {
		t.Helper()
		recs, err := NewEvaluator(d, Settings{Epochs: 2, Precision: p}, 5, workers).Evaluate(context.Background(), gs, 0)
		if err != nil {
			t.Fatal(err)
		}
		return untimed(recs)
	}
	one, two := eval(network.Float32, 1), eval(network.Float32, 2)
	if !reflect.DeepEqual(one, two) {
		t.Errorf("float32: 1 and 2 workers gave different records:\n%+v\n%+v", one, two)
	}
	f64 := eval(network.Float64, 2)
	differ := false
	for i := range one {
		if one[i].Status == OK && one[i].Val.Loss != f64[i].Val.Loss {
			differ = true
		}
	}
	if !differ {
		t.Error("float32 and float64 gave the same validation losses: the precision did not reach the trainer")
	}
	ev := NewEvaluator(d, Settings{Epochs: 2, Precision: network.Float32}, 5, 1)
	_, o, err := ev.Train(context.Background(), gs[0])
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range o.Net.Weights() {
		if float64(float32(w)) != w {
			t.Fatalf("weight %d = %v of a float32 training is not a float32 value", i, w)
		}
	}
}

// TestPoolLender: the pool lends only free slots, and gets them back.
func TestPoolLender(t *testing.T) {
	p := make(poolLender, 2)
	p <- struct{}{} // one training holds a slot
	if !p.TryAcquire() {
		t.Fatal("a free slot was not lent")
	}
	if p.TryAcquire() {
		t.Fatal("a slot was lent from a full pool")
	}
	p.Release()
	if len(p) != 1 {
		t.Errorf("%d slots held after the loan came back, want 1", len(p))
	}
	ev := NewEvaluator(testData(t), Settings{}, 1, 1)
	if ev.SetLending(true); ev.settings.Helpers != nil {
		t.Error("a one-worker evaluator lends cores")
	}
	ev = NewEvaluator(testData(t), Settings{}, 1, 2)
	if (ev.settings.Helpers != nil) != (runtime.GOMAXPROCS(0) >= 2) {
		t.Errorf("a new two-worker evaluator, GOMAXPROCS %d: lends %v", runtime.GOMAXPROCS(0), ev.settings.Helpers != nil)
	}
	if ev.SetLending(false); ev.settings.Helpers != nil {
		t.Error("SetLending(false) left the lending on")
	}
}
