package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/network"
	"github.com/evonas/evonas/run"
)

// smallYAML is a search of a few hundredths of a second: 300 rows of
// seed-sum, populations of 4, 3 generations of 2-epoch trainings. Its space
// is small enough for the search to meet genomes again (cache hits).
const smallYAML = `seed: 3
data:
  name: seed-sum
  rows: 300
search_space:
  layers: {min: 1, max: 2}
  width: {choices: [4, 8, 16]}
  activations: [relu, tanh]
  lr: {min: 0.02, max: 0.02}
  batch: [16, 32]
training:
  epochs: 2
  patience: 0
evolution:
  population: 4
  generations: 3
`

// richYAML uses every setting a retraining must reproduce: generated data
// with noise, dropout, L2, SGD with momentum, and patience (the noise makes
// the best net of seed 11 stop early).
const richYAML = `seed: 11
data:
  name: seed-sum
  rows: 400
  noise: 0.5
search_space:
  layers: {min: 1, max: 2}
  width: {min: 4, max: 16}
  activations: [relu, tanh]
  lr: {min: 0.003, max: 0.1}
  batch: [16, 32]
  dropout: {min: 0, max: 0.2}
  l2: {min: 0, max: 0.001}
  optimizers: [adam, sgd]
training:
  epochs: 6
  patience: 1
  momentum: 0.8
evolution:
  population: 4
  generations: 2
`

// evolveInto runs evolve with args into a new run directory and returns
// the directory and stdout.
func evolveInto(t *testing.T, args ...string) (dir, stdout string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "run")
	return dir, mustRun(t, append([]string{"evolve", "--out", dir}, args...)...)
}

// readSummary decodes a run's summary.json.
func readSummary(t *testing.T, dir string) run.Summary {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s run.Summary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("summary.json: %v", err)
	}
	return s
}

// readLines returns the lines of a JSON lines file, each non-empty.
func readLines(t *testing.T, path string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) == 0 || b[len(b)-1] != '\n' {
		t.Fatalf("%s does not end with a newline", path)
	}
	lines := bytes.Split(b[:len(b)-1], []byte("\n"))
	for i, l := range lines {
		if len(l) == 0 {
			t.Fatalf("%s: line %d is empty", path, i+1)
		}
	}
	return lines
}

// readEvaluations decodes a run's evaluations.jsonl.
func readEvaluations(t *testing.T, dir string) []fitness.Record {
	t.Helper()
	path := filepath.Join(dir, "evaluations.jsonl")
	var recs []fitness.Record
	for i, l := range readLines(t, path) {
		var r fitness.Record
		if err := json.Unmarshal(l, &r); err != nil {
			t.Fatalf("%s:%d: %v", path, i+1, err)
		}
		recs = append(recs, r)
	}
	return recs
}

// fingerprint lists a run's evaluations without timings or completion
// order, sorted.
func fingerprint(recs []fitness.Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, fmt.Sprintf("g%d %s %s fit=%v val=%+v test=%+v params=%d epochs=%d samples=%d seed=%d",
			r.Generation, r.Key, r.Status, r.Fitness, r.Val, r.Test, r.Params, r.Epochs, r.Samples, r.Seed))
	}
	sort.Strings(out)
	return out
}

