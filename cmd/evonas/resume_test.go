package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/evonas/evonas/run"
)

// TestMain lets the test binary stand in for the evonas command, so that
// tests can kill a real process: with EVONAS_AS_MAIN=1 it runs main.
func TestMain(m *testing.M) {
	if os.Getenv("EVONAS_AS_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// resumeConfig is a search of a few seconds with many generations.
const resumeConfig = `
data: {name: seed-sum, rows: 300}
search_space:
  layers: {min: 1, max: 3}
  width: {min: 4, max: 32}
training: {epochs: 4, patience: 0}
evolution: {population: 8, generations: 6}
workers: 2
`

// startEvonas starts the test binary as evonas in a new process.
func startEvonas(t *testing.T, args ...string) (*exec.Cmd, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "EVONAS_AS_MAIN=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stderr
}

// waitForLines waits until path has at least n lines or the process ends.
func waitForLines(t *testing.T, path string, n int, done <-chan struct{}) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-done:
			return
		default:
		}
		if b, err := os.ReadFile(path); err == nil && strings.Count(string(b), "\n") >= n {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("%s never reached %d lines", path, n)
}

// evaluations lists a run's evaluations without timings or completion
// order; it fails on a line that appears more often than in want.
func evaluationSet(t *testing.T, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "evaluations.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%s: bad line %q: %v", dir, line, err)
		}
		out = append(out, fmt.Sprint(r["generation"], r["key"], r["status"], r["fitness"], r["val"], r["test"], r["params"], r["epochs"], r["train_samples"], r["seed"]))
	}
	sort.Strings(out)
	return out
}

