package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// checkJSONFiles fails unless every .json file in dir is one JSON value and
// every .jsonl file is one per line.
func checkJSONFiles(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		switch filepath.Ext(e.Name()) {
		case ".json":
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !json.Valid(b) {
				t.Errorf("%s is not valid JSON", path)
			}
		case ".jsonl":
			for i, l := range readLines(t, path) {
				if !json.Valid(l) {
					t.Errorf("%s:%d is not valid JSON", path, i+1)
				}
			}
		}
	}
}

// TestWholeGenerationFails runs a search whose every candidate diverges:
// the failures are results, the run ends with exit 0, every file is valid
// JSON, and the run resumes.
func TestWholeGenerationFails(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "diverge.yaml", `data: {name: iris}
training: {epochs: 2, patience: 0}
search_space:
  lr: {min: 9, max: 10}
  optimizers: [sgd]
  activations: [linear]
evolution: {population: 4, generations: 1}
`)
	run := filepath.Join(dir, "run")
	stdout, stderr, code := evonas(t, "evolve", "--config", cfg, "--out", run, "--quiet")
	if code != exitOK {
		t.Fatalf("evolve: exit %d, want 0; stderr: %s", code, stderr)
	}
	if !strings.Contains(stdout, "every candidate failed (the best ranked: diverged network: training diverged") || strings.Contains(stdout, "best.json") {
		t.Errorf("output does not say that every candidate failed, or names a best.json that does not exist:\n%s", stdout)
	}
	checkJSONFiles(t, run)
	recs := readEvaluations(t, run)
	if len(recs) == 0 {
		t.Fatal("no evaluations logged")
	}
	for _, r := range recs {
		if r.Status != "diverged" {
			t.Errorf("%s: status %s, want diverged", r.Key, r.Status)
		}
	}
	if n := len(readLines(t, filepath.Join(run, "generations.jsonl"))); n != 2 {
		t.Errorf("generations.jsonl has %d lines, want 2", n)
	}
	_, stderr, code = evonas(t, "resume", "--generations", "2", "--quiet", run)
	if code != exitOK {
		t.Fatalf("resume: exit %d, want 0; stderr: %s", code, stderr)
	}
	checkJSONFiles(t, run)
	if n := len(readLines(t, filepath.Join(run, "generations.jsonl"))); n != 3 {
		t.Errorf("after resume, generations.jsonl has %d lines, want 3", n)
	}
	if s := readSummary(t, run); s.Best.Fitness != nil || !strings.Contains(s.Best.Status, "diverged") {
		t.Errorf("summary best %+v, want a diverged candidate with a null fitness", s.Best)
	}
}

// TestEveryCandidateFailedReports runs searches and a comparison whose
// every candidate diverges, and draws their reports. A Pareto search names
// no file it did not write (it named pareto.png, pareto.svg and best.json,
// with a predict line); report draws an evolution's plots (it panicked on
// the log axis of the Pareto plot); compare writes its whole report (it
// panicked drawing curves.png, with no report.md), and report draws it
// again.
func TestEveryCandidateFailedReports(t *testing.T) {
	dir := t.TempDir()
	const diverge = `data: {name: iris}
training: {epochs: 2, patience: 0}
search_space:
  lr: {min: 9, max: 10}
  optimizers: [sgd]
  activations: [linear]
`
	single := writeTestFile(t, dir, "diverge.yaml", diverge+"evolution: {population: 4, generations: 1}\n")
	pareto := writeTestFile(t, dir, "pareto.yaml", diverge+"evolution: {population: 4, generations: 1, model: nsga2}\nobjective: {minimize: [error, params]}\n")

	run := filepath.Join(dir, "pareto")
	stdout := mustRun(t, "evolve", "--config", pareto, "--out", run, "--quiet")
	if !strings.Contains(stdout, "every candidate failed") {
		t.Errorf("a Pareto search does not say that every candidate failed:\n%s", stdout)
	}
	for _, absent := range []string{"best.json", "predict with", "pareto.png", "member 0"} {
		if strings.Contains(stdout, absent) {
			t.Errorf("a Pareto search with no front says %q:\n%s", absent, stdout)
		}
	}
	_, files, ok := strings.Cut(stdout, "run directory: "+run+" (")
	files, _, _ = strings.Cut(files, ")")
	if !ok || files == "" {
		t.Fatalf("no run directory line:\n%s", stdout)
	}
	for _, f := range strings.Split(files, ", ") {
		if _, err := os.Stat(filepath.Join(run, f)); err != nil {
			t.Errorf("the output names %s: %v", f, err)
		}
	}
	mustRun(t, "report", run)
	// No generation has a best validation score: a cache hit of a failed
	// genome made it 0.
	gens, err := os.ReadFile(filepath.Join(run, "generations.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(gens), `"cache_hits":1`) {
		t.Errorf("the search hit no cache, which this check needs:\n%s", gens)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(gens)), "\n") {
		if !strings.Contains(line, `"best_metric":null`) {
			t.Errorf("a generation of failed candidates has a best metric: %s", line)
		}
	}

	run = filepath.Join(dir, "single")
	mustRun(t, "evolve", "--config", single, "--out", run, "--quiet")
	mustRun(t, "report", run)
	for _, f := range []string{"progress.png", "progress.svg", "pareto.png", "pareto.svg"} {
		if _, err := os.Stat(filepath.Join(run, f)); err != nil {
			t.Errorf("report: %v", err)
		}
	}

	cmp := filepath.Join(dir, "compare")
	mustRun(t, "compare", "--config", single, "--seeds", "2", "--budget", "4", "--out", cmp, "--quiet")
	for _, f := range []string{"summary.json", "curves.png", "curves.svg", "final.png", "report.md"} {
		if _, err := os.Stat(filepath.Join(cmp, f)); err != nil {
			t.Errorf("compare: %v", err)
		}
	}
	mustRun(t, "report", cmp)
}

