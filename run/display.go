package run

import (
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/search"
)

// Display follows a search or a comparison that Evolve, Compare or a
// resume runs, for a person: an Observer of its progress, told first what
// the run will do. Its methods are called one at a time; Progress is the
// one evonas's commands show.
type Display interface {
	Observer
	// Begin is called once before the first training: the run makes about
	// trainings and judges them by the validation metric named metric
	// (accuracy, balanced accuracy, R²: MetricName); estimate, for an
	// evolution, is the trainings the run will make as seen after a
	// generation (PlannedTrainings), nil otherwise.
	Begin(trainings int, metric string, estimate func(search.GenerationStats) int)
	// Say tells what runs where: a search's heading, the queue it
	// trains through and its ID there.
	Say(line string)
	// Note is a note on the data (Search.Notes), or a warning.
	Note(line string)
	// Starting is called before each search of a comparison.
	Starting(strategy string, seed int)
	// End is called when the run stops, finished or not.
	End()
}

// Mode is how a Progress shows a run.
type Mode int

const (
	Quiet Mode = iota // notes only
	Lines             // a line per generation
	Bar               // a progress bar (for a terminal)
)

// ModeFor is the mode of a Progress on w: Quiet when asked, else a Bar on
// a terminal and Lines elsewhere (a file or a pipe).
func ModeFor(w io.Writer, quiet bool) Mode {
	switch f, ok := w.(*os.File); {
	case quiet:
		return Quiet
	case ok && term.IsTerminal(int(f.Fd())):
		return Bar
	}
	return Lines
}

// Progress shows a run's progress as text on a writer, as evonas's
// commands do on stderr: a bar (on a terminal) or a line per generation,
// the lines of Say and Starting, and "evonas: note: " lines, which even a
// quiet Progress shows.
type Progress struct {
	w      io.Writer
	mode   Mode
	bar    *progressbar.ProgressBar
	metric string

	// estimate, for an evolution, aims the bar after each generation at
	// the trainings the run will make (PlannedTrainings); nil leaves the
	// bar's total as given.
	estimate func(search.GenerationStats) int
}

// NewProgress is a Progress on w in the given mode.
func NewProgress(w io.Writer, mode Mode) *Progress {
	return &Progress{w: w, mode: mode, metric: "val accuracy"}
}

// Begin makes the bar of a Bar Progress.
func (p *Progress) Begin(trainings int, metric string, estimate func(search.GenerationStats) int) {
	p.metric = "val " + metric
	p.estimate = estimate
	if p.mode == Bar {
		p.bar = progressbar.NewOptions(trainings,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetItsString("evals"),
			progressbar.OptionThrottle(100*time.Millisecond))
	}
}

// Say prints line unless the Progress is quiet.
func (p *Progress) Say(line string) {
	if p.mode != Quiet {
		fmt.Fprintln(p.w, line)
	}
}

// Note prints "evonas: note: " and line.
func (p *Progress) Note(line string) { fmt.Fprintf(p.w, "evonas: note: %s\n", line) }

// Starting prints "STRATEGY, seed N" in Lines mode.
func (p *Progress) Starting(strategy string, seed int) {
	if p.mode == Lines {
		fmt.Fprintf(p.w, "%s, seed %d\n", strategy, seed)
	}
}

// Evaluated moves the bar on by a training (a cache hit is none).
func (p *Progress) Evaluated(r fitness.Record) {
	if p.bar != nil && r.Status != fitness.Cached {
		// A generation may train more than its share of the estimate:
		// the bar stays short of full until the run ends.
		if st := p.bar.State(); st.CurrentNum+1 >= st.Max {
			p.bar.ChangeMax64(st.CurrentNum + 2)
		}
		p.bar.Add(1)
	}
}

// Generation describes the generation on the bar, or prints its line.
func (p *Progress) Generation(s search.GenerationStats) {
	switch {
	case p.bar != nil:
		if p.estimate != nil {
			p.bar.ChangeMax(max(p.estimate(s), 1))
		}
		p.bar.Describe(fmt.Sprintf("generation %d, best %s %s", s.Generation, p.metric, orNone(s.BestMetric)))
	case p.mode == Lines:
		fmt.Fprintf(p.w, "generation %d: %s (%s), best fitness %s, mean %s, best %s so far %s\n",
			s.Generation, count(s.Evaluations, "training"), count(s.CacheHits, "cache hit"), orNone(s.Best), orNone(s.Mean), p.metric, orNone(s.BestMetric))
	}
}

// End ends the bar's line.
func (p *Progress) End() {
	if p.bar != nil {
		p.bar.Finish()
		fmt.Fprintln(p.w)
	}
}

// orNone is v to 4 places, or "none" when no candidate has trained
// successfully (v is infinite or NaN).
func orNone(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "none"
	}
	return strconv.FormatFloat(v, 'f', 4, 64)
}
