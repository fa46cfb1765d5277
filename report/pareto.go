package report

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/search"
)

// objectiveLabels name each objective on an axis: its name and what to
// say of it in parentheses.
var objectiveLabels = map[string][2]string{
	fitness.ErrorObjective:   {"validation error", "1 - %s"},
	fitness.ParamsObjective:  {"parameters", ""},
	fitness.FLOPsObjective:   {"FLOPs per sample", ""},
	fitness.LatencyObjective: {"latency per sample, s", "median of timed passes"},
}

// axisLabel names an objective's axis, saying whether it is a log scale.
func axisLabel(objective, metric string, log bool) string {
	l := objectiveLabels[objective]
	var notes []string
	if l[1] != "" {
		notes = append(notes, fmt.Sprintf(l[1], metric))
	}
	if log {
		notes = append(notes, "log scale")
	}
	if len(notes) == 0 {
		return l[0]
	}
	return l[0] + " (" + strings.Join(notes, "; ") + ")"
}

// FrontPlot plots a run's evaluations in its first two objectives, the
// second across and the first (the error, in a usual config) up, with the
// front highlighted and joined as a staircase, and saves the plot to every
// path given. With more than two objectives the front is the front in all
// of them, so some of its members look dominated in this view; the title
// says so.
func FrontPlot(recs, front []fitness.Record, objectives []string, task dataset.Task, title string, paths ...string) error {
	p, err := frontPlot(recs, front, objectives, task, title)
	if err != nil {
		return err
	}
	return save(p, paths)
}

// frontPlot is the plot FrontPlot saves.
func frontPlot(recs, front []fitness.Record, objectives []string, task dataset.Task, title string) (*plot.Plot, error) {
	if len(objectives) < 2 {
		return nil, fmt.Errorf("report: a Pareto plot needs two objectives, got %d", len(objectives))
	}
	x, y := objectives[1], objectives[0]
	p := plot.New()
	p.Title.Text = title
	if len(objectives) > 2 {
		p.Title.Text += fmt.Sprintf(" (front in all %d objectives: %s)", len(objectives), strings.Join(objectives, ", "))
	}
	// Every axis is logarithmic: sizes span orders of magnitude, and the
	// errors that matter are the small ones, which a linear axis from the
	// first poor candidates would squash. A zero error is drawn at half the
	// smallest positive one; when none is positive (every candidate
	// perfect) the axis is linear (logAxis).
	floor := map[string]float64{x: math.Inf(1), y: math.Inf(1)}
	for _, r := range recs {
		for _, o := range []string{x, y} {
			if v := r.Objective(o); v > 0 && !math.IsInf(v, 0) {
				floor[o] = math.Min(floor[o], v/2)
			}
		}
	}
	value := func(r fitness.Record, o string) float64 {
		v := r.Objective(o)
		if v <= 0 && !math.IsInf(floor[o], 1) {
			return floor[o]
		}
		return v
	}
	p.Add(plotter.NewGrid())
	onFront := map[string]bool{}
	for _, r := range front {
		onFront[r.Key] = true
	}
	var all, best plotter.XYs
	seen := map[string]bool{}
	failed := 0
	for _, r := range recs {
		if seen[r.Key] {
			continue
		}
		seen[r.Key] = true
		xv, yv := value(r, x), value(r, y)
		if math.IsInf(xv, 0) || math.IsInf(yv, 0) {
			failed++
			continue
		}
		if !onFront[r.Key] {
			all = append(all, plotter.XY{X: xv, Y: yv})
		}
	}
	for _, r := range front {
		best = append(best, plotter.XY{X: value(r, x), Y: value(r, y)})
	}
	if len(all)+len(best) == 0 {
		return nil, fmt.Errorf("report: no successful evaluation to plot")
	}
	// The range up is the informative part of the values (focus), the
	// front's members kept within it: poor candidates beyond it are drawn
	// at the top edge, marked.
	var ys, keep []float64
	for _, pt := range all {
		ys = append(ys, pt.Y)
	}
	for _, pt := range best {
		keep = append(keep, pt.Y)
	}
	f := focus(append(ys, keep...), false, !math.IsInf(floor[y], 1), keep...)
	var in, out plotter.XYs
	for _, pt := range all {
		if f.Out(pt.Y) {
			out = append(out, plotter.XY{X: pt.X, Y: f.Clip(pt.Y)})
		} else {
			in = append(in, pt)
		}
	}
	dot := draw.GlyphStyle{Color: color.NRGBA{R: 120, G: 120, B: 120, A: 140}, Radius: vg.Points(2), Shape: draw.RingGlyph{}}
	if len(in) > 0 {
		sc, err := plotter.NewScatter(in)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle = dot
		p.Add(sc)
		p.Legend.Add(fmt.Sprintf("evaluated (%d distinct)", len(all)+len(best)), sc)
	}
	if len(best) > 0 {
		stairs := staircase(best)
		line, err := plotter.NewLine(stairs)
		if err != nil {
			return nil, err
		}
		line.Color = Color(1)
		line.Width = vg.Points(1)
		sc, err := plotter.NewScatter(best)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle.Color = Color(1)
		sc.GlyphStyle.Radius = vg.Points(3.5)
		sc.GlyphStyle.Shape = draw.CircleGlyph{}
		if len(objectives) == 2 {
			p.Add(line)
		}
		p.Add(sc)
		p.Legend.Add(fmt.Sprintf("Pareto front (%d)", len(best)), sc)
	}
	if err := clipped(p, f, out, dot, "evaluation"); err != nil {
		return nil, err
	}
	if failed > 0 {
		p.Title.Text += fmt.Sprintf("; %d failed not shown", failed)
	}
	metric := MetricName(task, recs)
	p.X.Label.Text = axisLabel(x, metric, logAxis(&p.X))
	p.Y.Label.Text = axisLabel(y, metric, logAxis(&p.Y))
	fromZero(&p.X)
	f.set(&p.Y)
	// The points at the ends of either axis are drawn within the frame,
	// and the legend over none of them.
	padRange(&p.X, 0.04)
	padRange(&p.Y, 0.04)
	legendAbove(p)
	return p, nil
}