// TestMemoryGuard checks that train refuses a net too large for the memory
// limit, with the estimate and the flag that raises it, before allocating,
// and that a batch larger than the training rows is said.
func TestMemoryGuard(t *testing.T) {
	stdout, stderr, code := evonas(t, "train", "--data", "iris", "--hidden", "10000000", "--epochs", "1")
	if code != exitUsage || stdout != "" {
		t.Fatalf("train --hidden 10000000: exit %d, stdout %q; want exit 2 and nothing", code, stdout)
	}
	checkOneLine(t, stderr, "GiB", "limit", "--max-memory-mb")
	_, stderr, code = evonas(t, "train", "--data", "iris", "--hidden", "8", "--epochs", "1", "--max-memory-mb", "1", "--json")
	if code != exitOK {
		t.Errorf("a small net within --max-memory-mb 1: exit %d, stderr %s", code, stderr)
	}
	_, stderr, code = evonas(t, "train", "--data", "iris", "--hidden", "2000,2000", "--epochs", "1", "--max-memory-mb", "1", "--json")
	if code != exitUsage || !strings.Contains(stderr, "limit of 1.0 MiB") {
		t.Errorf("--max-memory-mb 1 with [2000, 2000]: exit %d, stderr %s; want exit 2 naming the limit", code, stderr)
	}
	// A limit whose bytes overflow an int64 is a flag error, not a
	// negative limit.
	_, stderr, code = evonas(t, "train", "--data", "iris", "--hidden", "8", "--epochs", "1", "--max-memory-mb", maxInt)
	if code != exitUsage || !strings.Contains(stderr, "--max-memory-mb: want at most 1073741824") {
		t.Errorf("--max-memory-mb %s: exit %d, stderr %q; want exit 2 naming the flag's maximum", maxInt, code, stderr)
	}
	_, stderr, code = evonas(t, "train", "--data", "iris", "--hidden", "8", "--epochs", "1", "--batch", "500", "--json")
	if code != exitOK || !strings.Contains(stderr, "--batch 500") || !strings.Contains(stderr, "105 training rows") {
		t.Errorf("--batch 500 on 105 rows: exit %d, stderr %q; want a note naming the batch and the rows", code, stderr)
	}
	// In a search, training.max_memory_mb makes a net too large an
	// invalid candidate, not a crash.
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "c.yaml", `data: {name: xor, rows: 200}
search_space: {layers: {min: 2, max: 2}, width: {min: 3000, max: 4000}, batch: [32, 256]}
training: {epochs: 1, patience: 0}
evolution: {population: 4, generations: 0}
`)
	run := filepath.Join(dir, "run")
	_, stderr, code = evonas(t, "evolve", "--config", cfg, "--max-memory-mb", "1", "--out", run, "--quiet")
	if code != exitOK || !strings.Contains(stderr, "evonas: note: search_space.batch 256 is more than the 140 training rows") {
		t.Errorf("evolve with batch 256 on 140 rows: exit %d, stderr %q; want a note", code, stderr)
	}
	if y, err := os.ReadFile(filepath.Join(run, "config.yaml")); err != nil || !strings.Contains(string(y), "max_memory_mb: 1\n") {
		t.Errorf("--max-memory-mb 1 not in config.yaml (%v)", err)
	}
	for _, r := range readEvaluations(t, run) {
		if r.Status != "invalid" || !strings.Contains(r.Reason, "limit of 1.0 MiB") {
			t.Errorf("%s: status %s, reason %q; want invalid over the limit", r.Arch, r.Status, r.Reason)
		}
	}
}

// TestOverwriteNeedsForce checks that train --out and predict --out keep an
// existing file unless --force is given.
func TestOverwriteNeedsForce(t *testing.T) {
	dir := t.TempDir()
	modelPath := writeTestFile(t, dir, "best.json", "precious")
	_, stderr, code := evonas(t, "train", "--data", "iris", "--hidden", "4", "--epochs", "1", "--out", modelPath)
	if code != exitUsage {
		t.Fatalf("train --out over a file: exit %d, want 2", code)
	}
	checkOneLine(t, stderr, modelPath, "--force")
	if b, _ := os.ReadFile(modelPath); string(b) != "precious" {
		t.Fatalf("train --out overwrote the file without --force")
	}
	mustRun(t, "train", "--data", "iris", "--hidden", "4", "--epochs", "1", "--out", modelPath, "--force")
	if b, _ := os.ReadFile(modelPath); string(b) == "precious" {
		t.Fatal("train --out --force left the file as it was")
	}

	dataPath := writeTestFile(t, dir, "iris.csv", tableCSV(t, irisTable(t), irisColumns...))
	predPath := writeTestFile(t, dir, "pred.csv", "precious")
	_, stderr, code = evonas(t, "predict", "--model", modelPath, "--data", dataPath, "--out", predPath)
	if code != exitUsage {
		t.Fatalf("predict --out over a file: exit %d, want 2", code)
	}
	checkOneLine(t, stderr, predPath, "--force")
	if b, _ := os.ReadFile(predPath); string(b) != "precious" {
		t.Fatalf("predict --out overwrote the file without --force")
	}
	mustRun(t, "predict", "--model", modelPath, "--data", dataPath, "--out", predPath, "--force")
	if b, _ := os.ReadFile(predPath); !strings.HasPrefix(string(b), "prediction,") {
		t.Fatalf("predict --out --force wrote %q", b)
	}
}

