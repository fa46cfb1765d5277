package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/search"
)

// progress shows a run's progress on stderr: a bar on a terminal, else a
// line per generation; nothing with --quiet or --json. It observes the
// run (run.Observer).
type progress struct {
	bar    *progressbar.ProgressBar
	lines  io.Writer // plain progress lines; nil for none
	metric string

	// estimate, for an evolution, aims the bar after each generation at
	// the trainings the run will make (run.PlannedTrainings); nil leaves
	// the bar's total as given.
	estimate func(search.GenerationStats) int
}

// newProgress is the progress of a run of about total trainings on data
// of the task.
func newProgress(c *cli.Context, total int, task dataset.Task) *progress {
	p := &progress{metric: "val accuracy"}
	if task == dataset.Regression {
		p.metric = "val R²"
	}
	switch {
	case c.Bool("quiet") || c.Bool("json"):
	case isTerminal(c.App.ErrWriter):
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(c.App.ErrWriter),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetItsString("evals"),
			progressbar.OptionThrottle(100*time.Millisecond))
	default:
		p.lines = c.App.ErrWriter
	}
	return p
}

func (p *progress) Evaluated(r fitness.Record) {
	if p.bar != nil && r.Status != fitness.Cached {
		// A generation may train more than its share of the estimate:
		// the bar stays short of full until the run ends.
		if st := p.bar.State(); st.CurrentNum+1 >= st.Max {
			p.bar.ChangeMax64(st.CurrentNum + 2)
		}
		p.bar.Add(1)
	}
}

func (p *progress) Generation(s search.GenerationStats) {
	switch {
	case p.bar != nil:
		if p.estimate != nil {
			p.bar.ChangeMax(max(p.estimate(s), 1))
		}
		p.bar.Describe(fmt.Sprintf("generation %d, best %s %s", s.Generation, p.metric, orNone(s.BestMetric)))
	case p.lines != nil:
		fmt.Fprintf(p.lines, "generation %d: %d trainings (%d cache hits), best fitness %s, mean %s, best %s so far %s\n",
			s.Generation, s.Evaluations, s.CacheHits, orNone(s.Best), orNone(s.Mean), p.metric, orNone(s.BestMetric))
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

// finish ends the bar's line.
func (p *progress) finish(w io.Writer) {
	if p.bar != nil {
		p.bar.Finish()
		fmt.Fprintln(w)
	}
}

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
