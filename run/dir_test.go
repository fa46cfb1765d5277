package run

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evonas/evonas/search"
)

// copyDir copies the files of a fixture directory into a new temporary
// directory and returns it.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// testdata/live is a run caught while it writes: six evaluations and a
// torn seventh, one generation and a torn second, no checkpoint and no
// summary yet.
func TestOpenLiveRun(t *testing.T) {
	dir := copyDir(t, "testdata/live")
	before, err := os.ReadFile(filepath.Join(dir, EvaluationsFile))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d.Info == nil || d.Info.Kind != KindEvolve || d.Info.Strategy != GA || d.IsComparison() {
		t.Errorf("info %+v, want an evolve run with strategy ga", d.Info)
	}
	recs, err := d.Records()
	if err != nil {
		t.Fatalf("records of a torn log: %v", err)
	}
	if len(recs) != 6 {
		t.Errorf("%d records, want the 6 whole lines", len(recs))
	}
	for i, r := range recs {
		if r.Generation != 0 || r.Key == "" || !(r.Fitness >= 0 && r.Fitness <= 1) {
			t.Errorf("record %d: generation %d, key %q, fitness %v; want generation 0 with a key and a fitness in [0, 1]", i, r.Generation, r.Key, r.Fitness)
		}
	}
	gens, err := d.Generations()
	if err != nil {
		t.Fatalf("generations of a torn log: %v", err)
	}
	if len(gens) != 1 || gens[0].Generation != 0 || gens[0].Evaluations != 6 {
		t.Errorf("generations %+v, want generation 0 with 6 evaluations", gens)
	}
	if g := gens[0]; g.Mean == nil || g.GenerationStats.Mean != *g.Mean {
		t.Errorf("generation mean %v, statistics' mean %v; want both read", g.Mean, g.GenerationStats.Mean)
	}
	if sum, err := d.Summary(); sum != nil || err != nil {
		t.Errorf("summary of a running search: %v, %v; want nil, nil", sum, err)
	}
	if cp, err := d.Checkpoint(); cp != nil || err != nil {
		t.Errorf("checkpoint before the first generation's: %v, %v; want nil, nil", cp, err)
	}
	release, err := Hold(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := d.Status(); st != Running || err != nil {
		t.Errorf("status %q, %v; want running", st, err)
	}
	release()
	// Killed (SIGKILL, a second Ctrl-C) before its checkpoint could say
	// so: no process runs it, and a resume continues it.
	if st, err := d.Status(); st != Interrupted || err != nil {
		t.Errorf("status once no process holds it %q, %v; want interrupted", st, err)
	}
	cfg, err := d.Config()
	if err != nil || cfg.Seed != 7 || cfg.Data.Name != "iris" {
		t.Errorf("config: seed %d, data %q, %v; want seed 7 on iris", cfg.Seed, cfg.Data.Name, err)
	}
	// A reader never cuts the torn line: the writer may finish it.
	after, err := os.ReadFile(filepath.Join(dir, EvaluationsFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Errorf("reading changed evaluations.jsonl from %d to %d bytes", len(before), len(after))
	}
	if _, err := d.ComparisonSummary(); err == nil {
		t.Error("the comparison summary of a search: no error")
	}
	if _, err := d.Members(); err == nil {
		t.Error("the members of a search: no error")
	}
}

func TestStatus(t *testing.T) {
	dir := copyDir(t, "testdata/live")
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		write   map[string]any
		running bool // a process holds the directory
		want    Status
	}{
		{"checkpoint", map[string]any{CheckpointFile: Checkpoint{Version: CheckpointVersion, Logged: 6}}, true, Running},
		// Killed before its stop's checkpoint (SIGINT then SIGTERM at once,
		// SIGKILL): it read as running for ever.
		{"checkpoint, no process", nil, false, Interrupted},
		{"interrupted", map[string]any{CheckpointFile: Checkpoint{Version: CheckpointVersion, Logged: 6, Interrupted: true}}, false, Interrupted},
		// Being resumed, before the resume's first checkpoint.
		{"interrupted, resumed", nil, true, Running},
		{"summary", map[string]any{SummaryFile: Summary{Strategy: GA, Evaluations: 6, Stop: "generations"}}, false, Finished},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for f, v := range tc.write {
				if err := writeJSON(filepath.Join(dir, f), v); err != nil {
					t.Fatal(err)
				}
			}
			if tc.running {
				release, err := Hold(dir)
				if err != nil {
					t.Fatal(err)
				}
				defer release()
			}
			if st, err := d.Status(); st != tc.want || err != nil {
				t.Errorf("status %q, %v; want %q", st, err, tc.want)
			}
		})
	}
	sum, err := d.Summary()
	if err != nil || sum == nil || sum.Evaluations != 6 || sum.Stop != "generations" {
		t.Errorf("summary %+v, %v; want the one written", sum, err)
	}
	cp, err := d.Checkpoint()
	if err != nil || cp == nil || !cp.Interrupted || cp.Logged != 6 {
		t.Errorf("checkpoint %+v, %v; want the interrupted one written", cp, err)
	}
}