// TestNamesEverywhere checks that shipped config names and built-in data
// names work in every command that takes a config or data, that a stray
// argument says what was probably meant, and that flags may follow a
// command's argument.
func TestNamesEverywhere(t *testing.T) {
	dir := t.TempDir()
	if got, want := mustRun(t, "config", "show", "seed"), mustRun(t, "config", "show", "--config", "seed"); got != want {
		t.Errorf("config show seed differs from config show --config seed")
	}
	if got := mustRun(t, "config", "validate", "seed"); got != "seed: ok\n" {
		t.Errorf("config validate seed: %q, want \"seed: ok\"", got)
	}
	modelPath := filepath.Join(dir, "m.json")
	mustRun(t, "train", "--data", "iris", "--hidden", "4", "--epochs", "1", "--out", modelPath)
	if _, rows := readPredictions(t, mustRun(t, "predict", "--model", modelPath, "--data", "iris")); len(rows) != 150 {
		t.Errorf("predict --data iris: %d rows, want 150", len(rows))
	}
	for _, tc := range []struct {
		args []string
		hint string
	}{
		{[]string{"evolve", "seed"}, "did you mean --config seed?"},
		{[]string{"random", "iris"}, "did you mean --data iris?"},
		{[]string{"compare", modelPath}, "unexpected argument"},
		{[]string{"train", "iris"}, "did you mean --data iris?"},
		{[]string{"predict", modelPath}, "did you mean --model " + modelPath + "?"},
		{[]string{"train", "seed"}, `unexpected argument "seed"`}, // train has no --config
		{[]string{"datasets", "iris"}, `unexpected argument "iris"`},
	} {
		stdout, stderr, code := evonas(t, tc.args...)
		if code != exitUsage || stdout != "" {
			t.Errorf("%q: exit %d, want 2", tc.args, code)
		}
		checkOneLine(t, stderr, tc.hint)
		if !strings.Contains(tc.hint, "did you mean") && strings.Contains(stderr, "did you mean") {
			t.Errorf("%q: %s suggests a flag the command does not have", tc.args, stderr)
		}
	}
	cfg := writeTestFile(t, dir, "tiny.yaml", tinyConfig)
	run := filepath.Join(dir, "run")
	stdout, stderr, code := evonas(t, "evolve", cfg, "--out", run)
	if code != exitUsage {
		t.Errorf("evolve FILE: exit %d, want 2", code)
	}
	checkOneLine(t, stderr, "did you mean --config "+cfg+"?")
	_ = stdout
	mustRun(t, "evolve", "--config", cfg, "--out", run, "--quiet")
	// A run directory stands for its best model.
	if _, rows := readPredictions(t, mustRun(t, "predict", "--model", run, "--data", "xor")); len(rows) != 400 {
		t.Errorf("predict --model RUNDIR --data xor: %d rows, want 400", len(rows))
	}
	if _, stderr, code := evonas(t, "predict", "--model", dir, "--data", "xor"); code != exitUsage || !strings.Contains(stderr, "without best.json") {
		t.Errorf("predict --model DIR without best.json: exit %d, %s", code, stderr)
	}
	// Flags after the directory, as the docs show them.
	mustRun(t, "resume", run, "--workers", "2", "--generations", "2", "--quiet")
	if n := len(readLines(t, filepath.Join(run, "generations.jsonl"))); n != 3 {
		t.Errorf("resume DIR --generations 2: generations.jsonl has %d lines, want 3", n)
	}
}

// TestCSVFlagsOnSearches checks that evolve, random and compare take the
// CSV options train takes, so that a CSV whose target is not its last
// column needs no config file.
func TestCSVFlagsOnSearches(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("y,x1,x2,id\n")
	for i := range 120 {
		x1, x2 := float64(i%11)/5-1, float64(i%7)/3-1
		y := 0
		if x1*x2 > 0 {
			y = 1
		}
		x := fmt.Sprint(x1)
		if i == 17 {
			x = "NA"
		}
		fmt.Fprintf(&b, "%d,%s,%g,%d\n", y, x, x2, i)
	}
	data := writeTestFile(t, dir, "first.csv", b.String())
	cfg := writeTestFile(t, dir, "tiny.yaml", tinyConfig)
	flags := []string{"--config", cfg, "--data", data, "--target", "y", "--task", "binary", "--missing", "drop", "--split", "0.6,0.2,0.2", "--quiet"}
	for _, cmd := range [][]string{{"evolve"}, {"random", "--evaluations", "4"}, {"compare", "--seeds", "1", "--budget", "4"}} {
		out := filepath.Join(dir, cmd[0])
		mustRun(t, append(append(cmd, "--out", out), flags...)...)
		y, err := os.ReadFile(filepath.Join(out, "config.yaml"))
		if cmd[0] == "compare" {
			y, err = os.ReadFile(filepath.Join(out, "ga", "seed-1", "config.yaml"))
			if err != nil {
				y, err = os.ReadFile(filepath.Join(out, "random", "seed-1", "config.yaml"))
			}
		}
		if err != nil {
			t.Fatalf("%s: %v", cmd[0], err)
		}
		for _, want := range []string{"target: \"y\"", "task: binary", "missing: drop", "train: 0.6"} {
			if !strings.Contains(strings.ReplaceAll(string(y), "target: y\n", "target: \"y\"\n"), want) {
				t.Errorf("%s: config.yaml lacks %q:\n%s", cmd[0], want, y)
			}
		}
	}
	_, stderr, code := evonas(t, "evolve", "--config", cfg, "--data", data, "--target", "y", "--split", "0.6,0.2", "--out", filepath.Join(dir, "bad"))
	if code != exitUsage {
		t.Errorf("--split with two fractions: exit %d, want 2", code)
	}
	checkOneLine(t, stderr, "--split")
}