func bestOfRun(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Best struct {
			Key     string   `json:"key"`
			Fitness *float64 `json:"fitness"`
		} `json:"best"`
		Evaluations int `json:"evaluations"`
		CacheHits   int `json:"cache_hits"`
		Generations int `json:"generations"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s %v %d %d %d", s.Best.Key, *s.Best.Fitness, s.Evaluations, s.CacheHits, s.Generations)
}

// TestKillAndResume kills a search with SIGKILL at several random points
// and resumes it: every time the result equals the uninterrupted run's,
// with the same evaluations, none duplicated.
func TestKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("runs several searches")
	}
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "r.yaml", resumeConfig)
	want := filepath.Join(dir, "whole")
	mustRun(t, "evolve", "--config", cfg, "--out", want, "--quiet")
	wantEvals, wantBest := evaluationSet(t, want), bestOfRun(t, want)

	rng := rand.New(rand.NewPCG(42, 1))
	for i := range 3 {
		// Kill after a random number of logged evaluations, or at once.
		at := i*len(wantEvals)/3 + rng.IntN(5)
		t.Run(fmt.Sprintf("after %d evaluations", at), func(t *testing.T) {
			out := filepath.Join(dir, fmt.Sprintf("killed-%d", i))
			cmd, _ := startEvonas(t, "evolve", "--config", cfg, "--out", out, "--quiet")
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			waitForLines(t, filepath.Join(out, "evaluations.jsonl"), at, done)
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			if _, err := os.Stat(filepath.Join(out, "run.json")); err != nil {
				t.Skip("killed before the run directory was written")
			}
			mustRun(t, "resume", "--quiet", out)
			if got := evaluationSet(t, out); strings.Join(got, "\n") != strings.Join(wantEvals, "\n") {
				t.Fatalf("resumed run's evaluations differ from the uninterrupted run's:\n got %d: %v\nwant %d: %v", len(got), got, len(wantEvals), wantEvals)
			}
			if got := bestOfRun(t, out); got != wantBest {
				t.Errorf("best %s, want %s", got, wantBest)
			}
		})
	}
}

// TestInterruptAndResume sends SIGINT: the command exits 130 saying how to
// resume, and the resumed run ends like the uninterrupted one.
func TestInterruptAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("runs several searches")
	}
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "r.yaml", resumeConfig)
	want := filepath.Join(dir, "whole")
	mustRun(t, "evolve", "--config", cfg, "--out", want, "--quiet")

	out := filepath.Join(dir, "interrupted")
	cmd, stderr := startEvonas(t, "evolve", "--config", cfg, "--out", out, "--quiet")
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	waitForLines(t, filepath.Join(out, "evaluations.jsonl"), 12, done)
	cmd.Process.Signal(os.Interrupt)
	<-done
	if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
		t.Fatalf("exit %d after SIGINT, want %d; stderr %s", code, exitInterrupted, stderr)
	}
	if !strings.Contains(stderr.String(), "evonas resume "+out) {
		t.Errorf("stderr does not say how to resume: %s", stderr)
	}
	// The stop wrote a checkpoint that counts every finished evaluation.
	cp, err := run.ReadCheckpoint(out)
	if err != nil || cp == nil || !cp.Interrupted {
		t.Fatalf("checkpoint after SIGINT: %+v, %v; want one marked interrupted", cp, err)
	}
	if lines := len(evaluationSet(t, out)); cp.Logged != lines {
		t.Errorf("interrupted checkpoint counts %d evaluations, the log holds %d", cp.Logged, lines)
	}
	mustRun(t, "resume", "--quiet", out)
	if got, want := evaluationSet(t, out), evaluationSet(t, want); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("resumed run's evaluations differ from the uninterrupted run's")
	}
	if got, want := bestOfRun(t, out), bestOfRun(t, want); got != want {
		t.Errorf("best %s, want %s", got, want)
	}
}

// TestResumeTornLine resumes a run whose log ends in half a line.
func TestResumeTornLine(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "r.yaml", resumeConfig)
	out := filepath.Join(dir, "run")
	mustRun(t, "evolve", "--config", cfg, "--out", out, "--quiet", "--generations", "2")
	wantEvals := evaluationSet(t, out)
	path := filepath.Join(out, "evaluations.jsonl")
	b, _ := os.ReadFile(path)
	lines := strings.SplitAfter(strings.TrimSpace(string(b)), "\n")
	// Cut the file inside its last line.
	torn := strings.Join(lines[:len(lines)-1], "") + lines[len(lines)-1][:20]
	if err := os.WriteFile(path, []byte(torn), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "resume", "--quiet", out)
	if got := evaluationSet(t, out); strings.Join(got, "\n") != strings.Join(wantEvals, "\n") {
		t.Errorf("after a torn line the evaluations differ:\n got %v\nwant %v", got, wantEvals)
	}
	// A bad line that is not the last is an error naming it.
	b, _ = os.ReadFile(path)
	if err := os.WriteFile(path, []byte("{bad\n"+string(b)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := evonas(t, "resume", "--quiet", out)
	if code != exitUsage {
		t.Fatalf("exit %d, want 2", code)
	}
	checkOneLine(t, stderr, "evaluations.jsonl:1")
	// Without --quiet too: the error comes before the line saying the
	// run resumes.
	_, stderr, code = evonas(t, "resume", out)
	if code != exitUsage {
		t.Fatalf("exit %d, want 2", code)
	}
	checkOneLine(t, stderr, "evaluations.jsonl:1")
}

// TestResumeChanges: a resume may run more generations (and then equals a
// run that had them from the start) but refuses to change the search.
func TestResumeChanges(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTestFile(t, dir, "r.yaml", resumeConfig)
	short := filepath.Join(dir, "short")
	mustRun(t, "evolve", "--config", cfg, "--out", short, "--quiet", "--generations", "2")
	mustRun(t, "resume", "--quiet", "--generations", "4", short)
	long := filepath.Join(dir, "long")
	mustRun(t, "evolve", "--config", cfg, "--out", long, "--quiet", "--generations", "4")
	if got, want := evaluationSet(t, short), evaluationSet(t, long); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("2 generations resumed to 4 differ from 4 generations")
	}
	if got, want := bestOfRun(t, short), bestOfRun(t, long); got != want {
		t.Errorf("best %s, want %s", got, want)
	}

	// Changing the search space by hand is refused, naming the key.
	y, _ := os.ReadFile(filepath.Join(short, "config.yaml"))
	edited := strings.Replace(string(y), "max: 32", "max: 64", 1)
	if edited == string(y) {
		t.Fatal("config.yaml has no width max of 32 to edit")
	}
	os.WriteFile(filepath.Join(short, "config.yaml"), []byte(edited), 0o644)
	_, stderr, code := evonas(t, "resume", "--quiet", short)
	if code != exitUsage {
		t.Fatalf("exit %d, want 2", code)
	}
	checkOneLine(t, stderr, "search_space.width.max", "changed")

	// Before the first checkpoint, run.json's copy of the config catches it.
	os.Remove(filepath.Join(short, "checkpoint.json"))
	_, stderr, code = evonas(t, "resume", "--quiet", short)
	if code != exitUsage {
		t.Fatalf("without a checkpoint: exit %d, want 2", code)
	}
	checkOneLine(t, stderr, "search_space.width.max", "changed")

	for _, tc := range []struct {
		args  []string
		facts []string
	}{
		{[]string{"resume", "--set", "search_space.layers.max=3", short}, []string{"search_space.layers.max"}},
		{[]string{"resume", filepath.Join(dir, "nope")}, []string{"not an evonas run directory"}},
		{[]string{"resume"}, []string{"one run directory"}},
		{[]string{"resume", short, "--quite"}, []string{"unknown flag --quite (did you mean --quiet?)"}},
	} {
		_, stderr, code := evonas(t, tc.args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want 2", tc.args, code)
		}
		checkOneLine(t, stderr, tc.facts...)
	}
}

// TestResumeComparison kills a comparison and resumes it to the
// uninterrupted comparison's result, once under seeds 1 and 2 and once
// under --first-seed 3: resume has no --first-seed flag and keeps the
// comparison's seeds 3 and 4 from run.json.
func TestResumeComparison(t *testing.T) {
	if testing.Short() {
		t.Skip("runs several searches")
	}
	for _, first := range []int{1, 3} {
		t.Run(fmt.Sprintf("first seed %d", first), func(t *testing.T) {
			dir := t.TempDir()
			cfg := writeTestFile(t, dir, "r.yaml", resumeConfig)
			args := []string{"compare", "--config", cfg, "--seeds", "2", "--budget", "20", "--quiet"}
			if first != 1 {
				args = append(args, "--first-seed", fmt.Sprint(first))
			}
			want := filepath.Join(dir, "whole")
			mustRun(t, append(args, "--out", want)...)

			out := filepath.Join(dir, "killed")
			cmd, _ := startEvonas(t, append(args, "--out", out)...)
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			waitForLines(t, filepath.Join(out, "r", fmt.Sprintf("seed-%d", first+1), "evaluations.jsonl"), 5, done)
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			if _, stderr, code := evonas(t, "resume", "--quiet", out); code != 0 {
				t.Fatalf("resume: exit %d: %s", code, stderr)
			}
			read := func(d string) string {
				b, err := os.ReadFile(filepath.Join(d, "summary.json"))
				if err != nil {
					t.Fatal(err)
				}
				var s struct {
					Strategies []struct {
						Name  string            `json:"name"`
						Seeds []json.RawMessage `json:"seeds"`
					} `json:"strategies"`
					Tests json.RawMessage `json:"tests"`
				}
				json.Unmarshal(b, &s)
				for _, st := range s.Strategies {
					var seeds []int
					for _, r := range st.Seeds {
						var v struct{ Seed int }
						json.Unmarshal(r, &v)
						seeds = append(seeds, v.Seed)
					}
					if fmt.Sprint(seeds) != fmt.Sprint([]int{first, first + 1}) {
						t.Errorf("%s: %s: seeds %v, want %d and %d", d, st.Name, seeds, first, first+1)
					}
				}
				return fmt.Sprint(s.Strategies, string(s.Tests))
			}
			if got, want := read(out), read(want); got != want {
				t.Errorf("resumed comparison differs:\n got %s\nwant %s", got, want)
			}
		})
	}
}