func TestReadLines(t *testing.T) {
	good := `{"index":0,"generation":0,"key":"a","status":"ok","fitness":0.5}` + "\n"
	for _, tc := range []struct {
		name, text string
		lines      int
		err        string // in the error; "" for none
	}{
		{"empty", "", 0, ""},
		{"whole", good + good, 2, ""},
		{"torn", good + good[:20], 1, ""},
		{"torn decodes", good + good[:len(good)-1], 1, ""}, // no newline yet
		{"bad middle", good + "{\n" + good, 1, "evaluations.jsonl:2:"},
		{"no key", `{"index":0}` + "\n" + good, 0, "evaluations.jsonl:1: evaluation without a key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, EvaluationsFile)
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, cut := range []bool{false, true} {
				recs, err := readEvaluations(dir, cut)
				if tc.err != "" {
					var ie *InputError
					if err == nil || !strings.Contains(err.Error(), tc.err) || !errors.As(err, &ie) {
						t.Errorf("cut %v: error %v, want an input error with %q", cut, err, tc.err)
					}
					continue
				}
				if err != nil || len(recs) != tc.lines {
					t.Errorf("cut %v: %d records, %v; want %d", cut, len(recs), err, tc.lines)
				}
				b, _ := os.ReadFile(path)
				want := tc.text
				if cut {
					want = strings.Repeat(good, tc.lines)
				}
				if string(b) != want {
					t.Errorf("cut %v: file holds %q, want %q", cut, b, want)
				}
			}
		})
	}
	if recs, err := readEvaluations(t.TempDir(), true); recs != nil || err != nil {
		t.Errorf("missing log: %v, %v; want nothing", recs, err)
	}
}

func TestGenerationJSON(t *testing.T) {
	g := generationOf(search.GenerationStats{Generation: 3, Best: 0.25, Mean: math.NaN(), Std: math.Inf(1), Failed: 4})
	b, err := json.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"mean":null,"std":null`)) {
		t.Errorf("%s: want a null mean and std", b)
	}
	var back Generation
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Generation != 3 || back.Best != 0.25 || back.Failed != 4 || back.Mean != nil || !math.IsNaN(back.GenerationStats.Mean) || !math.IsNaN(back.GenerationStats.Std) {
		t.Errorf("read back %+v (stats %+v), want generation 3, best 0.25, 4 failed, NaN mean and std", back, back.GenerationStats)
	}
}

// comparisonDir writes a comparison's run.json with two variants and two
// seeds, and the searches given as "strategy/seed-N".
func comparisonDir(t *testing.T, root string, members ...string) string {
	t.Helper()
	dir := filepath.Join(root, "cmp")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	info := Info{Version: InfoVersion, Kind: KindCompare, Seeds: 2, Budget: 8,
		Variants: []VariantInfo{{Name: "a", Config: "{}"}, {Name: "b", Config: "{}"}}}
	if err := writeJSON(filepath.Join(dir, InfoFile), info); err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		p := filepath.Join(dir, m)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p, EvaluationsFile), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestComparisonMembers(t *testing.T) {
	dir := comparisonDir(t, t.TempDir(), "a/seed-1", "b/seed-1", "random/seed-1", "a/seed-2")
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !d.IsComparison() {
		t.Fatal("a compare run is not a comparison")
	}
	ms, err := d.Members()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, fmt.Sprintf("%s/%d", m.Strategy, m.Seed))
		if m.Dir.Info != nil {
			t.Errorf("%s: a search of a comparison has info %+v", m.Dir.Path, m.Dir.Info)
		}
	}
	if want := "a/1 a/2 b/1 random/1"; strings.Join(got, " ") != want {
		t.Errorf("members %v, want %s", got, want)
	}
	// Running: the comparison and its searches held as their processes
	// hold them.
	releases := map[string]func(){}
	for _, p := range []string{"", "a/seed-1", "b/seed-1", "random/seed-1", "a/seed-2"} {
		release, err := Hold(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		releases[p] = release
		defer release()
	}
	if st, err := d.Status(); st != Running || err != nil {
		t.Errorf("status %q, %v; want running", st, err)
	}
	if err := writeJSON(filepath.Join(dir, "b", "seed-1", CheckpointFile), Checkpoint{Version: CheckpointVersion, Interrupted: true}); err != nil {
		t.Fatal(err)
	}
	releases["b/seed-1"]()
	if st, err := d.Status(); st != Interrupted || err != nil {
		t.Errorf("status with an interrupted search %q, %v; want interrupted", st, err)
	}
	if s, err := d.ComparisonSummary(); s != nil || err != nil {
		t.Errorf("summary of a running comparison: %v, %v; want nil, nil", s, err)
	}
	if _, err := d.Summary(); err == nil {
		t.Error("a search's summary of a comparison: no error")
	}
}

func TestList(t *testing.T) {
	root := t.TempDir()
	comparisonDir(t, root, "a/seed-1")
	for _, p := range []string{"x/live", "live"} {
		live := copyDir(t, "testdata/live")
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(live, filepath.Join(root, p)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(root, "bad"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "bad", InfoFile), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	dirs, err := List(root)
	var got []string
	for _, d := range dirs {
		rel, _ := filepath.Rel(root, d.Path)
		got = append(got, rel+":"+d.Info.Kind)
	}
	if want := "cmp:compare live:evolve x/live:evolve"; strings.Join(got, " ") != want {
		t.Errorf("runs %v, want %s", got, want)
	}
	var ie *InputError
	if err == nil || !strings.Contains(err.Error(), filepath.Join(root, "bad", InfoFile)) || !errors.As(err, &ie) {
		t.Errorf("error %v, want one naming bad/run.json", err)
	}
}

func TestOpenNotARun(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(dir)
	var ie *InputError
	if err == nil || !errors.As(err, &ie) || !strings.Contains(err.Error(), "not an evonas run directory") {
		t.Errorf("open of an empty directory: %v, want an input error", err)
	}
}