// TestVersion checks what --version prints for each kind of build.
func TestVersion(t *testing.T) {
	vcs := func(kv ...string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}
		for i := 0; i+1 < len(kv); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return bi
	}
	for _, tc := range []struct {
		name, stamped string
		bi            *debug.BuildInfo
		want          string
	}{
		{"make build", "ae38386-dirty", vcs(), "ae38386-dirty"},
		{"go install at a version", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "v1.2.0"},
		{"go build with VCS", "", vcs("vcs.revision", "ae38386aaaabbbbcccc", "vcs.modified", "true"), "devel ae38386aaaab+dirty"},
		{"go build without VCS", "", vcs(), "devel (no version control information: build with make build)"},
	} {
		if got := versionOf(tc.stamped, tc.bi); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	// The Makefile stamps what git describe says.
	out, err := exec.Command("make", "-C", filepath.Join("..", ".."), "-s", "-n", "build").Output()
	if err != nil {
		t.Skipf("make -n build: %v", err)
	}
	if !strings.Contains(string(out), "-X main.buildVersion=") {
		t.Errorf("make build does not stamp the version:\n%s", out)
	}
}

// TestConfigShowSplit checks that config show prints the split a data set
// really gets: seed-sum's 1000/200/200 of 1400 rows, not 0.7/0.15/0.15.
func TestConfigShowSplit(t *testing.T) {
	cfg := parseShown(t, mustRun(t, "config", "show", "--config", "seed"))
	if cfg.Data.Name != "seed-sum" {
		t.Fatalf("the seed config's data are %q", cfg.Data.Name)
	}
	s := cfg.Data.Split
	if math.Round(1400*s.Train) != 1000 || math.Round(1400*s.Val) != 200 || math.Round(1400*s.Test) != 200 {
		t.Errorf("config show seed: split %+v, want 1000/200/200 of 1400", s)
	}
	if s := parseShown(t, mustRun(t, "config", "show", "--config", "default")).Data.Split; s.Train != 0.7 || s.Val != 0.15 {
		t.Errorf("config show default: split %+v, want 0.7/0.15/0.15", s)
	}
	// A run's config.yaml says the same, and the data are those of the
	// default split: 1000/200/200 rows.
	dir := t.TempDir()
	cfgFile := writeTestFile(t, dir, "c.yaml", "data: {name: seed-sum}\ntraining: {epochs: 1, patience: 0}\nsearch_space: {width: {min: 2, max: 4}}\nevolution: {population: 4, generations: 0}\n")
	run, _ := evolveInto(t, "--config", cfgFile, "--quiet")
	y, err := os.ReadFile(filepath.Join(run, "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(y), "train: 0.7142857142857143") {
		t.Errorf("config.yaml of a seed-sum run:\n%s", y)
	}
	for _, r := range readEvaluations(t, run) {
		if r.Status == "ok" && r.Samples != 1000*r.Epochs {
			t.Errorf("%s: %d samples in %d epochs, want 1000 training rows", r.Key, r.Samples, r.Epochs)
		}
	}
}

// TestCompareFewSeeds checks that a comparison over too few seeds for any
// p-value to fall below 0.05 says so, in its output and its report.
func TestCompareFewSeeds(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "tiny.yaml", tinyConfig)
	out := filepath.Join(dir, "cmp")
	stdout := mustRun(t, "compare", "--config", cfg, "--seeds", "1", "--budget", "4", "--out", out, "--quiet")
	const caveat = "with 1 and 1 seeds p cannot fall below 0.05"
	if !strings.Contains(stdout, caveat) {
		t.Errorf("output lacks %q:\n%s", caveat, stdout)
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), caveat) {
		t.Errorf("report.md lacks %q", caveat)
	}
	var sum struct {
		Tests []struct {
			MinP *float64 `json:"min_p"`
		} `json:"tests"`
	}
	decodeFile(t, filepath.Join(out, "summary.json"), &sum)
	if len(sum.Tests) == 0 || sum.Tests[0].MinP == nil || *sum.Tests[0].MinP != 1 {
		t.Errorf("summary.json tests %+v, want min_p 1", sum.Tests)
	}
}

// TestHelpSubcommands checks that evonas help CMD lists a command's
// subcommands.
func TestHelpSubcommands(t *testing.T) {
	for cmd, sub := range map[string]string{"queue": "serve", "config": "validate"} {
		if out := mustRun(t, "help", cmd); !strings.Contains(out, sub) {
			t.Errorf("evonas help %s does not list %s:\n%s", cmd, sub, out)
		}
	}
}

// budgetYAML is the search of the budget tests: a population of 8 with
// more generations than a small budget lets it run.
const budgetYAML = `data: {name: xor, rows: 200}
search_space: {layers: {min: 1, max: 3}, width: {min: 2, max: 64}}
training: {epochs: 1, patience: 0}
evolution: {population: 8, generations: 20}
`

// TestBudgetOvershoot checks what the budget documentation says: an
// evolution finishes the generation that reaches its budget, so it runs at
// most a population minus one more, and the flag's help says so.
func TestBudgetOvershoot(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "c.yaml", budgetYAML)
	run, _ := evolveInto(t, "--config", cfg, "--budget", "10", "--quiet")
	s := readSummary(t, run)
	if s.Stop != "budget" || s.Evaluations < 10 || s.Evaluations > 10+8-1 {
		t.Errorf("--budget 10, population 8: %d trainings, stopped by %s; want 10 to 17, by the budget", s.Evaluations, s.Stop)
	}
	// The training seed of the best is a string, which JavaScript holds
	// exactly.
	var raw struct {
		Seed any `json:"seed"`
		Best struct {
			Seed any `json:"seed"`
		} `json:"best"`
	}
	decodeFile(t, filepath.Join(run, "summary.json"), &raw)
	if seed, ok := raw.Best.Seed.(string); !ok || seed == "" {
		t.Errorf("summary.json best.seed %#v, want a decimal string", raw.Best.Seed)
	}
	if seed, ok := raw.Seed.(string); !ok || seed != "1" {
		t.Errorf("summary.json seed %#v, want \"1\"", raw.Seed)
	}
	if out := mustRun(t, "evolve", "--help"); !strings.Contains(out, "up to a population more") {
		t.Errorf("evolve --help does not say the budget may be passed")
	}
}

