package search

import (
	"fmt"
	"math"
	"sort"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
)

// Run is one search's evaluations under one seed.
type Run struct {
	Seed    uint64
	Records []fitness.Record // every record the search logged
	// Winner, when set, is the key of the genome the search named its
	// winner (on the mean of its evaluations), and the run's result is
	// that genome's mean validation and test metric over its trainings
	// within the budget, instead of the training with the best fitness.
	// A search that re-evaluates (objective.repeats) sets it: it is
	// judged by what it names, on the same trainings, not by its
	// luckiest single training, whose validation score overstates it;
	// with cross-validation folds its trainings validate on different
	// rows, and the mean is the genome's cross-validation estimate.
	Winner string
}

// StrategyRuns are a strategy's runs, one per seed.
type StrategyRuns struct {
	Name string
	Runs []Run
}

// SeedResult is a strategy's outcome under one seed at the budget.
type SeedResult struct {
	Seed         uint64    `json:"seed"`
	BestVal      float64   `json:"best_val"`  // validation metric of the best-fitness architecture within the budget
	BestTest     float64   `json:"best_test"` // its test metric
	BestArch     string    `json:"best_arch"`
	BestKey      string    `json:"best_key"`
	Evaluations  int       `json:"evaluations"`   // trainings counted (at most the budget)
	TrainSamples int64     `json:"train_samples"` // training samples those trainings processed
	ToReach      *int      `json:"evaluations_to_reach_random_median"`
	Curve        []float64 `json:"-"` // best validation metric so far after 1..budget trainings

	// A multi-objective comparison's: the hypervolume at the budget (see
	// Frame), on validation and test error, the front's size, and the
	// hypervolume after 1..budget trainings.
	Hypervolume     *float64  `json:"hypervolume,omitempty"`
	TestHypervolume *float64  `json:"test_hypervolume,omitempty"`
	FrontSize       int       `json:"front_size,omitempty"`
	HVCurve         []float64 `json:"-"`
}

// Curve is a strategy's anytime curve: after each number of trainings, the
// mean over seeds of the best validation metric so far, with a 95%
// confidence band (Student's t).
type Curve struct {
	Evaluations []int     `json:"evaluations"`
	Mean        []float64 `json:"mean"`
	Lo          []float64 `json:"lo"`
	Hi          []float64 `json:"hi"`
}

// StrategyResult is a strategy's part of a comparison.
type StrategyResult struct {
	Name      string       `json:"name"`
	Seeds     []SeedResult `json:"seeds"`
	FinalVal  Summary      `json:"final_val"`
	FinalTest Summary      `json:"final_test"`
	Curve     Curve        `json:"curve"`
	// Best is the best architecture found over all seeds (by fitness).
	Best fitness.Record `json:"best"`

	// A multi-objective comparison's: hypervolume at the budget over seeds
	// (validation and test), and its curve over trainings.
	Hypervolume     *Summary `json:"hypervolume,omitempty"`
	TestHypervolume *Summary `json:"test_hypervolume,omitempty"`
	HVCurve         *Curve   `json:"hypervolume_curve,omitempty"`
}

// Test is a Mann-Whitney U test of a strategy against another on one
// metric: every strategy against random search, and every strategy after
// the first against the first.
type Test struct {
	Strategy string  `json:"strategy"`
	Vs       string  `json:"vs"`
	Metric   string  `json:"metric"` // final_test, final_val; multi-objective: test_hypervolume, hypervolume
	PValue   float64 `json:"p_value"`
	A12      float64 `json:"a12"` // P(strategy > vs), ties half
	N        int     `json:"n"`
	NVs      int     `json:"n_vs"`
	// MinP is the smallest p-value samples of N and NVs runs allow; at
	// 0.05 or more, the test cannot find a difference significant.
	MinP float64 `json:"min_p"`
	// PairedP is the two-sided p-value of the Wilcoxon signed-rank test of
	// the runs paired by seed (a seed splits the data the same way for
	// every strategy, so a pair shares its validation and test rows), over
	// the Pairs pairs whose values differ; Pairs is 0 when no seed is
	// shared, and in summaries written before the paired test existed.
	PairedP float64 `json:"paired_p"`
	Pairs   int     `json:"pairs"`
	// Higher is how many of those pairs Strategy's run wins (the rest,
	// Vs's): the direction of the paired test. nil in summaries written
	// before it was counted.
	Higher *int `json:"paired_higher,omitempty"`
}

