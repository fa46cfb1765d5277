package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/table"
)

// tinyGridConfig is a discrete space of 2 x 2 x 2 x 2 = 16 configurations
// on iris, trained briefly.
const tinyGridConfig = `
data: {name: iris}
search_space:
  layers: {min: 1, max: 1}
  width: {choices: [4, 16]}
  activations: [relu, tanh]
  lr: {choices: [0.003, 0.03]}
  lr_schedule: [const, cosine]
  batch: [32]
  dropout: {min: 0, max: 0}
  optimizers: [adam]
training: {epochs: 4, patience: 0}
evolution: {population: 4, generations: 3}
`

// TestTableBuildRoundTrip builds a table of a tiny grid, reads it back, and
// runs evolve, random and compare on it with --table.
func TestTableBuildRoundTrip(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "grid.yaml", tinyGridConfig)
	out := filepath.Join(dir, "grid.csv.gz")
	mustRun(t, "table", "build", "--config", cfg, "--repeats", "2", "--out", out, "--workers", "2", "--quiet")
	if _, err := os.Stat(out + ".partial"); err == nil {
		t.Error("the partial file is left after a finished build")
	}
	tb, err := table.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if tb.Len() != 16 || tb.Repeats != 2 || tb.Metric != "val_acc" || tb.Params(0) == 0 {
		t.Fatalf("table: %d rows, %d repeats, %s, params %d", tb.Len(), tb.Repeats, tb.Metric, tb.Params(0))
	}
	if _, ok := tb.Test(3, 1); !ok || tb.TrainSeconds(3, 1) <= 0 {
		t.Error("no test metric or training time")
	}
	// Repeats are trainings with different seeds: some differ.
	differ := false
	for i := range tb.Len() {
		differ = differ || tb.Value(i, 0) != tb.Value(i, 1)
	}
	if !differ {
		t.Error("every configuration's two repeats are equal")
	}
	// A second build refuses to overwrite it.
	if _, stderr, code := evonas(t, "table", "build", "--config", cfg, "--out", out, "--quiet"); code != 2 || !strings.Contains(stderr, "exists") {
		t.Errorf("rebuild onto an existing table: exit %d, %s", code, stderr)
	}

	// evolve with the config (the same space) and random without one.
	var sum struct {
		Evaluations int     `json:"evaluations"`
		Regret      float64 `json:"regret"`
		BestMean    float64 `json:"best_mean"`
		Incumbent   struct {
			Key  string  `json:"key"`
			Mean float64 `json:"mean"`
		} `json:"incumbent"`
	}
	stdout := mustRun(t, "evolve", "--config", cfg, "--table", out, "--budget", "10", "--out", filepath.Join(dir, "evo"), "--json")
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Evaluations != 10 || sum.Regret < 0 || sum.Regret != sum.BestMean-sum.Incumbent.Mean {
		t.Errorf("evolve summary %+v", sum)
	}
	if _, err := os.Stat(filepath.Join(dir, "evo", "evaluations.jsonl")); err != nil {
		t.Error(err)
	}
	stdout = mustRun(t, "random", "--table", out, "--evaluations", "16", "--out", filepath.Join(dir, "rnd"), "--json")
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatal(err)
	}
	// The incumbent is the best observed, not the best mean: its regret may
	// exceed 0 even with every configuration seen.
	if sum.Evaluations != 16 || sum.Regret < 0 || sum.Regret != sum.BestMean-sum.Incumbent.Mean {
		t.Errorf("random search over all 16 configurations: %+v", sum)
	}

	cmpDir := filepath.Join(dir, "cmp")
	stdout = mustRun(t, "compare", "--config", cfg, "--table", out, "--seeds", "5", "--budget", "8", "--out", cmpDir, "--json", "--records")
	var cmp table.Comparison
	if err := json.Unmarshal([]byte(stdout), &cmp); err != nil {
		t.Fatal(err)
	}
	if cmp.Seeds != 5 || cmp.Budget != 8 || len(cmp.Strategies) != 2 || cmp.Strategies[0].Name != "grid" || len(cmp.Strategies[1].Regrets) != 5 {
		t.Fatalf("comparison %+v", cmp)
	}
	for _, name := range []string{"summary.json", "report.md", "curves.png", "curves.svg", "grid/seed-3.jsonl", "random/seed-5.jsonl"} {
		if _, err := os.Stat(filepath.Join(cmpDir, name)); err != nil {
			t.Error(err)
		}
	}
	md, _ := os.ReadFile(filepath.Join(cmpDir, "report.md"))
	if !strings.Contains(string(md), "final regret median") || !strings.Contains(string(md), "evonas compare --config") {
		t.Errorf("report.md:\n%s", md)
	}
	// evonas report draws it again from summary.json.
	os.Remove(filepath.Join(cmpDir, "report.md"))
	mustRun(t, "report", cmpDir)
	if again, _ := os.ReadFile(filepath.Join(cmpDir, "report.md")); string(again) != string(md) {
		t.Errorf("report.md redrawn:\n%s\nwant:\n%s", again, md)
	}
}

