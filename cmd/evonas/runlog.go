package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sync"

	"github.com/schollz/progressbar/v3"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/search"
)

// runLog observes a search: it appends every evaluation and generation to
// the run directory's JSON lines files as they happen, and shows progress.
type runLog struct {
	evals, gens *os.File
	progress    io.Writer // plain progress lines; nil for none
	bar         *progressbar.ProgressBar
	metricName  string
	label       string // prefixes progress, e.g. the strategy and seed of a comparison

	keep    bool // keep every record in records
	records []fitness.Record

	// A resumed run replays its search: the events already in the logs
	// are not written again.
	skipEvals map[string]int // eventKey -> times logged
	skipGens  map[int]bool
	evalLines int // lines in evaluations.jsonl

	// checkpoint, when set, is written after every generation.
	checkpoint func(st search.State, interrupted bool) error
	last       search.State // the last generation's state

	mu  sync.Mutex
	err error // the first write error
}

func (l *runLog) Evaluated(r fitness.Record) {
	l.mu.Lock()
	k := eventKey(r)
	logged := l.skipEvals[k] > 0
	if logged {
		l.skipEvals[k]--
	}
	l.mu.Unlock()
	if !logged {
		l.write(l.evals, r)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.keep {
		l.records = append(l.records, r)
	}
	if l.bar != nil && r.Status != fitness.Cached {
		l.bar.Add(1)
	}
}

func (l *runLog) Generation(s search.GenerationStats) {
	if l.skipGens[s.Generation] {
		return
	}
	l.write(l.gens, struct {
		search.GenerationStats
		Mean *float64 `json:"mean"`
		Std  *float64 `json:"std"`
	}{s, finite(s.Mean), finite(s.Std)})
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.bar != nil:
		l.bar.Describe(fmt.Sprintf("%sgeneration %d, best %s %.4f", l.label, s.Generation, l.metricName, s.BestMetric))
	case l.progress != nil:
		fmt.Fprintf(l.progress, "%sgeneration %d: %d trainings (%d cache hits), best fitness %.4f, mean %.4f, best %s so far %.4f\n",
			l.label, s.Generation, s.Evaluations, s.CacheHits, s.Best, s.Mean, l.metricName, s.BestMetric)
	}
}

// Checkpoint syncs the evaluations log, then writes the checkpoint.
func (l *runLog) Checkpoint(st search.State) {
	if l.checkpoint == nil {
		return
	}
	l.mu.Lock()
	l.last = st
	l.mu.Unlock()
	err := l.evals.Sync()
	if err == nil {
		err = l.checkpoint(st, false)
	}
	if err != nil {
		l.mu.Lock()
		if l.err == nil {
			l.err = err
		}
		l.mu.Unlock()
	}
}

// interrupted syncs the evaluations log and writes a checkpoint that says
// the run was stopped, with the last whole generation's state.
func (l *runLog) interrupted() error {
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

func (l *runLog) write(f *os.File, v any) {
	b, err := json.Marshal(v)
	if err == nil {
		l.mu.Lock()
		_, err = f.Write(append(b, '\n'))
		if err == nil && f == l.evals {
			l.evalLines++
		}
		l.mu.Unlock()
	}
	if err != nil {
		l.mu.Lock()
		if l.err == nil {
			l.err = err
		}
		l.mu.Unlock()
	}
}

// finite returns &v, or nil (JSON null) when v is NaN or infinite.
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}
