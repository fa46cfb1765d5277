package search

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
)

// TestMinP checks the smallest p-value each pair of sample sizes allows
// against the p-value of perfectly separated samples of those sizes.
func TestMinP(t *testing.T) {
	for n1 := 1; n1 <= 6; n1++ {
		for n2 := 1; n2 <= 6; n2++ {
			var x, y []float64
			for i := range n1 {
				x = append(x, float64(i))
			}
			for i := range n2 {
				y = append(y, float64(100+i))
			}
			p, _ := MannWhitney(x, y)
			if got := MinP(n1, n2); math.Abs(got-p) > 1e-12 {
				t.Errorf("MinP(%d, %d) = %v, want %v", n1, n2, got, p)
			}
		}
	}
	for _, tc := range []struct {
		n1, n2 int
		want   float64
	}{{1, 1, 1}, {2, 2, 1.0 / 3}, {3, 3, 0.1}, {4, 4, 2.0 / 70}, {0, 5, 1}} {
		if got := MinP(tc.n1, tc.n2); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("MinP(%d, %d) = %v, want %v", tc.n1, tc.n2, got, tc.want)
		}
	}
}

// TestSentenceCaveat checks that a test over too few seeds to reach
// p < 0.05 says so, and that one over enough seeds does not.
func TestSentenceCaveat(t *testing.T) {
	for _, tc := range []struct {
		n      int
		caveat bool
	}{{1, true}, {2, true}, {3, true}, {4, false}, {10, false}} {
		tst := Test{Strategy: "ga", Vs: "random", Metric: "final_test", PValue: 1, A12: 0.5, N: tc.n, NVs: tc.n, MinP: MinP(tc.n, tc.n)}
		s := tst.Sentence("accuracy")
		if got := strings.Contains(s, "cannot fall below 0.05"); got != tc.caveat {
			t.Errorf("%d seeds: %q; caveat %v, want %v", tc.n, s, got, tc.caveat)
		}
	}
}

// TestSentenceA12 checks that the effect size given is the named winner's.
func TestSentenceA12(t *testing.T) {
	tst := Test{Strategy: "ga", Vs: "random", Metric: "final_test", PValue: 0.01, A12: 0.2, N: 10, NVs: 10, MinP: MinP(10, 10)}
	if s, want := tst.Sentence("accuracy"), "random beats ga on test accuracy, p = 0.01, A12 = 0.80"; s != want {
		t.Errorf("got %q, want %q", s, want)
	}
	tst.A12 = 0.9
	if s, want := tst.Sentence("accuracy"), "ga beats random on test accuracy, p = 0.01, A12 = 0.90"; s != want {
		t.Errorf("got %q, want %q", s, want)
	}
}

// TestAnalyzeFailedSeed checks that a run that found no architecture that
// trains counts in the tests, as the worst result, not as a missing seed.
func TestAnalyzeFailedSeed(t *testing.T) {
	ok := func(key string, acc float64) fitness.Record {
		return fitness.Record{Key: key, Status: fitness.OK, Fitness: 1 - acc, Val: fitness.Scores{Acc: acc}, Test: fitness.Scores{Acc: acc}}
	}
	failed := fitness.Record{Key: "bad", Status: fitness.Diverged, Fitness: math.Inf(1)}
	var ga, random StrategyRuns
	ga.Name, random.Name = "ga", Baseline
	for seed := uint64(1); seed <= 3; seed++ {
		ga.Runs = append(ga.Runs, Run{Seed: seed, Records: []fitness.Record{failed}})
		random.Runs = append(random.Runs, Run{Seed: seed, Records: []fitness.Record{ok(fmt.Sprint(seed), 0.5)}})
	}
	c, err := Analyze([]StrategyRuns{ga, random}, 5, dataset.Binary)
	if err != nil {
		t.Fatal(err)
	}
	for _, tst := range c.Tests {
		if tst.N != 3 || tst.NVs != 3 || tst.A12 != 0 {
			t.Errorf("%s: n %d vs %d, A12 %v; want 3 vs 3 and A12 0 (every failed run loses)", tst.Metric, tst.N, tst.NVs, tst.A12)
		}
	}
}

// accRecord is a training of genome "k" with validation and test accuracy
// acc.
func accRecord(acc float64) fitness.Record {
	return fitness.Record{Key: "k", Status: fitness.OK, Fitness: 1 - acc, Val: fitness.Scores{Acc: acc}, Test: fitness.Scores{Acc: acc}}
}

