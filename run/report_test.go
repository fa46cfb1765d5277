package run

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/report"
	"github.com/evonas/evonas/search"
)

// TestWriteSearchReport draws the plots of a run still being written (a
// torn last line, no summary).
func TestWriteSearchReport(t *testing.T) {
	dir := copyDir(t, "testdata/live")
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := d.WriteSearchReport()
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 4 {
		t.Fatalf("wrote %v, want progress and pareto, PNG and SVG", paths)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Ext(p) {
		case ".png":
			if _, err := png.Decode(bytes.NewReader(b)); err != nil {
				t.Errorf("%s: %v", p, err)
			}
		case ".svg":
			if !strings.Contains(string(b), "<svg") || !strings.Contains(string(b), "Pareto") && strings.Contains(p, "pareto") {
				t.Errorf("%s: not the Pareto plot's SVG", p)
			}
		}
	}
	// A search with nothing trained yet says so.
	empty := t.TempDir()
	for _, f := range []string{InfoFile, ConfigFile} {
		b, _ := os.ReadFile(filepath.Join("testdata/live", f))
		os.WriteFile(filepath.Join(empty, f), b, 0o644)
	}
	d, _ = Open(empty)
	var ie *InputError
	if _, err := d.WriteSearchReport(); !errors.As(err, &ie) {
		t.Errorf("empty run: %v, want an input error", err)
	}
}

// TestWriteSearchReportAllFailed draws the plots of a finished search whose
// every candidate failed: empty plots, not a panic on the log axis of the
// Pareto plot.
func TestWriteSearchReportAllFailed(t *testing.T) {
	cfg, err := configs.Parse([]byte(`data: {name: iris}
training: {epochs: 2, patience: 0}
search_space: {lr: {min: 9, max: 10}, optimizers: [sgd], activations: [linear]}
evolution: {population: 4, generations: 0}
`), "diverge.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "run")
	s, err := New(cfg, GA, 0, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Create("test"); err != nil {
		t.Fatal(err)
	}
	if _, res, err := s.Run(context.Background()); err != nil || !math.IsInf(res.Best[0].Fitness, 1) {
		t.Fatalf("run: %v; want every candidate failed", err)
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := d.WriteSearchReport()
	if err != nil || len(paths) != 4 {
		t.Fatalf("wrote %v, %v; want progress and pareto, PNG and SVG", paths, err)
	}
	for _, p := range paths {
		if b, err := os.ReadFile(p); err != nil || filepath.Ext(p) == ".svg" && !strings.Contains(string(b), "no successful training") {
			t.Errorf("%s: %v, or it does not say that no training succeeded", p, err)
		}
	}
}

// TestFront checks the Pareto front of the test run against its
// definition: no record beats a front member on both counts, and every
// record off the front is beaten by one on it.
func TestFront(t *testing.T) {
	d, _ := Open("testdata/live")
	recs, err := d.Records()
	if err != nil {
		t.Fatal(err)
	}
	task := TaskOf(recs)
	front := report.Front(recs, task)
	if len(front) == 0 {
		t.Fatal("empty front")
	}
	on := map[int]bool{}
	beats := func(a, b fitness.Record) bool { // a dominates b
		ma, mb := a.Val.Metric(task), b.Val.Metric(task)
		return a.Params <= b.Params && ma >= mb && (a.Params < b.Params || ma > mb)
	}
	for _, f := range front {
		on[f.Index] = true
		for _, r := range recs {
			if r.Status == fitness.OK && beats(r, f) {
				t.Errorf("front member #%d is dominated by #%d", f.Index, r.Index)
			}
		}
	}
	for _, r := range recs {
		if r.Status != fitness.OK || on[r.Index] {
			continue
		}
		dominated := false
		for _, f := range front {
			dominated = dominated || beats(f, r) || f.Params == r.Params && f.Val.Metric(task) == r.Val.Metric(task)
		}
		if !dominated {
			t.Errorf("#%d (%d params, %v) is off the front but not dominated", r.Index, r.Params, r.Val.Metric(task))
		}
	}
}

// TestMarkdownRank checks that a sweep's ranking in report.md shows a
// variant's name as Markdown text, and leaves the line as summary.json
// holds it otherwise.
func TestMarkdownRank(t *testing.T) {
	cmp := &search.Comparison{Strategies: []search.StrategyResult{{Name: "w=8 *x*"}, {Name: "w=8"}, {Name: search.Baseline}}}
	for _, tc := range []struct{ line, want string }{
		{"1. w=8 *x*: median test accuracy 0.9000", `1. w=8 \*x\*: median test accuracy 0.9000`},
		{"2. w=8: median test accuracy 0.8000 (beats random, p < 0.05, uncorrected)", "2. w=8: median test accuracy 0.8000 (beats random, p < 0.05, uncorrected)"},
	} {
		if got := markdownRank(tc.line, cmp); got != tc.want {
			t.Errorf("markdownRank(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
}

// TestComparisonDirNames checks that strategies whose names differ but
// whose directories would not (中文 and 日本 are both __) are refused
// before anything runs: they would write into one directory.
func TestComparisonDirNames(t *testing.T) {
	cfg := smallConfig(t)
	_, err := NewComparison(KindCompare, "c", []Variant{{Name: "中文", Config: cfg}, {Name: "日本", Config: cfg}}, 1, 4, t.TempDir())
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "中文") || !strings.Contains(err.Error(), "日本") || !strings.Contains(err.Error(), "__") {
		t.Errorf("got %v, want an InputError naming both names and their directory __", err)
	}
	if _, err := NewComparison(KindCompare, "c", []Variant{{Name: "a|b", Config: cfg}, {Name: "c|d", Config: cfg}}, 1, 4, t.TempDir()); err != nil {
		t.Errorf("names of different directories: %v", err)
	}
}
