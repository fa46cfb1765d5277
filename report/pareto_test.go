package report

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/plotter"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/search"
)

func prec(key string, gen int, e float64, params int) fitness.Record {
	return fitness.Record{Key: key, Generation: gen, Fitness: e, Params: params, Status: fitness.OK,
		Val: fitness.Scores{Acc: 1 - e}, Test: fitness.Scores{Acc: 1 - e}}
}

func TestStaircase(t *testing.T) {
	got := staircase(plotter.XYs{{X: 100, Y: 0.1}, {X: 10, Y: 0.3}, {X: 50, Y: 0.2}})
	want := "[{10 0.3} {50 0.3} {50 0.2} {100 0.2} {100 0.1}]"
	if fmt.Sprint(got) != want {
		t.Errorf("staircase %v, want %v", got, want)
	}
}

// TestParetoPlot draws a run's evaluations and its front to PNG and SVG;
// the SVG's legend counts the front and the distinct evaluations.
func TestFrontPlot(t *testing.T) {
	recs := []fitness.Record{prec("a", 0, 0.1, 1000), prec("b", 0, 0.3, 10), prec("c", 1, 0.4, 500), prec("a", 1, 0.1, 1000),
		{Key: "d", Fitness: math.Inf(1), Status: fitness.Diverged}}
	objs := []string{"error", "params"}
	front := search.Front(recs, objs)
	dir := t.TempDir()
	png, svg := filepath.Join(dir, "pareto.png"), filepath.Join(dir, "pareto.svg")
	if err := FrontPlot(recs, front, objs, dataset.Multiclass, "Pareto front", png, svg); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Pareto front (2)", "evaluated (3 distinct)", "1 failed not shown", "parameters (log scale)", "validation error (1 - accuracy; log scale)"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("plot lacks %q", want)
		}
	}
	if st, err := os.Stat(png); err != nil || st.Size() == 0 {
		t.Errorf("png: %v", err)
	}
	if err := FrontPlot(recs, front, objs[:1], dataset.Multiclass, "x", png); err == nil {
		t.Error("one objective plotted without an error")
	}
}

func TestHypervolumeReport(t *testing.T) {
	runs := []search.StrategyRuns{
		{Name: "nsga2", Runs: []search.Run{{Seed: 1, Records: []fitness.Record{prec("a", 0, 0.1, 1000), prec("b", 1, 0.3, 10)}}}},
		{Name: "random", Runs: []search.Run{{Seed: 1, Records: []fitness.Record{prec("c", 0, 0.4, 500), prec("d", 1, 0.5, 800)}}}},
	}
	c, err := search.Analyze(runs, 2, dataset.Multiclass, search.Pareto{Objectives: []string{"error", "params"}})
	if err != nil {
		t.Fatal(err)
	}
	var md, table strings.Builder
	Markdown(&md, c, "Pareto", "evonas compare")
	Table(&table, c)
	for _, want := range []string{"## Hypervolume", "params from 10 to 1000 (log10)", "the reference point is 1.1", "| nsga2 | 1 |", "hypervolume.png", "on hypervolume"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, md.String())
		}
	}
	if !strings.Contains(table.String(), "hypervolume median") || !strings.Contains(table.String(), "reference") {
		t.Errorf("table:\n%s", table.String())
	}
	if err := Hypervolumes(c, filepath.Join(t.TempDir(), "hypervolume.png")); err != nil {
		t.Fatal(err)
	}
	c.Frame = nil
	if err := Hypervolumes(c, "x.png"); err == nil {
		t.Error("a single-objective comparison drew a hypervolume plot")
	}
}

func TestFrontTable(t *testing.T) {
	front := []fitness.Record{prec("a", 0, 0.1, 1000), prec("b", 0, 0.3, 10)}
	front[0].Arch, front[0].LatencyUS, front[0].LatencyIQR = "[32 relu]", 12.5, 0.5
	var b strings.Builder
	FrontTable(&b, front, []string{"error", "params", "latency"}, dataset.Multiclass)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "MEMBER") || !strings.Contains(lines[0], "LATENCY") {
		t.Fatalf("table:\n%s", b.String())
	}
	if f := strings.Fields(lines[1]); f[0] != "0" || f[1] != "0.9000" || f[3] != "1000" || f[5] != "12.5" || !strings.Contains(lines[1], "[32 relu]") {
		t.Errorf("first member's line %q", lines[1])
	}
	b.Reset()
	FrontTable(&b, front, []string{"error", "params"}, dataset.Multiclass)
	if strings.Contains(b.String(), "LATENCY") {
		t.Errorf("latency column without the objective:\n%s", b.String())
	}
}
