package run

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/search"
)

// smallYAML is a search of a few hundredths of a second.
const smallYAML = `seed: 3
data: {name: seed-sum, rows: 300}
search_space:
  layers: {min: 1, max: 2}
  width_choices: [4, 8, 16]
  activations: [relu, tanh]
  batch: [16, 32]
training: {epochs: 2, patience: 0}
evolution: {population: 4, generations: 3}
workers: 2
`

func smallConfig(t *testing.T) configs.Config {
	t.Helper()
	cfg, err := configs.Parse([]byte(smallYAML), "small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// counter observes a search; cancel, when set, is called after the
// generation stop.
type counter struct {
	mu          sync.Mutex
	evaluations int
	generations []int
	stop        int
	cancel      context.CancelFunc
}

func (c *counter) Evaluated(fitness.Record) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.evaluations++
}

func (c *counter) Generation(s search.GenerationStats) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.generations = append(c.generations, s.Generation)
	if c.cancel != nil && s.Generation == c.stop {
		c.cancel()
	}
}

// events lists a run's evaluations without timings or completion order,
// sorted.
func events(t *testing.T, dir string) []string {
	t.Helper()
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := d.Records()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs {
		out = append(out, fmt.Sprintf("g%d %s %s fit=%v val=%+v test=%+v seed=%d", r.Generation, r.Key, r.Status, r.Fitness, r.Val, r.Test, r.Seed))
	}
	sort.Strings(out)
	return out
}