// TestRandomBudgetExact: random search stops at its budget exactly, and
// its --budget help says so instead of evolve's overshoot.
func TestRandomBudgetExact(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "c.yaml", budgetYAML)
	out := filepath.Join(dir, "rnd")
	mustRun(t, "random", "--config", cfg, "--budget", "10", "--out", out, "--quiet")
	if s := readSummary(t, out); s.Stop != "budget" || s.Evaluations != 10 {
		t.Errorf("random --budget 10: %d trainings, stopped by %s; want 10, by the budget", s.Evaluations, s.Stop)
	}
	help := mustRun(t, "random", "--help")
	if strings.Contains(help, "up to a population more") || !strings.Contains(help, "no generation to finish") {
		t.Errorf("random --help describes --budget as evolve's:\n%s", help)
	}
	if !strings.Contains(help, "<config name>-random") {
		t.Errorf("random --help does not give its run directory's default name:\n%s", help)
	}
	if strings.Contains(help, "individuals per island") || !strings.Contains(help, "without a budget, trainings are what evolution would spend") {
		t.Errorf("random --help describes --population as evolve's:\n%s", help)
	}
}

// TestSweepDirectoryNames checks that a sweep's directories have no spaces
// or slashes in their names, and that the sweep resumes and reports from
// them.
func TestSweepDirectoryNames(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "tiny.yaml", tinyConfig)
	out := filepath.Join(dir, "sweep")
	mustRun(t, "sweep", "--config", cfg, "--set", "evolution.population=4,5", "--set", "search_space.activations=relu;relu,tanh",
		"--seeds", "1", "--budget", "4", "--out", out, "--quiet")
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	dirs := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dirs++
		if strings.ContainsAny(e.Name(), " /;'\"") {
			t.Errorf("directory %q", e.Name())
		}
		if _, err := os.Stat(filepath.Join(out, e.Name(), "seed-1", "summary.json")); err != nil {
			t.Errorf("%s: %v", e.Name(), err)
		}
	}
	if dirs != 5 { // 4 variants and random
		t.Errorf("%d directories, want 5", dirs)
	}
	before, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	mustRun(t, "resume", out, "--quiet")
	after, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	// The results, but for the order in which trainings completed.
	type result struct {
		Strategies []struct {
			Name  string `json:"name"`
			Seeds []any  `json:"seeds"`
		} `json:"strategies"`
		Tests []any `json:"tests"`
	}
	var a, b result
	if json.Unmarshal(before, &a) != nil || json.Unmarshal(after, &b) != nil || len(a.Strategies) != 5 || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("the sweep resumed to another result:\n%v\n%v", a, b)
	}
}

// TestTrainCarelessFlags checks an infinite learning rate or weight decay
// (refused as the user's mistake, not reported as a divergence), an empty
// split (said, not printed as an accuracy of 0) and --momentum with Adam,
// which has none (said, not silently ignored).
func TestTrainCarelessFlags(t *testing.T) {
	const note = "evonas: note: --momentum is for --optimizer sgd; adam does not use it\n"
	_, stderr, code := evonas(t, "train", "--data", "iris", "--epochs", "1", "--hidden", "4", "--momentum", "0.5")
	if code != exitOK || stderr != note {
		t.Errorf("--momentum with adam: exit %d, stderr %q; want 0 and %q", code, stderr, note)
	}
	_, stderr, code = evonas(t, "train", "--data", "iris", "--epochs", "1", "--hidden", "4", "--optimizer", "sgd", "--momentum", "0.5")
	if code != exitOK || stderr != "" {
		t.Errorf("--momentum with sgd: exit %d, stderr %q; want 0 and nothing", code, stderr)
	}
	for _, flag := range []string{"--lr", "--l2"} {
		_, stderr, code := evonas(t, "train", "--data", "iris", "--epochs", "1", flag, "Inf")
		if code != exitUsage {
			t.Errorf("%s Inf: exit %d, want 2", flag, code)
		}
		checkOneLine(t, stderr, flag, "finite")
	}
	out := mustRun(t, "train", "--data", "iris", "--epochs", "1", "--hidden", "4", "--split", "0.6,0.4,0")
	if !strings.Contains(out, "no test rows") || strings.Contains(out, "test accuracy") {
		t.Errorf("train with no test rows:\n%s", out)
	}
}

// TestIdentifierColumnNoted checks that train and evolve say when a text
// column is one-hot encoded into nearly an input per row.
func TestIdentifierColumnNoted(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("name,x1,x2,y\n")
	for i := range 200 {
		fmt.Fprintf(&b, "person%d,%g,%g,%d\n", i, float64(i%11)/5-1, float64(i%7)/3-1, i%2)
	}
	data := writeTestFile(t, dir, "people.csv", b.String())
	const note = `evonas: note: ` + "%s" + `: column "name" has 200 distinct values in 200 rows`
	_, stderr, code := evonas(t, "train", "--data", data, "--epochs", "1", "--hidden", "4", "--json")
	if code != exitOK || !strings.Contains(stderr, fmt.Sprintf(note, data)) {
		t.Errorf("train: exit %d, stderr %q; want the note", code, stderr)
	}
	cfg := writeTestFile(t, dir, "tiny.yaml", tinyConfig)
	_, stderr, code = evonas(t, "evolve", "--config", cfg, "--data", data, "--out", filepath.Join(dir, "run"), "--quiet")
	if code != exitOK || !strings.Contains(stderr, fmt.Sprintf(note, data)) {
		t.Errorf("evolve: exit %d, stderr %q; want the note", code, stderr)
	}
}

