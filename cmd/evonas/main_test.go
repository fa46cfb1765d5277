package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/evonas/evonas/dataset"
)

// evonas runs the command line in-process and returns its output and exit
// status.
func evonas(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = runMain(context.Background(), append([]string{"evonas"}, args...), &out, &errOut)
	return out.String(), errOut.String(), code
}

// mustRun runs the command line and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	stdout, stderr, code := evonas(t, args...)
	if code != exitOK {
		t.Fatalf("evonas %s: exit %d, want 0; stderr: %s", strings.Join(args, " "), code, stderr)
	}
	return stdout
}

// decodeOne decodes stdout as exactly one JSON object.
func decodeOne(t *testing.T, stdout string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(stdout))
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		t.Fatalf("stdout is not a JSON object: %v\n%s", err, stdout)
	}
	var extra any
	if err := dec.Decode(&extra); err != io.EOF {
		t.Fatalf("stdout holds more than one JSON value (err %v):\n%s", err, stdout)
	}
	if n := strings.Count(stdout, "\n"); n != 1 {
		t.Errorf("stdout has %d lines, want 1", n)
	}
	return obj
}

// writeTestFile writes text to name in dir and returns its path.
func writeTestFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// linearCSV returns 200 rows of y = 2*x1 - x2 + noise.
func linearCSV() string {
	rng := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	b.WriteString("x1,x2,y\n")
	for range 200 {
		x1, x2 := 2*rng.Float64()-1, 2*rng.Float64()-1
		y := 2*x1 - x2 + 0.05*rng.NormFloat64()
		fmt.Fprintf(&b, "%g,%g,%g\n", x1, x2, y)
	}
	return b.String()
}