// Comparison is the analysis of several strategies run under the same seeds.
type Comparison struct {
	Budget     int              `json:"budget"`
	Task       dataset.Task     `json:"task"`
	MetricName string           `json:"metric_name"` // accuracy, balanced accuracy or R²
	Strategies []StrategyResult `json:"strategies"`
	Tests      []Test           `json:"tests"`
	// Frame is a multi-objective comparison's hypervolume frame, with its
	// reference point; nil for one objective.
	Frame *Frame `json:"hypervolume_frame,omitempty"`
	// TestErrorIs says what the test hypervolume puts in place of the
	// validation error, when not the test split's error.
	TestErrorIs string `json:"test_error_is,omitempty"`
	// NoTest says the data had no test split (DropTest): the strategies
	// are compared on validation alone.
	NoTest bool `json:"no_test_split,omitempty"`
	// WinnerMeans says that some run's result is its named winner's mean
	// over its trainings (Run.Winner), not its best training.
	WinnerMeans bool `json:"winner_means,omitempty"`
}

// DropTest makes the comparison of runs on data without a test split a
// comparison on validation alone: a record's test scores are then zeros,
// and the test summaries and tests compared those. It sets NoTest, the
// test metrics to NaN (null in JSON) and removes the tests on them.
func (c *Comparison) DropTest() {
	c.NoTest = true
	for i := range c.Strategies {
		st := &c.Strategies[i]
		for j := range st.Seeds {
			st.Seeds[j].BestTest, st.Seeds[j].TestHypervolume = math.NaN(), nil
		}
		st.FinalTest, st.TestHypervolume = Summarize(nil), nil
	}
	var tests []Test
	for _, t := range c.Tests {
		if t.Metric != "final_test" && t.Metric != "test_hypervolume" {
			tests = append(tests, t)
		}
	}
	c.Tests = tests
}

// Pareto makes a comparison multi-objective: hypervolumes under these
// objectives, in Frame when it is set, else in the frame the compared
// records span (ObservedFrame).
type Pareto struct {
	Objectives []string
	Frame      *Frame
	// TestError is the error the test hypervolume gives a front member in
	// place of its validation error; nil: 1 - its test metric. A table
	// comparison gives the mean over the table's repeats.
	TestError func(fitness.Record) float64
	// TestErrorIs says in words what TestError gives, for the report.
	TestErrorIs string
}

// Baseline is the name of the strategy the others are tested against.
const Baseline = "random"

// Analyze compares strategies at a budget of trainings: each run counts
// its first `budget` trainings (cache hits aside), in the order the search
// made them (by generation, then key within a generation), so a search that
// overshot its budget is cut back to it. With a Pareto whose objectives
// are two or more, the comparison adds hypervolumes, their curves and
// tests on them.
func Analyze(runs []StrategyRuns, budget int, task dataset.Task, pareto ...Pareto) (*Comparison, error) {
	if budget < 1 {
		return nil, fmt.Errorf("search: budget %d", budget)
	}
	// The records of runs that selected on balanced accuracy carry it, and
	// their Scores.Metric is it: the comparison judges by it then.
	var all []fitness.Record
	for _, sr := range runs {
		for _, run := range sr.Runs {
			all = append(all, run.Records...)
		}
	}
	c := &Comparison{Budget: budget, Task: task, MetricName: fitness.MetricNameOf(task, all)}
	var testError func(fitness.Record) float64
	if len(pareto) > 0 && len(pareto[0].Objectives) > 1 {
		if err := fitness.CheckObjectives(pareto[0].Objectives); err != nil {
			return nil, fmt.Errorf("search: %v", err)
		}
		f := pareto[0].Frame
		if f == nil {
			var all []fitness.Record
			for _, sr := range runs {
				for _, run := range sr.Runs {
					recs := ordered(run.Records)
					all = append(all, recs[:min(budget, len(recs))]...)
				}
			}
			of := ObservedFrame(pareto[0].Objectives, all)
			f = &of
		}
		c.Frame = f
		testError, c.TestErrorIs = pareto[0].TestError, pareto[0].TestErrorIs
	}
	for _, sr := range runs {
		res := StrategyResult{Name: sr.Name}
		res.Best.Fitness = math.Inf(1)
		for _, run := range sr.Runs {
			c.WinnerMeans = c.WinnerMeans || run.Winner != ""
			s, best := seedResult(run, budget, task)
			res.Seeds = append(res.Seeds, s)
			if best.Fitness < res.Best.Fitness || best.Fitness == res.Best.Fitness && best.Key < res.Best.Key || res.Best.Key == "" {
				res.Best = best
			}
		}
		res.FinalVal = Summarize(field(res.Seeds, func(s SeedResult) float64 { return s.BestVal }))
		res.FinalTest = Summarize(field(res.Seeds, func(s SeedResult) float64 { return s.BestTest }))
		res.Curve = curve(res.Seeds, budget)
		if c.Frame != nil {
			for j, run := range sr.Runs {
				addHypervolume(&res.Seeds[j], run, budget, task, *c.Frame, testError)
			}
			hv := Summarize(field(res.Seeds, hvOf))
			thv := Summarize(field(res.Seeds, testHVOf))
			res.Hypervolume, res.TestHypervolume = &hv, &thv
			cv := curveOf(res.Seeds, budget, func(s SeedResult) []float64 { return s.HVCurve })
			res.HVCurve = &cv
		}
		c.Strategies = append(c.Strategies, res)
	}
	var base *StrategyResult
	for i := range c.Strategies {
		if c.Strategies[i].Name == Baseline {
			base = &c.Strategies[i]
		}
	}
	if base == nil {
		return c, nil
	}
	median := base.FinalVal.Median
	for i := range c.Strategies {
		st := &c.Strategies[i]
		for j := range st.Seeds {
			st.Seeds[j].ToReach = toReach(st.Seeds[j].Curve, median)
		}
	}
	c.test()
	return c, nil
}

