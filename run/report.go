package run

import (
	"fmt"
	"path/filepath"

	"gonum.org/v1/plot"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/report"
	"github.com/evonas/evonas/search"
)

// The plots evonas report draws for a search, in its directory.
const (
	ProgressPlot = "progress" // .png and .svg: the metric of every training and the best so far
	ParetoPlot   = "pareto"   // .png and .svg: the metric against the parameter count, with the Pareto front
)

// TaskOf tells a regression's records (which have an RMSE or R²) from a
// classification's; "" when no training has succeeded yet. A finished
// search's summary says its task; this reads one still running.
func TaskOf(recs []fitness.Record) dataset.Task {
	for _, r := range recs {
		if r.Status != fitness.OK {
			continue
		}
		if r.Val.RMSE != 0 || r.Val.R2 != 0 {
			return dataset.Regression
		}
		return dataset.Binary
	}
	return ""
}

// WriteSearchReport draws a search's progress and Pareto plots, as PNG and
// SVG, into its directory (finished, interrupted or still running), and
// returns their paths. A search with no successful training yet is an
// input error.
func (d *Dir) WriteSearchReport() ([]string, error) {
	if d.IsComparison() {
		return nil, inputf("%s: a %s: its report is drawn from its summary", d.Path, d.kind())
	}
	recs, err := d.Records()
	if err != nil {
		return nil, err
	}
	task := TaskOf(recs)
	if sum, err := d.Summary(); err == nil && sum != nil && sum.Task != "" {
		task = dataset.Task(sum.Task)
	}
	if task == "" {
		return nil, inputf("%s: no training has succeeded yet: nothing to plot", d.Path)
	}
	name := filepath.Base(d.Path)
	progress, err := report.Progress(recs, task, fmt.Sprintf("%s: validation %s of %d evaluations", name, report.MetricName(task, recs), len(recs)))
	if err != nil {
		return nil, err
	}
	plots := []struct {
		p    *plot.Plot
		name string
	}{{progress, ProgressPlot}}
	var paths []string
	if cfg, err := d.Config(); err == nil && len(cfg.Objective.Minimize) > 1 {
		// A Pareto search: its front under its own objectives, the plot the
		// search itself drew.
		objs := cfg.Objective.Minimize
		front := search.Front(recs, objs)
		png, svg := filepath.Join(d.Path, ParetoFile), filepath.Join(d.Path, ParetoSVGFile)
		title := fmt.Sprintf("%s: %d evaluations, Pareto front of %d", name, len(recs), len(front))
		if len(front) > 0 {
			if err := report.FrontPlot(recs, front, objs, task, title, png, svg); err != nil {
				return nil, err
			}
			paths = append(paths, png, svg)
		}
	} else {
		front := report.Front(recs, task)
		on := fmt.Sprintf("%d architectures", len(front))
		if len(front) == 1 {
			on = "1 architecture"
		}
		pareto, err := report.Pareto(recs, task, fmt.Sprintf("%s: %s against size, %s on the Pareto front", name, report.MetricName(task, recs), on))
		if err != nil {
			return nil, err
		}
		plots = append(plots, struct {
			p    *plot.Plot
			name string
		}{pareto, ParetoPlot})
	}
	for _, pl := range plots {
		for _, ext := range []string{".png", ".svg"} {
			path := filepath.Join(d.Path, pl.name+ext)
			if err := report.Save(pl.p, path); err != nil {
				return paths, err
			}
			paths = append(paths, path)
		}
	}
	return paths, nil
}
