package run

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/search"
)

// TestDirReport prints the report of a run still being written.
func TestDirReport(t *testing.T) {
	dir := copyDir(t, "testdata/live")
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := d.Records()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := d.Report(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], dir+": ") || !strings.HasSuffix(lines[0], ", "+strconv.Itoa(len(recs))+" evaluations") {
		t.Fatalf("want the status line and four plots, got:\n%s", b.String())
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "wrote "+dir) {
			t.Errorf("%q: not a file of the run directory", l)
		}
	}
}

// TestRedraw draws a search's and a table comparison's reports again, and
// refuses a directory that is neither.
func TestRedraw(t *testing.T) {
	var b strings.Builder
	if sum, err := Redraw(copyDir(t, "testdata/live"), &b); sum != nil || err != nil || !strings.Contains(b.String(), "wrote ") {
		t.Errorf("a search: %v, %v, printed %q; want nil, nil and the plots written", sum, err, b.String())
	}

	tc := &TableComparison{Kind: KindCompare, Title: "Comparison", Variants: []Variant{{Name: "default", Config: configs.Default()}},
		Table: "spirals_mlp", Seeds: 2, Budget: 10, Dir: filepath.Join(t.TempDir(), "cmp")}
	tab, err := tc.Open()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tc.Run(context.Background(), tab); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(tc.Dir, ReportFile)
	if err := os.Remove(report); err != nil {
		t.Fatal(err)
	}
	sum, err := Redraw(tc.Dir, &b)
	if ts, ok := sum.(*TableComparisonSummary); !ok || err != nil || ts.Title != "Comparison on table spirals_mlp" {
		t.Errorf("a table comparison: %T %v, %v; want its summary", sum, sum, err)
	}
	if _, err := os.Stat(report); err != nil {
		t.Errorf("report.md not drawn again: %v", err)
	}

	if _, err := Redraw(t.TempDir(), &b); err == nil || !strings.Contains(err.Error(), "nor a comparison (no summary.json)") {
		t.Errorf("an empty directory: %v", err)
	}
}

// analyzeSix is a comparison of ga against random search over seeds 1-6,
// one training a run, seed k's accuracies ga(k) and random(k).
func analyzeSix(t *testing.T, ga, random func(seed float64) float64) *search.Comparison {
	t.Helper()
	rec := func(acc float64) []fitness.Record {
		return []fitness.Record{{Key: "k", Status: fitness.OK, Fitness: 1 - acc, Val: fitness.Scores{Acc: acc}, Test: fitness.Scores{Acc: acc}}}
	}
	g, r := search.StrategyRuns{Name: "ga"}, search.StrategyRuns{Name: search.Baseline}
	for seed := uint64(1); seed <= 6; seed++ {
		g.Runs = append(g.Runs, search.Run{Seed: seed, Records: rec(ga(float64(seed)))})
		r.Runs = append(r.Runs, search.Run{Seed: seed, Records: rec(random(float64(seed)))})
	}
	cmp, err := search.Analyze([]search.StrategyRuns{g, r}, 1, dataset.Binary)
	if err != nil {
		t.Fatal(err)
	}
	return cmp
}

// redrawSummary writes sum as a comparison's summary.json in a new
// directory, draws its report again and returns the directory.
func redrawSummary(t *testing.T, sum *ComparisonSummary) string {
	t.Helper()
	dir := t.TempDir()
	b, err := json.Marshal(sum)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, SummaryFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Redraw(dir, io.Discard); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRedrawPairsOldSummary: a comparison's summary.json from before the
// paired test gets it when its report is drawn again.
func TestRedrawPairsOldSummary(t *testing.T) {
	cmp := analyzeSix(t, func(s float64) float64 { return 0.5 + 0.05*s }, func(s float64) float64 { return 0.49 + 0.05*s })
	for i := range cmp.Tests {
		cmp.Tests[i].PairedP, cmp.Tests[i].Pairs = 0, 0
	}
	dir := redrawSummary(t, &ComparisonSummary{Comparison: cmp, Seeds: 6, Data: "seed-sum", Command: "evonas compare"})
	md, err := os.ReadFile(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "paired by seed (Wilcoxon signed-rank, 6 pairs that differ, ga higher in 6, random in 0), p = 0.0312") {
		t.Errorf("report.md has no paired test of the 6 seeds:\n%s", md)
	}
}

// TestRedrawRanking: a sweep's summary whose tests are stale (a verdict
// from before ties were counted, say) gets the ranking's marks of the
// tests made again, not the ones it was written with.
func TestRedrawRanking(t *testing.T) {
	cmp := analyzeSix(t, func(s float64) float64 { return 0.6 + 0.05*s }, func(s float64) float64 { return 0.5 + 0.04*s })
	want := rank(cmp)
	if !strings.Contains(want[0], "beats random") {
		t.Fatalf("ranking %q: ga should beat random here", want)
	}
	// Written with a stale test that saw no difference.
	for i := range cmp.Tests {
		cmp.Tests[i].PValue = 0.5
	}
	dir := redrawSummary(t, &ComparisonSummary{Comparison: cmp, Seeds: 6, Data: "seed-sum", Command: "evonas sweep", Ranking: rank(cmp)})
	sum, err := ReadComparisonSummary(dir)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(sum.Ranking, "\n") != strings.Join(want, "\n") {
		t.Errorf("ranking after report: %q, want %q", sum.Ranking, want)
	}
}

// TestWriteReportPerfect writes the report of a comparison whose every run
// is perfect from its first training, an error of 0 throughout: a log
// axis cannot show it, and the report was left without curves.svg,
// final.png and report.md.
func TestWriteReportPerfect(t *testing.T) {
	perfect := []fitness.Record{{Key: "a", Fitness: 0, Status: fitness.OK, Val: fitness.Scores{Acc: 1}, Test: fitness.Scores{Acc: 1}}}
	var runs []search.StrategyRuns
	for _, name := range []string{"ga", search.Baseline} {
		runs = append(runs, search.StrategyRuns{Name: name, Runs: []search.Run{{Seed: 1, Records: perfect}, {Seed: 2, Records: perfect}}})
	}
	cmp, err := search.Analyze(runs, 3, dataset.Binary)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WriteReport(dir, &ComparisonSummary{Comparison: cmp, Seeds: 2}, "Comparison"); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{SummaryFile, "curves.png", "curves.svg", "final.png", ReportFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}