func TestEvolveSameWhateverTheWorkers(t *testing.T) {
	config := writeTestFile(t, t.TempDir(), "small.yaml", smallYAML)
	dir1, _ := evolveInto(t, "--config", config, "--workers", "1", "--quiet")
	dir2, _ := evolveInto(t, "--config", config, "--workers", "2", "--quiet")

	f1, f2 := fingerprint(readEvaluations(t, dir1)), fingerprint(readEvaluations(t, dir2))
	if !slices.Equal(f1, f2) {
		t.Errorf("1 and 2 workers evaluated differently:\n%s\n---\n%s", strings.Join(f1, "\n"), strings.Join(f2, "\n"))
	}
	s1, s2 := readSummary(t, dir1), readSummary(t, dir2)
	if s1.Workers != 1 || s2.Workers != 2 {
		t.Errorf("summary workers %d and %d, want 1 and 2", s1.Workers, s2.Workers)
	}
	if !reflect.DeepEqual(s1.Best, s2.Best) {
		t.Errorf("best with 1 worker:\n%+v\nwith 2:\n%+v", s1.Best, s2.Best)
	}
	if !reflect.DeepEqual(s1.HallOfFame, s2.HallOfFame) {
		t.Errorf("hall of fame differs between 1 and 2 workers")
	}
	if s1.Evaluations != s2.Evaluations || s1.CacheHits != s2.CacheHits || s1.TrainSamples != s2.TrainSamples {
		t.Errorf("1 worker: %d evaluations, %d hits, %d samples; 2 workers: %d, %d, %d",
			s1.Evaluations, s1.CacheHits, s1.TrainSamples, s2.Evaluations, s2.CacheHits, s2.TrainSamples)
	}
}