// tableCSV writes the columns of t named in cols, in that order, as CSV.
func tableCSV(t *testing.T, tab *dataset.Table, cols ...string) string {
	t.Helper()
	byName := map[string]dataset.Column{}
	for _, c := range tab.Columns {
		byName[c.Name] = c
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(cols); err != nil {
		t.Fatal(err)
	}
	row := make([]string, len(cols))
	for i := range tab.Rows() {
		for j, name := range cols {
			c, ok := byName[name]
			if !ok {
				t.Fatalf("no column %q in %s", name, tab.Source)
			}
			if c.Str != nil {
				row[j] = c.Str[i]
			} else {
				row[j] = strconv.FormatFloat(c.Num[i], 'g', -1, 64)
			}
		}
		if err := w.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var irisColumns = []string{"sepal_length", "sepal_width", "petal_length", "petal_width", "target"}

// irisTable returns the built-in iris table.
func irisTable(t *testing.T) *dataset.Table {
	t.Helper()
	tab, err := dataset.LoadTable("iris", dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestTrainJSON(t *testing.T) {
	dir := t.TempDir()
	regCSV := writeTestFile(t, dir, "linear.csv", linearCSV())
	common := []string{"params", "epochs_run", "train_s", "samples_per_s", "val_loss"}
	tests := []struct {
		name     string
		args     []string
		task     string
		keys     []string // besides common
		absent   []string // keys of the other kind of task
		atLeast  map[string]float64
		epochs   float64
		wantData string
	}{
		{
			name:     "binary",
			args:     []string{"--data", "xor", "--hidden", "16", "--epochs", "30", "--lr", "0.01"},
			task:     "binary",
			keys:     []string{"val_acc", "test_acc"},
			absent:   []string{"val_r2", "test_r2", "val_rmse", "test_rmse"},
			atLeast:  map[string]float64{"val_acc": 0.85, "test_acc": 0.85},
			epochs:   30,
			wantData: "xor",
		},
		{
			name:     "multiclass",
			args:     []string{"--data", "iris", "--hidden", "16", "--epochs", "60", "--lr", "0.01"},
			task:     "multiclass",
			keys:     []string{"val_acc", "test_acc"},
			absent:   []string{"val_r2", "test_r2", "val_rmse", "test_rmse"},
			atLeast:  map[string]float64{"val_acc": 0.85, "test_acc": 0.85},
			epochs:   60,
			wantData: "iris",
		},
		{
			name:     "regression",
			args:     []string{"--data", regCSV, "--hidden", "16", "--epochs", "100", "--lr", "0.01"},
			task:     "regression",
			keys:     []string{"val_r2", "test_r2", "val_rmse", "test_rmse"},
			absent:   []string{"val_acc", "test_acc"},
			atLeast:  map[string]float64{"val_r2": 0.8, "test_r2": 0.8},
			epochs:   100,
			wantData: "linear",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := evonas(t, append([]string{"train", "--json"}, tc.args...)...)
			if code != exitOK {
				t.Fatalf("exit %d, want 0; stderr: %s", code, stderr)
			}
			if stderr != "" {
				t.Errorf("stderr = %q, want empty", stderr)
			}
			obj := decodeOne(t, stdout)
			if got := obj["task"]; got != tc.task {
				t.Errorf("task = %v, want %s", got, tc.task)
			}
			if got, _ := obj["data"].(string); !strings.Contains(got, tc.wantData) {
				t.Errorf("data = %q, want it to name %s", got, tc.wantData)
			}
			for _, k := range append(append([]string(nil), common...), tc.keys...) {
				v, ok := obj[k].(float64)
				switch {
				case !ok:
					t.Errorf("%s = %#v, want a number", k, obj[k])
				case math.IsNaN(v) || math.IsInf(v, 0):
					t.Errorf("%s = %v, want a finite number", k, v)
				}
			}
			for _, k := range tc.absent {
				if v, ok := obj[k]; ok {
					t.Errorf("%s = %v present in a %s report", k, v, tc.task)
				}
			}
			if got := obj["epochs_run"]; got != tc.epochs {
				t.Errorf("epochs_run = %v, want %v", got, tc.epochs)
			}
			if got, _ := obj["params"].(float64); got <= 0 {
				t.Errorf("params = %v, want > 0", got)
			}
			for _, k := range []string{"train_s", "samples_per_s"} {
				if got, _ := obj[k].(float64); got <= 0 {
					t.Errorf("%s = %v, want > 0", k, got)
				}
			}
			for k, min := range tc.atLeast {
				if got, _ := obj[k].(float64); !(got >= min) {
					t.Errorf("%s = %v, want >= %v", k, got, min)
				}
			}
		})
	}
}

func TestTrainJSONReproducible(t *testing.T) {
	timing := []string{"train_s", "step_s", "samples_per_s"}
	train := func(seed string) map[string]any {
		t.Helper()
		obj := decodeOne(t, mustRun(t, "train", "--json", "--data", "moons", "--hidden", "8,8", "--dropout", "0.1", "--epochs", "5", "--seed", seed))
		for _, k := range timing {
			if _, ok := obj[k]; !ok {
				t.Errorf("seed %s: no %s in the report", seed, k)
			}
			delete(obj, k)
		}
		return obj
	}
	a, b := train("7"), train("7")
	if !reflect.DeepEqual(a, b) {
		t.Errorf("same seed, different reports:\n%v\n%v", a, b)
	}
	// A different seed must show up, or the comparison above proves nothing.
	if c := train("8"); reflect.DeepEqual(a, c) {
		t.Errorf("seeds 7 and 8 gave the same report: %v", a)
	}
}

// readPredictions parses predict's CSV output.
func readPredictions(t *testing.T, text string) (header []string, rows [][]string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatalf("predictions are not CSV: %v\n%s", err, text)
	}
	if len(recs) == 0 {
		t.Fatal("no predictions output")
	}
	return recs[0], recs[1:]
}

func TestTrainPredict(t *testing.T) {
	dir := t.TempDir()
	modelPath := filepath.Join(dir, "m.json")
	mustRun(t, "train", "--data", "iris", "--hidden", "16", "--epochs", "100", "--lr", "0.01", "--out", modelPath)

	tab := irisTable(t)
	dataPath := writeTestFile(t, dir, "iris.csv", tableCSV(t, tab, irisColumns...))
	stdout := mustRun(t, "predict", "--model", modelPath, "--data", dataPath)

	header, rows := readPredictions(t, stdout)
	wantHeader := []string{"prediction", "p_setosa", "p_versicolor", "p_virginica"}
	if !reflect.DeepEqual(header, wantHeader) {
		t.Errorf("header = %q, want %q", header, wantHeader)
	}
	if got, want := len(rows), tab.Rows(); got != want {
		t.Fatalf("%d prediction rows, want %d (one per input row)", got, want)
	}
	var target []string
	for _, c := range tab.Columns {
		if c.Name == "target" {
			target = c.Str
		}
	}
	right := 0
	for i, row := range rows {
		if len(row) != len(wantHeader) {
			t.Fatalf("row %d = %q, want %d fields", i+1, row, len(wantHeader))
		}
		sum, best, bestP := 0.0, "", -1.0
		for j, f := range row[1:] {
			p, err := strconv.ParseFloat(f, 64)
			if err != nil || p < 0 || p > 1 {
				t.Fatalf("row %d: probability %q is not in [0, 1]", i+1, f)
			}
			sum += p
			if p > bestP {
				best, bestP = strings.TrimPrefix(wantHeader[1+j], "p_"), p
			}
		}
		// predict prints 6 significant digits, so each probability below 1
		// is off by at most 5e-7.
		if tol := 5e-7 * float64(len(row)-1); math.Abs(sum-1) > tol {
			t.Errorf("row %d: probabilities %q sum to %v, want 1", i+1, row[1:], sum)
		}
		if row[0] != best {
			t.Errorf("row %d: prediction %q, but the most probable class is %q", i+1, row[0], best)
		}
		if row[0] == target[i] {
			right++
		}
	}
	if acc := float64(right) / float64(len(rows)); acc <= 0.9 {
		t.Errorf("accuracy on the training CSV = %.3f, want > 0.9", acc)
	}

	t.Run("columns matched by name", func(t *testing.T) {
		reordered := writeTestFile(t, dir, "reordered.csv", tableCSV(t, tab, "target", "petal_width", "sepal_length", "petal_length", "sepal_width"))
		if got := mustRun(t, "predict", "--model", modelPath, "--data", reordered); got != stdout {
			t.Errorf("reordered columns changed the predictions:\n%s\nwant:\n%s", got, stdout)
		}
		// The target is not needed to predict.
		noTarget := writeTestFile(t, dir, "notarget.csv", tableCSV(t, tab, "petal_width", "petal_length", "sepal_width", "sepal_length"))
		if got := mustRun(t, "predict", "--model", modelPath, "--data", noTarget); got != stdout {
			t.Errorf("dropping the target column changed the predictions")
		}
	})

	t.Run("missing column", func(t *testing.T) {
		missing := writeTestFile(t, dir, "missing.csv", tableCSV(t, tab, "sepal_length", "sepal_width", "petal_length", "target"))
		stdout, stderr, code := evonas(t, "predict", "--model", modelPath, "--data", missing)
		if code != exitUsage {
			t.Errorf("exit %d, want %d", code, exitUsage)
		}
		if stdout != "" {
			t.Errorf("stdout = %q, want empty", stdout)
		}
		checkOneLine(t, stderr, "petal_width", "missing.csv")
	})

	t.Run("out file", func(t *testing.T) {
		out := filepath.Join(dir, "preds.csv")
		// With --out, stdout holds only the score (iris.csv has the target).
		if got := mustRun(t, "predict", "--model", modelPath, "--data", dataPath, "--out", out); !strings.HasPrefix(got, "score against target: accuracy ") || strings.Count(got, "\n") != 1 {
			t.Errorf("stdout = %q, want one score line with --out", got)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != stdout {
			t.Errorf("%s differs from the predictions on stdout", out)
		}
		checkNoTemp(t, dir)
	})
}

func TestPredictRegression(t *testing.T) {
	dir := t.TempDir()
	modelPath := filepath.Join(dir, "m.json")
	data := writeTestFile(t, dir, "linear.csv", linearCSV())
	mustRun(t, "train", "--data", data, "--hidden", "16", "--epochs", "100", "--lr", "0.01", "--out", modelPath)
	header, rows := readPredictions(t, mustRun(t, "predict", "--model", modelPath, "--data", data))
	if want := []string{"prediction"}; !reflect.DeepEqual(header, want) {
		t.Errorf("header = %q, want %q", header, want)
	}
	if got, want := len(rows), 200; got != want {
		t.Fatalf("%d prediction rows, want %d", got, want)
	}
	tab, err := dataset.ReadCSV(data)
	if err != nil {
		t.Fatal(err)
	}
	y := tab.Columns[2].Num
	var sse float64
	for i, row := range rows {
		v, err := strconv.ParseFloat(row[0], 64)
		if err != nil {
			t.Fatalf("row %d: prediction %q is not a number", i+1, row[0])
		}
		sse += (v - y[i]) * (v - y[i])
	}
	// y ranges over about [-3, 3]: an RMSE of 0.3 means the predictions
	// are in the target's units, not standardized ones.
	if rmse := math.Sqrt(sse / float64(len(rows))); rmse > 0.3 {
		t.Errorf("RMSE of the predictions = %.3f, want <= 0.3", rmse)
	}
}

// checkOneLine checks that stderr is one line that mentions every fact.
func checkOneLine(t *testing.T, stderr string, facts ...string) {
	t.Helper()
	if n := strings.Count(stderr, "\n"); n != 1 || !strings.HasSuffix(stderr, "\n") {
		t.Errorf("stderr has %d lines, want exactly one:\n%s", n, stderr)
	}
	for _, f := range facts {
		if !strings.Contains(stderr, f) {
			t.Errorf("stderr %q does not mention %q", strings.TrimSpace(stderr), f)
		}
	}
}

// checkNoTemp fails if dir holds a leftover temporary file.
func checkNoTemp(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file %s left in %s", e.Name(), dir)
		}
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	iris := writeTestFile(t, dir, "iris.csv", tableCSV(t, irisTable(t), irisColumns...))
	ragged := writeTestFile(t, dir, "ragged.csv", "a,b,y\n1,2,0\n3,4,1\n5,6\n7,8,0\n")

	good := filepath.Join(dir, "good.json")
	mustRun(t, "train", "--data", "iris", "--hidden", "4", "--epochs", "1", "--out", good)
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	truncated := writeTestFile(t, dir, "truncated.json", string(b[:len(b)/2]))
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m["version"] = 2
	v2, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	version2 := writeTestFile(t, dir, "version2.json", string(v2))
	notJSON := writeTestFile(t, dir, "notjson.json", "format: evonas-model\n")

	tests := []struct {
		name  string
		args  []string
		code  int
		facts []string // the message must mention each
	}{
		{"unknown flag", []string{"train", "--bogus"}, exitUsage, []string{"bogus"}},
		{"unknown global flag", []string{"--bogus"}, exitUsage, []string{"bogus"}},
		{"unknown command", []string{"frobnicate"}, exitUsage, []string{"frobnicate"}},
		{"unexpected argument", []string{"train", "extra"}, exitUsage, []string{"extra"}},
		{"hidden not a number", []string{"train", "--data", "xor", "--hidden", "8,x"}, exitUsage, []string{"--hidden", "x"}},
		{"hidden zero units", []string{"train", "--data", "xor", "--hidden", "8,0"}, exitUsage, []string{"--hidden", "layer 2"}},
		{"bad activation", []string{"train", "--data", "xor", "--activation", "swish"}, exitUsage, []string{"--activation", "swish"}},
		{"activation count", []string{"train", "--data", "xor", "--hidden", "4,4,4", "--activation", "relu,tanh"}, exitUsage, []string{"--activation"}},
		{"zero epochs", []string{"train", "--data", "xor", "--epochs", "0"}, exitUsage, []string{"--epochs"}},
		{"unknown optimizer", []string{"train", "--data", "xor", "--optimizer", "rmsprop"}, exitUsage, []string{"--optimizer", "rmsprop"}},
		{"unknown precision", []string{"train", "--data", "xor", "--precision", "float16"}, exitUsage, []string{"--precision", "float16"}},
		{"split of two", []string{"train", "--data", "xor", "--split", "0.8,0.2"}, exitUsage, []string{"--split"}},
		{"split not numbers", []string{"train", "--data", "xor", "--split", "a,b,c"}, exitUsage, []string{"--split"}},
		{"split not summing to 1", []string{"train", "--data", "xor", "--split", "0.5,0.5,0.5"}, exitUsage, []string{"split"}},
		{"missing data file", []string{"train", "--data", filepath.Join(dir, "nosuch.csv")}, exitUsage, []string{"nosuch.csv"}},
		{"ragged row", []string{"train", "--data", ragged}, exitUsage, []string{"ragged.csv", ":4"}},
		{"unknown target", []string{"train", "--data", iris, "--target", "species"}, exitUsage, []string{"species"}},
		{"diverged", []string{"train", "--data", "xor", "--lr", "1000", "--epochs", "5"}, exitFailure, []string{"diverged"}},
		{"truncated model", []string{"predict", "--model", truncated, "--data", iris}, exitUsage, []string{"truncated.json"}},
		{"model version 2", []string{"predict", "--model", version2, "--data", iris}, exitUsage, []string{"version2.json", "version 2"}},
		{"model not JSON", []string{"predict", "--model", notJSON, "--data", iris}, exitUsage, []string{"notjson.json"}},
		{"missing model", []string{"predict", "--model", filepath.Join(dir, "nosuch.json"), "--data", iris}, exitUsage, []string{"nosuch.json"}},
		{"missing predict data", []string{"predict", "--model", good, "--data", filepath.Join(dir, "nosuch.csv")}, exitUsage, []string{"nosuch.csv"}},
		{"ragged predict data", []string{"predict", "--model", good, "--data", ragged}, exitUsage, []string{"ragged.csv", ":4"}},
		{"predict without --model", []string{"predict", "--data", iris}, exitUsage, []string{"--model"}},
		{"predict without --data", []string{"predict", "--model", good}, exitUsage, []string{"--data"}},
		{"train --out a directory", []string{"train", "--data", "xor", "--out", dir}, exitUsage, []string{"is a directory"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := evonas(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want empty (no usage dump)", stdout)
			}
			checkOneLine(t, stderr, tc.facts...)
		})
	}
}

func TestOutMissingDirectory(t *testing.T) {
	dir := t.TempDir()
	iris := writeTestFile(t, dir, "iris.csv", tableCSV(t, irisTable(t), irisColumns...))
	model := filepath.Join(dir, "m.json")
	mustRun(t, "train", "--data", "iris", "--hidden", "4", "--epochs", "1", "--out", model)

	tests := []struct {
		name string
		args func(out string) []string
	}{
		{"train", func(out string) []string {
			return []string{"train", "--data", "iris", "--hidden", "4", "--epochs", "1", "--out", out}
		}},
		{"predict", func(out string) []string {
			return []string{"predict", "--model", model, "--data", iris, "--out", out}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			missing := filepath.Join(root, "nodir")
			out := filepath.Join(missing, "out.file")
			stdout, stderr, code := evonas(t, tc.args(out)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want empty", stdout)
			}
			checkOneLine(t, stderr, "nodir")
			ents, err := os.ReadDir(root)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range ents {
				t.Errorf("%s created in %s by a failed command", e.Name(), root)
			}
		})
	}
}

func TestDatasets(t *testing.T) {
	stdout := mustRun(t, "datasets")
	listed := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n")[1:] {
		if f := strings.Fields(line); len(f) > 0 {
			listed[f[0]] = true
		}
	}
	for _, name := range []string{"seed-sum", "xor", "spirals", "moons", "circles", "iris", "breast_cancer", "digits", "mnist10k", "letter", "satellite"} {
		if !listed[name] {
			t.Errorf("datasets does not list %s:\n%s", name, stdout)
		}
	}
}

// tinyConfig is a random search of a fraction of a millisecond per
// evaluation: one epoch of a net of at most 2 layers of 8 units on 200
// rows of xor.
const tinyConfig = `
data: {name: xor, rows: 200}
search_space:
  layers: {min: 1, max: 2}
  width: {min: 2, max: 8}
training: {epochs: 1, patience: 0}
evolution: {population: 4, generations: 1}
workers: 2
`

// TestOutQuoted: the commands a run prints quote a run directory whose
// name a shell would split, and a blank --out is refused.
func TestOutQuoted(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "my run")
	stdout := mustRun(t, "evolve", "--data", "iris", "--population", "4", "--generations", "1", "--quiet", "--out", dir)
	want := "evonas predict --model '" + filepath.Join(dir, "best.json") + "' --data"
	if !strings.Contains(stdout, want) {
		t.Errorf("stdout does not hold %q:\n%s", want, stdout)
	}
	_, stderr, code := evonas(t, "evolve", "--data", "iris", "--population", "4", "--generations", "1", "--quiet", "--out", dir)
	if code != exitUsage || !strings.Contains(stderr, "evonas resume '"+dir+"'") {
		t.Errorf("exit %d, stderr %q: want %d and the resume command quoted", code, stderr, exitUsage)
	}

	blank := filepath.Join(root, "blank")
	if err := os.Mkdir(blank, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(blank)
	_, stderr, code = evonas(t, "evolve", "--data", "iris", "--population", "4", "--generations", "1", "--quiet", "--out", " ")
	if code != exitUsage {
		t.Errorf("--out \" \": exit %d, want %d", code, exitUsage)
	}
	checkOneLine(t, stderr, "blank")
	if ents, _ := os.ReadDir(blank); len(ents) != 0 {
		t.Errorf("--out \" \" left %d entries behind", len(ents))
	}
}

// maxInt is the largest value an int flag takes: 2^63-1 on 64-bit
// systems, 2^31-1 on 32-bit ones, where a larger one is out of range.
var maxInt = strconv.Itoa(math.MaxInt)
