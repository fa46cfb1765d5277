package search

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
)

// rec is a record of a classification run: error e on validation, te on
// test, with params parameters, made in generation gen.
func mrec(key string, gen int, e, te float64, params int) fitness.Record {
	return fitness.Record{Key: key, Generation: gen, Fitness: e, Params: params, Status: fitness.OK,
		Val: fitness.Scores{Acc: 1 - e}, Test: fitness.Scores{Acc: 1 - te}}
}

func TestFrame(t *testing.T) {
	f := NewFrame([]string{"error", "params"}, []float64{0.3, 10}, []float64{0.9, 1000})
	// Error keeps 0..1 whatever was observed; params 10..1000 on log10.
	got := f.Normalize([]float64{0.2, 100})
	if math.Abs(got[0]-0.2) > 1e-12 || math.Abs(got[1]-0.5) > 1e-12 {
		t.Errorf("normalized %v, want [0.2 0.5]", got)
	}
	if math.Abs(f.Reference[0]-1.1) > 1e-12 || math.Abs(f.Reference[1]-math.Pow(10, 1+1.1*2)) > 1e-6 {
		t.Errorf("reference %v", f.Reference)
	}
	if s := f.String(); !strings.Contains(s, "params from 10 to 1000 (log10), reference 1585") || !strings.Contains(s, "1.21") {
		t.Errorf("frame in words: %s", s)
	}
	// One value observed: a decade of room rather than a zero span.
	if f := NewFrame([]string{"error", "flops"}, []float64{0, 50}, []float64{0, 50}); f.Nadir[1] != 500 {
		t.Errorf("degenerate frame nadir %v", f.Nadir)
	}
}

func TestCompareHypervolume(t *testing.T) {
	frame := NewFrame([]string{"error", "params"}, []float64{0, 10}, []float64{1, 1000})
	// Seed A: (0.2, 100) -> (0.2, 0.5): 0.9 * 0.6 = 0.54; then (0.5, 10)
	// -> (0.5, 0): the union is 0.54 + 0.6 * 1.1 - 0.6 * 0.6 = 0.84; a
	// third training beyond the budget of 2 does not count.
	good := Run{Seed: 1, Records: []fitness.Record{
		mrec("a", 0, 0.2, 0.3, 100), mrec("b", 1, 0.5, 0.5, 10), mrec("c", 2, 0.01, 0.01, 10)}}
	// Seed B: (0.6, 1000) -> normalized (0.6, 1): 0.5 * 0.1 = 0.05.
	bad := Run{Seed: 1, Records: []fitness.Record{mrec("d", 0, 0.6, 0.6, 1000), mrec("d", 1, 0.6, 0.6, 1000)}}
	runs := []StrategyRuns{
		{Name: "evolve", Runs: []Run{good, good, good, good, good}},
		{Name: "random", Runs: []Run{bad, bad, bad, bad, bad}},
	}
	c, err := Analyze(runs, 2, dataset.Multiclass, Pareto{Objectives: []string{"error", "params"}, Frame: &frame})
	if err != nil {
		t.Fatal(err)
	}
	ev, rnd := c.Strategies[0], c.Strategies[1]
	if hv := *ev.Seeds[0].Hypervolume; math.Abs(hv-0.84) > 1e-12 {
		t.Errorf("hypervolume %v, want 0.84", hv)
	}
	if c := ev.Seeds[0].HVCurve; len(c) != 2 || math.Abs(c[0]-0.54) > 1e-12 {
		t.Errorf("curve %v, want [0.54 0.84]", c)
	}
	// Test: the front (a, b) at its test errors: (0.3, 0.5) and (0.5, 0):
	// 0.8 * 0.6 + 0.6 * 1.1 - 0.6 * 0.6 = 0.78.
	if thv := *ev.Seeds[0].TestHypervolume; math.Abs(thv-0.78) > 1e-12 {
		t.Errorf("test hypervolume %v, want 0.78", thv)
	}
	if hv := *rnd.Seeds[0].Hypervolume; math.Abs(hv-0.05) > 1e-12 || rnd.Seeds[0].FrontSize != 1 || ev.Seeds[0].FrontSize != 2 {
		t.Errorf("random: hypervolume %v front %d; evolve front %d", hv, rnd.Seeds[0].FrontSize, ev.Seeds[0].FrontSize)
	}
	if ev.Hypervolume.Median != ev.Seeds[0].HVCurve[1] || len(ev.HVCurve.Mean) != 2 {
		t.Errorf("summary %+v, curve %+v", ev.Hypervolume, ev.HVCurve)
	}
	var found bool
	for _, tt := range c.Tests {
		if tt.Metric == "hypervolume" && tt.Strategy == "evolve" && tt.Vs == "random" {
			found = true
			if tt.A12 != 1 || tt.PValue >= 0.05 {
				t.Errorf("hypervolume test %+v: evolve's are all larger", tt)
			}
			if s := tt.Sentence(c.MetricName); !strings.HasPrefix(s, "evolve beats random on hypervolume") {
				t.Errorf("sentence %q", s)
			}
		}
	}
	if !found {
		t.Errorf("no hypervolume test among %+v", c.Tests)
	}
	b, _ := json.Marshal(c)
	if !strings.Contains(string(b), `"hypervolume_frame"`) || !strings.Contains(string(b), `"test_hypervolume"`) {
		t.Errorf("JSON lacks the frame or the test hypervolume: %s", b)
	}

	// Without objectives, a comparison is as before.
	c, _ = Analyze(runs, 2, dataset.Multiclass)
	if c.Frame != nil || c.Strategies[0].Hypervolume != nil || len(c.Tests) != 2 {
		t.Errorf("single objective: frame %v, tests %d", c.Frame, len(c.Tests))
	}
	// Without a frame, the observed one: params 10..1000 here.
	c, _ = Analyze(runs, 2, dataset.Multiclass, Pareto{Objectives: []string{"error", "params"}})
	if c.Frame == nil || c.Frame.Ideal[1] != 10 || c.Frame.Nadir[1] != 1000 {
		t.Errorf("observed frame %+v", c.Frame)
	}
}
