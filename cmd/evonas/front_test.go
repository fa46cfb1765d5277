package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvolvePareto: evolve with two objectives prints the front, numbered
// as summary.json numbers it; predict and export take a member by index
// or key; a wrong member is a one-line error with exit status 2.
func TestEvolvePareto(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "pareto.yaml", smallYAML+`  model: nsga2
objective:
  minimize: [error, params]
`)
	run, stdout := evolveInto(t, "--config", cfg, "--quiet")
	sum := readSummary(t, run)
	if len(sum.Front) == 0 {
		t.Fatalf("no front in summary.json; stdout:\n%s", stdout)
	}
	if !strings.Contains(stdout, fmt.Sprintf("Pareto front (error, params) of %d members", len(sum.Front))) || !strings.Contains(stdout, "MEMBER") {
		t.Errorf("evolve's table:\n%s", stdout)
	}
	for _, m := range sum.Front {
		if !strings.Contains(stdout, m.Arch) {
			t.Errorf("member %d (%s) not in the table:\n%s", m.Index, m.Arch, stdout)
		}
	}
	data := writeTestFile(t, dir, "rows.csv", "x1,x2,x3,x4,x5,x6,x7,x8,x9,x10\n0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,0.9\n")
	last := fmt.Sprint(len(sum.Front) - 1)
	mustRun(t, "predict", "--model", run, "--member", last, "--data", data)
	mustRun(t, "predict", "--model", run, "--member", sum.Front[0].Key, "--data", data)
	mustRun(t, "export", "--model", run, "--member", last, "--out", filepath.Join(dir, "m.py"))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"predict", "--model", run, "--member", "99", "--data", data}, "the front has"},
		{[]string{"predict", "--model", filepath.Join(run, "best.json"), "--member", "0", "--data", data}, "--member needs --model to be a run directory"},
	} {
		_, stderr, code := evonas(t, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q on one line", tc.args, code, stderr, exitUsage, tc.want)
		}
	}
}
