package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkJSONFiles fails unless every .json file in dir is one JSON value and
// every .jsonl file is one per line.
func checkJSONFiles(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		switch filepath.Ext(e.Name()) {
		case ".json":
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !json.Valid(b) {
				t.Errorf("%s is not valid JSON", path)
			}
		case ".jsonl":
			for i, l := range readLines(t, path) {
				if !json.Valid(l) {
					t.Errorf("%s:%d is not valid JSON", path, i+1)
				}
			}
		}
	}
}

// TestWholeGenerationFails runs a search whose every candidate diverges:
// the failures are results, the run ends with exit 0, every file is valid
// JSON, and the run resumes.
func TestWholeGenerationFails(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "diverge.yaml", `data: {name: iris}
training: {epochs: 2, patience: 0}
search_space:
  lr: {min: 9, max: 10}
  optimizers: [sgd]
  activations: [linear]
evolution: {population: 4, generations: 1}
`)
	run := filepath.Join(dir, "run")
	_, stderr, code := evonas(t, "evolve", "--config", cfg, "--out", run, "--quiet")
	if code != exitOK {
		t.Fatalf("evolve: exit %d, want 0; stderr: %s", code, stderr)
	}
	checkJSONFiles(t, run)
	recs := readEvaluations(t, run)
	if len(recs) == 0 {
		t.Fatal("no evaluations logged")
	}
	for _, r := range recs {
		if r.Status != "diverged" {
			t.Errorf("%s: status %s, want diverged", r.Key, r.Status)
		}
	}
	if n := len(readLines(t, filepath.Join(run, "generations.jsonl"))); n != 2 {
		t.Errorf("generations.jsonl has %d lines, want 2", n)
	}
	_, stderr, code = evonas(t, "resume", "--generations", "2", "--quiet", run)
	if code != exitOK {
		t.Fatalf("resume: exit %d, want 0; stderr: %s", code, stderr)
	}
	checkJSONFiles(t, run)
	if n := len(readLines(t, filepath.Join(run, "generations.jsonl"))); n != 3 {
		t.Errorf("after resume, generations.jsonl has %d lines, want 3", n)
	}
	if s := readSummary(t, run); s.Best.Fitness != nil || !strings.Contains(s.Best.Status, "diverged") {
		t.Errorf("summary best %+v, want a diverged candidate with a null fitness", s.Best)
	}
}
