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
	// Bottom right: below the best so far, and right of the front, where
	// the data seldom are.
	p.Add(plotter.NewGrid())
	each, best := progress(recs, task)
	if len(each) == 0 {
		p.Legend.Add("no successful training")
		fromZero(&p.X)
		fromZero(&p.Y)
		return p, nil
	}
	dots, err := plotter.NewScatter(each)
	if err != nil {
		return nil, err
	}
	dots.GlyphStyle = draw.GlyphStyle{Color: grey, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
	p.Add(dots)
	p.Legend.Add("each training", dots)
	if len(best) == 0 { // every training that succeeded was stopped early
		return p, nil
	}
	line, err := plotter.NewLine(best)
	if err != nil {
		return nil, err
	}
	line.Color, line.Width = blue, vg.Points(1.8)
	p.Add(line)
	p.Legend.Add("best so far", line)
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
	var front plotter.XYs
	for i, r := range Front(recs, task) {
		x, y := float64(max(r.Params, 1)), r.Val.Metric(task)
		if i > 0 { // a step: the front holds its metric until the next point
			front = append(front, plotter.XY{X: x, Y: front[len(front)-1].Y})
		}
		front = append(front, plotter.XY{X: x, Y: y})
	}
	dots, err := plotter.NewScatter(all)
	if err != nil {
		return nil, err
	}
	dots.GlyphStyle = draw.GlyphStyle{Color: grey, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
	line, points, err := plotter.NewLinePoints(front)
	if err != nil {
		return nil, err
	}
	line.Color, line.Width = orange, vg.Points(1.8)
	points.GlyphStyle = draw.GlyphStyle{Color: orange, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
	p.Add(dots, line, points)
	p.Legend.Add("each training", dots)
	p.Legend.Add("Pareto front (fewest parameters for the metric)", line, points)
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
