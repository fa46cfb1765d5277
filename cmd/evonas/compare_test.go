package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evonas/evonas/fitness"
)

// smallConfig is a quick search for comparison tests.
const smallConfig = `
data: {name: iris}
search_space:
  layers: {min: 1, max: 2}
  width: {min: 4, max: 16}
training: {epochs: 3, patience: 0}
evolution: {population: 6, generations: 2}
`

func TestCompare(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "small.yaml", smallConfig)
	out := filepath.Join(dir, "cmp")
	// A shipped config by name beside a file; not `default`, whose broad
	// space (up to 4 x 1024 units) would make this test slow.
	stdout, stderr, code := evonas(t, "compare", "--config", cfg, "--config", "regularized", "--data", "iris", "--seeds", "3", "--budget", "10", "--out", out, "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"small", "regularized", "random", "test accuracy"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, stdout)
		}
	}
	// The images are valid.
	for _, name := range []string{"curves.png", "final.png"} {
		f, err := os.Open(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() < 100 {
			t.Errorf("%s: not a valid PNG: %v", name, err)
		}
	}
	svg, err := os.ReadFile(filepath.Join(out, "curves.svg"))
	if err != nil || !bytes.Contains(svg, []byte("<svg")) || !bytes.HasSuffix(bytes.TrimSpace(svg), []byte("</svg>")) {
		t.Errorf("curves.svg is not an SVG document: %v", err)
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil || !bytes.Contains(md, []byte("curves.png")) || !bytes.Contains(md, []byte("evonas compare")) {
		t.Errorf("report.md lacks the plots or the command: %v", err)
	}

	var sum struct {
		Budget     int `json:"budget"`
		Seeds      int `json:"seeds"`
		Strategies []struct {
			Name  string `json:"name"`
			Seeds []struct {
				Seed         uint64  `json:"seed"`
				BestVal      float64 `json:"best_val"`
				BestTest     float64 `json:"best_test"`
				Evaluations  int     `json:"evaluations"`
				TrainSamples int64   `json:"train_samples"`
			} `json:"seeds"`
			FinalVal  map[string]float64 `json:"final_val"`
			FinalTest map[string]float64 `json:"final_test"`
			Curve     struct {
				Evaluations []int     `json:"evaluations"`
				Mean        []float64 `json:"mean"`
				Lo, Hi      []float64
			} `json:"curve"`
		} `json:"strategies"`
		Tests []struct {
			Strategy, Vs, Metric string
			PValue               float64 `json:"p_value"`
			A12                  float64 `json:"a12"`
		} `json:"tests"`
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Budget != 10 || sum.Seeds != 3 || len(sum.Strategies) != 3 {
		t.Fatalf("budget %d, seeds %d, %d strategies; want 10, 3, 3", sum.Budget, sum.Seeds, len(sum.Strategies))
	}
	for _, s := range sum.Strategies {
		if len(s.Seeds) != 3 {
			t.Errorf("%s: %d seeds", s.Name, len(s.Seeds))
		}
		for _, sd := range s.Seeds {
			if sd.Evaluations != 10 || sd.TrainSamples <= 0 || sd.BestVal <= 0 || sd.BestVal > 1 {
				t.Errorf("%s seed %d: %+v", s.Name, sd.Seed, sd)
			}
		}
		for _, k := range []string{"mean", "std", "median", "q1", "q3"} {
			if _, ok := s.FinalTest[k]; !ok {
				t.Errorf("%s: final_test lacks %s", s.Name, k)
			}
		}
		if len(s.Curve.Mean) != 10 {
			t.Errorf("%s: curve of %d points, want 10", s.Name, len(s.Curve.Mean))
		}
		for i := 1; i < len(s.Curve.Mean); i++ {
			if s.Curve.Mean[i] < s.Curve.Mean[i-1] {
				t.Errorf("%s: best-so-far curve falls at %d", s.Name, i)
			}
		}
	}
	// 2 configs x 2 metrics against random, then the second config
	// against the first on 2 metrics.
	if len(sum.Tests) != 6 {
		t.Fatalf("%d tests, want 6", len(sum.Tests))
	}
	for i, ts := range sum.Tests {
		want := "random"
		if i >= 4 {
			want = "small"
		}
		if ts.Vs != want || ts.PValue <= 0 || ts.PValue > 1 || ts.A12 < 0 || ts.A12 > 1 {
			t.Errorf("test %d: %+v, want one against %s", i, ts, want)
		}
	}

	// Within a seed every strategy saw the same split: the random run and
	// the evolution of seed 2 share their data seed, and the same
	// architecture trained in both got the same metrics.
	byKey := map[string]fitness.Record{}
	for _, strategy := range []string{"small", "random"} {
		f, err := os.ReadFile(filepath.Join(out, strategy, "seed-2", "evaluations.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(f)), "\n") {
			var r fitness.Record
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatal(err)
			}
			if prev, ok := byKey[r.Key]; ok && prev.Seed == r.Seed && prev.Val != r.Val {
				t.Errorf("%s trained twice with seed %d gave %+v and %+v", r.Key, r.Seed, prev.Val, r.Val)
			}
			byKey[r.Key] = r
		}
	}
}

func TestSweep(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "small.yaml", smallConfig)
	out := filepath.Join(dir, "sweep")
	stdout, stderr, code := evonas(t, "sweep", "--config", cfg, "--set", "evolution.population=4,6", "--set", "evolution.mutation_rate=0.5,1",
		"--seeds", "2", "--budget", "8", "--out", out, "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var sum struct {
		Strategies []struct{ Name string } `json:"strategies"`
		Ranking    []string                `json:"ranking"`
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range sum.Strategies {
		names = append(names, s.Name)
	}
	want := []string{"population=4 mutation_rate=0.5", "population=4 mutation_rate=1", "population=6 mutation_rate=0.5", "population=6 mutation_rate=1", "random"}
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Errorf("strategies %q, want %q", names, want)
	}
	if len(sum.Ranking) != 4 || !strings.HasPrefix(sum.Ranking[0], "1. ") || !strings.Contains(stdout, sum.Ranking[0]) {
		t.Errorf("ranking %q not printed as the table's tail:\n%s", sum.Ranking, stdout)
	}
}

// TestComparisonDefaultOut checks that compare and sweep write where their
// --out help says they do without --out: runs/<time>-compare and
// runs/<time>-sweep.
func TestComparisonDefaultOut(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"compare", []string{"compare", "--config", "small.yaml"}},
		{"sweep", []string{"sweep", "--config", "small.yaml", "--set", "evolution.population=4,6"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			writeTestFile(t, ".", "small.yaml", smallConfig)
			help := mustRun(t, tc.name, "--help")
			want := "(default: runs/<time>-" + tc.name + ", with --table runs/<time>-" + tc.name + "-<table>)"
			if !strings.Contains(help, want) {
				t.Errorf("--help lacks %q:\n%s", want, help)
			}
			_, stderr, code := evonas(t, append(tc.args, "--seeds", "1", "--budget", "6", "--quiet")...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			dirs, err := filepath.Glob(filepath.Join("runs", "*-"+tc.name))
			if err != nil || len(dirs) != 1 {
				t.Errorf("got run directories %q, want one runs/<time>-%s", dirs, tc.name)
			}
		})
	}
}

