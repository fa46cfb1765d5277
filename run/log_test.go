package run

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/search"
)

// TestInterruptedSealsLog: once a stopped run's checkpoint is written, a
// training that finishes late is not logged, so the checkpoint's count of
// logged evaluations is the log's (it once was one short, under -race).
func TestInterruptedSealsLog(t *testing.T) {
	dir := t.TempDir()
	open := func(name string) *os.File {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	log := &runLog{evals: open(EvaluationsFile), gens: open(GenerationsFile), skipEvals: map[string]int{}, skipGens: map[int]bool{}}
	counted := -1
	log.checkpoint = func(_ search.State, interrupted bool) error {
		if !interrupted {
			t.Error("a stop's checkpoint not marked interrupted")
		}
		log.mu.Lock()
		counted = log.evalLines
		log.mu.Unlock()
		return nil
	}
	log.Evaluated(fitness.Record{Key: "a", Status: fitness.OK})
	if err := log.interrupted(); err != nil {
		t.Fatal(err)
	}
	log.Evaluated(fitness.Record{Key: "b", Status: fitness.OK}) // finished after the stop
	b, err := os.ReadFile(filepath.Join(dir, EvaluationsFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(string(b), "\n")
	if counted != 1 || lines != 1 {
		t.Errorf("checkpoint counts %d evaluations, the log holds %d; want 1 and 1", counted, lines)
	}
}

// TestResumeSkipsLoggedVisits: a resumed run's replay logs the
// re-evaluations of a genome (repeats) that the first run did not, whatever
// the order they finish in: the first run logged visits 0 and 2, the replay
// finishes 0, 1, 3, 2, and the log gets 1 and 3 (it once got 3 and 2,
// matching the visits by key alone: visit 2 twice and visit 1 never).
func TestResumeSkipsLoggedVisits(t *testing.T) {
	dir := t.TempDir()
	open := func(name string) *os.File {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	log := &runLog{evals: open(EvaluationsFile), gens: open(GenerationsFile), skipEvals: map[string]int{}, skipGens: map[int]bool{}}
	rec := func(visit int) fitness.Record {
		return fitness.Record{Generation: 1, Key: "a", Status: fitness.OK, Visit: visit}
	}
	for _, visit := range []int{0, 2} { // as replayLogs counts the logged lines
		log.skipEvals[eventKey(rec(visit))]++
	}
	for _, visit := range []int{0, 1, 3, 2} {
		log.Evaluated(rec(visit))
	}
	b, err := os.ReadFile(filepath.Join(dir, EvaluationsFile))
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var r fitness.Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		got = append(got, r.Visit)
	}
	if want := []int{1, 3}; !slices.Equal(got, want) {
		t.Errorf("visits logged on resume: got %v, want %v", got, want)
	}
}