// TestIgnoreColumns: --ignore (data.ignore) leaves columns out of a
// search and its model, so that predict needs none of them; a name that
// is no column is refused naming the file and the column, exit 2.
func TestIgnoreColumns(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("name,x1,x2,y\n")
	for i := range 200 {
		fmt.Fprintf(&b, "person%d,%g,%g,%d\n", i, float64(i%11)/5-1, float64(i%7)/3-1, i%2)
	}
	data := writeTestFile(t, dir, "people.csv", b.String())
	cfg := writeTestFile(t, dir, "tiny.yaml", tinyConfig)
	run := filepath.Join(dir, "run")
	_, stderr, code := evonas(t, "evolve", "--config", cfg, "--data", data, "--ignore", "name", "--out", run, "--quiet")
	if code != exitOK || strings.Contains(stderr, "distinct values") {
		t.Fatalf("evolve --ignore name: exit %d, stderr %q; want 0 and no note on name", code, stderr)
	}
	if y, err := os.ReadFile(filepath.Join(run, "config.yaml")); err != nil || !strings.Contains(string(y), "ignore:\n        - name") && !strings.Contains(string(y), "ignore: [name]") {
		t.Errorf("config.yaml does not keep the ignored column: %v\n%s", err, y)
	}
	// New rows without the ignored column at all.
	var nb strings.Builder
	nb.WriteString("x1,x2\n")
	for i := range 5 {
		fmt.Fprintf(&nb, "%g,%g\n", float64(i%11)/5-1, float64(i%7)/3-1)
	}
	rows := writeTestFile(t, dir, "new.csv", nb.String())
	if out := mustRun(t, "predict", "--model", filepath.Join(run, "best.json"), "--data", rows); strings.Count(out, "\n") != 6 {
		t.Errorf("predict without the ignored column:\n%s", out)
	}
	_, stderr, code = evonas(t, "evolve", "--config", cfg, "--data", data, "--ignore", "Name", "--out", filepath.Join(dir, "bad"), "--quiet")
	if code != exitUsage {
		t.Errorf("--ignore Name: exit %d, want 2", code)
	}
	checkOneLine(t, stderr, data, `column "Name" to ignore not found`, `did you mean "name"?`)
	if _, err := os.Stat(filepath.Join(dir, "bad")); err == nil {
		t.Error("a refused run left its directory")
	}
}

// TestOutDirectoryKeepsFiles checks that a search or a comparison refuses
// an existing directory that holds a file it would write (--out . in a
// directory with a config.yaml), leaving the file as it was.
func TestOutDirectoryKeepsFiles(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "tiny.yaml", tinyConfig)
	for _, tc := range []struct {
		args []string
		file string
	}{
		{[]string{"evolve"}, "config.yaml"},
		{[]string{"random", "--evaluations", "4"}, "summary.json"},
		{[]string{"compare", "--seeds", "1", "--budget", "4"}, "report.md"},
		{[]string{"compare", "--seeds", "1", "--budget", "4"}, "random"},
	} {
		out := filepath.Join(dir, tc.args[0]+"-"+tc.file)
		if err := os.Mkdir(out, 0o755); err != nil {
			t.Fatal(err)
		}
		mine := writeTestFile(t, out, tc.file, "mine")
		if tc.file == "random" {
			os.Remove(mine)
			os.Mkdir(mine, 0o755)
		}
		stdout, stderr, code := evonas(t, append(tc.args, "--config", cfg, "--out", out, "--quiet")...)
		if code != exitUsage || stdout != "" {
			t.Errorf("%v into a directory with %s: exit %d, want 2", tc.args, tc.file, code)
		}
		checkOneLine(t, stderr, out, "already holds "+tc.file)
		if b, err := os.ReadFile(mine); tc.file != "random" && (err != nil || string(b) != "mine") {
			t.Errorf("%s was overwritten", tc.file)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 1 {
			t.Errorf("%v: the directory holds %d entries, want only %s", tc.args, len(entries), tc.file)
		}
	}
}

// TestWrongDirectory checks resume on a file of a run: one line saying what
// was given, exit 2. (report on a single run draws its plots:
// TestReportSearch.)
func TestWrongDirectory(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "tiny.yaml", tinyConfig)
	run, _ := evolveInto(t, "--config", cfg, "--quiet")
	for _, tc := range []struct {
		args  []string
		facts []string
	}{
		{[]string{"resume", filepath.Join(run, "evaluations.jsonl")}, []string{"is a file, not a run directory", "the directory is " + run}},
	} {
		stdout, stderr, code := evonas(t, tc.args...)
		if code != exitUsage || stdout != "" {
			t.Errorf("%v: exit %d, want 2", tc.args, code)
		}
		checkOneLine(t, stderr, tc.facts...)
	}
}

// TestNoScoreNoZero checks that a search with no test rows, and a failed
// candidate, show a dash in the table and no score in summary.json, not 0.
func TestNoScoreNoZero(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "tiny.yaml", tinyConfig)
	run := filepath.Join(dir, "run")
	stdout := mustRun(t, "evolve", "--config", cfg, "--split", "0.8,0.2,0", "--out", run, "--quiet")
	lines := strings.Split(stdout, "\n")
	if len(lines) < 3 || !strings.Contains(lines[2], " - ") || strings.Contains(stdout, "0.0000 ") {
		t.Errorf("no test rows, yet the table shows a test score:\n%s", stdout)
	}
	var raw struct {
		Best map[string]any `json:"best"`
	}
	decodeFile(t, filepath.Join(run, "summary.json"), &raw)
	if _, ok := raw.Best["test_acc"]; ok || raw.Best["val_acc"] == nil {
		t.Errorf("summary.json best %v: want a val_acc and no test_acc", raw.Best)
	}
}