func TestComparisonErrors(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "small.yaml", smallConfig)
	other := writeTestFile(t, dir, "other.yaml", "data: {name: xor}\n")
	reseeded := writeTestFile(t, dir, "reseeded.yaml", smallConfig+"seed: 9\nworkers: 1\n")
	budgeted := writeTestFile(t, dir, "budgeted.yaml", smallConfig+"budget: {evaluations: 40}\nobjective: {repeats: 2}\n")
	cases := []struct {
		name  string
		args  []string
		facts []string
	}{
		{"unknown sweep key", []string{"sweep", "--config", cfg, "--set", "evolution.populaton=4,6"}, []string{"populaton"}},
		{"bad sweep value", []string{"sweep", "--config", cfg, "--set", "evolution.population=4,x"}, []string{"population", "x"}},
		{"invalid variant", []string{"sweep", "--config", cfg, "--set", "evolution.population=1,6"}, []string{"population"}},
		{"sweep without --set", []string{"sweep", "--config", cfg}, []string{"--set"}},
		{"malformed --set", []string{"sweep", "--config", cfg, "--set", "population"}, []string{"KEY=V1"}},
		{"different data", []string{"compare", "--config", cfg, "--config", other}, []string{"different data"}},
		// Keys a comparison sets itself would make variants that differ
		// only in name.
		{"sweep of seeds", []string{"sweep", "--config", cfg, "--set", "seed=1,2"}, []string{"--set seed", "seed of each run"}},
		{"sweep of budgets", []string{"sweep", "--config", cfg, "--set", "budget.evaluations=10,40"}, []string{"--set budget.evaluations", "--budget"}},
		{"sweep of budgets with --budget", []string{"sweep", "--config", cfg, "--set", "budget.evaluations=10,40", "--budget", "10"}, []string{"--set budget.evaluations"}},
		{"sweep of generations", []string{"sweep", "--config", cfg, "--set", "evolution.generations=2,4"}, []string{"--set evolution.generations", "--budget"}},
		{"sweep of workers", []string{"sweep", "--config", cfg, "--set", "evolution.population=4,6", "--set", "workers=1,2"}, []string{"--set workers", "do not change results"}},
		{"configs differing in seed and workers only", []string{"compare", "--config", cfg, "--config", reseeded}, []string{"small", "reseeded", "differ only in seed and workers"}},
		{"configs of different budgets", []string{"compare", "--config", cfg, "--config", budgeted}, []string{"budgeted", "budget.evaluations 40", "--budget"}},
		{"zero seeds", []string{"compare", "--config", cfg, "--seeds", "0"}, []string{"--seeds"}},
		{"bad budget", []string{"compare", "--config", cfg, "--budget", "-3"}, []string{"--budget"}},
		// Seeds past the largest int wrapped round: no run at all, and a
		// report of 0 seeds, exit 0.
		{"seeds past the largest", []string{"compare", "--config", cfg, "--seeds", maxInt}, []string{"--seeds: want at most 100000, got " + maxInt}},
		// It panicked (makeslice: len out of range), leaving run.json.
		{"table seeds past the largest", []string{"compare", "--table", "digits_mlp", "--seeds", maxInt}, []string{"--seeds: want at most 100000, got " + maxInt}},
		{"first seed near the largest", []string{"sweep", "--config", cfg, "--set", "evolution.population=4,6", "--first-seed", maxInt, "--seeds", "2"}, []string{"--seeds", "from seed " + maxInt}},
		{"missing config", []string{"compare", "--config", filepath.Join(dir, "nope.yaml")}, []string{"nope"}},
		{"random with zero evaluations", []string{"random", "--config", cfg, "--evaluations", "0"}, []string{"--evaluations"}},
		{"halving through a queue", []string{"evolve", "--config", "halving", "--queue", "embedded"}, []string{"halving"}},
		{"halving compared through a queue", []string{"compare", "--config", "halving", "--queue", "embedded"}, []string{"halving"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, "out-"+strings.ReplaceAll(tc.name, " ", "-"))
			stdout, stderr, code := evonas(t, append(tc.args, "--out", out, "--quiet")...)
			if code != exitUsage || stdout != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 and no output", code, stdout, stderr)
			}
			checkOneLine(t, stderr, tc.facts...)
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was created before the error", out)
			}
		})
	}
}

