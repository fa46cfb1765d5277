package search

import (
	"math"
	"testing"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
)

// TestAnalyzeWinner checks that a run with a Winner reports that genome's
// mean validation and test accuracy over its trainings within the budget,
// not the training with the best fitness, and that a run without one
// still reports the best training.
func TestAnalyzeWinner(t *testing.T) {
	rec := func(key string, gen, visit int, val, test float64) fitness.Record {
		return fitness.Record{Key: key, Arch: "[" + key + "]", Generation: gen, Visit: visit, Status: fitness.OK, Fitness: 1 - val,
			Val: fitness.Scores{Acc: val}, Test: fitness.Scores{Acc: test}}
	}
	recs := []fitness.Record{
		rec("a", 0, 0, 0.95, 0.80), // the luckiest single training
		rec("b", 0, 0, 0.90, 0.90),
		rec("b", 1, 1, 0.92, 0.86),
		rec("b", 1, 2, 0.88, 0.88),
		rec("b", 2, 3, 0.50, 0.50), // beyond a budget of 4
	}
	cases := []struct {
		name      string
		winner    string
		budget    int
		val, test float64
		key       string
		fitness   float64
	}{
		{"best training", "", 4, 0.95, 0.80, "a", 1 - 0.95},
		{"winner's mean", "b", 4, 0.90, (0.90 + 0.86 + 0.88) / 3, "b", 1 - 0.90},
		{"winner's mean within the budget", "b", 5, (0.90 + 0.92 + 0.88 + 0.50) / 4, (0.90 + 0.86 + 0.88 + 0.50) / 4, "b", 1 - (0.90+0.92+0.88+0.50)/4},
		{"winner without trainings in the budget", "c", 4, 0.95, 0.80, "a", 1 - 0.95},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			runs := []StrategyRuns{{Name: "ga", Runs: []Run{{Seed: 1, Records: recs, Winner: tc.winner}}}}
			c, err := Analyze(runs, tc.budget, dataset.Binary)
			if err != nil {
				t.Fatal(err)
			}
			if c.WinnerMeans != (tc.winner != "") {
				t.Errorf("WinnerMeans %v with winner %q", c.WinnerMeans, tc.winner)
			}
			s := c.Strategies[0].Seeds[0]
			near := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
			if !near(s.BestVal, tc.val) || !near(s.BestTest, tc.test) || s.BestKey != tc.key {
				t.Errorf("got val %v test %v key %s, want val %v test %v key %s", s.BestVal, s.BestTest, s.BestKey, tc.val, tc.test, tc.key)
			}
			if b := c.Strategies[0].Best; b.Key != tc.key || !near(b.Fitness, tc.fitness) || b.Visit != 0 {
				t.Errorf("best over seeds: key %s fitness %v visit %d, want %s, %v, 0", b.Key, b.Fitness, b.Visit, tc.key, tc.fitness)
			}
		})
	}
}

// TestAnalyzeFailedWinner checks that a winner with a failed training is
// not averaged: the run falls back to its best training.
func TestAnalyzeFailedWinner(t *testing.T) {
	recs := []fitness.Record{
		{Key: "a", Status: fitness.OK, Fitness: 0.1, Val: fitness.Scores{Acc: 0.9}, Test: fitness.Scores{Acc: 0.85}},
		{Key: "b", Status: fitness.OK, Fitness: 0.2, Val: fitness.Scores{Acc: 0.8}, Test: fitness.Scores{Acc: 0.8}},
		{Key: "b", Visit: 1, Status: fitness.Diverged, Fitness: math.Inf(1)},
	}
	c, err := Analyze([]StrategyRuns{{Name: "ga", Runs: []Run{{Seed: 1, Records: recs, Winner: "b"}}}}, 3, dataset.Binary)
	if err != nil {
		t.Fatal(err)
	}
	if s := c.Strategies[0].Seeds[0]; s.BestKey != "a" || s.BestTest != 0.85 {
		t.Errorf("got key %s test %v, want a and 0.85", s.BestKey, s.BestTest)
	}
}

// TestWinnerMeanOrder: a winner's trainings of one generation end in
// whatever order the workers finish them; its means must not depend on
// it, to the last bit, and the tests must count two runs whose mean is the
// same fraction as a tie, however its sum rounded.
func TestWinnerMeanOrder(t *testing.T) {
	rec := func(visit int, acc float64) fitness.Record {
		return fitness.Record{Key: "w", Generation: 1, Visit: visit, Status: fitness.OK, Fitness: 1 - acc,
			Val: fitness.Scores{Acc: acc}, Test: fitness.Scores{Acc: acc}}
	}
	// Summed in visit order, 0.1, 0.2, 0.3 give 0.6000000000000001; in the
	// order 0.3, 0.2, 0.1, 0.6.
	inOrder := []fitness.Record{rec(0, 0.1), rec(1, 0.2), rec(2, 0.3)}
	reversed := []fitness.Record{rec(2, 0.3), rec(1, 0.2), rec(0, 0.1)}
	if a, b, c := 0.1, 0.2, 0.3; (a+b)+c == (c+b)+a {
		t.Fatal("the sums this test needs to differ are equal")
	}
	mean := func(recs []fitness.Record) float64 {
		c, err := Analyze([]StrategyRuns{{Name: "ga", Runs: []Run{{Seed: 1, Records: recs, Winner: "w"}}}}, 3, dataset.Binary)
		if err != nil {
			t.Fatal(err)
		}
		return c.Strategies[0].Seeds[0].BestTest
	}
	if a, b := mean(inOrder), mean(reversed); a != b {
		t.Errorf("winner's mean %v in one order of completion, %v in another", a, b)
	}

	// Seed 1's mean as a sum rounds up, another run's equal fraction is
	// exact: a tie, which the paired test drops.
	one := func(acc float64) fitness.Record {
		return fitness.Record{Key: "x", Status: fitness.OK, Fitness: 1 - acc, Val: fitness.Scores{Acc: acc}, Test: fitness.Scores{Acc: acc}}
	}
	ga := StrategyRuns{Name: "ga", Runs: []Run{{Seed: 1, Records: inOrder, Winner: "w"}}}
	random := StrategyRuns{Name: Baseline, Runs: []Run{{Seed: 1, Records: []fitness.Record{one(0.2)}}}}
	for seed := uint64(2); seed <= 8; seed++ {
		ga.Runs = append(ga.Runs, Run{Seed: seed, Records: []fitness.Record{one(0.9)}})
		random.Runs = append(random.Runs, Run{Seed: seed, Records: []fitness.Record{one(0.1)}})
	}
	if s := mean(inOrder); s == 0.2 {
		t.Fatalf("the winner's mean is exactly 0.2: the tie this test needs rounding to make is already there")
	}
	c, err := Analyze([]StrategyRuns{ga, random}, 3, dataset.Binary)
	if err != nil {
		t.Fatal(err)
	}
	for _, tst := range c.Tests {
		if tst.Pairs != 7 {
			t.Errorf("%s: %d pairs that differ, want 7 (seed 1's 0.2 against 0.2 is a tie)", tst.Metric, tst.Pairs)
		}
	}
}
