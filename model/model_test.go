package model_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/network"
)

// binaryCSV has a categorical input, so the preprocessor holds one-hot
// categories as well as means and scales.
func binaryCSV() string {
	rng := rand.New(rand.NewPCG(1, 1))
	colors := []string{"red", "green", "blue"}
	var b strings.Builder
	b.WriteString("x1,color,x2,label\n")
	for range 160 {
		x1, x2 := 2*rng.Float64()-1, 2*rng.Float64()-1
		label := "no"
		if x1+x2 > 0 {
			label = "yes"
		}
		fmt.Fprintf(&b, "%g,%s,%g,%s\n", x1, colors[rng.IntN(3)], x2, label)
	}
	return b.String()
}

// multiclassCSV has three classes by bands of x1.
func multiclassCSV() string {
	rng := rand.New(rand.NewPCG(2, 2))
	names := []string{"low", "mid", "high"}
	var b strings.Builder
	b.WriteString("x1,x2,band\n")
	for range 150 {
		x1, x2 := rng.Float64(), rng.Float64()
		fmt.Fprintf(&b, "%g,%g,%s\n", x1, x2, names[min(int(x1*3), 2)])
	}
	return b.String()
}

// regressionCSV is y = 100 + 50*x with a little noise: a target far from
// zero mean and unit scale, so standardized outputs would be far off.
func regressionCSV() string {
	rng := rand.New(rand.NewPCG(3, 3))
	var b strings.Builder
	b.WriteString("x,y\n")
	for range 200 {
		x := rng.Float64()
		fmt.Fprintf(&b, "%g,%g\n", x, 100+50*x+0.5*rng.NormFloat64())
	}
	return b.String()
}

func parseCSV(t *testing.T, text, source string) *dataset.Table {
	t.Helper()
	tab, err := dataset.ParseCSV(strings.NewReader(text), source)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// train fits a small net to the CSV text and returns it as a model.
func train(t *testing.T, text, source string, epochs int) (*model.Model, *dataset.Table) {
	t.Helper()
	tab := parseCSV(t, text, source)
	d, err := dataset.Prepare(tab, dataset.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	hidden := []network.Layer{{Units: 16, Activation: network.Tanh}}
	cfg := network.TrainConfig{Epochs: epochs, Batch: 16, LR: 0.01, Seed: 1}
	o, err := fitness.Train(context.Background(), d, hidden, cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New(d.Name, d.Prep, o.Net, map[string]any{"epochs": epochs, "val_loss": o.Val.Loss})
	if err != nil {
		t.Fatal(err)
	}
	return m, tab
}

var models = []struct {
	name   string
	csv    func() string
	task   dataset.Task
	epochs int
}{
	{"binary", binaryCSV, dataset.Binary, 30},
	{"multiclass", multiclassCSV, dataset.Multiclass, 30},
	{"regression", regressionCSV, dataset.Regression, 30},
}

// onlyFiles fails unless dir holds exactly the named entries.
func onlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if !reflect.DeepEqual(got, names) {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

func TestSaveLoad(t *testing.T) {
	for _, tc := range models {
		t.Run(tc.name, func(t *testing.T) {
			m, tab := train(t, tc.csv(), tc.name+".csv", tc.epochs)
			if m.Prep.Task != tc.task {
				t.Fatalf("task = %s, want %s", m.Prep.Task, tc.task)
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "m.json")
			// Twice: the second Save replaces the first file.
			for range 2 {
				if err := m.Save(path); err != nil {
					t.Fatal(err)
				}
			}
			onlyFiles(t, dir, "m.json")

			got, err := model.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if got.Format != model.Format || got.Version != model.Version || got.Data != m.Data {
				t.Errorf("loaded format %q, version %d, data %q; want %q, %d, %q",
					got.Format, got.Version, got.Data, model.Format, model.Version, m.Data)
			}
			if !reflect.DeepEqual(got.Prep, m.Prep) {
				t.Errorf("preprocessor after a round trip:\n%+v\nwant:\n%+v", got.Prep, m.Prep)
			}
			if !reflect.DeepEqual(got.Net.Spec(), m.Net.Spec()) {
				t.Errorf("spec after a round trip = %+v, want %+v", got.Net.Spec(), m.Net.Spec())
			}
			gw, ww := got.Net.Weights(), m.Net.Weights()
			if len(gw) != len(ww) {
				t.Fatalf("%d weights after a round trip, want %d", len(gw), len(ww))
			}
			for i := range gw {
				if math.Float64bits(gw[i]) != math.Float64bits(ww[i]) {
					t.Fatalf("weight %d = %v after a round trip, want %v", i, gw[i], ww[i])
				}
			}
			var gi, wi any
			if err := json.Unmarshal(got.Info, &gi); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(m.Info, &wi); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(gi, wi) {
				t.Errorf("info after a round trip = %v, want %v", gi, wi)
			}

			gp, err := got.Predict(tab)
			if err != nil {
				t.Fatal(err)
			}
			wp, err := m.Predict(tab)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(gp, wp) {
				t.Error("the loaded model predicts differently")
			}
		})
	}
}

func TestSaveFailure(t *testing.T) {
	m, _ := train(t, binaryCSV(), "binary.csv", 1)
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) string // returns the path to save to
		want  []string                              // what dir holds afterwards
	}{
		{"missing directory", func(t *testing.T, dir string) string {
			return filepath.Join(dir, "nodir", "m.json")
		}, nil},
		{"path is a directory", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "sub")
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
			return p
		}, []string{"sub"}},
		// A pipe stands for a device such as /dev/null: a rename would
		// replace it with a file.
		{"path is a pipe", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "pipe")
			mkfifo(t, p)
			return p
		}, []string{"pipe"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := tc.setup(t, dir)
			if err := m.Save(path); err == nil {
				t.Fatalf("Save(%s) succeeded, want an error", path)
			}
			onlyFiles(t, dir, tc.want...)
		})
	}
}

