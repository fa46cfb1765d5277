package run

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// oldRun makes a finished run of smallConfig's 3 generations in a new
// directory, for a test to make "old" by editing its files.
func oldRun(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "old")
	cfg := smallConfig(t)
	cfg.Training.Precision = "float64"
	s, err := New(cfg, GA, 0, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Create("evonas evolve"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return dir
}

// files are the contents of a directory's files.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, e := range es {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = string(b)
	}
	return m
}

// A run whose logs the replay of this evonas's search does not reproduce
// (made by an evonas whose search differs: a8fb298 changed steady_state's
// tournament, 76f388e roulette) is refused, naming the evonas that made
// it, and left as it was; it used to be continued, the logs then holding
// both searches' evaluations of the same generations.
func TestResumeOtherSearch(t *testing.T) {
	for _, tc := range []struct {
		name, madeBy, want string
	}{
		{"no version", "", "made by an earlier evonas (its run.json names no version)"},
		{"named", "v0.9-3-gabcdef", "made by evonas v0.9-3-gabcdef"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := oldRun(t)
			// The old search proposed another genome in generation 1 (of
			// 3 logged): the same record, under another key.
			path := filepath.Join(dir, EvaluationsFile)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.SplitAfter(string(b), "\n")
			edited := false
			for i, l := range lines {
				if strings.Contains(l, `"generation":1,`) && strings.Contains(l, `"status":"ok"`) {
					lines[i] = regexp.MustCompile(`"key":"[^"]*"`).ReplaceAllString(l, `"key":"99:relu:0|lr=0.001|batch=16|l2=0|opt=adam"`)
					edited = true
					break
				}
			}
			if !edited {
				t.Fatal("no trained evaluation in generation 1")
			}
			if err := os.WriteFile(path, []byte(strings.Join(lines, "")), 0o644); err != nil {
				t.Fatal(err)
			}
			var info map[string]any
			b, err = os.ReadFile(filepath.Join(dir, InfoFile))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &info); err != nil {
				t.Fatal(err)
			}
			delete(info, "evonas")
			if tc.madeBy != "" {
				info["evonas"] = tc.madeBy
			}
			if err := writeJSON(filepath.Join(dir, InfoFile), info); err != nil {
				t.Fatal(err)
			}
			// Before the resume: an interrupted run.
			cp, err := ReadCheckpoint(dir)
			if err != nil {
				t.Fatal(err)
			}
			cp.Interrupted = true
			if err := writeJSON(filepath.Join(dir, CheckpointFile), cp); err != nil {
				t.Fatal(err)
			}
			if err := os.Remove(filepath.Join(dir, SummaryFile)); err != nil {
				t.Fatal(err)
			}
			before := files(t, dir)

			cfg, err := ReadConfig(dir)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Evolution.Generations = 5
			s, err := Reopen(dir, cfg, 0)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = s.Run(context.Background())
			var ie *InputError
			if !asInput(err, &ie) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "whose search differs") ||
				!strings.Contains(err.Error(), "generation 1 proposes") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("resume: %v; want a one-line input error saying the run was %s and its search differs at generation 1", err, tc.want)
			}
			after := files(t, dir)
			for name, was := range before {
				if after[name] != was {
					t.Errorf("%s changed by the refused resume", name)
				}
			}
			for name := range after {
				if _, ok := before[name]; !ok {
					t.Errorf("%s written by the refused resume", name)
				}
			}
			if st, err := (&Dir{Path: dir}).Status(); st != Interrupted || err != nil {
				t.Errorf("status after the refusal %q, %v; want interrupted", st, err)
			}
		})
	}
}

func asInput(err error, ie **InputError) bool {
	e, ok := err.(*InputError)
	if ok {
		*ie = e
	}
	return ok
}

// A run of this evonas records its version in run.json and resumes
// without a word: its replay proposes what its logs hold.
func TestResumeSameSearch(t *testing.T) {
	Version = "v1.2-test"
	defer func() { Version = "" }()
	dir := oldRun(t)
	info, err := ReadInfo(dir)
	if err != nil {
		t.Fatal(err)
	}
	if info.Evonas != "v1.2-test" {
		t.Errorf("run.json's evonas %q, want v1.2-test", info.Evonas)
	}
	cfg, err := ReadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Evolution.Generations = 5
	s, err := Reopen(dir, cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Run(context.Background()); err != nil {
		t.Fatalf("resume of this evonas's run: %v", err)
	}
}

// A run from before training.precision existed has none in its saved
// configs, checkpoint.json's included, and resumes in float64 (the
// checkpoint's config was read with today's default, float32, and every
// such resume refused: training.precision changed from float32 to float64).
func TestResumeCheckpointWithoutPrecision(t *testing.T) {
	dir := oldRun(t)
	drop := regexp.MustCompile(`(?m)^\s*precision: float\d\d\n`)
	for _, name := range []string{ConfigFile} {
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, drop.ReplaceAll(b, nil), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{InfoFile, CheckpointFile} {
		var m map[string]any
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		m["config"] = drop.ReplaceAllString(m["config"].(string), "")
		if err := writeJSON(filepath.Join(dir, name), m); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := ReadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Reopen(dir, cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Run(context.Background()); err != nil {
		t.Fatalf("resume of a run saved without training.precision: %v", err)
	}
}