// TestTableRefusals checks that a space outside the table, a malformed
// table and training flags are refused with exit status 2 and one line
// naming the file, key or column.
func TestTableRefusals(t *testing.T) {
	dir := t.TempDir()
	tab := writeTestFile(t, dir, "t.csv", "units_1,lr,val_mse_0\n8,0.1,1\n16,0.1,2\n")
	outside := writeTestFile(t, dir, "outside.yaml", "search_space:\n  layers: {min: 1, max: 1}\n  width: {choices: [8, 32]}\n  lr: {choices: [0.1]}\n  batch: [32]\n  activations: [relu]\n")
	ragged := writeTestFile(t, dir, "r.csv", "units_1,lr,val_mse_0\n8,0.1,1\n16,0.1\n")
	grid := writeTestFile(t, dir, "grid.yaml", tinyGridConfig)
	writeTestFile(t, dir, "other.csv.gz.partial", "units_1,val_acc_0\n0,4,0.5\n")
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"space outside", []string{"compare", "--config", outside, "--table", tab, "--seeds", "2", "--budget", "2"},
			[]string{"outside.yaml", "search_space.width: 32", "only [8, 16]"}},
		{"range where the table has choices", []string{"evolve", "--config", "default", "--table", tab, "--budget", "2"},
			[]string{"search_space.layers: [1, 4], but table t has depths 1 to 1"}},
		{"ragged row", []string{"random", "--table", ragged, "--evaluations", "2"}, []string{"r.csv:3: 2 fields, the header has 3"}},
		{"missing table", []string{"random", "--table", filepath.Join(dir, "none.csv")}, []string{"none.csv"}},
		{"data with table", []string{"random", "--table", tab, "--data", "iris"}, []string{"--data"}},
		{"continuous build", []string{"table", "build", "--config", "default", "--out", filepath.Join(dir, "x.csv.gz")}, []string{"search_space.width: a range [8, 1024]"}},
		{"build without --out", []string{"table", "build", "--config", grid}, []string{"table build: --out is required"}},
		{"build without --config", []string{"table", "build", "--out", filepath.Join(dir, "x.csv.gz")}, []string{"table build: --config is required"}},
		{"build into a missing directory", []string{"table", "build", "--config", grid, "--out", filepath.Join(dir, "none", "x.csv.gz")},
			[]string{"--out " + filepath.Join(dir, "none", "x.csv.gz") + ": directory " + filepath.Join(dir, "none") + " does not exist"}},
		{"partial file of another build", []string{"table", "build", "--config", grid, "--out", filepath.Join(dir, "other.csv.gz"), "--quiet"},
			[]string{"other.csv.gz.partial:1: an interrupted build of another space"}},
		{"grid too large", []string{"table", "build", "--config", "fcnet", "--out", filepath.Join(dir, "x.csv.gz")}, []string{"62208 configurations", "--max-rows 10000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := evonas(t, tc.args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2: %s", code, stderr)
			}
			checkOneLine(t, stderr, tc.want...)
		})
	}
}

// TestShippedTable runs a comparison on the table shipped in the binary.
func TestShippedTable(t *testing.T) {
	stdout := mustRun(t, "compare", "--config", "spirals_mlp", "--table", "spirals_mlp", "--seeds", "4", "--budget", "20", "--out", filepath.Join(t.TempDir(), "c"), "--json")
	var cmp table.Comparison
	if err := json.Unmarshal([]byte(stdout), &cmp); err != nil {
		t.Fatal(err)
	}
	if cmp.Rows != 600 || cmp.Repeats != 5 || cmp.Table != "spirals_mlp" || len(cmp.Strategies) != 2 {
		t.Errorf("comparison on the shipped table: %+v", cmp)
	}
}