func TestParseErrors(t *testing.T) {
	m, _ := train(t, multiclassCSV(), "multiclass.csv", 1)
	good, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := model.Parse(good, "good.json"); err != nil {
		t.Fatalf("Parse of a valid model: %v", err)
	}

	// edit returns the model's JSON with one field changed.
	edit := func(change func(obj map[string]any)) []byte {
		var obj map[string]any
		if err := json.Unmarshal(good, &obj); err != nil {
			t.Fatal(err)
		}
		change(obj)
		b, err := json.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// withPrep returns the model's JSON with a changed copy of its
	// preprocessor, skipping the checks of model.New.
	withPrep := func(change func(p *dataset.Preprocessor)) []byte {
		p := *m.Prep
		p.Inputs = append([]dataset.Input(nil), p.Inputs...)
		p.Classes = append([]string(nil), p.Classes...)
		change(&p)
		bad := *m
		bad.Prep = &p
		b, err := json.Marshal(&bad)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	tests := []struct {
		name string
		data []byte
		want string // a fact the message must mention
	}{
		{"empty", nil, "not a model file"},
		{"truncated", good[:len(good)/2], "truncated"},
		{"not JSON", []byte("format: evonas-model\n"), "not a model file"},
		{"wrong format", edit(func(o map[string]any) { o["format"] = "keras" }), `"keras"`},
		{"no format", edit(func(o map[string]any) { delete(o, "format") }), "not a model file"},
		{"version 2", edit(func(o map[string]any) { o["version"] = 2 }), "version 2"},
		{"no net", edit(func(o map[string]any) { delete(o, "net") }), "no net"},
		{"no preprocessor", edit(func(o map[string]any) { delete(o, "preprocessor") }), "no preprocessor"},
		{"weights missing", edit(func(o map[string]any) {
			net := o["net"].(map[string]any)
			w := net["weights"].([]any)
			net["weights"] = w[:len(w)-1]
		}), "weights"},
		{"inputs mismatch", withPrep(func(p *dataset.Preprocessor) { p.Inputs = p.Inputs[:1] }), "inputs"},
		{"class count mismatch", withPrep(func(p *dataset.Preprocessor) { p.Classes = append(p.Classes, "extra") }), "4 classes"},
		{"task mismatch", withPrep(func(p *dataset.Preprocessor) { p.Task = dataset.Regression }), "regression"},
		{"unknown task", withPrep(func(p *dataset.Preprocessor) { p.Task = "ranking" }), "ranking"},
		{"scale 0", withPrep(func(p *dataset.Preprocessor) { p.Inputs[0].Scale = 0 }), `input "x1": scale 0`},
		{"negative scale", withPrep(func(p *dataset.Preprocessor) { p.Inputs[1].Scale = -1 }), `input "x2": scale -1`},
		{"input without a name", withPrep(func(p *dataset.Preprocessor) { p.Inputs[1].Name = "" }), "input 2 has no name"},
		{"input named twice", withPrep(func(p *dataset.Preprocessor) { p.Inputs[1].Name = "x1" }), `input "x1" is listed twice`},
		{"category twice", withPrep(func(p *dataset.Preprocessor) { p.Inputs[1].Categories = []string{"a", "b", "a"} }), `input "x2": category "a" is listed twice`},
		{"class twice", withPrep(func(p *dataset.Preprocessor) { p.Classes[1] = p.Classes[0] }), `class "high" is listed twice`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			const file = "models/bad.json"
			got, err := model.Parse(tc.data, file)
			if err == nil {
				t.Fatalf("Parse succeeded with %+v, want an error", got)
			}
			var fe *model.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is a %T, want *model.FormatError", err, err)
			}
			if fe.File != file {
				t.Errorf("FormatError.File = %q, want %q", fe.File, file)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, file+": ") {
				t.Errorf("error %q does not start with the file name", msg)
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not mention %q", msg, tc.want)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error %q spans lines", msg)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nosuch.json")
	_, err := model.Load(path)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load(%s) = %v, want an error matching os.ErrNotExist", path, err)
	}
}

func TestPredictClassification(t *testing.T) {
	tests := []struct {
		name    string
		csv     func() string
		target  string
		classes []string
	}{
		{"binary", binaryCSV, "label", []string{"no", "yes"}},
		{"multiclass", multiclassCSV, "band", []string{"high", "low", "mid"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, tab := train(t, tc.csv(), tc.name+".csv", 60)
			if !reflect.DeepEqual(m.Prep.Classes, tc.classes) {
				t.Fatalf("classes = %q, want %q", m.Prep.Classes, tc.classes)
			}
			preds, err := m.Predict(tab)
			if err != nil {
				t.Fatal(err)
			}
			if len(preds) != tab.Rows() {
				t.Fatalf("%d predictions for %d rows", len(preds), tab.Rows())
			}
			var truth []string
			for _, c := range tab.Columns {
				if c.Name == tc.target {
					truth = c.Str
				}
			}
			right := 0
			for i, p := range preds {
				if len(p.Probs) != len(tc.classes) {
					t.Fatalf("row %d: %d probabilities, want %d", i+1, len(p.Probs), len(tc.classes))
				}
				sum, best := 0.0, 0
				for j, q := range p.Probs {
					if !(q >= 0 && q <= 1) {
						t.Errorf("row %d: probability %v outside [0, 1]", i+1, q)
					}
					sum += q
					if q > p.Probs[best] {
						best = j
					}
				}
				if math.Abs(sum-1) > 1e-12 {
					t.Errorf("row %d: probabilities %v sum to %v, want 1", i+1, p.Probs, sum)
				}
				if p.Label != tc.classes[best] || p.Value != float64(best) {
					t.Errorf("row %d: label %q (value %v), but the most probable class is %q (%d) in %v",
						i+1, p.Label, p.Value, tc.classes[best], best, p.Probs)
				}
				if p.Label == truth[i] {
					right++
				}
			}
			if acc := float64(right) / float64(len(preds)); acc < 0.9 {
				t.Errorf("accuracy on the training rows = %.3f, want >= 0.9", acc)
			}
		})
	}
}

func TestPredictRegression(t *testing.T) {
	m, _ := train(t, regressionCSV(), "regression.csv", 150)
	// New rows, with an extra column that Predict must ignore.
	tab := parseCSV(t, "note,x\na,0.05\nb,0.25\nc,0.5\nd,0.75\ne,0.95\n", "new.csv")
	preds, err := m.Predict(tab)
	if err != nil {
		t.Fatal(err)
	}
	xs := []float64{0.05, 0.25, 0.5, 0.75, 0.95}
	if len(preds) != len(xs) {
		t.Fatalf("%d predictions for %d rows", len(preds), len(xs))
	}
	for i, p := range preds {
		want := 100 + 50*xs[i]
		if math.Abs(p.Value-want) > 2.5 {
			t.Errorf("x = %v: predicted %v, want %v ± 2.5", xs[i], p.Value, want)
		}
		if v, err := strconv.ParseFloat(p.Label, 64); err != nil || v != p.Value {
			t.Errorf("x = %v: label %q does not hold the value %v", xs[i], p.Label, p.Value)
		}
		if p.Probs != nil {
			t.Errorf("x = %v: regression prediction has probabilities %v", xs[i], p.Probs)
		}
	}
}

func TestPredictMissingColumn(t *testing.T) {
	m, _ := train(t, binaryCSV(), "binary.csv", 1)
	tab := parseCSV(t, "x1,x2\n0.5,0.5\n", "new.csv")
	_, err := m.Predict(tab)
	var ie *dataset.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("Predict without column color = %v, want a *dataset.InputError", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "color") || !strings.Contains(msg, "new.csv") {
		t.Errorf("error %q does not name the column color and the file new.csv", msg)
	}
}

// TestWriteFileAtomicNamesPath: a write that fails names the file asked
// for, not the temporary file it went through (".best.json.tmp1761590591",
// which is gone by then), and keeps its cause, so a missing directory is
// still fs.ErrNotExist. On a full disk it said "write
// DIR/.best.json.tmp1761590591: no space left on device".
func TestWriteFileAtomicNamesPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nodir", "best.json")
	err := model.WriteFileAtomic(path, []byte("{}\n"))
	if err == nil || !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), ".tmp") || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("writing in a missing directory: %v; want an error naming %s, not its temporary file, and fs.ErrNotExist", err, path)
	}
}
