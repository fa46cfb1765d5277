package run

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/evonas/evonas/configs"
)

// TestTableRunDir: a run on a table writes run.json naming its table, and
// Dir reads it back as a table run: finished, its records numbered, its
// summary a TableSummary (not a search's Summary).
func TestTableRunDir(t *testing.T) {
	cfg := configs.Default()
	cfg.Budget.Evaluations = 25
	dir := filepath.Join(t.TempDir(), "run")
	sum, _, err := (&TableRun{Table: "spirals_mlp", Config: cfg, Source: "default", Strategy: GA, Dir: dir, Command: "evonas evolve --table spirals_mlp"}).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	info, err := ReadInfo(dir)
	if err != nil {
		t.Fatal(err)
	}
	if info.Kind != KindEvolve || info.Strategy != GA || info.Table != "spirals_mlp" || info.Budget != 25 || info.Command != "evonas evolve --table spirals_mlp" || !strings.Contains(info.Config, "evolution:") {
		t.Errorf("run.json: kind %q, strategy %q, table %q, budget %d, command %q; want evolve, ga, spirals_mlp, 25 and the command, with the config", info.Kind, info.Strategy, info.Table, info.Budget, info.Command)
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !d.IsTable() || d.IsComparison() {
		t.Errorf("IsTable %v, IsComparison %v; want true, false", d.IsTable(), d.IsComparison())
	}
	if st, err := d.Status(); st != Finished || err != nil {
		t.Errorf("status %s, %v; want finished", st, err)
	}
	recs, err := d.Records()
	if err != nil || len(recs) != 25 {
		t.Fatalf("%d records, %v; want 25", len(recs), err)
	}
	for i, r := range recs {
		if r.Index != i || r.Regret == nil {
			t.Fatalf("record %d: index %d, regret %v; want numbered in order, with a regret", i, r.Index, r.Regret)
		}
	}
	got, err := d.TableSummary()
	if err != nil || got == nil || got.Regret != sum.Regret || got.Incumbent.Key != sum.Incumbent.Key {
		t.Errorf("TableSummary: %+v, %v; want the run's (regret %g, incumbent %s)", got, err, sum.Regret, sum.Incumbent.Key)
	}
	if s, err := d.Summary(); s != nil || err == nil {
		t.Errorf("Summary of a table run: %+v, %v; want an error", s, err)
	}
	if s, err := d.TableComparisonSummary(); s != nil || err == nil {
		t.Errorf("TableComparisonSummary of a table run: %+v, %v; want an error", s, err)
	}
	dirs, err := List(filepath.Dir(dir))
	if err != nil || len(dirs) != 1 || !dirs[0].IsTable() {
		t.Errorf("List: %v, %v; want the table run", dirs, err)
	}
}

// TestTableComparisonDir: a comparison on a table writes run.json with its
// variants, seeds, budget and table; Dir reads it as a finished table
// comparison without searches of its own, whose summary is a
// TableComparisonSummary.
func TestTableComparisonDir(t *testing.T) {
	tb, err := OpenTable("spirals_mlp")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "cmp")
	c := &TableComparison{Kind: KindCompare, Title: "Comparison", Variants: []Variant{{Name: "default", Config: configs.Default()}},
		Seeds: 3, Budget: 20, Workers: 1, Records: true, Dir: dir, Command: "evonas compare --table spirals_mlp"}
	sum, err := c.Run(context.Background(), tb)
	if err != nil {
		t.Fatal(err)
	}
	info, err := ReadInfo(dir)
	if err != nil {
		t.Fatal(err)
	}
	if info.Kind != KindCompare || info.Table != "spirals_mlp" || info.Seeds != 3 || info.Budget != 20 || len(info.Variants) != 1 || info.Variants[0].Name != "default" || info.Title != "Comparison on table spirals_mlp" {
		t.Errorf("run.json: %+v; want a compare on spirals_mlp, 3 seeds, budget 20, variant default", info)
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !d.IsTable() || !d.IsComparison() {
		t.Errorf("IsTable %v, IsComparison %v; want both", d.IsTable(), d.IsComparison())
	}
	if st, err := d.Status(); st != Finished || err != nil {
		t.Errorf("status %s, %v; want finished", st, err)
	}
	if ms, err := d.Members(); len(ms) != 0 || err != nil {
		t.Errorf("members %v, %v; want none (STRATEGY/seed-N.jsonl are not searches)", ms, err)
	}
	got, err := d.TableComparisonSummary()
	if err != nil || got == nil || !reflect.DeepEqual(got.Strategies[0].Regrets, sum.Strategies[0].Regrets) || got.Title != sum.Title {
		t.Errorf("TableComparisonSummary: %v, %v; want the comparison's", got, err)
	}
	if s, err := d.ComparisonSummary(); s != nil || err == nil {
		t.Errorf("ComparisonSummary of a table comparison: %+v, %v; want an error", s, err)
	}
}

// TestTableRunStopped: a table run stopped before its end takes its
// run.json (and the directory it made) away, so that no reader takes it for
// a run and the same command runs again into it; one killed before its
// summary, which leaves run.json, reads as running, is not resumed, and is
// replaced by the next run into its directory.
func TestTableRunStopped(t *testing.T) {
	cfg := configs.Default()
	cfg.Budget.Evaluations = 10
	root := t.TempDir()
	dir := filepath.Join(root, "run")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := &TableRun{Table: "spirals_mlp", Config: cfg, Source: "default", Strategy: GA, Dir: dir, Command: "evonas evolve --table spirals_mlp"}
	if _, _, err := r.Run(ctx); err == nil {
		t.Fatal("a cancelled table run: no error")
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a cancelled table run left %s: %v", dir, err)
	}
	tb, err := OpenTable("spirals_mlp")
	if err != nil {
		t.Fatal(err)
	}
	cdir := filepath.Join(root, "cmp")
	if err := os.Mkdir(cdir, 0o755); err != nil {
		t.Fatal(err)
	}
	c := &TableComparison{Kind: KindCompare, Title: "Comparison", Variants: []Variant{{Name: "default", Config: configs.Default()}}, Seeds: 2, Budget: 10, Workers: 1, Dir: cdir}
	if _, err := c.Run(ctx, tb); err == nil {
		t.Fatal("a cancelled table comparison: no error")
	}
	if _, err := os.Stat(filepath.Join(cdir, InfoFile)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a cancelled table comparison left its run.json: %v", err)
	}
	if _, err := os.Stat(cdir); err != nil {
		t.Errorf("a cancelled table comparison removed the directory it was given: %v", err)
	}

	// Killed: run.json only.
	if _, _, err := r.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{EvaluationsFile, SummaryFile} {
		if err := os.Remove(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := d.Status(); st != Running || err != nil {
		t.Errorf("a killed table run: status %s, %v; want running", st, err)
	}
	if err := CheckResumable(dir); err == nil || !strings.Contains(err.Error(), "nothing to resume") {
		t.Errorf("CheckResumable on a killed table run: %v; want nothing to resume", err)
	}
	if _, _, err := r.Run(context.Background()); err != nil {
		t.Errorf("a table run into a killed one's directory: %v", err)
	}
	// A run.json of another kind of run is never replaced.
	other := filepath.Join(root, "other")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := writeJSON(filepath.Join(other, InfoFile), Info{Version: InfoVersion, Kind: KindCompare}); err != nil {
		t.Fatal(err)
	}
	c.Dir = other
	if _, err := c.Run(context.Background(), tb); err == nil || !strings.Contains(err.Error(), "already holds") {
		t.Errorf("a table comparison into a comparison's directory: %v; want refused", err)
	}
}

// TestTableRunFailedLeavesNoRecords: a table run that fails after writing
// its records (here its Pareto plot cannot be written), or is killed
// before its summary, leaves no evaluations.jsonl beside a run.json it
// takes away: the same command runs again into the directory, and no
// reader takes the records for a run still going. Both left the records
// (a full disk cut them short), so the next run was refused ("run
// directory DIR already holds a run") and evonas report drew the half run
// as "running, 103 evaluations".
func TestTableRunFailedLeavesNoRecords(t *testing.T) {
	cfg := configs.Default()
	cfg.Budget.Evaluations = 10
	cfg.Objective.Minimize, cfg.Evolution.Model = []string{"error", "params"}, "nsga2"
	dir := filepath.Join(t.TempDir(), "run")
	if err := os.MkdirAll(filepath.Join(dir, ParetoFile), 0o755); err != nil { // not a file: the plot fails
		t.Fatal(err)
	}
	r := &TableRun{Table: "spirals_mlp", Config: cfg, Source: "default", Strategy: GA, Dir: dir, Command: "evonas evolve --table spirals_mlp"}
	if _, _, err := r.Run(context.Background()); err == nil {
		t.Fatal("a table run whose plot cannot be written: no error")
	}
	for _, f := range []string{InfoFile, EvaluationsFile, SummaryFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("a failed table run left %s: %v", f, err)
		}
	}
	if err := os.Remove(filepath.Join(dir, ParetoFile)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Run(context.Background()); err != nil {
		t.Fatalf("a table run into a failed one's directory: %v", err)
	}

	// Killed after its records, before its summary.
	if err := os.Remove(filepath.Join(dir, SummaryFile)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Run(context.Background()); err != nil {
		t.Errorf("a table run into a killed one's directory: %v", err)
	}
}
