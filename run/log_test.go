package run

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
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

// fullDisk is a log file whose write number fail (from 1) is cut short
// with ENOSPC, half of it written, as on a full disk; the writes after it
// go through, as they do once something else frees space.
type fullDisk struct {
	*os.File
	writes, fail int
}

func (f *fullDisk) Write(b []byte) (int, error) {
	f.writes++
	if f.writes == f.fail {
		n, _ := f.File.Write(b[:len(b)/2])
		return n, &fs.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
	return f.File.Write(b)
}

// TestLogWriteFails: a write of the run log that fails (a full disk) stops
// the search, and nothing is logged after it, so the log ends at most in a
// torn line that a resume drops. It went on logging: once space was freed
// the next line was glued to the torn one, and evonas resume refused the
// run ("evaluations.jsonl:42: invalid character 'i' after object key").
func TestLogWriteFails(t *testing.T) {
	for _, name := range []string{EvaluationsFile, GenerationsFile} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			open := func(name string) *os.File {
				f, err := os.Create(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { f.Close() })
				return f
			}
			evals, gens := &fullDisk{File: open(EvaluationsFile)}, &fullDisk{File: open(GenerationsFile)}
			if name == EvaluationsFile {
				evals.fail = 2
			} else {
				gens.fail = 1
			}
			stopped := 0
			log := &runLog{evals: evals, gens: gens, skipEvals: map[string]int{}, skipGens: map[int]bool{}, stop: func() { stopped++ }}
			log.Evaluated(fitness.Record{Key: "a", Status: fitness.OK})
			log.Generation(search.GenerationStats{Generation: 0})
			log.Evaluated(fitness.Record{Generation: 1, Key: "b", Status: fitness.OK})
			log.Evaluated(fitness.Record{Generation: 1, Key: "c", Status: fitness.OK}) // after the space came back
			log.Generation(search.GenerationStats{Generation: 1})
			log.Evaluated(fitness.Record{Generation: 2, Key: "d", Status: fitness.OK})
			log.Generation(search.GenerationStats{Generation: 2})
			if !errors.Is(log.failure(), syscall.ENOSPC) || stopped == 0 {
				t.Errorf("failure %v, stopped %d times; want ENOSPC, and the search stopped", log.failure(), stopped)
			}
			recs, err := readEvaluations(dir, true)
			if err != nil {
				t.Fatalf("the log does not resume: %v", err)
			}
			gs, err := readGenerations(dir, true)
			if err != nil {
				t.Fatalf("the log does not resume: %v", err)
			}
			if len(recs) > 2 || len(gs) > 1 {
				t.Errorf("%d evaluations and %d generations logged; want at most 2 and 1, nothing after the failure", len(recs), len(gs))
			}
			if log.evalLines != len(recs) {
				t.Errorf("evalLines %d, the log holds %d", log.evalLines, len(recs))
			}
		})
	}
}
