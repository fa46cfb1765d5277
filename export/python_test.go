package export

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/network"
)

// python is Debian's interpreter, where python3-torch, python3-onnx and
// python3-opencv install their modules (.ci/run installs them).
const python = "/usr/bin/python3"

// needPython skips t unless python imports every module.
func needPython(t *testing.T, modules ...string) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: no Python")
	}
	cmd := exec.Command(python, "-c", "import "+strings.Join(modules, ", "))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("%s cannot import %s: %v %s", python, strings.Join(modules, ", "), err, lastLine(out))
	}
}

func lastLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	return s[strings.LastIndexByte(s, '\n')+1:]
}

// runPython runs script with args and returns its standard output.
func runPython(t *testing.T, dir, script string, args ...string) []byte {
	t.Helper()
	path := filepath.Join(dir, "driver.py")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, append([]string{path}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "OMP_NUM_THREADS=1", "OPENBLAS_NUM_THREADS=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.String())
	}
	return out
}

// onnxDriver checks each model with onnx.checker (full_check: shapes and
// types inferred through the graph) and runs it in OpenCV's dnn module; it
// prints each model's outputs as JSON.
const onnxDriver = `
import json, sys
import numpy as np
import onnx
import cv2

res = {}
for case in json.load(open(sys.argv[1])):
    m = onnx.load(case["model"])
    onnx.checker.check_model(m, full_check=True)
    x = np.fromfile(case["input"], dtype="<f4").reshape(case["rows"], case["features"])
    net = cv2.dnn.readNetFromONNX(case["model"])
    net.setInput(x)
    y = net.forward(case["output"])
    res[case["name"]] = {"shape": list(y.shape), "values": [float(v) for v in y.reshape(-1)]}
json.dump(res, sys.stdout)
`

// TestONNXPython checks every exported model with onnx.checker and
// OpenCV's ONNX importer, which must reproduce evonas's predictions.
func TestONNXPython(t *testing.T) {
	needPython(t, "numpy", "onnx", "cv2")
	dir := t.TempDir()
	fs := fixtures(t)
	var cases []map[string]any
	for i, f := range fs {
		b, err := ONNX(f.model, "test")
		if err != nil {
			t.Fatal(err)
		}
		l := NewLayout(f.model)
		x, n, err := l.Encode(f.heldOut)
		if err != nil {
			t.Fatal(err)
		}
		raw := make([]byte, 4*len(x))
		for j, v := range x {
			binary.LittleEndian.PutUint32(raw[4*j:], math.Float32bits(v))
		}
		mp, ip := filepath.Join(dir, strconv.Itoa(i)+".onnx"), filepath.Join(dir, strconv.Itoa(i)+".bin")
		if err := os.WriteFile(mp, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(ip, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, map[string]any{"name": f.name, "model": mp, "input": ip, "rows": n, "features": l.Features, "output": l.Output})
	}
	manifest, _ := json.Marshal(cases)
	if err := os.WriteFile(filepath.Join(dir, "cases.json"), manifest, 0o644); err != nil {
		t.Fatal(err)
	}
	var res map[string]struct {
		Shape  []int
		Values []float64
	}
	if err := json.Unmarshal(runPython(t, dir, onnxDriver, "cases.json"), &res); err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		t.Run(f.name, func(t *testing.T) {
			got, ok := res[f.name]
			if !ok {
				t.Fatal("no result")
			}
			want, cols := f.want(t)
			if len(got.Shape) != 2 || got.Shape[1] != cols {
				t.Fatalf("OpenCV output shape %v, want [N %d]", got.Shape, cols)
			}
			f.compare(t, got.Values, want)
		})
	}
}

// torchDriver imports each exported file as a module and prints its
// predict answers for the held-out CSV as JSON.
const torchDriver = `
import contextlib, csv, importlib.util, io, json, sys

manifest = json.load(open(sys.argv[1]))
res = {}
for i, case in enumerate(manifest["cases"]):
    spec = importlib.util.spec_from_file_location("m%d" % i, case["model"])
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    with open(case["csv"], newline="") as f:
        preds = mod.predict(list(csv.DictReader(f)))
    if mod.TASK == "regression":
        res[case["name"]] = {"labels": [], "values": preds}
    else:
        res[case["name"]] = {"labels": [p[0] for p in preds], "values": [v for p in preds for v in p[1]]}
    if case["script"]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            mod.main(["model.py", case["csv"]])
        res[case["name"]]["script"] = out.getvalue()
res["go_text"] = {"labels": [mod._go_text(v) for v in manifest["numbers"]]}
json.dump(res, sys.stdout)
`