// TestUnknownFlagEverywhere checks that an unknown flag is a usage error,
// exit status 2, in every command and subcommand.
func TestUnknownFlagEverywhere(t *testing.T) {
	var walk func(path []string, cmds []*cli.Command)
	walk = func(path []string, cmds []*cli.Command) {
		for _, c := range cmds {
			p := append(append([]string(nil), path...), c.Name)
			if len(c.Subcommands) > 0 {
				walk(p, c.Subcommands)
				continue
			}
			_, stderr, code := evonas(t, append(p, "--no-such-flag")...)
			if code != exitUsage || !strings.Contains(stderr, "no-such-flag") {
				t.Errorf("evonas %s --no-such-flag: exit %d, %q; want exit 2 naming the flag", strings.Join(p, " "), code, stderr)
			}
		}
	}
	walk(nil, newApp(io.Discard, io.Discard).Commands)
}

// TestHelpAnywhere: --help (or -h) shows a command's help wherever it is
// on the line, before or after an argument or another flag, for every
// command. With an argument it printed nothing and exited 0 (urfave/cli
// took the argument for a subcommand to describe).
func TestHelpAnywhere(t *testing.T) {
	var walk func(path []string, cmds []*cli.Command)
	walk = func(path []string, cmds []*cli.Command) {
		for _, c := range cmds {
			p := append(append([]string(nil), path...), c.Name)
			if len(c.Subcommands) > 0 {
				walk(p, c.Subcommands)
				continue
			}
			for _, args := range [][]string{
				append(slices.Clone(p), "ARG", "--help"),
				append(slices.Clone(p), "--help", "ARG"),
				append(slices.Clone(p), "ARG", "-h"),
			} {
				stdout, stderr, code := evonas(t, args...)
				if code != exitOK || stderr != "" || !strings.Contains(stdout, "evonas "+strings.Join(p, " ")+" - ") {
					t.Errorf("evonas %s: exit %d, stderr %q, stdout %q; want exit 0 and the command's help", strings.Join(args, " "), code, stderr, stdout)
				}
			}
		}
	}
	walk(nil, newApp(io.Discard, io.Discard).Commands)
}

// TestUnknownCommand: a command or subcommand that does not exist, given
// directly or to help, is a usage error naming it, with the closest name.
// `evonas table simluate`, `evonas help evlove` and `evonas config help shw`
// printed nothing and exited 0.
func TestUnknownCommand(t *testing.T) {
	tests := []struct {
		args  []string
		facts []string
	}{
		{[]string{"evlove"}, []string{`unknown command "evlove"`, "did you mean evolve?"}},
		{[]string{"help", "evlove"}, []string{`unknown command "evlove"`, "did you mean evolve?"}},
		{[]string{"help", "zzz"}, []string{`unknown command "zzz"`, "evonas help"}},
		{[]string{"table", "simluate"}, []string{`table: unknown command "simluate"`, "did you mean simulate?"}},
		{[]string{"table", "simluate", "digits_mlp"}, []string{`table: unknown command "simluate"`}},
		{[]string{"help", "table", "simluate"}, []string{`table: unknown command "simluate"`}},
		{[]string{"table", "help", "simluate"}, []string{`table: unknown command "simluate"`}},
		{[]string{"config", "help", "shw"}, []string{`config: unknown`, `"shw"`, "did you mean show?"}},
		{[]string{"config", "shw"}, []string{`config: unknown`, `"shw"`, "did you mean show?"}},
		{[]string{"queue", "stauts"}, []string{`queue: unknown command "stauts"`, "did you mean status?"}},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			stdout, stderr, code := evonas(t, tc.args...)
			if code != exitUsage || stdout != "" {
				t.Errorf("exit %d, stdout %q; want exit 2 and no output", code, stdout)
			}
			checkOneLine(t, stderr, append([]string{"evonas: "}, tc.facts...)...)
		})
	}
}

// TestFlagParseErrors: a flag that does not exist, or a value that is not
// of the flag's kind, is one line naming the flag as it is typed (--name,
// not Go's -name) and what it wants; a misspelt flag names the closest.
// They were Go's flag package's messages: `flag provided but not defined:
// -popluation`, `invalid value "1e300" for flag -population: parse error`.
func TestFlagParseErrors(t *testing.T) {
	tests := []struct {
		args  []string
		facts []string
	}{
		{[]string{"evolve", "--popluation", "4"}, []string{`evolve: unknown flag --popluation (did you mean --population?)`}},
		{[]string{"train", "--epoch=3"}, []string{`train: unknown flag --epoch (did you mean --epochs?)`}},
		{[]string{"resume", "DIR", "--quite"}, []string{`resume: unknown flag --quite (did you mean --quiet?)`}},
		{[]string{"config", "init", "--forse"}, []string{`config init: unknown flag --forse (did you mean --force?)`}},
		{[]string{"evolve", "--no-such-flag"}, []string{`evolve: unknown flag --no-such-flag (evonas evolve --help lists them)`}},
		{[]string{"evolve", "-Q"}, []string{`evolve: unknown flag -Q`}},
		{[]string{"--verison"}, []string{`unknown flag --verison (did you mean --version?)`}},
		{[]string{"evolve", "--population", "1e300"}, []string{`--population: "1e300" is not a whole number`}},
		{[]string{"evolve", "--population", "9223372036854775808"}, []string{`--population: 9223372036854775808 is out of range`}},
		{[]string{"evolve", "--population", ""}, []string{`--population: "" is not a whole number`}},
		{[]string{"evolve", "--population", "3,"}, []string{`--population: "3," is not a whole number`}},
		{[]string{"train", "--lr", "0.1,"}, []string{`--lr: "0.1," is not a number`}},
		{[]string{"train", "--lr", " "}, []string{`--lr: " " is not a number`}},
		{[]string{"train", "--seed", "-1"}, []string{`--seed: "-1" is not a whole number from 0 to 18446744073709551615`}},
		{[]string{"evolve", "--seed", "18446744073709551616"}, []string{`--seed: 18446744073709551616 is out of range`}},
		{[]string{"evolve", "--ack-wait", "5"}, []string{`--ack-wait: "5" is not a duration, such as 30s, 5m or 1h`}},
		{[]string{"evolve", "--json=maybe"}, []string{`--json: "maybe" is not true or false`}},
		{[]string{"evolve", "--population"}, []string{`--population needs a value`}},
		{[]string{"ui", "--listen"}, []string{`--listen needs a value`}},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			stdout, stderr, code := evonas(t, tc.args...)
			if code != exitUsage || stdout != "" {
				t.Errorf("exit %d, stdout %q; want exit 2 and no output", code, stdout)
			}
			checkOneLine(t, stderr, append([]string{"evonas: "}, tc.facts...)...)
		})
	}
}

