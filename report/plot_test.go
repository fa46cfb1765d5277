package report

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/search"
	"github.com/evonas/evonas/table"
)

// scored is a training with validation and test accuracy acc; failed is
// one that diverged.
func scored(key string, acc float64, params int) fitness.Record {
	return fitness.Record{Key: key, Arch: "[" + key + "]", Fitness: 1 - acc, Status: fitness.OK, Params: params,
		Val: fitness.Scores{Acc: acc}, Test: fitness.Scores{Acc: acc}}
}

func failed(key string) fitness.Record {
	return fitness.Record{Key: key, Arch: "[" + key + "]", Fitness: math.Inf(1), Status: fitness.Diverged, Params: 10}
}

// comparison analyses two strategies of two seeds each, whose runs are
// made by run(strategy, seed).
func comparison(t *testing.T, budget int, run func(strategy, seed int) []fitness.Record) *search.Comparison {
	t.Helper()
	var runs []search.StrategyRuns
	for i, name := range []string{"ga", "random"} {
		sr := search.StrategyRuns{Name: name}
		for seed := 1; seed <= 2; seed++ {
			sr.Runs = append(sr.Runs, search.Run{Seed: uint64(seed), Records: run(i, seed)})
		}
		runs = append(runs, sr)
	}
	c, err := search.Analyze(runs, budget, dataset.Binary)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestComparisonPlotsAnyValues draws a comparison's curves and box plots
// from values a log axis cannot show, or none: every run perfect (error
// 0), every candidate failed, one error everywhere (a range of one
// value, which gonum widened to below 0), one strategy failing. None may
// panic or fail, and a strategy without values is named in the legend.
func TestComparisonPlotsAnyValues(t *testing.T) {
	cases := []struct {
		name   string
		budget int
		run    func(strategy, seed int) []fitness.Record
		legend string // in curves.svg
	}{
		{"perfect", 3, func(int, int) []fitness.Record {
			return []fitness.Record{scored("a", 1, 10), scored("b", 1, 20), scored("c", 1, 30)}
		}, "1 - validation accuracy<"},
		{"every candidate failed", 3, func(int, int) []fitness.Record {
			return []fitness.Record{failed("a"), failed("b"), failed("c")}
		}, "random: no successful training"},
		{"one error", 2, func(int, int) []fitness.Record {
			return []fitness.Record{scored("a", 0.5, 10), scored("b", 0.5, 20)}
		}, "(log scale)"},
		{"one strategy failed", 2, func(s, _ int) []fitness.Record {
			if s == 1 {
				return []fitness.Record{failed("a"), failed("b")}
			}
			return []fitness.Record{scored("a", 0.9, 10), scored("b", 0.95, 20)}
		}, "random: no successful training"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := comparison(t, tc.budget, tc.run)
			dir := t.TempDir()
			png, svg, final := filepath.Join(dir, "curves.png"), filepath.Join(dir, "curves.svg"), filepath.Join(dir, "final.png")
			if err := Curves(c, png, svg); err != nil {
				t.Fatalf("curves: %v", err)
			}
			if err := Boxes(c, final); err != nil {
				t.Fatalf("box plots: %v", err)
			}
			for _, f := range []string{png, svg, final} {
				if st, err := os.Stat(f); err != nil || st.Size() == 0 {
					t.Errorf("%s: %v", filepath.Base(f), err)
				}
			}
			b, _ := os.ReadFile(svg)
			if !strings.Contains(string(b), tc.legend) {
				t.Errorf("curves.svg lacks %q", tc.legend)
			}
		})
	}
}

// TestCurvesBandInRange checks that the 95% band of the validation error
// of an accuracy stays within [0, 1]: with two seeds far apart (0.1 and
// 0.9) the t interval of the mean accuracy reaches below -4.
func TestCurvesBandInRange(t *testing.T) {
	c := comparison(t, 1, func(_, seed int) []fitness.Record {
		return []fitness.Record{scored("a", 0.8*float64(seed)-0.7, 10)}
	})
	if lo := c.Strategies[0].Curve.Lo[0]; lo > -1 {
		t.Fatalf("band from %v: not the wide band this test needs", lo)
	}
	p, err := curves(c)
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Max > 1 {
		t.Errorf("error axis up to %v, want at most 1", p.Y.Max)
	}
}

// TestFrontPlotAnyValues draws Pareto fronts whose errors a log axis
// cannot show: every candidate perfect (it said "plotter: infinite data
// point", and the search failed), and a single evaluation.
func TestFrontPlotAnyValues(t *testing.T) {
	objs := []string{"error", "params"}
	cases := []struct {
		name  string
		recs  []fitness.Record
		label string
	}{
		{"perfect", []fitness.Record{prec("a", 0, 0, 100), prec("b", 0, 0, 10), failed("c")}, "validation error (1 - accuracy)<"},
		{"one evaluation", []fitness.Record{prec("a", 0, 0.3, 1)}, "validation error (1 - accuracy; log scale)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svg := filepath.Join(t.TempDir(), "pareto.svg")
			front := search.Front(tc.recs, objs)
			if err := FrontPlot(tc.recs, front, objs, dataset.Multiclass, "front", svg); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(svg)
			if !strings.Contains(string(b), tc.label) {
				t.Errorf("pareto.svg lacks %q", tc.label)
			}
		})
	}
}

