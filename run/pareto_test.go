package run

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/model"
)

// TestParetoRunDirectory: a Pareto search's summary.json lists its front,
// the most accurate member first and as best.json; pareto.png and .svg are
// drawn; MemberModel retrains any member to the net the search scored.
func TestParetoRunDirectory(t *testing.T) {
	cfg := smallConfig(t)
	for k, v := range map[string]string{"objective.minimize": "error,params", "evolution.model": "nsga2", "evolution.population": "6"} {
		if err := configs.Set(&cfg, k, v); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(t.TempDir(), "run")
	s, err := New(cfg, GA, 0, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Create("evonas evolve"); err != nil {
		t.Fatal(err)
	}
	sum, res, err := s.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{ParetoFile, ParetoSVGFile, BestFile} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	d, _ := Open(dir)
	got, err := d.Summary()
	if err != nil || len(got.Front) == 0 || len(got.Front) != len(res.Front) || strings.Join(got.Objectives, ",") != "error,params" {
		t.Fatalf("summary front %+v (objectives %v), %v; the run's front has %d", got.Front, got.Objectives, err, len(res.Front))
	}
	for i, m := range got.Front {
		if m.Index != i || m.Key != res.Front[i].Key || m.Objectives["params"] != float64(m.Params) || m.Objectives["error"] != *m.Fitness {
			t.Errorf("member %d: %+v", i, m)
		}
		if i > 0 && m.Objectives["error"] < got.Front[i-1].Objectives["error"] {
			t.Errorf("member %d more accurate than member %d", i, i-1)
		}
	}
	if sum.Best.Key != got.Front[0].Key {
		t.Errorf("best %s, the front's most accurate %s", sum.Best.Key, got.Front[0].Key)
	}
	best, err := model.Load(filepath.Join(dir, BestFile))
	if err != nil {
		t.Fatal(err)
	}
	if key := infoKey(t, best); key != got.Front[0].Key {
		t.Errorf("best.json is %s, want member 0 %s", key, got.Front[0].Key)
	}

	last := len(got.Front) - 1
	for _, which := range []string{"1", got.Front[last].Key} {
		if len(got.Front) < 2 {
			break
		}
		m, err := MemberModel(context.Background(), dir, which)
		if err != nil {
			t.Fatalf("member %s: %v", which, err)
		}
		want := got.Front[1]
		if which != "1" {
			want = got.Front[last]
		}
		if key := infoKey(t, m); key != want.Key {
			t.Errorf("member %s: model of %s, want %s", which, key, want.Key)
		}
		// Retrained with its recorded seed: the search's net, which a
		// different fitness would note.
		if strings.Contains(string(m.Info), `"note"`) {
			t.Errorf("member %s retrained to another fitness: %v", which, m.Info)
		}
	}
	if _, err := MemberModel(context.Background(), dir, "99"); err == nil || !strings.Contains(err.Error(), "the front has") {
		t.Errorf("member 99: %v", err)
	}
	// evonas report redraws the same Pareto plot, under the run's objectives.
	paths, err := d.WriteSearchReport()
	if err != nil || len(paths) != 4 || filepath.Base(paths[0]) != ParetoFile {
		t.Errorf("search report %v, %v; want pareto.png, .svg and the progress plots", paths, err)
	}
	// A resumed (here: replayed) run rebuilds the same front from its log.
	r, err := Reopen(dir, cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := r.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Front) != len(got.Front) {
		t.Fatalf("front after a resume: %d members, before %d", len(again.Front), len(got.Front))
	}
	for i := range again.Front {
		if again.Front[i].Key != got.Front[i].Key {
			t.Errorf("member %d after a resume: %s, before %s", i, again.Front[i].Key, got.Front[i].Key)
		}
	}

	// A single-objective run has no front to pick from.
	plain := filepath.Join(t.TempDir(), "plain")
	ps, _ := New(smallConfig(t), GA, 0, plain)
	if err := ps.Create("x"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ps.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := MemberModel(context.Background(), plain, "0"); err == nil || !strings.Contains(err.Error(), "not a finished Pareto search") {
		t.Errorf("member of a single-objective run: %v", err)
	}
	if _, err := os.Stat(filepath.Join(plain, ParetoFile)); err == nil {
		t.Error("a single-objective run drew a Pareto plot")
	}
}

// infoKey is the genome key of the record a model file carries.
func infoKey(t *testing.T, m *model.Model) string {
	t.Helper()
	var info struct {
		Record fitness.Record `json:"record"`
	}
	if err := json.Unmarshal(m.Info, &info); err != nil {
		t.Fatal(err)
	}
	return info.Record.Key
}

// TestParetoComparison: a comparison of a Pareto search with random search
// reports hypervolumes, their tests, and draws hypervolume.png.
func TestParetoComparison(t *testing.T) {
	cfg := smallConfig(t)
	for k, v := range map[string]string{"objective.minimize": "error,params", "evolution.model": "nsga2"} {
		if err := configs.Set(&cfg, k, v); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(t.TempDir(), "cmp")
	c, err := NewComparison(KindCompare, "Pareto", []Variant{{Name: "nsga2", Config: cfg}}, 2, 10, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Create(); err != nil {
		t.Fatal(err)
	}
	sum, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Frame == nil || sum.Strategies[0].Hypervolume == nil || sum.Strategies[1].Hypervolume == nil {
		t.Fatalf("no hypervolumes: frame %v", sum.Frame)
	}
	var tested bool
	for _, tt := range sum.Tests {
		tested = tested || tt.Metric == "hypervolume"
	}
	md, _ := os.ReadFile(filepath.Join(dir, ReportFile))
	if _, err := os.Stat(filepath.Join(dir, "hypervolume.png")); err != nil || !tested || !strings.Contains(string(md), "## Hypervolume") {
		t.Errorf("hypervolume.png: %v; tested %v; report.md:\n%s", err, tested, md)
	}
}

// TestParetoTableSearch: evolve on a table with two objectives writes the
// front (params from the widths) and its plot; latency is refused.
func TestParetoTableSearch(t *testing.T) {
	var b strings.Builder
	b.WriteString("units_1,units_2,lr,val_mse_0,val_mse_1\n")
	for i, u1 := range []int{16, 32, 64} {
		for j, u2 := range []int{16, 32, 64} {
			for k, lr := range []string{"0.01", "0.1"} {
				e := 0.5/float64(1+i+j) + 0.05*float64(k)
				fmt.Fprintf(&b, "%d,%d,%s,%g,%g\n", u1, u2, lr, e, e+0.01)
			}
		}
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "fcnet_protein_structure.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	tb, err := OpenTable(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg := configs.Default()
	cfg.Objective.Minimize, cfg.Evolution.Model, cfg.Evolution.Population = []string{"error", "params"}, "nsga2", 4
	p, err := TableProblem(tb, cfg, false, "test")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := TableSearch(context.Background(), p, cfg, GA, 12, filepath.Join(dir, "run"), "x")
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Front) == 0 || strings.Join(sum.Objectives, ",") != "error,params" {
		t.Fatalf("front %+v", sum.Front)
	}
	for _, m := range sum.Front {
		g := m.Genome.(interface{ Key() string })
		if m.Key != g.Key() || m.Params < 10*16+17*16+17 || m.Objectives["params"] != float64(m.Params) {
			t.Errorf("member %+v", m)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "run", ParetoFile)); err != nil {
		t.Error(err)
	}
	cfg.Objective.Minimize = []string{"error", "latency"}
	if _, err := TableSearch(context.Background(), p, cfg, GA, 12, filepath.Join(dir, "run2"), "x"); err == nil || !strings.Contains(err.Error(), "latency") {
		t.Errorf("latency on a table: %v", err)
	}
}
