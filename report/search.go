package report

import (
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
)

var (
	blue   = Palette[0]
	orange = Palette[1]
	grey   = color.NRGBA{R: 120, G: 130, B: 150, A: 110}
)

// MetricName is what a search with these records maximizes on a task:
// accuracy, balanced accuracy (objective.metric: balanced) or R²
// (fitness.MetricNameOf).
func MetricName(task dataset.Task, recs []fitness.Record) string {
	return fitness.MetricNameOf(task, recs)
}

// Progress plots one search: the validation metric of every training and
// the best so far, against trainings (cache hits cost none).
func Progress(recs []fitness.Record, task dataset.Task, title string) (*plot.Plot, error) {
	name := MetricName(task, recs)
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "trainings"
	p.X.Tick.Marker = countTicks{}
	p.Y.Label.Text = "validation " + name
	p.Add(plotter.NewGrid())
	each, best := progress(recs, task)
	if len(each) == 0 {
		p.Legend.Add("no successful training")
		fromZero(&p.X)
		fromZero(&p.Y)
		return p, nil
	}
	// The range is the informative part of every training's metric (focus):
	// the trainings below it are drawn at the bottom edge, marked, and so is
	// the best so far while it was below.
	ys := make([]float64, len(each))
	for i, pt := range each {
		ys[i] = pt.Y
	}
	f := focus(ys, true, false)
	var in, out plotter.XYs
	for _, pt := range each {
		if f.Out(pt.Y) {
			out = append(out, plotter.XY{X: pt.X, Y: f.Clip(pt.Y)})
		} else {
			in = append(in, pt)
		}
	}
	dot := draw.GlyphStyle{Color: grey, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
	if len(in) > 0 {
		dots, err := plotter.NewScatter(in)
		if err != nil {
			return nil, err
		}
		dots.GlyphStyle = dot
		p.Add(dots)
		p.Legend.Add("each training", dots)
	}
	if len(best) > 0 { // none when every training that succeeded was stopped early
		for i := range best {
			best[i].Y = f.Clip(best[i].Y)
		}
		line, err := plotter.NewLine(best)
		if err != nil {
			return nil, err
		}
		line.Color, line.Width = blue, vg.Points(1.8)
		p.Add(line)
		p.Legend.Add("best so far", line)
	}
	if err := clipped(p, f, out, dot, "training"); err != nil {
		return nil, err
	}
	f.set(&p.Y)
	padRange(&p.X, 0.02)
	padRange(&p.Y, 0.04)
	legendAbove(p)
	return p, nil
}

// progress is Progress's points: the validation metric of every training
// that succeeded, and the steps of the best so far. A training stopped
// early by multi-fidelity (fitness.Record.Partial) is a point but never
// the best so far, its metric being a lower fidelity's.
func progress(recs []fitness.Record, task dataset.Task) (each, best plotter.XYs) {
	n, top := 0, math.Inf(-1)
	for _, r := range recs {
		if r.Status == fitness.Cached {
			continue
		}
		n++
		if r.Status != fitness.OK {
			continue
		}
		m := r.Val.Metric(task)
		each = append(each, plotter.XY{X: float64(n), Y: m})
		if m > top && !r.Partial {
			if len(best) > 0 { // a step: the best so far holds until now
				best = append(best, plotter.XY{X: float64(n), Y: top})
			}
			top = m
			best = append(best, plotter.XY{X: float64(n), Y: m})
		}
	}
	if len(best) > 0 {
		best = append(best, plotter.XY{X: float64(n), Y: top})
	}
	return each, best
}

// Front is the Pareto front of the trainings that succeeded in full: the
// architectures no other beats on both validation metric (higher) and
// parameter count (fewer), by increasing parameters. A training stopped
// early by multi-fidelity (fitness.Record.Partial) is left out: its metric
// is a lower fidelity's.
func Front(recs []fitness.Record, task dataset.Task) []fitness.Record {
	var ok []fitness.Record
	for _, r := range recs {
		if r.Status == fitness.OK && !r.Partial {
			ok = append(ok, r)
		}
	}
	sort.SliceStable(ok, func(i, j int) bool {
		if ok[i].Params != ok[j].Params {
			return ok[i].Params < ok[j].Params
		}
		return ok[i].Val.Metric(task) > ok[j].Val.Metric(task)
	})
	var front []fitness.Record
	top := math.Inf(-1)
	for _, r := range ok {
		if m := r.Val.Metric(task); m > top {
			front = append(front, r)
			top = m
		}
	}
	return front
}

// Pareto plots every successful training's validation metric against its
// parameter count (log scale), with the Pareto front.
func Pareto(recs []fitness.Record, task dataset.Task, title string) (*plot.Plot, error) {
	name := MetricName(task, recs)
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "parameters"
	p.Y.Label.Text = "validation " + name
	p.Add(plotter.NewGrid())
	var all plotter.XYs
	for _, r := range recs {
		if r.Status == fitness.OK {
			all = append(all, plotter.XY{X: float64(max(r.Params, 1)), Y: r.Val.Metric(task)})
		}
	}
	if len(all) == 0 {
		p.Legend.Add("no successful training")
		fromZero(&p.X)
		fromZero(&p.Y)
		return p, nil
	}
	// The range is the informative part of every training's metric (focus),
	// the front's members kept within it: they are what the plot is about.
	var ys, keep []float64
	for _, pt := range all {
		ys = append(ys, pt.Y)
	}
	fr := Front(recs, task)
	for _, r := range fr {
		keep = append(keep, r.Val.Metric(task))
	}
	f := focus(ys, true, false, keep...)
	var front plotter.XYs
	for i, r := range fr {
		x, y := float64(max(r.Params, 1)), r.Val.Metric(task)
		if i > 0 { // a step: the front holds its metric until the next point
			front = append(front, plotter.XY{X: x, Y: front[len(front)-1].Y})
		}
		front = append(front, plotter.XY{X: x, Y: y})
	}
	var in, out plotter.XYs
	for _, pt := range all {
		if f.Out(pt.Y) {
			out = append(out, plotter.XY{X: pt.X, Y: f.Clip(pt.Y)})
		} else {
			in = append(in, pt)
		}
	}
	dot := draw.GlyphStyle{Color: grey, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
	if len(in) > 0 {
		dots, err := plotter.NewScatter(in)
		if err != nil {
			return nil, err
		}
		dots.GlyphStyle = dot
		p.Add(dots)
		p.Legend.Add("each training", dots)
	}
	line, points, err := plotter.NewLinePoints(front)
	if err != nil {
		return nil, err
	}
	line.Color, line.Width = orange, vg.Points(1.8)
	points.GlyphStyle = draw.GlyphStyle{Color: orange, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
	p.Add(line, points)
	p.Legend.Add("Pareto front (fewest parameters for the metric)", line, points)
	if err := clipped(p, f, out, dot, "training"); err != nil {
		return nil, err
	}
	f.set(&p.Y)
	if logAxis(&p.X) {
		p.X.Label.Text += " (log scale)"
	}
	// The points at the ends of either axis are drawn within the frame,
	// and the legend over none of them.
	padRange(&p.X, 0.04)
	padRange(&p.Y, 0.04)
	legendAbove(p)
	return p, nil
}