// Retest makes a comparison's tests again from the per-seed values of its
// strategies: a summary read back (evonas report) then gets the tests as
// evonas makes them now, the paired test of one written before it existed
// and the ties of one written before they were rounded (worstIfFailed).
func (c *Comparison) Retest() {
	c.Tests = nil
	c.test()
	if c.NoTest {
		c.DropTest()
	}
}

// test tests every strategy against random search, then, when there are
// several, every other one against the first (a config with and without a
// setting, say).
func (c *Comparison) test() {
	var base *StrategyResult
	for i := range c.Strategies {
		if c.Strategies[i].Name == Baseline {
			base = &c.Strategies[i]
		}
	}
	if base == nil {
		return
	}
	var first *StrategyResult
	for i := range c.Strategies {
		st := &c.Strategies[i]
		if st.Name == Baseline {
			continue
		}
		c.Tests = append(c.Tests, compareStrategies(st, base)...)
		if first == nil {
			first = st
		}
	}
	for i := range c.Strategies {
		st := &c.Strategies[i]
		if st.Name != Baseline && st != first {
			c.Tests = append(c.Tests, compareStrategies(st, first)...)
		}
	}
}

// compareStrategies tests a against b on the final test and validation
// metrics. A run that found no architecture that trains counts as the worst
// result (-Inf), so that a strategy that fails is not judged on its lucky
// seeds alone.
func compareStrategies(a, b *StrategyResult) []Test {
	var tests []Test
	for _, m := range testedMetrics {
		if m.name == "test_hypervolume" && a.Hypervolume == nil {
			break
		}
		x, y := worstIfFailed(a.Seeds, m.f), worstIfFailed(b.Seeds, m.f)
		p, _ := MannWhitney(x, y)
		t := Test{Strategy: a.Name, Vs: b.Name, Metric: m.name, PValue: p, A12: A12(x, y), N: len(x), NVs: len(y), MinP: MinP(len(x), len(y))}
		px, py := pairedBySeed(a.Seeds, b.Seeds, x, y)
		t.PairedP, t.Pairs = Wilcoxon(px, py)
		higher := 0
		for i := range px {
			// As Wilcoxon counts a pair's sign.
			if px[i] != py[i] && TieValue(px[i]-py[i]) > 0 {
				higher++
			}
		}
		t.Higher = &higher
		tests = append(tests, t)
	}
	return tests
}

// testedMetrics are the metrics a comparison tests, in order, with each
// seed's value.
var testedMetrics = []struct {
	name string
	f    func(SeedResult) float64
}{{"final_test", func(s SeedResult) float64 { return s.BestTest }}, {"final_val", func(s SeedResult) float64 { return s.BestVal }},
	{"test_hypervolume", testHVOf}, {"hypervolume", hvOf}}