func TestRandom(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "small.yaml", smallConfig)
	out := filepath.Join(dir, "rnd")
	stdout, stderr, code := evonas(t, "random", "--config", cfg, "--evaluations", "12", "--out", out, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var s map[string]any
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatalf("stdout is not one JSON document: %v", err)
	}
	if s["strategy"] != "random" || s["evaluations"].(float64) != 12 {
		t.Errorf("summary %v: want strategy random, 12 evaluations", s)
	}
	for _, f := range []string{"config.yaml", "evaluations.jsonl", "generations.jsonl", "summary.json", "best.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("run directory lacks %s", f)
		}
	}
	// Default budget: population x (generations + 1) = 18.
	stdout, _, code = evonas(t, "random", "--config", cfg, "--out", filepath.Join(dir, "rnd2"), "--json")
	s = nil
	if err := json.Unmarshal([]byte(stdout), &s); code != 0 || err != nil || s["evaluations"].(float64) != 18 {
		t.Errorf("default budget: exit %d, %s", code, stdout)
	}
}

// TestReportRedraws: evonas report redraws a comparison's plots and
// report.md from its summary.json alone.
func TestReportRedraws(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "small.yaml", smallConfig)
	out := filepath.Join(dir, "cmp")
	mustRun(t, "compare", "--config", cfg, "--seeds", "2", "--budget", "6", "--out", out, "--quiet")
	before, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"report.md", "curves.png", "curves.svg", "final.png"} {
		os.Remove(filepath.Join(out, f))
	}
	stdout := mustRun(t, "report", out)
	if !strings.Contains(stdout, "random") {
		t.Errorf("report printed no table:\n%s", stdout)
	}
	after, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Errorf("redrawn report.md differs:\n%s\nwant\n%s", after, before)
	}
	for _, f := range []string{"curves.png", "curves.svg", "final.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("report did not draw %s", f)
		}
	}
	_, stderr, code := evonas(t, "report", dir)
	if code != exitUsage {
		t.Errorf("report of a directory without summary.json: exit %d, want 2", code)
	}
	checkOneLine(t, stderr, "summary.json")
}