// TestAnalyzePaired: the paired test pairs runs by seed, whatever order the
// runs come in and with seeds one strategy lacks left out. Here every seed's
// data favour one strategy by a little, while the seeds' levels spread
// widely: the unpaired test sees no difference, the paired one does.
func TestAnalyzePaired(t *testing.T) {
	ok := accRecord
	var ga, random StrategyRuns
	ga.Name, random.Name = "ga", Baseline
	for seed := uint64(1); seed <= 10; seed++ {
		level := 0.5 + 0.04*float64(seed)
		ga.Runs = append(ga.Runs, Run{Seed: seed, Records: []fitness.Record{ok(level + 0.01)}})
		// random's runs in the reverse order; its seed 10 missing, an
		// extra seed 11 instead.
		s := 11 - seed
		if s == 10 {
			s = 11
		}
		random.Runs = append(random.Runs, Run{Seed: s, Records: []fitness.Record{ok(0.5 + 0.04*float64(s))}})
	}
	c, err := Analyze([]StrategyRuns{ga, random}, 5, dataset.Binary)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Wilcoxon([]float64{1, 1, 1, 1, 1, 1, 1, 1, 1}, []float64{0, 0, 0, 0, 0, 0, 0, 0, 0})
	for _, tst := range c.Tests {
		if tst.Pairs != 9 || tst.PairedP != want || want >= 0.05 {
			t.Errorf("%s: paired p %v over %d pairs, want %v over the 9 shared seeds", tst.Metric, tst.PairedP, tst.Pairs, want)
		}
		if tst.PValue < 0.5 {
			t.Errorf("%s: unpaired p %v, want no difference seen", tst.Metric, tst.PValue)
		}
		if s := tst.Sentence("accuracy"); !strings.Contains(s, "paired by seed (Wilcoxon signed-rank, 9 pairs that differ, ga higher in 9, random in 0), p = ") {
			t.Errorf("sentence %q does not give the paired test", s)
		}
	}

	// One pair is one pair that differs.
	one := Test{Strategy: "ga", Vs: "random", Metric: "final_test", PValue: 0.5, A12: 0.5, N: 10, NVs: 10, MinP: MinP(10, 10), Pairs: 1, PairedP: 1}
	if s := one.Sentence("accuracy"); !strings.Contains(s, "(Wilcoxon signed-rank, 1 pair that differs)") || !strings.Contains(s, "with 1 pair (at best") {
		t.Errorf("1 pair: %q", s)
	}

	// A summary written before the direction was counted says none.
	if s := one.Sentence("accuracy"); strings.Contains(s, "higher in") {
		t.Errorf("1 pair of an old summary: %q names a direction", s)
	}

	// With 5 pairs the paired test cannot reach 0.05 (2/32), with 6 it can.
	for _, n := range []int{5, 6} {
		tst := Test{Strategy: "ga", Vs: "random", Metric: "final_test", PValue: 0.5, A12: 0.5, N: 10, NVs: 10, MinP: MinP(10, 10), Pairs: n, PairedP: 0.5}
		if got, want := strings.Contains(tst.Sentence("accuracy"), "cannot fall below 0.05 with"), n == 5; got != want {
			t.Errorf("%d pairs: %q; caveat %v, want %v", n, tst.Sentence("accuracy"), got, want)
		}
	}

	// A summary written before the paired test: Retest adds it.
	before := append([]Test(nil), c.Tests...)
	for i := range c.Tests {
		c.Tests[i].PairedP, c.Tests[i].Pairs = 0, 0
	}
	c.Retest()
	if !reflect.DeepEqual(c.Tests, before) {
		t.Errorf("Retest gave %+v, want %+v", c.Tests, before)
	}
}

// TestRetestNoTest: a comparison of data without a test split, read back,
// is tested again on validation only, as when it was made.
func TestRetestNoTest(t *testing.T) {
	var ga, random StrategyRuns
	ga.Name, random.Name = "ga", Baseline
	for seed := uint64(1); seed <= 6; seed++ {
		ga.Runs = append(ga.Runs, Run{Seed: seed, Records: []fitness.Record{accRecord(0.6 + 0.05*float64(seed))}})
		random.Runs = append(random.Runs, Run{Seed: seed, Records: []fitness.Record{accRecord(0.5 + 0.04*float64(seed))}})
	}
	c, err := Analyze([]StrategyRuns{ga, random}, 1, dataset.Binary)
	if err != nil {
		t.Fatal(err)
	}
	c.DropTest()
	before := append([]Test(nil), c.Tests...)
	if len(before) != 1 || before[0].Metric != "final_val" {
		t.Fatalf("tests after DropTest: %+v, want final_val alone", before)
	}
	c.Retest()
	if !reflect.DeepEqual(c.Tests, before) {
		t.Errorf("Retest gave %+v, want %+v", c.Tests, before)
	}
}
