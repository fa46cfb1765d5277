package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/evonas/evonas/dataset"
)

// TestPredictBuiltinScoreKeep: predict reads a built-in data set by name,
// passes --keep columns through, and scores against the target column:
// the accuracy it prints is the share of rows whose prediction is the
// target, counted here from its own output.
func TestPredictBuiltinScoreKeep(t *testing.T) {
	dir := t.TempDir()
	modelPath := filepath.Join(dir, "m.json")
	mustRun(t, "train", "--data", "iris", "--hidden", "8", "--epochs", "5", "--out", modelPath)

	stdout, stderr, code := evonas(t, "predict", "--model", modelPath, "--data", "iris", "--keep", "target", "--keep", "petal_width")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	header, rows := readPredictions(t, stdout)
	if want := []string{"target", "petal_width", "prediction", "p_setosa", "p_versicolor", "p_virginica"}; !slices.Equal(header, want) {
		t.Fatalf("header %q, want %q", header, want)
	}
	tab := irisTable(t)
	if len(rows) != tab.Rows() {
		t.Fatalf("%d rows, want %d", len(rows), tab.Rows())
	}
	right := 0
	rowsOf, rightOf := map[string]int{}, map[string]int{}
	for i, r := range rows {
		if r[0] != tab.Columns[4].Str[i] || r[1] != strconv.FormatFloat(tab.Columns[3].Num[i], 'g', -1, 64) {
			t.Fatalf("row %d keeps %q, %q, want iris row %d's target and petal_width", i+1, r[0], r[1], i+1)
		}
		rowsOf[r[0]]++
		if r[0] == r[2] {
			right++
			rightOf[r[0]]++
		}
	}
	// Balanced accuracy: the mean of the three classes' recalls.
	bal := 0.0
	for _, c := range []string{"setosa", "versicolor", "virginica"} {
		bal += float64(rightOf[c]) / float64(rowsOf[c]) / 3
	}
	want := fmt.Sprintf("score against target: accuracy %.4f, balanced accuracy %.4f (%d of 150 rows right)\n", float64(right)/150, bal, right)
	if stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}

	// An ID column is passed through as written.
	ids := writeTestFile(t, dir, "ids.csv", "id,"+strings.Join(irisColumns[:4], ",")+"\n007,5.1,3.5,1.4,0.2\n1.50,6.3,2.5,5.0,1.9\n")
	_, rows = readPredictions(t, mustRun(t, "predict", "--model", modelPath, "--data", ids, "--keep", "id"))
	if len(rows) != 2 || rows[0][0] != "007" || rows[1][0] != "1.50" {
		t.Errorf("kept ids %q, want 007 and 1.50 as written", rows)
	}

	// The same rows from a CSV file without the target: no score.
	noTarget := writeTestFile(t, dir, "x.csv", tableCSV(t, tab, "sepal_length", "sepal_width", "petal_length", "petal_width"))
	if _, stderr, code := evonas(t, "predict", "--model", modelPath, "--data", noTarget); code != exitOK || stderr != "" {
		t.Errorf("without a target: exit %d, stderr %q, want 0 and nothing", code, stderr)
	}

	for _, tc := range []struct {
		name  string
		args  []string
		facts []string
	}{
		{"unknown keep column", []string{"--data", "iris", "--keep", "id"}, []string{"--keep", `"id"`, "sepal_length"}},
		{"unknown data set", []string{"--data", "irsi"}, []string{"irsi", "built-in"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := evonas(t, append([]string{"predict", "--model", modelPath}, tc.args...)...)
			if code != exitUsage || stdout != "" {
				t.Errorf("exit %d, stdout %q; want %d and nothing", code, stdout, exitUsage)
			}
			checkOneLine(t, stderr, tc.facts...)
		})
	}
}

// TestPredictScoreRegression: R² and RMSE as printed match those computed
// here from the printed predictions; rows without a target are counted,
// not scored.
func TestPredictScoreRegression(t *testing.T) {
	dir := t.TempDir()
	modelPath := filepath.Join(dir, "m.json")
	data := writeTestFile(t, dir, "linear.csv", linearCSV())
	mustRun(t, "train", "--data", data, "--hidden", "8", "--epochs", "10", "--lr", "0.01", "--out", modelPath)
	// Blank the target of two rows.
	lines := strings.Split(linearCSV(), "\n")
	for _, i := range []int{5, 9} {
		lines[i] = lines[i][:strings.LastIndexByte(lines[i], ',')+1]
	}
	holed := writeTestFile(t, dir, "holed.csv", strings.Join(lines, "\n"))
	out := filepath.Join(dir, "p.csv")
	stdout := mustRun(t, "predict", "--model", modelPath, "--data", holed, "--out", out)

	tab, err := dataset.ReadCSV(holed)
	if err != nil {
		t.Fatal(err)
	}
	_, rows := readPredictions(t, readFile(t, out))
	var y, yhat []float64
	for i, r := range rows {
		if v := tab.Columns[2].Num[i]; !math.IsNaN(v) {
			p, _ := strconv.ParseFloat(r[0], 64)
			y, yhat = append(y, v), append(yhat, p)
		}
	}
	var mean, sse, sst float64
	for _, v := range y {
		mean += v / float64(len(y))
	}
	for i := range y {
		sse += (y[i] - yhat[i]) * (y[i] - yhat[i])
		sst += (y[i] - mean) * (y[i] - mean)
	}
	want := fmt.Sprintf("score against y: R² %.4f, RMSE %.4g (198 rows; 2 rows without a target not scored)\n", 1-sse/sst, math.Sqrt(sse/float64(len(y))))
	if stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
