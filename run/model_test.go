package run

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/network"
)

func TestLoadModelDirectoryWithoutBest(t *testing.T) {
	dir := t.TempDir()
	_, err := LoadModel(dir)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "without best.json") {
		t.Errorf("a directory without best.json: got %v, want an InputError naming best.json", err)
	}
	// A comparison keeps no models: the error says how to get one.
	cmp := comparisonDir(t, dir, "a/seed-1", "random/seed-2")
	for _, c := range []struct{ path, want string }{
		{cmp, "is a comparison, whose searches keep no model: evonas evolve --config " + filepath.Join(cmp, "STRATEGY", "seed-N", ConfigFile)},
		{filepath.Join(cmp, "a", "seed-1"), "is a search of a comparison, which keeps no model: evonas evolve --config " + filepath.Join(cmp, "a", "seed-1", ConfigFile)},
		{filepath.Join(cmp, "random", "seed-2") + "/", "is a search of a comparison, which keeps no model: evonas random --config " + filepath.Join(cmp, "random", "seed-2", ConfigFile)},
	} {
		if _, err := LoadModel(c.path); !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("LoadModel(%s): %v, want an InputError containing %q", c.path, err, c.want)
		}
	}
}

// TestMemberOfNoSearch: --member with a comparison's or a table run's
// directory says what the directory is and what --member needs, not that
// its summary is "not this one".
func TestMemberOfNoSearch(t *testing.T) {
	root := t.TempDir()
	cmp := comparisonDir(t, root, "a/seed-1")
	if err := os.WriteFile(filepath.Join(cmp, SummaryFile), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	tab := filepath.Join(root, "tab")
	if err := os.Mkdir(tab, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := writeJSON(filepath.Join(tab, InfoFile), Info{Version: InfoVersion, Kind: KindEvolve, Table: "spirals_mlp"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{cmp, cmp + " is a comparison, not a search: --member needs a Pareto search's run directory"},
		{tab, tab + " is a search on table spirals_mlp, which trains no nets: --member needs a Pareto search's run directory"},
	} {
		_, err := OpenModel(context.Background(), c.path, "0")
		var ie *InputError
		if !errors.As(err, &ie) || err.Error() != c.want {
			t.Errorf("OpenModel(%s, member 0): %v, want an InputError %q", c.path, err, c.want)
		}
	}
	// Without --member, a table run has no best.json because it trains none.
	if _, err := LoadModel(tab); err == nil || !strings.Contains(err.Error(), "trains no nets") {
		t.Errorf("LoadModel(%s): %v, want an error saying a table run trains no nets", tab, err)
	}
}

// xorModel trains a small net on xor for an epoch and saves it in dir.
func xorModel(t *testing.T, dir string) string {
	t.Helper()
	d, err := dataset.Load("xor", dataset.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	hidden := []network.Layer{{Units: 4, Activation: network.ReLU}}
	o, err := fitness.Train(context.Background(), d, hidden, network.TrainConfig{Epochs: 1, Batch: 32, Optimizer: network.Adam, LR: 1e-3}, 1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New(d.Name, d.Prep, o.Net, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "m.json")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckOut(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "x.csv")
	if err := os.WriteFile(existing, []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path  string
		force bool
		want  string // "" for no error
	}{
		{filepath.Join(dir, "new.csv"), false, ""},
		{existing, true, ""},
		{existing, false, "already exists; use --force to overwrite it"},
		{dir, true, "is a directory"},
		{filepath.Join(dir, "no", "x.csv"), false, "does not exist"},
		{"", false, ""},
	} {
		err := CheckOut(tc.path, tc.force)
		var ie *InputError
		if tc.want == "" && err != nil || tc.want != "" && (!errors.As(err, &ie) || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("CheckOut(%s, %v) = %v, want %q", tc.path, tc.force, err, tc.want)
		}
	}
}

func TestPredictAndExport(t *testing.T) {
	dir := t.TempDir()
	path := xorModel(t, dir)
	if _, err := OpenModel(context.Background(), path, "0"); err == nil || !strings.Contains(err.Error(), "--member needs --model to be a run directory") {
		t.Errorf("a member of a model file: %v", err)
	}
	m, err := OpenModel(context.Background(), path, "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Predict(m, "xor", dataset.Options{Seed: 1}, []string{"x2", "target"})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(p.CSV)), "\n")
	if len(lines) != 401 || lines[0] != "x2,target,prediction,p_0,p_1" {
		t.Errorf("%d lines, header %q; want 401 lines, x2,target,prediction,p_0,p_1", len(lines), lines[0])
	}
	var score bytes.Buffer
	p.WriteScore(&score)
	if !strings.Contains(score.String(), "accuracy") {
		t.Errorf("score %q, want an accuracy (xor has its target)", score.String())
	}
	// Save: the rows on stdout and the score on stderr, or the rows in a
	// file and the score on stdout.
	var stdout, stderr bytes.Buffer
	if err := p.Save("", &stdout, &stderr); err != nil || !bytes.Equal(stdout.Bytes(), p.CSV) || stderr.String() != score.String() {
		t.Errorf("Save to stdout: %v; stdout equal to the rows %v, stderr %q, want the score %q", err, bytes.Equal(stdout.Bytes(), p.CSV), stderr.String(), score.String())
	}
	stdout.Reset()
	stderr.Reset()
	csv := filepath.Join(dir, "p.csv")
	if err := p.Save(csv, &stdout, &stderr); err != nil || stdout.String() != score.String() || stderr.Len() != 0 {
		t.Errorf("Save to a file: %v; stdout %q, stderr %q; want the score on stdout only", err, stdout.String(), stderr.String())
	}
	if b, err := os.ReadFile(csv); err != nil || !bytes.Equal(b, p.CSV) {
		t.Errorf("the file saved: %v; equal to the rows %v", err, bytes.Equal(b, p.CSV))
	}
	_, err = Predict(m, "xor", dataset.Options{Seed: 1}, []string{"id"})
	var oe *OptionError
	if !errors.As(err, &oe) || oe.Option() != "keep" || oe.Err.Error() != `xor has no column "id" (columns: x1, x2, target)` {
		t.Errorf("an unknown --keep column: %v", err)
	}

	out := filepath.Join(dir, "m.onnx")
	if _, err := Export(context.Background(), ExportOptions{Model: path, Out: filepath.Join(dir, "m.bin")}); err == nil || !strings.Contains(err.Error(), "--format is required") {
		t.Errorf("no format: %v", err)
	}
	if _, err := Export(context.Background(), ExportOptions{Model: path, Out: out, Format: "tflite"}); err == nil || !strings.Contains(err.Error(), `unknown format "tflite"`) {
		t.Errorf("an unknown format: %v", err)
	}
	files, err := Export(context.Background(), ExportOptions{Model: path, Out: out, Producer: "test"})
	if err != nil || len(files) != 2 || files[0].Path != out || files[1].Path != out+".json" {
		t.Fatalf("onnx: %v, %v; want the model and its layout", files, err)
	}
	for _, f := range files {
		if _, err := os.Stat(f.Path); err != nil {
			t.Errorf("%s: %v", f.Path, err)
		}
	}
	if _, err := Export(context.Background(), ExportOptions{Model: path, Out: out}); err == nil || !strings.Contains(err.Error(), "exists (--force replaces it)") {
		t.Errorf("again without force: %v", err)
	}
	if _, err := Export(context.Background(), ExportOptions{Model: path, Out: out, Force: true}); err != nil {
		t.Errorf("again with force: %v", err)
	}
}

// TestTrainedModelNote: a retrained best is compared with the one training
// it repeats. A record whose fitness is the mean of several trainings
// (objective.repeats) gets no note; one whose own training's scores differ
// from the retraining's (a worker that rounded differently) does.
func TestTrainedModelNote(t *testing.T) {
	cfg := smallConfig(t)
	d, err := LoadData(cfg.Data.Name, DataOptionsOf(cfg))
	if err != nil {
		t.Fatal(err)
	}
	ev := fitness.NewEvaluator(d, TrainingOf(cfg), cfg.Seed, 1)
	g := genome.Genome{Layers: []genome.Layer{{Units: 8, Activation: "tanh"}}, LR: 0.01, Batch: 16, Optimizer: "adam"}
	rec, _, err := ev.Train(context.Background(), g)
	if err != nil || rec.Status != fitness.OK {
		t.Fatalf("training: %+v, %v", rec, err)
	}
	mean := rec
	mean.Fitness = rec.Fitness/2 + 0.01
	rounded := rec
	rounded.Val.Acc = math.Nextafter(rec.Val.Acc, 0)
	rounded.Fitness = ev.TrainingFitness(rounded)
	otherTest := rec
	otherTest.Test.Acc = math.Nextafter(rec.Test.Acc, 0)
	for _, tc := range []struct {
		name string
		rec  fitness.Record
		note bool
	}{
		{"its own training", rec, false},
		{"the mean of repeats", mean, false},
		{"another validation score", rounded, true},
		{"another test score", otherTest, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := trainedModel(context.Background(), ev, tc.rec, map[string]any{"record": tc.rec})
			if err != nil {
				t.Fatal(err)
			}
			var info struct {
				Note      string          `json:"note"`
				Retrained *fitness.Record `json:"retrained"`
			}
			if err := json.Unmarshal(m.Info, &info); err != nil {
				t.Fatal(err)
			}
			if got := info.Note != "" && info.Retrained != nil; got != tc.note {
				t.Errorf("note %q (retrained record %v), want a note: %v", info.Note, info.Retrained != nil, tc.note)
			}
		})
	}
}

// TestBestCommand: best.json names the command that ran the search.
func TestBestCommand(t *testing.T) {
	for _, tc := range []struct{ strategy, want string }{{GA, "evolve"}, {Random, "random"}} {
		t.Run(tc.strategy, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			s, err := New(smallConfig(t), tc.strategy, 6, dir)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Create("evonas " + tc.want); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			m, err := model.Load(filepath.Join(dir, BestFile))
			if err != nil {
				t.Fatal(err)
			}
			var info struct {
				Command string `json:"command"`
			}
			if err := json.Unmarshal(m.Info, &info); err != nil || info.Command != tc.want {
				t.Errorf("best.json info.command %q (%v), want %q", info.Command, err, tc.want)
			}
		})
	}
}

// TestPredictCodesAsWritten: a text input's categories are its values as
// written, so a code 0012 is the category "0012". A file of rows to predict
// whose codes all look like numbers must not read them as numbers (12, then
// the unseen category "12", encoded as none): each row is predicted as in
// the file the model was trained on.
func TestPredictCodesAsWritten(t *testing.T) {
	dir := t.TempDir()
	var all, codes strings.Builder
	all.WriteString("x,code,y\n")
	codes.WriteString("x,code,y\n")
	for i := range 60 {
		code := []string{"0012", "A12", "B34"}[i%3]
		row := fmt.Sprintf("%d,%s,%s\n", i%7, code, []string{"no", "yes"}[i%2])
		all.WriteString(row)
		if code == "0012" {
			codes.WriteString(row)
		}
	}
	train := filepath.Join(dir, "train.csv")
	only := filepath.Join(dir, "codes.csv")
	for path, text := range map[string]string{train: all.String(), only: codes.String()} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := csvModel(t, train)
	if got := m.Prep.Inputs[1].Categories; !slices.Equal(got, []string{"0012", "A12", "B34"}) {
		t.Fatalf("categories %q, want 0012, A12, B34", got)
	}
	whole, err := Predict(m, train, dataset.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	part, err := Predict(m, only, dataset.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var want []model.Prediction
	for i, p := range whole.preds {
		if i%3 == 0 {
			want = append(want, p)
		}
	}
	if len(part.preds) != len(want) {
		t.Fatalf("%d predictions, want %d", len(part.preds), len(want))
	}
	for i, p := range part.preds {
		if !slices.Equal(p.Probs, want[i].Probs) {
			t.Fatalf("row %d of codes.csv (code 0012): probabilities %v, want %v as in train.csv", i+1, p.Probs, want[i].Probs)
		}
	}
}

// TestPredictNotesUnseen checks that predict notes a text input with values
// the model was not trained on (rows, the values, the known ones), and
// nothing when every value is known.
func TestPredictNotesUnseen(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("x,town,y\n")
	for i := range 60 {
		fmt.Fprintf(&b, "%d,%s,%s\n", i%7, []string{"east", "west"}[i%2], []string{"no", "yes"}[i%3/2])
	}
	train := filepath.Join(dir, "train.csv")
	fresh := filepath.Join(dir, "new.csv")
	for path, text := range map[string]string{train: b.String(), fresh: "x,town\n1,harbour\n2,east\n3,harbour\n4,0012\n"} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := csvModel(t, train)
	p, err := Predict(m, fresh, dataset.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := fresh + `: column "town": 3 of 4 rows hold a value the model was not trained on ("harbour", "0012"; it knows "east", "west"), predicted as if the column held none of those it knows`
	if len(p.Notes) != 1 || p.Notes[0] != want {
		t.Errorf("notes %q, want\n%s", p.Notes, want)
	}
	if p, err := Predict(m, train, dataset.Options{}, nil); err != nil || len(p.Notes) != 0 {
		t.Errorf("the training file: notes %q, %v; want none", p.Notes, err)
	}
}

// csvModel is a model of one epoch of a net of 4 ReLU units trained on the
// CSV file path.
func csvModel(t *testing.T, path string) *model.Model {
	t.Helper()
	d, err := dataset.Load(path, dataset.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	o, err := fitness.Train(context.Background(), d, []network.Layer{{Units: 4, Activation: network.ReLU}}, network.TrainConfig{Epochs: 1, Batch: 32, Optimizer: network.Adam, LR: 1e-3}, 1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New(d.Name, d.Prep, o.Net, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