func TestEvolveRunDirectory(t *testing.T) {
	config := writeTestFile(t, t.TempDir(), "small.yaml", smallYAML)
	dir, stdout := evolveInto(t, "--config", config, "--population", "6", "--workers", "1", "--quiet")
	if !strings.Contains(stdout, dir) {
		t.Errorf("stdout does not name the run directory %s:\n%s", dir, stdout)
	}
	for _, name := range []string{"config.yaml", "evaluations.jsonl", "generations.jsonl", "best.json", "summary.json"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("run directory: %v", err)
		}
	}
	checkNoTemp(t, dir)

	t.Run("config.yaml", func(t *testing.T) {
		want, err := configs.Load(config)
		if err != nil {
			t.Fatal(err)
		}
		want.Evolution.Population, want.Workers = 6, 1
		// seed-sum's own split, written out (TestConfigShowSplit).
		want.Data.Split = configs.Split{Train: 1000.0 / 1400, Val: 200.0 / 1400, Test: 200.0 / 1400}
		got, err := configs.Load(filepath.Join(dir, "config.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("config.yaml holds\n%+v\nwant the effective config\n%+v", got, want)
		}
	})

	sum := readSummary(t, dir)
	recs := readEvaluations(t, dir)
	if sum.CacheHits == 0 {
		t.Errorf("no cache hits: the fixture no longer tells evaluations from evaluations + cache hits")
	}

	t.Run("evaluations.jsonl", func(t *testing.T) {
		if got, want := len(recs), sum.Evaluations+sum.CacheHits; got != want {
			t.Errorf("%d evaluations logged, want evaluations + cache_hits = %d + %d", got, sum.Evaluations, sum.CacheHits)
		}
		var hits int
		var samples int64
		for i, r := range recs {
			if r.Index != i {
				t.Errorf("line %d has index %d, want %d (lines in completion order)", i+1, r.Index, i)
			}
			if r.Generation < 0 || r.Generation > sum.Generations {
				t.Errorf("line %d: generation %d outside 0..%d", i+1, r.Generation, sum.Generations)
			}
			switch r.Status {
			case fitness.Cached:
				hits++
			case fitness.OK:
				if r.Samples <= 0 || math.IsInf(r.Fitness, 0) {
					t.Errorf("line %d: ok with %d samples and fitness %v", i+1, r.Samples, r.Fitness)
				}
			}
			samples += int64(r.Samples)
		}
		if hits != sum.CacheHits || samples != sum.TrainSamples {
			t.Errorf("logged %d cache hits and %d samples; summary says %d and %d", hits, samples, sum.CacheHits, sum.TrainSamples)
		}
		if gen0 := len(recs) - len(slices.DeleteFunc(slices.Clone(recs), func(r fitness.Record) bool { return r.Generation == 0 })); gen0 != 6 {
			t.Errorf("%d evaluations in generation 0, want the population of 6", gen0)
		}
	})

	t.Run("generations.jsonl", func(t *testing.T) {
		lines := readLines(t, filepath.Join(dir, "generations.jsonl"))
		if len(lines) != sum.Generations+1 {
			t.Fatalf("%d lines, want generations+1 = %d", len(lines), sum.Generations+1)
		}
		prev := 0
		for i, l := range lines {
			var g struct {
				Generation  int      `json:"generation"`
				Best        float64  `json:"best"`
				Mean        *float64 `json:"mean"`
				Evaluations int      `json:"evaluations"`
				CacheHits   int      `json:"cache_hits"`
			}
			if err := json.Unmarshal(l, &g); err != nil {
				t.Fatalf("line %d: %v", i+1, err)
			}
			if g.Generation != i {
				t.Errorf("line %d: generation %d, want %d", i+1, g.Generation, i)
			}
			if g.Evaluations < prev || i == 0 && g.Evaluations < 6 {
				t.Errorf("line %d: %d evaluations after %d", i+1, g.Evaluations, prev)
			}
			prev = g.Evaluations
			if i == len(lines)-1 && (g.Evaluations != sum.Evaluations || g.CacheHits != sum.CacheHits) {
				t.Errorf("last generation: %d evaluations, %d hits; summary says %d, %d", g.Evaluations, g.CacheHits, sum.Evaluations, sum.CacheHits)
			}
		}
	})

	t.Run("summary.json", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
		if err != nil {
			t.Fatal(err)
		}
		var obj map[string]any
		if err := json.Unmarshal(b, &obj); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"strategy": "ga", "config": "small", "data": "seed-sum", "task": "binary",
			"seed": "3", "workers": 1.0, "generations": 3.0, "stop": "generations"}
		for k, v := range want {
			if obj[k] != v {
				t.Errorf("%s = %#v, want %#v", k, obj[k], v)
			}
		}
		for _, k := range []string{"evaluations", "cache_hits", "wall_s", "train_samples"} {
			if v, ok := obj[k].(float64); !ok || v < 0 {
				t.Errorf("%s = %#v, want a number >= 0", k, obj[k])
			}
		}
		if v, _ := obj["evaluations"].(float64); v < 6 {
			t.Errorf("evaluations = %v, want at least the population of 6", v)
		}
		best, ok := obj["best"].(map[string]any)
		if !ok {
			t.Fatalf("best = %#v, want an object", obj["best"])
		}
		for _, k := range []string{"arch", "key"} {
			if v, _ := best[k].(string); v == "" {
				t.Errorf("best.%s = %#v, want a string", k, best[k])
			}
		}
		for _, k := range []string{"params", "fitness", "val_acc", "test_acc"} {
			if _, ok := best[k].(float64); !ok {
				t.Errorf("best.%s = %#v, want a number", k, best[k])
			}
		}
		for _, k := range []string{"val_r2", "test_r2"} {
			if v, ok := best[k]; ok {
				t.Errorf("best.%s = %v in a classification run", k, v)
			}
		}
	})

	t.Run("best is the fittest evaluation", func(t *testing.T) {
		var top fitness.Record
		top.Fitness = math.Inf(1)
		for _, r := range recs {
			if r.Fitness < top.Fitness || r.Fitness == top.Fitness && r.Key < top.Key {
				top = r
			}
		}
		b := sum.Best
		if b.Key != top.Key || b.Fitness == nil || *b.Fitness != top.Fitness || b.Params != top.Params || uint64(b.Seed) != top.Seed ||
			b.ValAcc == nil || *b.ValAcc != top.Val.Acc || b.TestAcc == nil || *b.TestAcc != top.Test.Acc {
			t.Errorf("summary best %s (fitness %v), want the fittest evaluation %s (fitness %v)", b.Key, deref(b.Fitness), top.Key, top.Fitness)
		}
		for i := 1; i < len(sum.HallOfFame); i++ {
			if *sum.HallOfFame[i].Fitness < *sum.HallOfFame[i-1].Fitness {
				t.Errorf("hall of fame %d has fitness %v after %v", i, *sum.HallOfFame[i].Fitness, *sum.HallOfFame[i-1].Fitness)
			}
		}
	})
}

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func TestEvolveJSON(t *testing.T) {
	config := writeTestFile(t, t.TempDir(), "small.yaml", smallYAML)
	dir := filepath.Join(t.TempDir(), "run")
	stdout, stderr, code := evonas(t, "evolve", "--config", config, "--workers", "2", "--out", dir, "--json")
	if code != exitOK {
		t.Fatalf("exit %d, want 0; stderr: %s", code, stderr)
	}
	if stderr != "" {
		t.Errorf("stderr = %q, want nothing with --json", stderr)
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	var doc, extra any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if err := dec.Decode(&extra); err != io.EOF {
		t.Errorf("stdout holds more than one JSON document (%v):\n%s", err, stdout)
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if stdout != string(b) {
		t.Errorf("stdout is not summary.json:\n%s\nsummary.json:\n%s", stdout, b)
	}
}

// TestEvolveBestRetrain retrains the genome saved in best.json outside the
// evaluator, from the run's config alone, and requires the metrics the
// search recorded and the saved net's predictions.
func TestEvolveBestRetrain(t *testing.T) {
	config := writeTestFile(t, t.TempDir(), "rich.yaml", richYAML)
	dir, _ := evolveInto(t, "--config", config, "--workers", "2", "--quiet")
	sum := readSummary(t, dir)
	cfg, err := configs.Load(filepath.Join(dir, "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}

	m, err := model.Load(filepath.Join(dir, "best.json"))
	if err != nil {
		t.Fatal(err)
	}
	var info struct {
		Command string         `json:"command"`
		Record  fitness.Record `json:"record"`
	}
	if err := json.Unmarshal(m.Info, &info); err != nil {
		t.Fatalf("best.json info: %v", err)
	}
	rec, g := info.Record, info.Record.Genome
	if info.Command != "evolve" || rec.Key != sum.Best.Key || rec.Key != g.Key() || rec.Seed != uint64(sum.Best.Seed) || rec.Status != fitness.OK {
		t.Fatalf("best.json holds record %s (seed %d, status %s, command %q); summary best is %s (seed %d)",
			rec.Key, rec.Seed, rec.Status, info.Command, sum.Best.Key, sum.Best.Seed)
	}
	if *sum.Best.ValAcc != rec.Val.Acc || *sum.Best.TestAcc != rec.Test.Acc || *sum.Best.Fitness != rec.Fitness {
		t.Errorf("best.json record val %v test %v fitness %v; summary best %v, %v, %v",
			rec.Val.Acc, rec.Test.Acc, rec.Fitness, *sum.Best.ValAcc, *sum.Best.TestAcc, *sum.Best.Fitness)
	}

	if rec.Epochs == cfg.Training.Epochs || rec.Genome.Optimizer != "sgd" {
		t.Logf("the best net (%s) trained %d of %d epochs: patience or momentum goes untested", rec.Key, rec.Epochs, cfg.Training.Epochs)
	}

	d, err := dataset.Load(cfg.Data.Name, dataset.Options{Seed: cfg.Seed, Rows: cfg.Data.Rows, Noise: cfg.Data.Noise, Missing: cfg.Data.Missing})
	if err != nil {
		t.Fatal(err)
	}
	hidden := make([]network.Layer, len(g.Layers))
	for i, l := range g.Layers {
		a, err := network.ParseActivation(l.Activation)
		if err != nil {
			t.Fatal(err)
		}
		hidden[i] = network.Layer{Units: l.Units, Activation: a, Dropout: l.Dropout}
	}
	tc := network.TrainConfig{Epochs: cfg.Training.Epochs, Batch: g.Batch, LR: g.LR, L2: g.L2,
		Optimizer: network.Optimizer(g.Optimizer), Patience: cfg.Training.Patience, Momentum: cfg.Training.Momentum, Seed: rec.Seed,
		Precision: network.Precision(cfg.Training.Precision)}
	o, err := fitness.Train(context.Background(), d, hidden, tc, rec.Seed)
	if err != nil {
		t.Fatal(err)
	}
	if o.Val.Acc != *sum.Best.ValAcc || o.Test.Acc != *sum.Best.TestAcc {
		t.Errorf("retrained: val %v test %v; the search recorded val %v test %v", o.Val.Acc, o.Test.Acc, *sum.Best.ValAcc, *sum.Best.TestAcc)
	}
	if o.Val != rec.Val || o.Test != rec.Test || o.Result.Epochs != rec.Epochs {
		t.Errorf("retrained: val %+v test %+v after %d epochs; best.json recorded %+v, %+v, %d", o.Val, o.Test, o.Result.Epochs, rec.Val, rec.Test, rec.Epochs)
	}
	if !reflect.DeepEqual(m.Net.Spec(), o.Net.Spec()) {
		t.Fatalf("saved net %+v, retrained %+v", m.Net.Spec(), o.Net.Spec())
	}
	if !slices.Equal(m.Net.Weights(), o.Net.Weights()) {
		t.Errorf("the saved weights differ from the retrained net's")
	}
	saved, retrained := m.Net.Predict(d.Test.X, d.Test.N, nil), o.Net.Predict(d.Test.X, d.Test.N, nil)
	if !slices.Equal(saved, retrained) {
		t.Errorf("the saved net's test predictions differ from the retrained net's")
	}
}

// TestEvolveSeedConfig is the classic experiment: the shipped seed config
// finds a net of validation accuracy 0.95 or more.
func TestEvolveSeedConfig(t *testing.T) {
	if testing.Short() {
		t.Skip("about 150 trainings")
	}
	dir, _ := evolveInto(t, "--config", "seed", "--workers", "2", "--quiet")
	sum := readSummary(t, dir)
	if sum.Data != "seed-sum" || sum.Config != "seed" {
		t.Errorf("data %q, config %q; want seed-sum and seed", sum.Data, sum.Config)
	}
	if sum.Best.ValAcc == nil || *sum.Best.ValAcc < 0.95 {
		t.Errorf("best val_acc = %v, want >= 0.95 (%s)", deref(sum.Best.ValAcc), sum.Best.Arch)
	}
}

func TestEvolveErrors(t *testing.T) {
	root := t.TempDir()
	small := writeTestFile(t, root, "small.yaml", smallYAML)
	noRows := writeTestFile(t, root, "norows.yaml", strings.Replace(smallYAML, "  rows: 300\n", "", 1))
	typo := writeTestFile(t, root, "typo.yaml", "seed: 7\n\nevolution:\n  population: 30\n  mutaton_rate: 0.5\n")
	missing := filepath.Join(root, "nosuch.csv")

	held := filepath.Join(root, "held")
	if err := os.Mkdir(held, 0o755); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, held, "evaluations.jsonl", "an earlier run\n")

	tests := []struct {
		name  string
		args  []string
		facts []string // the message must mention each
		// emptyDir: the run directory may be left behind, empty (the data
		// is loaded after it is made); otherwise it must not exist.
		emptyDir bool
	}{
		{"unknown config key", []string{"--config", typo}, []string{"typo.yaml:5", "mutaton_rate"}, false},
		{"no such config", []string{"--config", filepath.Join(root, "nosuch.yaml")}, []string{"nosuch.yaml"}, false},
		{"population 1", []string{"--config", small, "--population", "1"}, []string{"population", "2"}, false},
		{"population not a number", []string{"--config", small, "--population", "x"}, []string{"population"}, false},
		{"unexpected argument", []string{"--config", small, "extra"}, []string{"extra"}, false},
		{"missing data file", []string{"--config", noRows, "--data", missing}, []string{"nosuch.csv", "no such file"}, true},
		{"missing data file, config with rows", []string{"--config", small, "--data", missing}, []string{"nosuch.csv", "no such file"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "run")
			stdout, stderr, code := evonas(t, append([]string{"evolve", "--out", out}, tc.args...)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr: %s", code, exitUsage, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want empty", stdout)
			}
			checkOneLine(t, stderr, tc.facts...)
			ents, err := os.ReadDir(out)
			switch {
			case os.IsNotExist(err):
			case err != nil:
				t.Fatal(err)
			case !tc.emptyDir:
				t.Errorf("run directory %s created by a config error", out)
			default:
				for _, e := range ents {
					t.Errorf("%s written in the run directory by a failed command", e.Name())
				}
			}
		})
	}

	t.Run("run directory in use", func(t *testing.T) {
		stdout, stderr, code := evonas(t, "evolve", "--config", small, "--out", held)
		if code != exitUsage {
			t.Errorf("exit %d, want %d; stderr: %s", code, exitUsage, stderr)
		}
		if stdout != "" {
			t.Errorf("stdout = %q, want empty", stdout)
		}
		checkOneLine(t, stderr, held, "already holds a run")
		ents, err := os.ReadDir(held)
		if err != nil {
			t.Fatal(err)
		}
		if len(ents) != 1 {
			t.Errorf("%d files in %s, want only the earlier run's", len(ents), held)
		}
		if b, _ := os.ReadFile(filepath.Join(held, "evaluations.jsonl")); string(b) != "an earlier run\n" {
			t.Errorf("the earlier run's evaluations.jsonl was changed to %q", b)
		}
	})
}

func TestEvolveRegression(t *testing.T) {
	dir := t.TempDir()
	data := writeTestFile(t, dir, "linear.csv", linearCSV())
	config := writeTestFile(t, dir, "reg.yaml", strings.Replace(strings.Replace(smallYAML, "  rows: 300\n", "", 1), "epochs: 2", "epochs: 5", 1))
	run, _ := evolveInto(t, "--config", config, "--data", data, "--workers", "2", "--quiet")
	sum := readSummary(t, run)
	if sum.Task != "regression" || sum.Data != "linear" {
		t.Errorf("task %q data %q, want regression and linear", sum.Task, sum.Data)
	}
	b := sum.Best
	if b.ValR2 == nil || b.TestR2 == nil {
		t.Fatalf("best has val_r2 %v and test_r2 %v, want both", b.ValR2, b.TestR2)
	}
	if b.ValAcc != nil || b.TestAcc != nil {
		t.Errorf("best has val_acc %v and test_acc %v in a regression run", deref(b.ValAcc), deref(b.TestAcc))
	}
	if !(*b.ValR2 <= 1) || math.IsInf(*b.TestR2, 0) || math.IsNaN(*b.TestR2) {
		t.Errorf("val_r2 %v, test_r2 %v", *b.ValR2, *b.TestR2)
	}
	if b.Fitness == nil || *b.Fitness != 1-*b.ValR2 {
		t.Errorf("best fitness %v, want 1 - val_r2 = %v", deref(b.Fitness), 1-*b.ValR2)
	}
	m, err := model.Load(filepath.Join(run, "best.json"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Prep.Task != dataset.Regression {
		t.Errorf("best.json task %q, want regression", m.Prep.Task)
	}
	// The generations track R² as their metric.
	gens := readLines(t, filepath.Join(run, "generations.jsonl"))
	var last struct {
		BestMetric float64 `json:"best_metric"`
	}
	if err := json.Unmarshal(gens[len(gens)-1], &last); err != nil {
		t.Fatal(err)
	}
	if last.BestMetric != *b.ValR2 {
		t.Errorf("last generation's best_metric %v, want the best val_r2 %v", last.BestMetric, *b.ValR2)
	}
}
