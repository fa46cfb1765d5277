package run

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
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
