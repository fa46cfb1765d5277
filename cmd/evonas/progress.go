package main

import (
	"fmt"
	"io"
	"os"
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
		p.bar.Add(1)
	}
}

func (p *progress) Generation(s search.GenerationStats) {
	switch {
	case p.bar != nil:
		p.bar.Describe(fmt.Sprintf("generation %d, best %s %.4f", s.Generation, p.metric, s.BestMetric))
	case p.lines != nil:
		fmt.Fprintf(p.lines, "generation %d: %d trainings (%d cache hits), best fitness %.4f, mean %.4f, best %s so far %.4f\n",
			s.Generation, s.Evaluations, s.CacheHits, s.Best, s.Mean, p.metric, s.BestMetric)
	}
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
