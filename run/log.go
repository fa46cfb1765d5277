package run

import (
	"encoding/json"
	"errors"
	"sync"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/search"
)

// Observer sees a search's progress, for a display: every evaluation
// (a resumed run's replayed ones too) and every generation not already in
// the logs. Its methods are called one at a time.
type Observer interface {
	Evaluated(fitness.Record)
	Generation(search.GenerationStats)
}

// runLog observes a search: it appends every evaluation and generation to
// the run directory's JSON lines files as they happen, and passes them on
// to the display.
type runLog struct {
	evals, gens logFile
	display     Observer // nil for none

	keep    bool // keep every record in records
	records []fitness.Record

	// A resumed run replays its search: the events already in the logs
	// are not written again.
	skipEvals map[string]int // eventKey -> times logged
	skipGens  map[int]bool
	evalLines int // lines in evaluations.jsonl
	// checkBefore: an evaluation of a generation before it that the logs
	// do not hold means the replay does not propose what the run did (an
	// evonas whose search differs): diverged is the first such record,
	// and the search stops. The last logged generation is not checked: a
	// search stopped during its final re-check has logged it but not all
	// of the re-check, which belongs to it. 0 checks none.
	checkBefore int
	diverged    *fitness.Record
	// sealed: the run was stopped and its checkpoint counts evalLines, so
	// a training that finishes after it is not logged (a resume trains it
	// again, to the same result).
	sealed bool

	// checkpoint, when set, is written after every generation.
	checkpoint func(st search.State, interrupted bool) error
	last       search.State // the last generation's state

	// stop, when set, is called on the first write error, to stop the
	// search: a run that cannot log would train on for nothing.
	stop func()

	mu  sync.Mutex
	err error // the first write error
}

// logFile is a log a run appends to (an *os.File).
type logFile interface {
	Write([]byte) (int, error)
	Sync() error
}

// errDiverged stops a resumed search whose replay diverged from its logs
// (runLog.checkBefore).
var errDiverged = errors.New("the replay diverged from the run's logs")

// divergence is the first replayed evaluation the logs do not hold where
// they should, or nil.
func (l *runLog) divergence() *fitness.Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.diverged
}

// failure is the first write error of the logs or the checkpoint, or nil.
func (l *runLog) failure() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

func (l *runLog) Evaluated(r fitness.Record) {
	l.mu.Lock()
	k := eventKey(r)
	logged := l.skipEvals[k] > 0
	if logged {
		l.skipEvals[k]--
	}
	diverged := !logged && r.Generation < l.checkBefore && l.diverged == nil
	if diverged {
		l.diverged = &r
	}
	l.mu.Unlock()
	if diverged {
		l.fail(errDiverged)
		return
	}
	if !logged {
		l.write(l.evals, r)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.keep {
		l.records = append(l.records, r)
	}
	if l.display != nil {
		l.display.Evaluated(r)
	}
}

func (l *runLog) Generation(s search.GenerationStats) {
	if l.skipGens[s.Generation] {
		return
	}
	l.write(l.gens, generationOf(s))
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.display != nil {
		l.display.Generation(s)
	}
}

// Checkpoint syncs the evaluations log, then writes the checkpoint.
func (l *runLog) Checkpoint(st search.State) {
	if l.checkpoint == nil || l.failure() != nil {
		return // after a failure, the stop's checkpoint (interrupted)
	}
	l.mu.Lock()
	l.last = st
	l.mu.Unlock()
	err := l.evals.Sync()
	if err == nil {
		err = l.checkpoint(st, false)
	}
	if err != nil {
		l.fail(err)
	}
}

// fail records the first write error and stops the search. From then on
// nothing is logged: a line after one cut short (a full disk that has
// space again) would be glued to it, and the log could not be resumed.
func (l *runLog) fail(err error) {
	l.mu.Lock()
	first := l.err == nil
	if first {
		l.err = err
	}
	l.mu.Unlock()
	if first && l.stop != nil {
		l.stop()
	}
}

// interrupted syncs the evaluations log and writes a checkpoint that says
// the run was stopped, with the last whole generation's state. From then
// on no evaluation is logged, so that the checkpoint counts every line.
func (l *runLog) interrupted() error {
	l.mu.Lock()
	l.sealed = true
	l.mu.Unlock()
	if l.checkpoint == nil {
		return nil
	}
	if err := l.evals.Sync(); err != nil {
		return err
	}
	l.mu.Lock()
	st := l.last
	l.mu.Unlock()
	return l.checkpoint(st, true)
}

func (l *runLog) write(f logFile, v any) {
	b, err := json.Marshal(v)
	if err == nil {
		l.mu.Lock()
		if l.err != nil || f == l.evals && l.sealed {
			l.mu.Unlock()
			return
		}
		_, err = f.Write(append(b, '\n'))
		if err == nil && f == l.evals {
			l.evalLines++
		}
		l.mu.Unlock()
	}
	if err != nil {
		l.fail(err)
	}
}
