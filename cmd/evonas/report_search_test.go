package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evonas/evonas/run"
)

// TestReportSearch: evonas report on a single run (here one still being
// written) draws its plots; on a directory that is no run it is a usage
// error.
func TestReportSearch(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"run.json", "config.yaml", "evaluations.jsonl", "generations.jsonl"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "run", "testdata", "live", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Held as the process writing it holds it: a run no process holds
	// reads as interrupted.
	release, err := run.Hold(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	out := mustRun(t, "report", dir)
	for _, f := range []string{"progress.png", "progress.svg", "pareto.png", "pareto.svg"} {
		if !strings.Contains(out, filepath.Join(dir, f)) {
			t.Errorf("output does not name %s:\n%s", f, out)
		}
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if !strings.Contains(out, "running") {
		t.Errorf("output does not say the run is running:\n%s", out)
	}
	_, stderr, code := evonas(t, "report", t.TempDir())
	if code != exitUsage || !strings.Contains(stderr, "not an evonas run directory") {
		t.Errorf("report on an empty directory: exit %d, %s", code, stderr)
	}
}
