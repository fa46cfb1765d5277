package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/advancedclimatesystems/gonnx/onnx"
	"google.golang.org/protobuf/proto"

	"github.com/evonas/evonas/export"
)

// The export package's tests check the exported models' numbers; these
// check the command: formats, the run directory, and refusals that write
// nothing.
func TestExport(t *testing.T) {
	dir := t.TempDir()
	modelPath := filepath.Join(dir, "m.json")
	mustRun(t, "train", "--data", "iris", "--hidden", "6", "--activation", "tanh", "--epochs", "3", "--out", modelPath)

	onnxPath := filepath.Join(dir, "m.onnx")
	stdout := mustRun(t, "export", "--model", modelPath, "--out", onnxPath)
	if !strings.Contains(stdout, onnxPath) || !strings.Contains(stdout, export.LayoutPath(onnxPath)) {
		t.Errorf("stdout does not name both files written:\n%s", stdout)
	}
	b, err := os.ReadFile(onnxPath)
	if err != nil {
		t.Fatal(err)
	}
	var mp onnx.ModelProto
	if err := proto.Unmarshal(b, &mp); err != nil {
		t.Fatalf("%s is not an ONNX protobuf: %v", onnxPath, err)
	}
	if len(mp.OpsetImport) != 1 || mp.OpsetImport[0].Version != export.Opset || mp.IrVersion != export.IRVersion {
		t.Errorf("opset %v, IR version %d, want opset %d, IR %d", mp.OpsetImport, mp.IrVersion, export.Opset, export.IRVersion)
	}
	var layout export.Layout
	lb, err := os.ReadFile(export.LayoutPath(onnxPath))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(lb, &layout); err != nil {
		t.Fatal(err)
	}
	if layout.Features != 4 || len(layout.Columns) != 4 || layout.Columns[3].Name != "petal_width" || !slices.Equal(layout.Classes, []string{"setosa", "versicolor", "virginica"}) {
		t.Errorf("layout %+v does not describe iris", layout)
	}

	t.Run("pytorch", func(t *testing.T) {
		py := filepath.Join(dir, "m.py")
		mustRun(t, "export", "--model", modelPath, "--format", "pytorch", "--out", py)
		b, err := os.ReadFile(py)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"torch.nn.Sequential(", "torch.nn.Linear(4, 6)", "torch.nn.Tanh()", "torch.nn.Softmax(dim=1)", "def predict(rows):"} {
			if !strings.Contains(string(b), s) {
				t.Errorf("%s lacks %q", py, s)
			}
		}
	})

	t.Run("run directory", func(t *testing.T) {
		run := filepath.Join(dir, "run")
		if err := os.Mkdir(run, 0o755); err != nil {
			t.Fatal(err)
		}
		m, _ := os.ReadFile(modelPath)
		if err := os.WriteFile(filepath.Join(run, "best.json"), m, 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "run.onnx")
		mustRun(t, "export", "--model", run, "--out", out)
		if got, _ := os.ReadFile(out); string(got) != string(b) {
			t.Errorf("the run directory's export differs from its best.json's")
		}
	})

	t.Run("force", func(t *testing.T) {
		if err := os.WriteFile(onnxPath, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		mustRun(t, "export", "--model", modelPath, "--out", onnxPath, "--force")
		if got, _ := os.ReadFile(onnxPath); string(got) != string(b) {
			t.Errorf("--force did not replace %s", onnxPath)
		}
	})

	notModel := writeTestFile(t, dir, "notmodel.json", `{"format": "something else"}`)
	emptyDir := filepath.Join(dir, "empty")
	if err := os.Mkdir(emptyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	// An existing layout alone also stops an ONNX export.
	layoutOnly := filepath.Join(dir, "fresh.onnx")
	if err := os.WriteFile(export.LayoutPath(layoutOnly), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A directory is not replaced, --force or not.
	dirOut := filepath.Join(dir, "d.onnx")
	if err := os.Mkdir(dirOut, 0o755); err != nil {
		t.Fatal(err)
	}
	// A pipe stands for a device such as /dev/null, which a rename would
	// replace with a file.
	fifo := filepath.Join(dir, "pipe.onnx")
	mkfifo(t, fifo)
	// Inputs of 1e150 standardize in float64, not in an ONNX graph's float32.
	var huge strings.Builder
	huge.WriteString("a,b,y\n")
	for i := range 40 {
		fmt.Fprintf(&huge, "%de150,%d,%c\n", i%7+1, i%5, 'p'+i%2)
	}
	hugeModel := filepath.Join(dir, "huge.json")
	mustRun(t, "train", "--data", writeTestFile(t, dir, "huge.csv", huge.String()), "--hidden", "2", "--epochs", "1", "--out", hugeModel)
	for _, tc := range []struct {
		name  string
		args  []string
		facts []string
	}{
		{"not a model", []string{"--model", notModel, "--out", filepath.Join(dir, "x.onnx")}, []string{"notmodel.json", "not a model file"}},
		{"no model", []string{"--model", filepath.Join(dir, "nope.json"), "--out", filepath.Join(dir, "x.onnx")}, []string{"nope.json"}},
		{"directory without best.json", []string{"--model", emptyDir, "--out", filepath.Join(dir, "x.onnx")}, []string{"empty", "best.json"}},
		{"unknown format", []string{"--model", modelPath, "--format", "tflite", "--out", filepath.Join(dir, "x.tflite")}, []string{"--format", "tflite", "onnx or pytorch"}},
		{"format not guessable", []string{"--model", modelPath, "--out", filepath.Join(dir, "x.bin")}, []string{"--format", "x.bin"}},
		{"existing out", []string{"--model", modelPath, "--out", onnxPath}, []string{"m.onnx", "exists", "--force"}},
		{"existing layout", []string{"--model", modelPath, "--out", layoutOnly}, []string{"fresh.onnx.json", "exists"}},
		{"missing directory", []string{"--model", modelPath, "--out", filepath.Join(dir, "no", "x.onnx")}, []string{"does not exist"}},
		{"no out", []string{"--model", modelPath}, []string{"--out"}},
		{"beyond float32", []string{"--model", hugeModel, "--out", filepath.Join(dir, "x.onnx")}, []string{`column "a"`, "float32", "PyTorch"}},
		{"directory as out", []string{"--model", modelPath, "--out", dirOut}, []string{"d.onnx", "is a directory"}},
		{"directory as out, forced", []string{"--model", modelPath, "--out", dirOut, "--force"}, []string{"d.onnx", "is a directory"}},
		{"not a regular file", []string{"--model", modelPath, "--out", fifo, "--force"}, []string{"pipe.onnx", "not a regular file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := listDir(t, dir)
			old, _ := os.ReadFile(onnxPath)
			stdout, stderr, code := evonas(t, append([]string{"export"}, tc.args...)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want empty", stdout)
			}
			checkOneLine(t, stderr, tc.facts...)
			if after := listDir(t, dir); !slices.Equal(after, before) {
				t.Errorf("files changed: %v, then %v", before, after)
			}
			if now, _ := os.ReadFile(onnxPath); string(now) != string(old) {
				t.Errorf("%s was rewritten", onnxPath)
			}
			if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
				t.Errorf("%s is no longer a pipe", fifo)
			}
		})
	}
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}
