package run

import (
	"os"
	"path/filepath"
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