// TestUIListen: an address --listen cannot mean is a usage error naming
// the flag (exit 2); an address in use is a failure (exit 1).
func TestUIListen(t *testing.T) {
	dir := t.TempDir()
	for _, addr := range []string{"bogus", "127.0.0.1:99999", "127.0.0.1:-1", ""} {
		t.Run(addr, func(t *testing.T) {
			stdout, stderr, code := evonas(t, "ui", "--dir", dir, "--listen", addr)
			if code != exitUsage || stdout != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2", code, stdout, stderr)
			}
			checkOneLine(t, stderr, "--listen", addr)
		})
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if _, stderr, code := evonas(t, "ui", "--dir", dir, "--listen", ln.Addr().String()); code != exitFailure {
		t.Errorf("an address in use: exit %d (%s), want 1", code, stderr)
	}
}

// TestServeListen: queue serve names --listen in the error of a bad
// address, as ui does, with exit status 2.
func TestServeListen(t *testing.T) {
	for _, addr := range []string{"bogus", "127.0.0.1:99999"} {
		stdout, stderr, code := evonas(t, "queue", "serve", "--listen", addr)
		if code != exitUsage || stdout != "" {
			t.Fatalf("%s: exit %d, stdout %q, stderr %q; want exit 2", addr, code, stdout, stderr)
		}
		checkOneLine(t, stderr, "--listen: ", addr)
	}
}

// TestConfigErrorNamesFlag: a config error caused by a flag names that
// flag, whichever it is; one about a key no flag set names every flag set.
func TestConfigErrorNamesFlag(t *testing.T) {
	for _, tc := range []struct {
		args      []string
		want, not string
	}{
		{[]string{"--data", "iris", "--task", "foo"}, "(from --task foo)", "--data"},
		{[]string{"--data", "iris", "--missing", "foo"}, "(from --missing foo)", "--data"},
		{[]string{"--data", "iris", "--split", "0.5,0.5,0.5"}, "(from --split 0.5,0.5,0.5)", "--data"},
		{[]string{"--data", "iris", "--split", "0.5,-0.5,1"}, "(from --split 0.5,-0.5,1)", "--data"},
		{[]string{"--data", "iris", "--max-memory-mb", "-3"}, "(from --max-memory-mb -3)", "--data"},
		{[]string{"--data", "iris", "--population", "1"}, "(from --population 1)", "--data"},
		{[]string{"--data", "iris", "--population", "1000000000"}, "evolution.population: must be <= 100000, got 1000000000 (from --population 1000000000)", "--data"},
		{[]string{"--data", "iris", "--max-memory-mb", maxInt}, "(from --max-memory-mb " + maxInt + ")", "--data"},
		{[]string{"--config", "regularized", "--population", "3", "--data", "iris", "--missing", "drop"}, "(with --data iris, --population 3, --missing drop)", "from"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "run")
			stdout, stderr, code := evonas(t, append(append([]string{"evolve"}, tc.args...), "--out", out, "--quiet")...)
			if code != exitUsage || stdout != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2", code, stdout, stderr)
			}
			checkOneLine(t, stderr, tc.want)
			if strings.Contains(strings.TrimSuffix(stderr, tc.want+"\n"), tc.not) {
				t.Errorf("stderr %q names %s, which did not cause the error", stderr, tc.not)
			}
		})
	}
}

// TestNoSuchData: a --data that is neither a file nor a built-in data set
// gets the same one-line error, exit 2, in every command that reads data.
func TestNoSuchData(t *testing.T) {
	dir := t.TempDir()
	modelPath := filepath.Join(dir, "m.json")
	mustRun(t, "train", "--data", "iris", "--hidden", "4", "--epochs", "1", "--out", modelPath)
	missing := filepath.Join(dir, "nosuch.csv")
	for _, args := range [][]string{
		{"train", "--data", missing},
		{"evolve", "--data", missing, "--out", filepath.Join(dir, "run")},
		{"predict", "--model", modelPath, "--data", missing},
	} {
		t.Run(args[0], func(t *testing.T) {
			stdout, stderr, code := evonas(t, args...)
			if code != exitUsage || stdout != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2", code, stdout, stderr)
			}
			checkOneLine(t, stderr, missing, "no such file, and no built-in data set of that name")
		})
	}
}
