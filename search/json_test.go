package search

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/evonas/evonas/fitness"
)

// TestJSONNonFinite checks that every record a search hands to its observer
// or to a comparison's summary marshals to valid JSON when a whole
// generation failed (infinite fitness, no finite mean) and when a strategy
// found nothing (NaN summaries), with null in place of the non-finite
// numbers.
func TestJSONNonFinite(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	for _, tc := range []struct {
		name  string
		v     any
		nulls []string
	}{
		{"generation", GenerationStats{Generation: 0, Best: inf, Mean: nan, Std: nan, BestSoFar: inf, BestMetric: nan, Failed: 4},
			[]string{`"best":null`, `"mean":null`, `"std":null`, `"best_so_far":null`, `"best_metric":null`}},
		{"summary", Summarize(nil), []string{`"mean":null`, `"median":null`, `"min":null`}},
		{"seed", SeedResult{BestVal: nan, BestTest: nan, Curve: []float64{nan}}, []string{`"best_val":null`, `"best_test":null`}},
		{"test", Test{PValue: nan, A12: nan}, []string{`"p_value":null`, `"a12":null`}},
		{"record", fitness.Record{Fitness: inf, Val: fitness.Scores{Loss: nan}, Test: fitness.Scores{Loss: inf, R2: math.Inf(-1)}, Curve: []float64{0.5, nan}},
			[]string{`"fitness":null`, `"loss":null`, `"r2":null`, `"curve":[0.5,null]`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.v)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			for _, n := range tc.nulls {
				if !strings.Contains(string(b), n) {
					t.Errorf("%s lacks %s", b, n)
				}
			}
		})
	}

	// A generation read back keeps infinite fitness as infinite.
	b, _ := json.Marshal(GenerationStats{Best: inf, BestSoFar: 0.25, Mean: nan})
	var g GenerationStats
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if !math.IsInf(g.Best, 1) || g.BestSoFar != 0.25 || !math.IsNaN(g.Mean) {
		t.Errorf("read back %+v from %s", g, b)
	}
	// And a record keeps its scores.
	b, _ = json.Marshal(fitness.Record{Fitness: 0.1, Val: fitness.Scores{Loss: 0.3, Acc: 0.9}, Test: fitness.Scores{Loss: inf}})
	var r fitness.Record
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.Val.Loss != 0.3 || r.Val.Acc != 0.9 || !math.IsNaN(r.Test.Loss) || r.Val.R2 != 0 {
		t.Errorf("read back %+v from %s", r, b)
	}
}

// TestRecordSeedString checks that a record's 64-bit training seed is
// written as a decimal string, which JavaScript readers hold exactly, and
// that a record written with a numeric seed is still read.
func TestRecordSeedString(t *testing.T) {
	const seed = 9624780965650070356 // above 2^53
	b, err := json.Marshal(fitness.Record{Key: "k", Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"seed":"9624780965650070356"`) {
		t.Errorf("%s: seed not written as a string", b)
	}
	for _, in := range []string{string(b), `{"key":"k","seed":9624780965650070356}`} {
		var r fitness.Record
		if err := json.Unmarshal([]byte(in), &r); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if r.Seed != seed {
			t.Errorf("%s: seed %d, want %d", in, r.Seed, uint64(seed))
		}
	}
}