// pairedBySeed returns the values x of seeds a and y of seeds b of the
// seeds both have, in a's order.
func pairedBySeed(a, b []SeedResult, x, y []float64) (px, py []float64) {
	at := make(map[uint64]int, len(b))
	for j, s := range b {
		at[s.Seed] = j
	}
	for i, s := range a {
		if j, ok := at[s.Seed]; ok {
			px, py = append(px, x[i]), append(py, y[j])
		}
	}
	return px, py
}

// worstIfFailed is each seed's metric, -Inf for a run that has none, to
// 12 significant digits (TieValue): a winner's mean accuracy is a fraction
// whose sum in floating point can differ in its last bits from another
// run's equal fraction, and the tests must see the two as the tie they are.
func worstIfFailed(seeds []SeedResult, f func(SeedResult) float64) []float64 {
	out := make([]float64, len(seeds))
	for i, s := range seeds {
		out[i] = f(s)
		if math.IsNaN(out[i]) {
			out[i] = math.Inf(-1)
		}
		out[i] = TieValue(out[i])
	}
	return out
}

// ordered returns a run's trainings in the order the search made them:
// by generation, then by key and, for a genome trained more than once in a
// generation, by visit, never in the order they happened to end, so that
// what is summed over them (a winner's means) is the same to the last bit
// whatever the worker count.
func ordered(recs []fitness.Record) []fitness.Record {
	var out []fitness.Record
	for _, r := range recs {
		if r.Status != fitness.Cached {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Generation != out[j].Generation {
			return out[i].Generation < out[j].Generation
		}
		if out[i].Key != out[j].Key {
			return out[i].Key < out[j].Key
		}
		return out[i].Visit < out[j].Visit
	})
	return out
}

func seedResult(run Run, budget int, task dataset.Task) (SeedResult, fitness.Record) {
	recs := ordered(run.Records)
	recs = recs[:min(budget, len(recs))]
	s := SeedResult{Seed: run.Seed, Evaluations: len(recs), BestVal: math.NaN(), BestTest: math.NaN()}
	best := fitness.Record{Fitness: math.Inf(1)}
	cur := math.NaN()
	for _, r := range recs {
		s.TrainSamples += int64(r.Samples)
		// Ties go to the smaller key, as in a search's hall of fame. A
		// training stopped early by multi-fidelity is never the result:
		// its metric is a lower fidelity's.
		if r.Partial {
			s.Curve = append(s.Curve, cur)
			continue
		}
		if r.Fitness < best.Fitness || r.Fitness == best.Fitness && r.Key < best.Key || (best.Key == "" && !math.IsInf(r.Fitness, 0)) {
			best = r
			cur = r.Val.Metric(task)
		}
		s.Curve = append(s.Curve, cur)
	}
	if run.Winner != "" {
		if w, val, test, ok := winnerOf(recs, run.Winner, task); ok {
			best = w
			s.BestVal, s.BestTest = val, test
			s.BestArch, s.BestKey = best.Arch, best.Key
			return s, best
		}
	}
	if best.Key != "" {
		s.BestVal, s.BestTest = best.Val.Metric(task), best.Test.Metric(task)
		s.BestArch, s.BestKey = best.Arch, best.Key
	}
	return s, best
}

// winnerOf returns the first training (the lowest visit) of the genome key among recs, with
// the mean fitness of its trainings as its fitness, and the mean
// validation and test metrics of those trainings; ok is false when none
// of its trainings is among recs, or one failed or was stopped early by
// multi-fidelity.
func winnerOf(recs []fitness.Record, key string, task dataset.Task) (first fitness.Record, val, test float64, ok bool) {
	var fit float64
	n := 0
	for _, r := range recs {
		if r.Key != key {
			continue
		}
		if math.IsInf(r.Fitness, 0) || math.IsNaN(r.Fitness) || r.Partial {
			return first, 0, 0, false
		}
		if n == 0 || r.Visit < first.Visit {
			first = r
		}
		fit += r.Fitness
		val += r.Val.Metric(task)
		test += r.Test.Metric(task)
		n++
	}
	if n == 0 {
		return first, 0, 0, false
	}
	k := float64(n)
	first.Fitness = fit / k
	return first, val / k, test / k, true
}

// toReach is the number of trainings after which a curve first reaches
// target, or nil.
func toReach(curve []float64, target float64) *int {
	for i, v := range curve {
		if v >= target {
			n := i + 1
			return &n
		}
	}
	return nil
}

func curve(seeds []SeedResult, budget int) Curve {
	return curveOf(seeds, budget, func(s SeedResult) []float64 { return s.Curve })
}

