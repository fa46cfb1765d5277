package fitness

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/network"
)

func TestFLOPsByHand(t *testing.T) {
	// 10 inputs, hidden 8 and 4, 3 outputs: 2*(10*8 + 8*4 + 4*3) = 248.
	s := network.Spec{Inputs: 10, Outputs: 3, Head: network.Softmax,
		Hidden: []network.Layer{{Units: 8}, {Units: 4}}}
	if got := FLOPs(s); got != 248 {
		t.Errorf("FLOPs %d, want 248", got)
	}
	s.Hidden = nil
	if got := FLOPs(s); got != 60 {
		t.Errorf("no hidden layer: FLOPs %d, want 60", got)
	}
}

func TestObjectives(t *testing.T) {
	d := testData(t)
	s := Settings{Epochs: 2, Latency: true}
	g := genome.Genome{Layers: []genome.Layer{layer(6, "relu", 0), layer(3, "tanh", 0)}, LR: 0.01, Batch: 16, Optimizer: "adam"}
	rec, _, err := Run(context.Background(), d, s, g, 1)
	if err != nil || rec.Status != OK {
		t.Fatalf("training: %v %s %s", err, rec.Status, rec.Reason)
	}
	in := d.Train.D
	if want := int64(2 * (in*6 + 6*3 + 3*1)); rec.FLOPs != want {
		t.Errorf("flops %d, want %d", rec.FLOPs, want)
	}
	v := rec.ObjectiveVector([]string{"error", "params", "flops", "latency"})
	if v[0] != rec.Fitness || v[0] != 1-rec.Val.Metric(d.Task) {
		t.Errorf("error %v, fitness %v, 1 - metric %v", v[0], rec.Fitness, 1-rec.Val.Metric(d.Task))
	}
	if v[1] != float64((in+1)*6+(6+1)*3+3+1) || v[2] != float64(rec.FLOPs) {
		t.Errorf("params, flops %v", v[1:3])
	}
	// Nothing here takes anywhere near a second per sample.
	if !(v[3] > 0 && v[3] < 0.01) || rec.LatencyIQR < 0 {
		t.Errorf("latency %v s, IQR %v µs", v[3], rec.LatencyIQR)
	}
	if rec.TestError(d.Task) != 1-rec.Test.Metric(d.Task) {
		t.Errorf("test error %v", rec.TestError(d.Task))
	}

	// Latency is measured only when asked; unmeasured, it is no value.
	rec, _, _ = Run(context.Background(), d, Settings{Epochs: 2}, g, 1)
	if rec.LatencyUS != 0 || !math.IsInf(rec.Objective("latency"), 1) {
		t.Errorf("unmeasured latency %v, objective %v", rec.LatencyUS, rec.Objective("latency"))
	}
	// A failed evaluation is worst in every objective.
	bad := Record{Fitness: math.Inf(1), Params: 10, FLOPs: 20}
	for _, o := range Objectives {
		if !math.IsInf(bad.Objective(o), 1) {
			t.Errorf("failed record's %s is %v", o, bad.Objective(o))
		}
	}
}

func TestCheckObjectives(t *testing.T) {
	for _, tc := range []struct {
		names []string
		err   string
	}{
		{[]string{"error", "params"}, ""},
		{[]string{"error", "flops", "latency"}, ""},
		{[]string{"error", "size"}, `unknown objective "size"`},
		{[]string{"params", "params"}, "twice"},
	} {
		err := CheckObjectives(tc.names)
		if (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%v: error %v, want %q", tc.names, err, tc.err)
		}
	}
}
