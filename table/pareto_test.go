package table

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/search"
)

// paretoTable writes an FCNet-shaped table whose error falls with size,
// so that its front is a real trade-off, with two noisy repeats.
func paretoTable(t *testing.T) *Table {
	t.Helper()
	var b strings.Builder
	b.WriteString("units_1,units_2,lr,val_mse_0,val_mse_1\n")
	widths := []int{16, 32, 64, 128}
	for i, u1 := range widths {
		for j, u2 := range widths {
			for k, lr := range []string{"0.01", "0.1"} {
				e := 0.5/float64(1+i+j) + 0.05*float64(k)
				fmt.Fprintf(&b, "%d,%d,%s,%g,%g\n", u1, u2, lr, e, e+0.02)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "fcnet_protein_structure.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	tb, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func TestComparePareto(t *testing.T) {
	tb := paretoTable(t)
	p, err := NewProblem(tb, tb.Space())
	if err != nil {
		t.Fatal(err)
	}
	objs := []string{"error", "params"}
	if err := p.SetObjectives([]string{"error", "latency"}); err == nil || !strings.Contains(err.Error(), "latency is measured") {
		t.Errorf("latency on a table: %v", err)
	}
	if err := p.SetObjectives(objs); err != nil {
		t.Fatal(err)
	}
	s := search.Settings{Model: "nsga2", Population: 6, Generations: 1, Islands: 1, Migrants: 1, Selection: "tournament", TournamentSize: 2,
		Speciation: "none", CrossoverRate: 0.9, MutationRate: 0.8, Rates: genome.DefaultRates(), HallOfFame: 1, SampleSize: 2, Objectives: objs}
	c, err := Compare(context.Background(), p, []Strategy{Evolution("nsga2", s), Random()}, 5, 20, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	pc := c.Pareto
	if pc == nil || pc.Frame == nil || len(pc.Strategies) != 2 {
		t.Fatalf("no Pareto analysis: %+v", pc)
	}
	// The frame spans the table's nets: 16-16 to 128-128 on 9 inputs.
	if lo, hi := pc.Frame.Ideal[1], pc.Frame.Nadir[1]; lo != 10*16+17*16+17 || hi != 10*128+129*128+129 {
		t.Errorf("frame params %v..%v", lo, hi)
	}
	for _, st := range pc.Strategies {
		if len(st.Seeds) != 5 || st.Hypervolume == nil || !(st.Hypervolume.Median > 0 && st.Hypervolume.Median <= 1.21) {
			t.Fatalf("%s: hypervolume %+v", st.Name, st.Hypervolume)
		}
		// The observed values are the first repeat or the second (0.02
		// worse); the means lie between, so the true hypervolume of a
		// front is within the gap of the observed one.
		for _, sd := range st.Seeds {
			if d := math.Abs(*sd.TestHypervolume - *sd.Hypervolume); d > 0.02*1.1 {
				t.Errorf("%s seed %d: hypervolume %v, true %v", st.Name, sd.Seed, *sd.Hypervolume, *sd.TestHypervolume)
			}
		}
	}
	var tested bool
	for _, tt := range pc.Tests {
		tested = tested || tt.Metric == "hypervolume" && tt.Strategy == "nsga2" && tt.Vs == search.Baseline
	}
	if !tested {
		t.Errorf("no hypervolume test: %+v", pc.Tests)
	}
	// One objective: no Pareto analysis.
	p.Objectives = nil
	c, _ = Compare(context.Background(), p, []Strategy{Random()}, 2, 10, 1, nil)
	if c.Pareto != nil {
		t.Error("a single-objective comparison has a Pareto analysis")
	}
	if err := p.SetObjectives([]string{"error", "size"}); err == nil {
		t.Error("an unknown objective accepted")
	}
}