// TestTableBuildQueue builds the same table through an embedded queue and
// in this process: the same values (training times aside).
func TestTableBuildQueue(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "grid.yaml", tinyGridConfig)
	local, queued := filepath.Join(dir, "local.csv.gz"), filepath.Join(dir, "queued.csv.gz")
	mustRun(t, "table", "build", "--config", cfg, "--repeats", "2", "--out", local, "--workers", "1", "--quiet")
	mustRun(t, "table", "build", "--config", cfg, "--repeats", "2", "--out", queued, "--queue", "embedded", "--workers", "2", "--quiet")
	a, err := table.Load(local)
	if err != nil {
		t.Fatal(err)
	}
	b, err := table.Load(queued)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Len() {
		for k := range 2 {
			ta, _ := a.Test(i, k)
			tb, _ := b.Test(i, k)
			if a.Value(i, k) != b.Value(i, k) || ta != tb {
				t.Fatalf("%s repeat %d: %v here, %v through the queue", a.Genome(i).Key(), k, a.Value(i, k), b.Value(i, k))
			}
		}
	}
}

// TestTableInfo checks that table info describes a table and prints its
// grid as a search_space a config can use on it.
func TestTableInfo(t *testing.T) {
	stdout := mustRun(t, "table", "info", "spirals_mlp")
	head, grid, ok := strings.Cut(stdout, "grid (as a config's search_space):\n")
	if !ok || !strings.Contains(head, "spirals_mlp: 600 configurations, val_acc over 5 repeats") || !strings.Contains(head, "best mean 1:") {
		t.Fatalf("table info:\n%s", stdout)
	}
	cfg, err := configs.Parse([]byte("search_space:\n"+grid), "grid.yaml")
	if err != nil {
		t.Fatalf("the printed grid is not a search_space: %v\n%s", err, grid)
	}
	tb, err := table.Open("spirals_mlp")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := cfg.Space().GridSize(); n != 600 || tb.Covers(cfg.Space()) != nil {
		t.Errorf("the printed grid has %v configurations (covered: %v), want the table's 600", n, tb.Covers(cfg.Space()))
	}
}

// TestSweepOnTable sweeps an evolution setting on the shipped table: one
// strategy per value, and random search.
func TestSweepOnTable(t *testing.T) {
	stdout := mustRun(t, "sweep", "--table", "spirals_mlp", "--set", "evolution.population=4,8", "--seeds", "3", "--budget", "20", "--out", filepath.Join(t.TempDir(), "s"), "--json")
	var cmp table.Comparison
	if err := json.Unmarshal([]byte(stdout), &cmp); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range cmp.Strategies {
		names = append(names, s.Name)
	}
	if strings.Join(names, ",") != "population=4,population=8,random" || cmp.Seeds != 3 {
		t.Errorf("strategies %v, %d seeds", names, cmp.Seeds)
	}
}

// TestTableInterrupted checks that a table run, comparison or build stopped
// by a signal (a cancelled context) exits 130, as every other run does, and
// says how to go on.
func TestTableInterrupted(t *testing.T) {
	dir := t.TempDir()
	grid := writeTestFile(t, dir, "grid.yaml", tinyGridConfig)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"evolve", []string{"evolve", "--table", "spirals_mlp", "--budget", "50", "--out", filepath.Join(dir, "e")}, "evonas: interrupted; a table run takes seconds: run it again\n"},
		{"compare", []string{"compare", "--table", "spirals_mlp", "--seeds", "3", "--budget", "50", "--out", filepath.Join(dir, "c")}, "evonas: interrupted; a table comparison takes seconds: run it again\n"},
		{"table build", []string{"table", "build", "--config", grid, "--repeats", "1", "--out", filepath.Join(dir, "t.csv.gz"), "--quiet"},
			"evonas: interrupted; every finished row is in " + filepath.Join(dir, "t.csv.gz") + ".partial: run the same command again to go on\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var out, errOut bytes.Buffer
			code := runMain(ctx, append([]string{"evonas"}, tc.args...), &out, &errOut)
			if code != exitInterrupted || errOut.String() != tc.want {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut.String(), exitInterrupted, tc.want)
			}
		})
	}
}
