package table

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
)

func buildSpace() genome.Space {
	return genome.Space{
		Layers: genome.IntRange{Min: 0, Max: 2}, WidthChoices: []int{3, 6}, Width: genome.IntRange{Min: 3, Max: 6},
		Activations: []string{"tanh"}, LRChoices: []float64{0.01, 0.1}, Batches: []int{16},
		Optimizers: []string{"adam"}, Schedules: []string{"cosine"},
	}
}

func irisEvaluator(t *testing.T, workers int) *fitness.Evaluator {
	d, err := dataset.Load("iris", dataset.Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	return fitness.NewEvaluator(d, fitness.Settings{Epochs: 2}, 3, workers)
}

// TestBuildResume interrupts a build after its first batch, resumes it,
// and checks that the table equals one built in a single go with other
// workers, that it reads back with every configuration of the space, and
// that its repeats are trainings with different seeds.
func TestBuildResume(t *testing.T) {
	s := buildSpace() // depth 0, 1 or 2 of widths 3 or 6: 1+2+4 = 7 architectures x 2 lr = 14 rows
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.csv.gz")
	if err := Build(context.Background(), irisEvaluator(t, 2), s, whole, BuildOptions{Repeats: 3}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "resumed.csv.gz")
	ctx, cancel := context.WithCancel(context.Background())
	err := Build(ctx, irisEvaluator(t, 1), s, out, BuildOptions{Repeats: 3, Progress: func(done, total int) {
		if done < total {
			cancel()
		}
	}})
	if err == nil {
		t.Fatal("an interrupted build returned no error")
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("an interrupted build wrote the table")
	}
	partial, err := os.ReadFile(out + ".partial")
	if err != nil || strings.Count(string(partial), "\n") < 2 {
		t.Fatalf("no finished rows kept: %v\n%s", err, partial)
	}
	if err := Build(context.Background(), irisEvaluator(t, 1), s, out, BuildOptions{Repeats: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(out + ".partial"); err == nil {
		t.Error("the partial file is left")
	}
	a, err := Load(whole)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if a.Len() != 14 || b.Len() != 14 || a.Repeats != 3 || a.Metric != "val_acc" {
		t.Fatalf("%d and %d rows, %d repeats, %s", a.Len(), b.Len(), a.Repeats, a.Metric)
	}
	if err := a.Covers(s); err != nil {
		t.Errorf("the table does not cover its space: %v", err)
	}
	differ := false
	for i := range a.Len() {
		g := a.Genome(i)
		j, ok := b.Index(g)
		if !ok {
			t.Fatalf("%s missing from the resumed table", g.Key())
		}
		for k := range 3 {
			tv, _ := a.Test(i, k)
			tw, _ := b.Test(j, k)
			if a.Value(i, k) != b.Value(j, k) || tv != tw {
				t.Fatalf("%s repeat %d: %v and %v", g.Key(), k, a.Value(i, k), b.Value(j, k))
			}
		}
		differ = differ || a.Value(i, 0) != a.Value(i, 1) || a.Value(i, 1) != a.Value(i, 2)
	}
	if !differ {
		t.Error("repeats never differ: not trained with different seeds")
	}
	// A different space cannot resume from another's partial file.
	os.WriteFile(out+"2.partial", partial, 0o644)
	s.Batches = []int{8}
	if err := Build(context.Background(), irisEvaluator(t, 1), s, out+"2", BuildOptions{Repeats: 3}); err == nil || !strings.Contains(err.Error(), "another space") {
		t.Errorf("resuming another space's rows: %v", err)
	}
	s.Schedules = nil
	s.Layers.Max = 3
	if err := Build(context.Background(), irisEvaluator(t, 1), s, out+"3", BuildOptions{Repeats: 1, MaxRows: 10}); err == nil || !strings.Contains(err.Error(), "30 configurations") {
		t.Errorf("a grid above MaxRows: %v", err)
	}
}

// TestBuildTornPartial resumes from partial files a crash can leave: empty
// or cut inside the header (nothing to resume: the build starts again),
// header only, and a last row cut short. Each build ends with the table of
// an uninterrupted one, and a resumed file holds one header and whole rows.
func TestBuildTornPartial(t *testing.T) {
	s := buildSpace()
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.csv.gz")
	if err := Build(context.Background(), irisEvaluator(t, 1), s, whole, BuildOptions{Repeats: 2}); err != nil {
		t.Fatal(err)
	}
	want, err := Load(whole)
	if err != nil {
		t.Fatal(err)
	}
	// The partial file of a build stopped after its first batch.
	out := filepath.Join(dir, "first.csv.gz")
	ctx, cancel := context.WithCancel(context.Background())
	Build(ctx, irisEvaluator(t, 1), s, out, BuildOptions{Repeats: 2, Progress: func(done, total int) { cancel() }})
	first, err := os.ReadFile(out + ".partial")
	if err != nil {
		t.Fatal(err)
	}
	header, rest, _ := strings.Cut(string(first), "\n")
	row, _, _ := strings.Cut(rest, "\n")
	for _, tc := range []struct{ name, partial string }{
		{"empty", ""},
		{"torn header", header[:len(header)/2]},
		{"header only", header + "\n"},
		{"torn row", header + "\n" + row + "\n" + row[:1]},
		{"torn row with a comma", header + "\n" + row[:len(row)/2]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "t.csv.gz")
			os.WriteFile(out+".partial", []byte(tc.partial), 0o644)
			// Stopped after a batch, to see the rows it appended, then
			// finished.
			ctx, cancel := context.WithCancel(context.Background())
			Build(ctx, irisEvaluator(t, 1), s, out, BuildOptions{Repeats: 2, Progress: func(done, total int) { cancel() }})
			data, err := os.ReadFile(out + ".partial")
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
			if lines[0] != header {
				t.Fatalf("partial file starts with %q, want the header", lines[0])
			}
			for i, l := range lines[1:] {
				if strings.Count(l, ",") != strings.Count(row, ",") || l == header {
					t.Errorf("line %d of the resumed partial file: %q, want a whole row", i+2, l)
				}
			}
			if err := Build(context.Background(), irisEvaluator(t, 1), s, out, BuildOptions{Repeats: 2}); err != nil {
				t.Fatal(err)
			}
			got, err := Load(out)
			if err != nil {
				t.Fatal(err)
			}
			for i := range want.Len() {
				for k := range 2 {
					if got.Value(i, k) != want.Value(i, k) {
						t.Fatalf("row %d repeat %d: %v, want %v", i, k, got.Value(i, k), want.Value(i, k))
					}
				}
			}
		})
	}
}
