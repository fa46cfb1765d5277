package report

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/search"
)

func TestLogTicks(t *testing.T) {
	cases := []struct {
		min, max float64
		want     []float64
	}{
		{0.006, 0.2, []float64{0.01, 0.02, 0.05, 0.1, 0.2}},
		{0.03, 0.04, []float64{0.03, 0.04}},
		{1e-4, 1.5e-3, []float64{1e-4, 2e-4, 5e-4, 1e-3}},
		{0.5, 0.75, []float64{0.5, 0.6, 0.7}}, // labelled 0.6, not 0.6000000000000001
		{0.05, 0.08, []float64{0.05, 0.06, 0.07, 0.08}},
		{0.017, 0.099, []float64{0.02, 0.03, 0.05}}, // zoomed: 0.02 and 0.05 alone were too few
		{0.3, 1.2, []float64{0.3, 0.5, 1}},
	}
	for _, tc := range cases {
		var got []float64
		for _, tk := range (logTicks{}).Ticks(tc.min, tc.max) {
			got = append(got, tk.Value)
			if want := strconv.FormatFloat(tk.Value, 'g', -1, 64); tk.Label != want || len(want) > 6 {
				t.Errorf("ticks(%v, %v): label %q of %v, want a short decimal", tc.min, tc.max, tk.Label, tk.Value)
			}
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ticks(%v, %v) = %v, want %v", tc.min, tc.max, got, tc.want)
		}
	}
}

// TestMarkdown checks the report names every strategy, says what each test
// found, and says so when a summary holds no best architecture.
func TestMarkdown(t *testing.T) {
	rec := func(key string, fit, val, test float64) fitness.Record {
		return fitness.Record{Key: key, Arch: "[" + key + "]", Fitness: fit, Status: fitness.OK,
			Val: fitness.Scores{Acc: val}, Test: fitness.Scores{Acc: test}}
	}
	runs := []search.StrategyRuns{
		{Name: "ga", Runs: []search.Run{{Seed: 1, Records: []fitness.Record{rec("a", 0.1, 0.9, 0.88)}}, {Seed: 2, Records: []fitness.Record{rec("b", 0.05, 0.95, 0.9)}}}},
		{Name: "random", Runs: []search.Run{{Seed: 1, Records: []fitness.Record{rec("c", 0.2, 0.8, 0.8)}}, {Seed: 2, Records: []fitness.Record{rec("d", 0.3, 0.7, 0.75)}}}},
	}
	c, err := search.Analyze(runs, 5, dataset.Binary)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	Markdown(&b, c, "Test", "evonas compare --seeds 2")
	md := b.String()
	for _, want := range []string{"| ga | 2 |", "| random | 2 |", "between ga and random on test accuracy", "| ga | [b] |", "evonas compare --seeds 2"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
	c.Strategies[0].Best = fitness.Record{}
	b.Reset()
	Markdown(&b, c, "Test", "x")
	if !strings.Contains(b.String(), "| ga | not recorded in this summary |") {
		t.Errorf("a summary without its best architecture:\n%s", b.String())
	}
}

// TestMarkdownNames checks that names holding Markdown's own characters
// (a config's name is the user's) stay one cell of the report's tables
// and show as written.
func TestMarkdownNames(t *testing.T) {
	rec := func(key string, fit, val float64) fitness.Record {
		return fitness.Record{Key: key, Arch: "[" + key + "]", Fitness: fit, Status: fitness.OK, Val: fitness.Scores{Acc: val}}
	}
	name := "a|b `c` *d* <e> _f_ x_y é 中文"
	runs := []search.StrategyRuns{
		{Name: name, Runs: []search.Run{{Seed: 1, Records: []fitness.Record{rec("a", 0.1, 0.9)}}}},
		{Name: "random", Runs: []search.Run{{Seed: 1, Records: []fitness.Record{rec("c", 0.2, 0.8)}}}},
	}
	c, err := search.Analyze(runs, 5, dataset.Binary)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	Markdown(&b, c, "Test", "x")
	md := b.String()
	escaped := "a\\|b \\`c\\` \\*d\\* \\<e\\> \\_f\\_ x_y é 中文"
	for _, want := range []string{"| " + escaped + " | 1 |", "| " + escaped + " | [a] |", "between " + escaped + " and random"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
	// Every row of a table has as many cells as its header: an unescaped
	// | would add one.
	var cells int
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "| ") {
			cells = 0
			continue
		}
		n := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|")
		if cells == 0 {
			cells = n
		} else if n != cells {
			t.Errorf("row %q has %d cell borders, its header %d", line, n, cells)
		}
	}
}

func TestLogTicksNeverEmpty(t *testing.T) {
	for _, r := range [][2]float64{{0.052, 0.086}, {0.0301, 0.0302}, {0.3, 0.45}, {0, 2}} {
		if n := len((logTicks{}).Ticks(r[0], r[1])); n < 2 {
			t.Errorf("ticks(%v, %v): %d labels, want at least 2", r[0], r[1], n)
		}
	}
}

// TestTableAligned checks that the printed table's columns line up as a
// terminal shows them: names of wide characters (中文, emoji) and accents
// take their width on screen, not their bytes, and values wider than the
// usual (negative R²) widen their column.
func TestTableAligned(t *testing.T) {
	rec := func(key string, fit, r2 float64) fitness.Record {
		return fitness.Record{Key: key, Arch: "[" + key + "]", Fitness: fit, Status: fitness.OK,
			Val: fitness.Scores{R2: r2}, Test: fitness.Scores{R2: r2}}
	}
	runs := []search.StrategyRuns{
		{Name: "中文 🚀", Runs: []search.Run{{Seed: 1, Records: []fitness.Record{rec("a", 1.1, -0.1)}}}},
		{Name: "café", Runs: []search.Run{{Seed: 1, Records: []fitness.Record{rec("b", 1.05, -0.05)}}}},
		{Name: "random", Runs: []search.Run{{Seed: 1, Records: []fitness.Record{rec("c", 0.2, 0.8)}}}},
	}
	c, err := search.Analyze(runs, 5, dataset.Regression)
	if err != nil {
		t.Fatal(err)
	}
	c.Tests = nil
	var b strings.Builder
	Table(&b, c)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	// Every column after the name is right-aligned: the rows line up when
	// each is as wide on screen as the header.
	for _, l := range lines[1:] {
		if got, want := textWidth(l), textWidth(lines[0]); got != want {
			t.Errorf("row %q is %d columns wide, the header %d:\n%s", l, got, want, b.String())
		}
	}
	for _, want := range []string{"\n中文 🚀      1 ", "\ncafé         1 "} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}

// TestCountTicks checks that an axis of trainings is labelled at whole
// numbers: plot.DefaultTicks labels 1 to 24 at 2.50, 12.50 and 22.50.
func TestCountTicks(t *testing.T) {
	for _, r := range [][2]float64{{1, 24}, {1, 60}, {1, 200}, {0, 24}, {1, 7}, {1, 2}, {3, 4}} {
		labels := 0
		for _, tk := range (countTicks{}).Ticks(r[0], r[1]) {
			if tk.Label == "" {
				continue
			}
			labels++
			if tk.Value != math.Trunc(tk.Value) || strings.Contains(tk.Label, ".") {
				t.Errorf("%v: tick %v labelled %q, want whole numbers", r, tk.Value, tk.Label)
			}
			if tk.Value < r[0] || tk.Value > r[1] {
				t.Errorf("%v: tick %v outside the axis", r, tk.Value)
			}
		}
		if labels == 0 {
			t.Errorf("%v: no labelled tick", r)
		}
	}
}