// staircase joins 2-D front points (minimizing both) by their attainment
// surface: sorted across, each step going down at the next point's x.
func staircase(pts plotter.XYs) plotter.XYs {
	s := append(plotter.XYs(nil), pts...)
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && (s[j].X < s[j-1].X || s[j].X == s[j-1].X && s[j].Y < s[j-1].Y); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	var out plotter.XYs
	for i, q := range s {
		if i > 0 {
			out = append(out, plotter.XY{X: q.X, Y: s[i-1].Y})
		}
		out = append(out, q)
	}
	return out
}

// Hypervolumes plots each strategy's hypervolume against trainings (the
// mean over seeds and its 95% band) and saves it to every path given.
func Hypervolumes(c *search.Comparison, paths ...string) error {
	if c.Frame == nil {
		return fmt.Errorf("report: not a multi-objective comparison")
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Hypervolume of the front so far (%s): mean over seeds, 95%% band", strings.Join(c.Frame.Objectives, ", "))
	p.X.Label.Text = "trainings"
	p.X.Tick.Marker = countTicks{}
	p.Y.Label.Text = fmt.Sprintf("hypervolume (reference %.3g per normalized objective)", search.RefMargin)
	// Hypervolumes rise: the bottom right corner is free for the legend.
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(8), vg.Points(8)
	p.Add(plotter.NewGrid())
	for i, s := range c.Strategies {
		if s.HVCurve == nil || len(s.HVCurve.Evaluations) == 0 {
			noValues(p, s.Name)
			continue
		}
		cv := s.HVCurve
		if err := addBand(p, s.Name, Color(i), cv.Evaluations, cv.Mean, cv.Lo, cv.Hi, func(v float64) float64 { return v }); err != nil {
			return err
		}
	}
	return save(p, paths)
}

// HypervolumeMarkdown writes a multi-objective comparison's section of
// report.md: the frame and reference point, the hypervolumes at the budget
// and the plot.
func HypervolumeMarkdown(w io.Writer, c *search.Comparison) {
	if c.Frame == nil {
		return
	}
	testIs := "its test error"
	if c.TestErrorIs != "" {
		testIs = c.TestErrorIs
	}
	fmt.Fprintf(w, "## Hypervolume\n\nObjectives minimized together: %s. A run's hypervolume is the volume its Pareto front (among its first %d trainings, chosen on validation error) dominates, up to a reference point, with the objectives %s. Test hypervolume is the same front with each member's error replaced by %s.\n\n",
		strings.Join(c.Frame.Objectives, ", "), c.Budget, c.Frame, testIs)
	fmt.Fprintln(w, "| strategy | seeds | hypervolume median [q1, q3] | mean ± std | test hypervolume median [q1, q3] | front size (median) |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- |")
	for _, s := range c.Strategies {
		if s.Hypervolume == nil {
			continue
		}
		var sizes []float64
		for _, sd := range s.Seeds {
			sizes = append(sizes, float64(sd.FrontSize))
		}
		h, t := *s.Hypervolume, *s.TestHypervolume
		fmt.Fprintf(w, "| %s | %d | %.4f [%.4f, %.4f] | %.4f ± %.4f | %.4f [%.4f, %.4f] | %.0f |\n",
			MarkdownText(s.Name), len(s.Seeds), h.Median, h.Q1, h.Q3, h.Mean, h.Std, t.Median, t.Q1, t.Q3, search.Summarize(sizes).Median)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "![hypervolume against trainings](hypervolume.png)")
	fmt.Fprintln(w)
}

// MetricColumn is a metric's name as a table's column heads it: ACC, BAL
// ACC, R².
func MetricColumn(metric string) string {
	switch metric {
	case fitness.R2Name:
		return "R²"
	case fitness.BalancedName:
		return "BAL ACC"
	}
	return "ACC"
}

// FrontTable writes a run's Pareto front as a plain-text table, one member
// a line, in the front's order: its index (what --member takes), the
// validation and test metrics, each size objective, the architecture.
func FrontTable(w io.Writer, front []fitness.Record, objectives []string, task dataset.Task) {
	metric := MetricColumn(fitness.MetricNameOf(task, front))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "MEMBER\tVAL %s\tTEST %s\tPARAMS\tFLOPS", metric, metric)
	latency := slices.Contains(objectives, fitness.LatencyObjective)
	if latency {
		fmt.Fprint(tw, "\tLATENCY µs (IQR)")
	}
	fmt.Fprintln(tw, "\tARCHITECTURE\tLR\tBATCH")
	for i, r := range front {
		fmt.Fprintf(tw, "%d\t%.4f\t%.4f\t%d\t%d", i, r.Val.Metric(task), r.Test.Metric(task), r.Params, r.FLOPs)
		if latency {
			fmt.Fprintf(tw, "\t%.3g (%.2g)", r.LatencyUS, r.LatencyIQR)
		}
		fmt.Fprintf(tw, "\t%s\t%.3g\t%d\n", r.Arch, r.Genome.LR, r.Genome.Batch)
	}
	tw.Flush()
}

// HypervolumeText writes a multi-objective comparison's hypervolumes as
// plain text: a line per strategy, the frame, and the tests on them.
func HypervolumeText(w io.Writer, c *search.Comparison) {
	wn := len("strategy")
	for _, s := range c.Strategies {
		wn = max(wn, len(s.Name))
	}
	hypervolumeLines(w, c, wn)
	for _, t := range c.Tests {
		if strings.Contains(t.Metric, "hypervolume") {
			fmt.Fprintln(w, t.Sentence(c.MetricName))
		}
	}
}

// hypervolumeLines writes the hypervolume lines of Table.
func hypervolumeLines(w io.Writer, c *search.Comparison, wn int) {
	if c.Frame == nil {
		return
	}
	fmt.Fprintf(w, "%s %22s %22s\n", padRight("strategy", wn), "hypervolume median [q1,q3]", "test hypervolume median [q1,q3]")
	for _, s := range c.Strategies {
		if s.Hypervolume != nil {
			fmt.Fprintf(w, "%s %22s %22s\n", padRight(s.Name, wn), quartiles(*s.Hypervolume), quartiles(*s.TestHypervolume))
		}
	}
	fmt.Fprintf(w, "hypervolume: %s\n", c.Frame)
}