// TestPyTorch runs every exported Python file under PyTorch: predict must
// give evonas's labels and, computing in float64 as evonas does, its
// probabilities or values to 1e-9; run as a script it must write the same
// CSV columns evonas predict writes.
func TestPyTorch(t *testing.T) {
	needPython(t, "torch")
	dir := t.TempDir()
	fs := append(fixtures(t), oddFixture(t))
	var cases []map[string]any
	for i, f := range fs {
		b, err := PyTorch(f.model, "test", "model"+strconv.Itoa(i))
		if err != nil {
			t.Fatal(err)
		}
		mp, cp := filepath.Join(dir, "model"+strconv.Itoa(i)+".py"), filepath.Join(dir, strconv.Itoa(i)+".csv")
		if err := os.WriteFile(mp, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(cp, []byte(f.csv), 0o644); err != nil {
			t.Fatal(err)
		}
		script := i == 1 || i == len(fs)-2 // a classification and the regression
		cases = append(cases, map[string]any{"name": f.name, "model": mp, "csv": cp, "script": script})
	}
	// Numbers given for a text column are matched by the text evonas makes
	// of them.
	numbers := []float64{4, -4, 0.5, 1e-5, 0.00012, 123456, 1234567, 1e21, 2.5e-7, -0.0, 1.0 / 3, 100, 1e6, 98765.4321}
	manifest, _ := json.Marshal(map[string]any{"cases": cases, "numbers": numbers})
	if err := os.WriteFile(filepath.Join(dir, "cases.json"), manifest, 0o644); err != nil {
		t.Fatal(err)
	}
	var res map[string]struct {
		Labels []string
		Values []float64
		Script string
	}
	if err := json.Unmarshal(runPython(t, dir, torchDriver, "cases.json"), &res); err != nil {
		t.Fatal(err)
	}
	for i, v := range numbers {
		if got, want := res["go_text"].Labels[i], strconv.FormatFloat(v, 'g', -1, 64); got != want {
			t.Errorf("_go_text(%v) = %q, want %q", v, got, want)
		}
	}
	for _, f := range fs {
		t.Run(f.name, func(t *testing.T) {
			got, ok := res[f.name]
			if !ok {
				t.Fatal("no result")
			}
			want, _ := f.want(t)
			checkClose(t, got.Values, want, 1e-9)
			preds, _ := f.model.Predict(f.heldOut)
			for i, l := range got.Labels {
				if l != preds[i].Label {
					t.Fatalf("row %d: label %q, want %q", i, l, preds[i].Label)
				}
			}
		})
	}

	// The script's main: a classification and the regression.
	for _, i := range []int{1, len(fs) - 2} {
		f := fs[i]
		recs, err := csv.NewReader(strings.NewReader(res[f.name].Script)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		preds, _ := f.model.Predict(f.heldOut)
		wantHeader := []string{"prediction"}
		for _, c := range f.model.Prep.Classes {
			wantHeader = append(wantHeader, "p_"+c)
		}
		if strings.Join(recs[0], ",") != strings.Join(wantHeader, ",") || len(recs) != len(preds)+1 {
			t.Fatalf("%s as a script: header %v and %d rows, want %v and %d", f.name, recs[0], len(recs)-1, wantHeader, len(preds))
		}
		for r, p := range preds {
			got := recs[r+1][0]
			if p.Probs == nil {
				v, err := strconv.ParseFloat(got, 64)
				if err != nil || math.Abs(v-p.Value) > 1e-9*math.Max(1, math.Abs(p.Value)) {
					t.Fatalf("%s as a script, row %d: %s, want %v", f.name, r+1, got, p.Value)
				}
			} else if got != p.Label {
				t.Fatalf("%s as a script, row %d: %s, want %s", f.name, r+1, got, p.Label)
			}
		}
	}
}

// checkClose fails t unless got and want agree to tol, relative beyond 1.
func checkClose(t *testing.T, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d values, want %d", len(got), len(want))
	}
	for i := range want {
		if d := math.Abs(got[i] - want[i]); d > tol*math.Max(1, math.Abs(want[i])) {
			t.Fatalf("value %d: got %.17g, want %.17g", i, got[i], want[i])
		}
	}
}

// scriptDriver runs an exported file as a script on each CSV given, and
// prints its output, or "error: " and the exception when it raises.
const scriptDriver = `
import contextlib, importlib.util, io, json, sys

spec = importlib.util.spec_from_file_location("m", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
res = []
for path in sys.argv[2:]:
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            mod.main(["model.py", path])
        res.append(out.getvalue())
    except Exception as e:
        res.append("error: %s" % e)
json.dump(res, sys.stdout)
`

// TestPyTorchScriptReadsAsEvonas gives the exported file, as a script, CSV
// files that evonas reads in its own way: a byte order mark, names and text
// padded with spaces, a text input whose values in the file are all numbers
// (read as written: "4.0" is not the category "4", "4" is), and
// missing-value tokens in a text column. Each must give evonas predict's
// labels, or fail as it does.
func TestPyTorchScriptReadsAsEvonas(t *testing.T) {
	needPython(t, "torch")
	var sb strings.Builder
	sb.WriteString("x,grade,y\n")
	grades := []string{"A", "B", "C", "4", "A", "B", "7"}
	rng := rand.New(rand.NewPCG(3, 3))
	for i := range 70 {
		x := rng.NormFloat64()
		fmt.Fprintf(&sb, "%.4f,%s,%s\n", x, grades[i%len(grades)], map[bool]string{true: "up", false: "down"}[x+float64(i%3) > 1])
	}
	tab, err := dataset.ParseCSV(strings.NewReader(sb.String()), "grades.csv")
	if err != nil {
		t.Fatal(err)
	}
	d, err := dataset.Prepare(tab, dataset.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	net, err := network.New(network.Spec{Inputs: len(d.Features), Hidden: []network.Layer{{Units: 4, Activation: network.Tanh}}, Outputs: 1, Head: network.Binary}, 3)
	if err != nil {
		t.Fatal(err)
	}
	w := net.Weights()
	for i := range w {
		w[i] *= 4 // so that every category moves the answer
	}
	if err := net.SetWeights(w); err != nil {
		t.Fatal(err)
	}
	m, err := model.New("grades", d.Prep, net, nil)
	if err != nil {
		t.Fatal(err)
	}
	files := []struct{ name, csv string }{
		{"bom and padding", "\ufeff x , grade \n0.5, A \n-1,  B\n2,C \n0.1,4\n"},
		{"numbers for text", "x,grade\n0.5,4.0\n-1,7\n2,4\n0.3,07\n"},
		{"NA in text", "x,grade\n0.5,A\n1,NA\n"},
		{"nan in text", "x,grade\n0.5,A\n1, nan \n"},
	}
	dir := t.TempDir()
	b, err := PyTorch(m, "test", "grades")
	if err != nil {
		t.Fatal(err)
	}
	mp := filepath.Join(dir, "grades.py")
	if err := os.WriteFile(mp, b, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{mp}
	for i, f := range files {
		p := filepath.Join(dir, strconv.Itoa(i)+".csv")
		if err := os.WriteFile(p, []byte(f.csv), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	var res []string
	if err := json.Unmarshal(runPython(t, dir, scriptDriver, args...), &res); err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		t.Run(f.name, func(t *testing.T) {
			// As evonas predict (run.Predict) reads it: the model's text
			// inputs as written.
			tab, err := dataset.LoadTable(filepath.Join(dir, strconv.Itoa(i)+".csv"), dataset.Options{Text: m.TextColumns(nil)})
			if err != nil {
				t.Fatal(err)
			}
			preds, err := m.Predict(tab)
			if err != nil {
				if !strings.HasPrefix(res[i], "error: ") || !strings.Contains(res[i], "missing value") {
					t.Fatalf("evonas: %v; the script wrote %q, want a missing-value error", err, res[i])
				}
				return
			}
			recs, err := csv.NewReader(strings.NewReader(res[i])).ReadAll()
			if err != nil || len(recs) != len(preds)+1 {
				t.Fatalf("the script wrote %q, want %d predictions", res[i], len(preds))
			}
			for r, p := range preds {
				if got := recs[r+1][0]; got != p.Label {
					t.Errorf("row %d: %s, want %s", r+1, got, p.Label)
				}
				v, _ := strconv.ParseFloat(recs[r+1][2], 64)
				if math.Abs(v-p.Probs[1]) > 1e-9 {
					t.Errorf("row %d: p = %v, want %v", r+1, v, p.Probs[1])
				}
			}
		})
	}
}

// TestNoAnswer: a row whose inputs lie so far outside the training rows'
// that the net's output is not a number gets no prediction, from evonas
// predict (model.Prediction.None) and from the exported script alike:
// empty cells, not class 0 with NaN probabilities.
func TestNoAnswer(t *testing.T) {
	tab, err := dataset.ParseCSV(strings.NewReader("a,b,y\n"+strings.Repeat("0.1,0.5,p\n0.9,-0.5,q\n0.4,0.2,r\n", 10)), "abc.csv")
	if err != nil {
		t.Fatal(err)
	}
	d, err := dataset.Prepare(tab, dataset.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	net, err := network.New(network.Spec{Inputs: 2, Hidden: []network.Layer{{Units: 6, Activation: network.ReLU}, {Units: 6, Activation: network.ReLU}}, Outputs: 3, Head: network.Softmax}, 5)
	if err != nil {
		t.Fatal(err)
	}
	w := net.Weights()
	for i := range w {
		w[i] *= 8 // so that the products of the far row overflow, to +Inf and -Inf
	}
	if err := net.SetWeights(w); err != nil {
		t.Fatal(err)
	}
	m, err := model.New("abc", d.Prep, net, nil)
	if err != nil {
		t.Fatal(err)
	}
	rows := "a,b\n0.1,0.5\n4e307,-4e307\n0.9,-0.5\n"
	in, err := dataset.ParseCSV(strings.NewReader(rows), "new.csv")
	if err != nil {
		t.Fatal(err)
	}
	preds, err := m.Predict(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(preds) != 3 || preds[0].None || !preds[1].None || preds[1].Label != "" || preds[2].None {
		t.Fatalf("predictions %+v: want only the second without an answer", preds)
	}
	var want bytes.Buffer
	if err := m.WritePredictions(&want, preds); err != nil {
		t.Fatal(err)
	}
	if got := strings.Split(want.String(), "\n")[2]; got != ",,," {
		t.Errorf("evonas writes the row without an answer as %q, want empty cells", got)
	}
	needPython(t, "torch")
	dir := t.TempDir()
	b, err := PyTorch(m, "test", "abc")
	if err != nil {
		t.Fatal(err)
	}
	mp, rp := filepath.Join(dir, "abc.py"), filepath.Join(dir, "rows.csv")
	if err := os.WriteFile(mp, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rp, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	var res struct {
		Script string
		Labels []*string
	}
	if err := json.Unmarshal(runPython(t, dir, labelDriver, mp, rp), &res); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(strings.NewReader(res.Script)).ReadAll()
	if err != nil || len(got) != 4 {
		t.Fatalf("the script wrote %q", res.Script)
	}
	for r, p := range preds {
		if got[r+1][0] != p.Label {
			t.Errorf("row %d: the script says %q, evonas %q", r+1, got[r+1][0], p.Label)
		}
	}
	if strings.Join(got[2], ",") != ",,," {
		t.Errorf("the script writes the row without an answer as %q, want empty cells", strings.Join(got[2], ","))
	}
	// predict(rows) too: the label None, not class 0.
	labels := res.Labels
	if len(labels) != 3 {
		t.Fatalf("predict gave %d labels, want 3", len(labels))
	}
	for r, p := range preds {
		switch l := labels[r]; {
		case p.None && l != nil:
			t.Errorf("row %d: predict's label %q, want None (no answer, as evonas)", r+1, *l)
		case !p.None && (l == nil || *l != p.Label):
			t.Errorf("row %d: predict's label %v, want %q", r+1, l, p.Label)
		}
	}
}

// labelDriver prints, as JSON, what the script writes for a CSV's rows
// (Script) and the labels predict(rows) gives them (Labels).
const labelDriver = `
import contextlib, csv, importlib.util, io, json, sys

spec = importlib.util.spec_from_file_location("m", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
out = io.StringIO()
with contextlib.redirect_stdout(out):
    mod.main(["model.py", sys.argv[2]])
with open(sys.argv[2], newline="") as f:
    labels = [label for label, _ in mod.predict(list(csv.DictReader(f)))]
print(json.dumps({"Script": out.getvalue(), "Labels": labels}))
`