func TestSearchRunDirectory(t *testing.T) {
	cfg := smallConfig(t)
	dir := filepath.Join(t.TempDir(), "run")
	s, err := New(cfg, GA, 0, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Create("evonas evolve --config small.yaml"); err != nil {
		t.Fatal(err)
	}
	if err := s.Create("again"); err == nil {
		t.Error("a second Create in the same directory: no error")
	}
	var obs counter
	s.Observer = &obs
	sum, res, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{InfoFile, ConfigFile, EvaluationsFile, GenerationsFile, CheckpointFile, BestFile, SummaryFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d.Info.Command != "evonas evolve --config small.yaml" || d.Info.Data != s.Data.Fingerprint() {
		t.Errorf("run.json: command %q, data %s; want the command and the data's fingerprint", d.Info.Command, d.Info.Data)
	}
	if st, err := d.Status(); st != Finished || err != nil {
		t.Errorf("status %q, %v; want finished", st, err)
	}
	recs, err := d.Records()
	if err != nil || len(recs) != obs.evaluations {
		t.Errorf("%d records, %v; the observer saw %d", len(recs), err, obs.evaluations)
	}
	gens, err := d.Generations()
	if err != nil || len(gens) != len(obs.generations) || len(gens) != res.Generations+1 {
		t.Errorf("%d generations, %v; observer saw %d, the result says %d after the first", len(gens), err, len(obs.generations), res.Generations)
	}
	got, err := d.Summary()
	if err != nil || got == nil || got.Evaluations != sum.Evaluations || got.Best.Key != sum.Best.Key || got.Best.Key != res.Best[0].Key {
		t.Errorf("summary read back %+v, %v; want the run's, best %s", got, err, res.Best[0].Key)
	}
	cp, err := d.Checkpoint()
	if err != nil || cp == nil || cp.Interrupted || cp.Logged != len(recs) {
		t.Errorf("checkpoint %+v, %v; want one counting %d evaluations", cp, err, len(recs))
	}

	// Resuming a finished run replays it and writes no event again.
	before, _ := os.ReadFile(filepath.Join(dir, EvaluationsFile))
	r, err := Reopen(dir, cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, EvaluationsFile))
	if !bytes.Equal(before, after) {
		t.Errorf("a replay changed evaluations.jsonl (%d bytes, then %d)", len(before), len(after))
	}
}

func TestInterruptAndReopen(t *testing.T) {
	cfg := smallConfig(t)
	root := t.TempDir()
	whole := filepath.Join(root, "whole")
	s, err := New(cfg, GA, 0, whole)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Create("whole"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}

	dir := filepath.Join(root, "cut")
	s, err = New(cfg, GA, 0, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Create("cut"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.Observer = &counter{stop: 1, cancel: cancel}
	_, _, err = s.Run(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("run cancelled after generation 1: %v, want context.Canceled", err)
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := d.Status(); st != Interrupted || err != nil {
		t.Errorf("status %q, %v; want interrupted", st, err)
	}

	// A resume may change the generations, not what past evaluations mean.
	changed := cfg
	changed.Training.Epochs = 3
	if _, err := Reopen(dir, changed, 0); err == nil || !strings.Contains(err.Error(), "training.epochs") {
		t.Errorf("reopen with other epochs: %v, want an error naming training.epochs", err)
	}
	r, err := Reopen(dir, cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st, err := d.Status(); st != Finished || err != nil {
		t.Errorf("status after the resume %q, %v; want finished", st, err)
	}
	got, want := events(t, dir), events(t, whole)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("interrupted and resumed run logged %d evaluations, the whole run %d, or they differ:\n%s\nwant:\n%s",
			len(got), len(want), strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSweepVariants(t *testing.T) {
	base := smallConfig(t)
	vs, err := SweepVariants(base, []Axis{{Key: "evolution.population", Values: []string{"4", "6"}}, {Key: "training.epochs", Values: []string{"1", "2"}}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range vs {
		names = append(names, fmt.Sprintf("%s(%d,%d)", v.Name, v.Config.Evolution.Population, v.Config.Training.Epochs))
	}
	want := "population=4 epochs=1(4,1) population=4 epochs=2(4,2) population=6 epochs=1(6,1) population=6 epochs=2(6,2)"
	if strings.Join(names, " ") != want {
		t.Errorf("variants %v, want %s", names, want)
	}
	if _, err := SweepVariants(base, []Axis{{Key: "evolution.populaton", Values: []string{"4"}}}); err == nil {
		t.Error("a misspelt key: no error")
	}
	var ie *InputError
	if _, err := SweepVariants(base, nil); !errors.As(err, &ie) || !strings.Contains(err.Error(), "at least one --set") {
		t.Errorf("no axis: %v, want an InputError asking for a --set", err)
	}
	// Variants that are one config would run the same searches.
	for _, ax := range []Axis{
		{Key: "evolution.population", Values: []string{"4", "6", "4"}},
		{Key: "evolution.mutation_rate", Values: []string{"0.5", "0.50"}},
		{Key: "name", Values: []string{"a", "b"}},
	} {
		_, err := SweepVariants(base, []Axis{ax})
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), "the same config") {
			t.Errorf("--set %s=%s: %v, want an InputError saying two variants are the same config", ax.Key, strings.Join(ax.Values, ","), err)
		}
	}
}

// TestBestWriteFailsResumes: a search whose best.json cannot be written (a
// full disk; here a directory in its place) stops as a run to resume, the
// error saying how to continue, and its resume writes best.json and
// summary.json. It ended with the bare write error, though every
// evaluation was saved and evonas resume finishes the run.
func TestBestWriteFailsResumes(t *testing.T) {
	cfg := smallConfig(t)
	dir := filepath.Join(t.TempDir(), "run")
	s, err := New(cfg, GA, 0, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Create("evolve"); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, BestFile), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, _, err = s.Run(ctx)
	err = stopped(ctx, dir, err) // as Launch does
	var se *StoppedError
	if !errors.As(err, &se) || !strings.Contains(se.Hint("", false), "continue with: evonas resume "+dir) {
		t.Fatalf("best.json not written: %v; want a StoppedError whose hint resumes %s", err, dir)
	}
	if err := os.Remove(filepath.Join(dir, BestFile)); err != nil {
		t.Fatal(err)
	}
	r, err := Reopen(dir, cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Launch(context.Background(), Setup{}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{BestFile, SummaryFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the resume did not write %s: %v", f, err)
		}
	}
}

// TestHallOfFameMeans: with objective.repeats a genome's fitness is the
// mean of its trainings, and summary.json's validation and test scores of
// it (and the printed table's) are the means of the same trainings, so
// that fitness is 1 - val_acc; they were its first training's (a table
// run showed VAL ACC 1.0000 next to FITNESS 0.0435).
func TestHallOfFameMeans(t *testing.T) {
	cfg := smallConfig(t)
	cfg.Objective.Repeats, cfg.Objective.Finalists = 3, 2
	cfg.Budget.Evaluations = 24
	cfg.Evolution.Generations = 20
	dir := filepath.Join(t.TempDir(), "run")
	s, err := New(cfg, GA, 0, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Create("test"); err != nil {
		t.Fatal(err)
	}
	sum, res, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := d.Records()
	if err != nil {
		t.Fatal(err)
	}
	type trainings struct {
		n         int
		val, test float64
	}
	by := map[string]*trainings{}
	for _, r := range recs {
		if r.Status != fitness.OK {
			continue
		}
		if by[r.Key] == nil {
			by[r.Key] = &trainings{}
		}
		b := by[r.Key]
		b.n++
		b.val += r.Val.Acc
		b.test += r.Test.Acc
	}
	repeated := 0
	near := func(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 }
	var out bytes.Buffer
	WriteResult(&out, *sum, res, s.Data, dir)
	lines := strings.Split(out.String(), "\n")
	if !strings.HasSuffix(strings.TrimSpace(lines[1]), "FITNESS  TRAININGS") {
		t.Errorf("table header %q: want a TRAININGS column after FITNESS", lines[1])
	}
	for i, c := range append(sum.HallOfFame, sum.Best) {
		b := by[c.Key]
		if b == nil || c.ValAcc == nil || c.TestAcc == nil || c.Fitness == nil {
			t.Fatalf("candidate %d %s: no trainings or scores", i, c.Key)
		}
		if b.n > 1 {
			repeated++
		}
		if c.Trainings != b.n {
			t.Errorf("candidate %d: %d trainings, want %d", i, c.Trainings, b.n)
		}
		if i < len(sum.HallOfFame) {
			want := fmt.Sprintf("%.4f  %.4f  %.4f  %d", *c.ValAcc, *c.TestAcc, *c.Fitness, b.n)
			if f := strings.Fields(lines[2+i]); len(f) < 4 || strings.Join(f[len(f)-4:], "  ") != want {
				t.Errorf("table row %d %q: want it to end %q", i+1, lines[2+i], want)
			}
		}
		k := float64(b.n)
		if !near(*c.ValAcc, b.val/k) || !near(*c.TestAcc, b.test/k) {
			t.Errorf("candidate %d: val_acc %v, test_acc %v; want the means of its %d trainings, %v and %v", i, *c.ValAcc, *c.TestAcc, b.n, b.val/k, b.test/k)
		}
		if !near(*c.Fitness, 1-*c.ValAcc) {
			t.Errorf("candidate %d: fitness %v, val_acc %v: want fitness = 1 - val_acc", i, *c.Fitness, *c.ValAcc)
		}
	}
	if repeated == 0 {
		t.Fatal("no candidate of the hall of fame was trained more than once: the test tests nothing")
	}
}
