package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// imbalancedCSV writes a binary CSV of 200 rows, 90% "no", in dir: x1
// shifts with the class, so a net can do better than answering "no".
func imbalancedCSV(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("x1,x2,y\n")
	for i := range 200 {
		y, shift := "no", 0.0
		if i%10 == 0 {
			y, shift = "yes", 1.5
		}
		fmt.Fprintf(&b, "%.4f,%.4f,%s\n", shift+float64(i*37%17)/17-0.5, float64(i*53%23)/23, y)
	}
	path := filepath.Join(dir, "imbalanced.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// balancedYAML is a small search of data selecting on balanced accuracy
// with objective.repeats, whose rows are means.
func balancedYAML(t *testing.T, dir, data, metric string) string {
	t.Helper()
	path := filepath.Join(dir, metric+".yaml")
	cfg := fmt.Sprintf(`seed: 1
workers: 2
data: {name: %q}
search_space: {layers: {min: 1, max: 1}, width: {min: 4, max: 8}, batch: [16]}
training: {epochs: 2, patience: 0}
objective: {metric: %s, repeats: 2, finalists: 2}
evolution: {population: 4, generations: 1}
`, data, metric)
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// readScores reads the val and test scores and fitness of every record of
// a run's evaluations.jsonl, as raw JSON objects.
func readScores(t *testing.T, run string) []map[string]any {
	t.Helper()
	f, err := os.Open(filepath.Join(run, "evaluations.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// TestBalancedAccuracySearch: on 90/10 data, a search with
// objective.metric: balanced records each training's validation and test
// balanced accuracy and scores it 1 - the validation one, and the table,
// summary.json and best.json show them; a search with the default metric
// records none.
func TestBalancedAccuracySearch(t *testing.T) {
	dir := t.TempDir()
	data := imbalancedCSV(t, dir)
	run := filepath.Join(dir, "balanced")
	stdout := mustRun(t, "evolve", "--config", balancedYAML(t, dir, data, "balanced"), "--out", run, "--quiet")
	if !strings.Contains(stdout, "VAL BAL ACC  TEST BAL ACC") {
		t.Errorf("the result table does not head its columns with balanced accuracy:\n%s", stdout)
	}
	ok := 0
	for _, r := range readScores(t, run) {
		if r["status"] != "ok" {
			continue
		}
		ok++
		val, _ := r["val"].(map[string]any)
		test, _ := r["test"].(map[string]any)
		vb, vok := val["bal_acc"].(float64)
		_, tok := test["bal_acc"].(float64)
		if !vok || !tok {
			t.Fatalf("record without its validation and test balanced accuracy: val %v test %v", val, test)
		}
		if fit, _ := r["fitness"].(float64); math.Abs(fit-(1-vb)) > 1e-12 {
			t.Errorf("fitness %v, want 1 - the validation balanced accuracy %v", fit, vb)
		}
	}
	if ok == 0 {
		t.Fatal("no training succeeded")
	}

	var sum struct {
		Best struct {
			Trainings  int      `json:"trainings"`
			ValBalAcc  *float64 `json:"val_bal_acc"`
			TestBalAcc *float64 `json:"test_bal_acc"`
		} `json:"best"`
	}
	b, err := os.ReadFile(filepath.Join(run, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Best.ValBalAcc == nil || sum.Best.TestBalAcc == nil || sum.Best.Trainings != 2 {
		t.Fatalf("summary.json's best %s: want the mean balanced accuracies of 2 trainings", b)
	}
	// The table's first row shows the summary's best, the means of its
	// trainings.
	want := []string{fmt.Sprintf("%.4f", *sum.Best.ValBalAcc), fmt.Sprintf("%.4f", *sum.Best.TestBalAcc)}
	if lines := strings.Split(stdout, "\n"); len(lines) < 3 || len(strings.Fields(lines[2])) < 8 || !slices.Equal(strings.Fields(lines[2])[6:8], want) {
		t.Errorf("the table's first row does not show the best's balanced accuracies %v:\n%s", want, stdout)
	}
	if b, err := os.ReadFile(filepath.Join(run, "best.json")); err != nil || !strings.Contains(string(b), `"bal_acc"`) {
		t.Errorf("best.json's record has no balanced accuracy (%v)", err)
	}

	plain := filepath.Join(dir, "plain")
	stdout = mustRun(t, "evolve", "--config", balancedYAML(t, dir, data, "metric"), "--out", plain, "--quiet")
	b, err = os.ReadFile(filepath.Join(plain, "evaluations.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "bal_acc") || strings.Contains(stdout, "BAL ACC") {
		t.Errorf("a search on plain accuracy shows or records balanced accuracies:\n%s", stdout)
	}
}

// TestBalancedAccuracyRefused: balanced accuracy needs classification, and
// a comparison judges every strategy by one metric.
func TestBalancedAccuracyRefused(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("x,y\n")
	for i := range 100 {
		fmt.Fprintf(&b, "%g,%g\n", float64(i)/10, float64(i)*0.37+1.1)
	}
	reg := filepath.Join(dir, "reg.csv")
	if err := os.WriteFile(reg, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	run := filepath.Join(dir, "run")
	cfg := balancedYAML(t, dir, reg, "balanced")
	_, stderr, code := evonas(t, "evolve", "--config", cfg, "--out", run)
	if want := `evonas: objective.metric: balanced accuracy needs classification, but ` + reg + ` is a regression (target "y")`; code != exitUsage || !strings.HasPrefix(stderr, want) || strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d, stderr %q; want 2 and one line starting %q", code, stderr, want)
	}
	if _, err := os.Stat(run); err == nil {
		t.Error("a refused search made its run directory")
	}
	// data.task in the file: the file's line.
	task := filepath.Join(dir, "task.yaml")
	if err := os.WriteFile(task, []byte("data: {task: regression}\nobjective: {metric: balanced}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := evonas(t, "config", "validate", task); code != exitUsage || !strings.Contains(stderr, task+":2: objective.metric: balanced accuracy needs classification") {
		t.Errorf("config validate: exit %d, stderr %q; want 2 naming %s:2 and objective.metric", code, stderr, task)
	}

	data := imbalancedCSV(t, dir)
	_, stderr, code = evonas(t, "compare", "--config", balancedYAML(t, dir, data, "balanced"), "--config", balancedYAML(t, dir, data, "loss"),
		"--seeds", "1", "--budget", "4", "--out", filepath.Join(dir, "cmp"))
	if code != exitUsage || !strings.Contains(stderr, "objective.metric: config loss sets loss, config balanced balanced: a comparison judges every strategy by one metric") {
		t.Errorf("compare of mixed metrics: exit %d, stderr %q; want 2 and why", code, stderr)
	}
}

// TestBalancedAccuracyCompare: a comparison of searches that select on
// balanced accuracy judges them by their test balanced accuracy, and says
// so.
func TestBalancedAccuracyCompare(t *testing.T) {
	dir := t.TempDir()
	data := imbalancedCSV(t, dir)
	cmp := filepath.Join(dir, "cmp")
	stdout := mustRun(t, "compare", "--config", balancedYAML(t, dir, data, "balanced"), "--seeds", "2", "--budget", "6", "--out", cmp, "--quiet")
	if !strings.Contains(stdout, "test balanced accuracy") {
		t.Errorf("compare does not say it judges by test balanced accuracy:\n%s", stdout)
	}
	md, err := os.ReadFile(filepath.Join(cmp, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "Metric: balanced accuracy; a run's result is the mean validation and test balanced accuracy") {
		t.Errorf("report.md does not name balanced accuracy as its metric:\n%s", md)
	}
	var sum struct {
		MetricName string `json:"metric_name"`
		Strategies []struct {
			Name  string `json:"name"`
			Seeds []struct {
				Seed     int     `json:"seed"`
				BestTest float64 `json:"best_test"`
				BestKey  string  `json:"best_key"`
			} `json:"seeds"`
		} `json:"strategies"`
	}
	b, err := os.ReadFile(filepath.Join(cmp, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.MetricName != "balanced accuracy" || len(sum.Strategies) != 2 {
		t.Fatalf("summary.json: metric %q, %d strategies; want balanced accuracy, 2", sum.MetricName, len(sum.Strategies))
	}
	// Each run's result is its winner's mean test balanced accuracy over
	// its trainings (objective.repeats), read here from its records.
	runs, err := filepath.Glob(filepath.Join(cmp, "*", "seed-*"))
	if err != nil || len(runs) != 4 {
		t.Fatalf("run directories %v (%v), want 4", runs, err)
	}
	checked := 0
	for _, st := range sum.Strategies {
		for _, s := range st.Seeds {
			run := filepath.Join(cmp, st.Name, fmt.Sprintf("seed-%d", s.Seed))
			mean, n := 0.0, 0
			for _, r := range readScores(t, run) {
				if r["key"] == s.BestKey && r["status"] == "ok" {
					test, _ := r["test"].(map[string]any)
					mean += test["bal_acc"].(float64)
					n++
				}
			}
			if n == 0 || math.Abs(mean/float64(n)-s.BestTest) > 1e-12 {
				t.Errorf("%s seed %d: result %v, want the mean test balanced accuracy %v of its %d trainings of %s", st.Name, s.Seed, s.BestTest, mean/float64(max(n, 1)), n, s.BestKey)
			}
			checked++
		}
	}
	if checked != 4 {
		t.Errorf("checked %d runs, want 4", checked)
	}
}
