package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestTableSimulate runs table simulate on the shipped table and checks its
// JSON, and refuses a table without train_s and an unknown model with exit
// status 2.
func TestTableSimulate(t *testing.T) {
	var out map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, "table", "simulate", "--workers", "8", "--seeds", "3", "--json", "spirals_mlp")), &out); err != nil {
		t.Fatal(err)
	}
	if out["workers"] != 8.0 || out["budget"] != 128.0 || out["seeds"] != 3.0 {
		t.Errorf("workers, budget, seeds: %v, %v, %v; want 8, 128 (16 x workers), 3", out["workers"], out["budget"], out["seeds"])
	}
	sts, _ := out["strategies"].([]any)
	if len(sts) != 2 {
		t.Fatalf("strategies: %v", out["strategies"])
	}
	for i, want := range []string{"generational", "async_regularized"} {
		st := sts[i].(map[string]any)
		if st["name"] != want {
			t.Errorf("strategy %d: %v, want %s", i, st["name"], want)
		}
		if busy, _ := st["busy"].(float64); !(busy > 0 && busy <= 1) {
			t.Errorf("%s: busy %v", want, st["busy"])
		}
	}
	if r := sts[0].(map[string]any)["ratio_to_first"]; r != nil && r != 1.0 {
		t.Errorf("the reference's ratio to itself: %v", r)
	}
	text := mustRun(t, "table", "simulate", "--workers", "4", "--seeds", "1", "--models", "async_regularized", "spirals_mlp")
	if !strings.Contains(text, "4 simulated workers") || !strings.Contains(text, "async_regularized") {
		t.Errorf("text output:\n%s", text)
	}

	dir := t.TempDir()
	plain := writeTestFile(t, dir, "plain.csv", "units_1,val_acc_0\n4,0.5\n8,0.6\n")
	for _, n := range []string{"0", "-1", "5"} {
		if _, stderr, code := evonas(t, "table", "simulate", "--workers", "4", "--seeds", "1", "--sample-size", n, "spirals_mlp"); code != 2 || stderr != "evonas: --sample-size: want 1 to 4, got "+n+"\n" {
			t.Errorf("--sample-size %s: exit %d, stderr %q; want 2 and the flag's range", n, code, stderr)
		}
	}
	// Huge values are refused, not a makeslice panic or a run without end.
	for _, tc := range []struct{ flag, want string }{
		{"--workers", "evonas: --workers: want 1 to 65536, got " + maxInt + "\n"},
		{"--population", "evonas: --population: want 2 to 100000, got " + maxInt + "\n"},
		{"--seeds", "evonas: --seeds: want 1 to 100000, got " + maxInt + "\n"},
		{"--budget", "evonas: --budget: want 1 to 10000000, got " + maxInt + "\n"},
	} {
		if _, stderr, code := evonas(t, "table", "simulate", tc.flag, maxInt, "spirals_mlp"); code != 2 || stderr != tc.want {
			t.Errorf("%s 2^63-1: exit %d, stderr %q; want 2 and %q", tc.flag, code, stderr, tc.want)
		}
	}
	if _, stderr, code := evonas(t, "table", "simulate", plain); code != 2 || !strings.Contains(stderr, "no train_s") {
		t.Errorf("a table without train_s: exit %d, %s", code, stderr)
	}
	if _, stderr, code := evonas(t, "table", "simulate", "--models", "generational,bogus", "spirals_mlp"); code != 2 || !strings.Contains(stderr, "bogus") {
		t.Errorf("an unknown model: exit %d, %s", code, stderr)
	}
}