// TestSearchPlotsAnyValues draws a search's progress and Pareto plots when
// every candidate failed, and when every architecture has 1 parameter (a
// range of one value on the log axis).
func TestSearchPlotsAnyValues(t *testing.T) {
	one := scored("a", 0.9, 1)
	one.Params = 0 // drawn as 1
	for name, recs := range map[string][]fitness.Record{
		"every candidate failed": {failed("a"), failed("b")},
		"one size":               {one, scored("b", 0.8, 1)},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			for i, draw := range []func([]fitness.Record, dataset.Task, string) (*plot.Plot, error){Progress, Pareto} {
				p, err := draw(recs, dataset.Binary, "run")
				if err != nil {
					t.Fatal(err)
				}
				if err := Save(p, filepath.Join(dir, "plot.png"), filepath.Join(dir, "plot.svg")); err != nil {
					t.Errorf("plot %d: %v", i, err)
				}
			}
		})
	}
}

// TestRegretCurvesZero draws regret curves that are 0 throughout (every
// run found the best configuration at once).
func TestRegretCurvesZero(t *testing.T) {
	zero := []float64{0, 0, 0}
	c := &table.Comparison{Table: "t", Seeds: 2, Budget: 3, Strategies: []table.StrategyResult{
		{Name: "random", Curve: table.Curve{Evaluations: []int{1, 2, 3}, Median: zero, Q1: zero, Q3: zero}},
		{Name: "ga"},
	}}
	svg := filepath.Join(t.TempDir(), "curves.svg")
	if err := RegretCurves(c, svg); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(svg); !strings.Contains(string(b), "ga: no successful training") {
		t.Error("curves.svg does not say that ga has no values")
	}
}

// TestSaveRecovers checks that a plot the plotting library panics on (a
// value of 0 on a log axis) is an error, and writes no file.
func TestSaveRecovers(t *testing.T) {
	p := plot.New()
	p.Y.Scale = plot.LogScale{}
	sc, err := plotter.NewScatter(plotter.XYs{{X: 1, Y: 0}, {X: 2, Y: 1}})
	if err != nil {
		t.Fatal(err)
	}
	p.Add(sc)
	path := filepath.Join(t.TempDir(), "bad.png")
	if err := Save(p, path); err == nil || !strings.Contains(err.Error(), "bad.png") {
		t.Errorf("error %v, want one naming bad.png", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("bad.png: %v, want no file", err)
	}
}

// TestTablesNoValues: a strategy whose every run failed has no median;
// the text table and report.md show "-" for its scores, not NaN.
func TestTablesNoValues(t *testing.T) {
	c := comparison(t, 2, func(s, _ int) []fitness.Record {
		if s == 0 {
			return []fitness.Record{failed("a"), failed("b")}
		}
		return []fitness.Record{scored("c", 0.9, 10), scored("d", 0.8, 10)}
	})
	var text, md strings.Builder
	Table(&text, c)
	Markdown(&md, c, "t", "evonas compare")
	for name, out := range map[string]string{"text": text.String(), "report.md": md.String()} {
		if strings.Contains(out, "NaN") {
			t.Errorf("%s shows NaN:\n%s", name, out)
		}
	}
	if !strings.Contains(md.String(), "| ga | 2 | - | - | - | - |") {
		t.Errorf("report.md lacks ga's row of dashes:\n%s", md.String())
	}
	if !strings.Contains(md.String(), "| random | 2 | 0.9000 ± 0.0000 | 0.9000 [0.9000, 0.9000] |") {
		t.Errorf("report.md lacks random's scores:\n%s", md.String())
	}
}

// TestFrontLeavesPartialOut: the accuracy-against-size front of a run's
// report leaves out trainings stopped early by multi-fidelity, whose
// metric is a lower fidelity's.
func TestFrontLeavesPartialOut(t *testing.T) {
	recs := []fitness.Record{
		{Key: "big", Status: fitness.OK, Params: 1000, Val: fitness.Scores{Acc: 0.9}},
		{Key: "small", Status: fitness.OK, Params: 10, Val: fitness.Scores{Acc: 0.5}, Partial: true},
	}
	if front := Front(recs, dataset.Multiclass); len(front) != 1 || front[0].Key != "big" {
		t.Errorf("front of %d, want big alone", len(front))
	}
}

// TestProgressBestSoFarFull: the progress plot's best so far is a full
// training's: a training stopped early by multi-fidelity, whose metric is
// a lower fidelity's, is drawn as a point but never sets it.
func TestProgressBestSoFarFull(t *testing.T) {
	early := scored("early", 0.95, 10)
	early.Partial = true
	recs := []fitness.Record{scored("a", 0.8, 10), early, scored("b", 0.85, 10)}
	each, best := progress(recs, dataset.Multiclass)
	if len(each) != 3 {
		t.Errorf("%d points, want 3", len(each))
	}
	top := math.Inf(-1)
	for _, xy := range best {
		top = math.Max(top, xy.Y)
	}
	if top != 0.85 {
		t.Errorf("best so far reaches %v, want 0.85 (b's; early's 0.95 is partial)", top)
	}
	early2 := early
	early2.Key = "early2"
	if _, err := Progress([]fitness.Record{early, early2}, dataset.Multiclass, "only partial"); err != nil {
		t.Errorf("every training partial: %v", err)
	}
}