// curveOf is the mean curve, with its 95% band, of one per-seed curve.
func curveOf(seeds []SeedResult, budget int, of func(SeedResult) []float64) Curve {
	var c Curve
	for e := 1; e <= budget; e++ {
		var v []float64
		for _, s := range seeds {
			sc := of(s)
			if len(sc) == 0 {
				continue
			}
			x := sc[min(e, len(sc))-1] // a run that stopped early keeps its last value
			if !math.IsNaN(x) {
				v = append(v, x)
			}
		}
		if len(v) == 0 {
			continue
		}
		sum := Summarize(v)
		half := 0.0
		if len(v) > 1 {
			half = tQuantile975(len(v)-1) * sum.Std / math.Sqrt(float64(len(v)))
		}
		c.Evaluations = append(c.Evaluations, e)
		c.Mean = append(c.Mean, sum.Mean)
		c.Lo = append(c.Lo, sum.Mean-half)
		c.Hi = append(c.Hi, sum.Mean+half)
	}
	return c
}

func field(seeds []SeedResult, f func(SeedResult) float64) []float64 {
	var out []float64
	for _, s := range seeds {
		if v := f(s); !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
}

// Sentence says what a test found, in words. The effect size given is
// the winner's (the probability that a run of the strategy named first
// scores higher), and a test over too few runs to reach p < 0.05 says so.
func (t Test) Sentence(metricName string) string {
	what := "test " + metricName
	switch t.Metric {
	case "final_val":
		what = "validation " + metricName
	case "hypervolume":
		what = "hypervolume"
	case "test_hypervolume":
		what = "test hypervolume"
	}
	var s string
	switch {
	case t.PValue < 0.05 && t.A12 > 0.5:
		s = fmt.Sprintf("%s beats %s on %s, p = %.3g, A12 = %.2f", t.Strategy, t.Vs, what, t.PValue, t.A12)
	case t.PValue < 0.05 && t.A12 < 0.5:
		s = fmt.Sprintf("%s beats %s on %s, p = %.3g, A12 = %.2f", t.Vs, t.Strategy, what, t.PValue, 1-t.A12)
	default:
		s = fmt.Sprintf("no significant difference between %s and %s on %s (p = %.3g, A12 = %.2f)", t.Strategy, t.Vs, what, t.PValue, t.A12)
	}
	if t.Pairs > 0 {
		pairs, differ := "pairs", "differ"
		if t.Pairs == 1 {
			pairs, differ = "pair", "differs"
		}
		dir := ""
		if t.Higher != nil {
			// Which way the pairs go: a paired p says nothing of it.
			dir = fmt.Sprintf(", %s higher in %d, %s in %d", t.Strategy, *t.Higher, t.Vs, t.Pairs-*t.Higher)
		}
		s += fmt.Sprintf("; paired by seed (Wilcoxon signed-rank, %d %s that %s%s), p = %.3g", t.Pairs, pairs, differ, dir, t.PairedP)
		// The smallest exact p of n pairs: every difference one way.
		if m := math.Min(1, 2/math.Pow(2, float64(t.Pairs))); m >= 0.05 {
			s += fmt.Sprintf(", which cannot fall below 0.05 with %d %s (at best %.2g)", t.Pairs, pairs, m)
		}
	}
	if t.MinP >= 0.05 {
		s += fmt.Sprintf("; with %d and %d seeds p cannot fall below 0.05 (at best %.2g): run 4 seeds or more to test a difference", t.N, t.NVs, t.MinP)
	}
	return s
}

// addHypervolume fills a seed's hypervolumes from its first budget
// trainings.
func addHypervolume(s *SeedResult, run Run, budget int, task dataset.Task, f Frame, testError func(fitness.Record) float64) {
	recs := ordered(run.Records)
	recs = recs[:min(budget, len(recs))]
	s.HVCurve = f.HypervolumeCurve(recs, task)
	hv, thv := 0.0, f.testHypervolume(recs, task, testError)
	if len(s.HVCurve) > 0 {
		hv = s.HVCurve[len(s.HVCurve)-1]
	}
	s.Hypervolume, s.TestHypervolume = &hv, &thv
	s.FrontSize = len(Front(recs, f.Objectives))
}

func hvOf(s SeedResult) float64 {
	if s.Hypervolume == nil {
		return math.NaN()
	}
	return *s.Hypervolume
}

func testHVOf(s SeedResult) float64 {
	if s.TestHypervolume == nil {
		return math.NaN()
	}
	return *s.TestHypervolume
}
