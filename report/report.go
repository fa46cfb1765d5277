// Package report turns a comparison of search strategies into plots and a
// Markdown report.
package report

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/model"
	"github.com/evonas/evonas/search"
)

// Curves plots each strategy's anytime curve (the validation error of the
// best so far against trainings: the mean over seeds and its 95% band) and
// saves it to every path given; the extension picks the format (.png,
// .svg).
func Curves(c *search.Comparison, paths ...string) error {
	p, err := curves(c)
	if err != nil {
		return err
	}
	return save(p, paths)
}

// curves is the plot Curves saves.
func curves(c *search.Comparison) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = "Validation error (1 - " + c.MetricName + ") of the best so far: mean over seeds, 95% band"
	p.X.Label.Text = "trainings"
	p.X.Tick.Marker = countTicks{}
	p.Add(plotter.NewGrid())
	// Validation error (1 - metric) on a log scale: near-perfect searches
	// differ in the third decimal, which a linear axis from the first
	// trainings' poor scores would flatten. A perfect score (error 0) has
	// no place on a log axis: errors are drawn no lower than half the
	// smallest positive mean error. When no mean error is positive (every
	// run perfect) the axis is linear, from 0.
	floor := math.Inf(1)
	for _, s := range c.Strategies {
		for _, m := range s.Curve.Mean {
			if e := 1 - m; e > 0 {
				floor = math.Min(floor, e/2)
			}
		}
	}
	if math.IsInf(floor, 1) {
		floor = 0
	}
	// The band is the mean's confidence interval, which may reach past what
	// the metric can be: an error of accuracy is at most 1 (an R² has no
	// lower bound, so its error none above).
	top := math.Inf(1)
	if c.Task != dataset.Regression {
		top = 1
	}
	errOf := func(v float64) float64 { return math.Max(math.Min(1-v, top), floor) }
	var bands []band
	for _, s := range c.Strategies {
		cv := s.Curve
		b := band{name: s.Name, xs: cv.Evaluations}
		for j := range cv.Evaluations {
			b.mid = append(b.mid, errOf(cv.Mean[j]))
			b.good = append(b.good, errOf(cv.Hi[j]))
			b.poor = append(b.poor, errOf(cv.Lo[j]))
		}
		bands = append(bands, b)
	}
	p.Y.Label.Text = "1 - validation " + c.MetricName
	if err := lowerBands(p, bands, floor > 0, top, "mean error"); err != nil {
		return nil, err
	}
	legendAbove(p)
	return p, nil
}

// band is a strategy's curve (mid) with its band, of values where lower
// is better (an error, a regret): good is the band's side towards the
// best, poor the other.
type band struct {
	name            string
	xs              []int
	mid, good, poor []float64
}

// lowerBands draws each band (a strategy with none named as having no
// values) in its colour, up to top at most (the most an error can be), the
// y axis logarithmic when log is true and
// every value is positive, on the range focus gives the middle lines: the
// poor means beyond it and the bands are drawn at the top edge, each mean
// there marked (clipGlyph) and counted in the legend as what; the range
// reaches down to the bands' good side. It sets the y axis, and the x axis
// of no values.
func lowerBands(p *plot.Plot, bands []band, log bool, top float64, what string) error {
	var mids []float64
	for _, b := range bands {
		mids = append(mids, b.mid...)
	}
	f := focus(mids, false, log)
	for _, b := range bands {
		for _, v := range b.good {
			// The good side reaches the bands' best; it does not keep a poor
			// first training's band (of no width with equal seeds) in range.
			if v < f.Min && (!log || v > 0) && !math.IsInf(v, 0) {
				f.Min = v
			}
		}
	}
	if f.Max > top { // widened past what the values can be (mids all equal)
		f.Max = top
		if f.Min >= top {
			f.Min = top - 0.1*math.Max(math.Abs(top), 1)
			if log {
				f.Min = top / 4
			}
		}
	}
	var marks []*plotter.Scatter
	for i, b := range bands {
		if len(b.xs) == 0 {
			noValues(p, b.name)
			continue
		}
		if err := addBand(p, b.name, Color(i), b.xs, b.mid, b.good, b.poor, f.Clip); err != nil {
			return err
		}
		var out plotter.XYs
		for j, m := range b.mid {
			if f.Out(m) {
				out = append(out, plotter.XY{X: float64(b.xs[j]), Y: f.Clip(m)})
			}
		}
		if len(out) > 0 {
			sc, err := clipMarks(f, out, draw.GlyphStyle{Color: Color(i), Radius: vg.Points(2.5)})
			if err != nil {
				return err
			}
			marks = append(marks, sc)
		}
	}
	if log && logAxis(&p.Y) {
		p.Y.Label.Text += " (log scale)"
	}
	fromZero(&p.X)
	fromZero(&p.Y)
	for _, m := range marks {
		p.Add(m)
	}
	if len(marks) > 0 {
		// The legend's mark in grey: it stands for every strategy's.
		thumb, err := clipMarks(f, plotter.XYs{{}}, draw.GlyphStyle{Color: grey, Radius: vg.Points(2.5)})
		if err != nil {
			return err
		}
		p.Legend.Add(f.Note(what), thumb)
	}
	if len(mids) > 0 {
		f.set(&p.Y)
	}
	return nil
}

// noValues names a strategy with nothing to draw in a plot's legend.
func noValues(p *plot.Plot, name string) {
	p.Legend.Add(name + ": no successful training")
}

// addBand adds a named line through mid with a translucent band from lo to
// hi, each value drawn at y(value).
func addBand(p *plot.Plot, name string, col color.Color, xs []int, mid, lo, hi []float64, y func(float64) float64) error {
	n := len(xs)
	band := make(plotter.XYs, 0, 2*n)
	line := make(plotter.XYs, n)
	for j, x := range xs {
		line[j] = plotter.XY{X: float64(x), Y: y(mid[j])}
		band = append(band, plotter.XY{X: float64(x), Y: y(hi[j])})
	}
	for j := n - 1; j >= 0; j-- {
		band = append(band, plotter.XY{X: float64(xs[j]), Y: y(lo[j])})
	}
	poly, err := plotter.NewPolygon(band)
	if err != nil {
		return err
	}
	r, g, b, _ := col.RGBA()
	poly.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 50}
	poly.LineStyle.Width = 0
	l, err := plotter.NewLine(line)
	if err != nil {
		return err
	}
	l.Color = col
	l.Width = vg.Points(1.5)
	p.Add(poly, l)
	p.Legend.Add(name, l)
	return nil
}

// save writes the plot to every path, at the size of the comparison plots.
func save(p *plot.Plot, paths []string) error {
	return saveSized(p, 7*vg.Inch, 4.5*vg.Inch, paths)
}

// Save draws a plot at the size of the comparison plots and writes it to
// every path (as saveSized does), in the format its extension names (.png,
// .svg).
func Save(p *plot.Plot, paths ...string) error {
	return save(p, paths)
}

// saveSized draws the plot at width by height and writes it to every path,
// atomically: a plot that cannot be drawn leaves no file behind.
func saveSized(p *plot.Plot, width, height vg.Length, paths []string) error {
	for _, path := range paths {
		b, err := render(p, width, height, strings.TrimPrefix(filepath.Ext(path), "."))
		if err != nil {
			return fmt.Errorf("report: drawing %s: %w", filepath.Base(path), err)
		}
		if err := model.WriteFileAtomic(path, b); err != nil {
			return err
		}
	}
	return nil
}

// render draws the plot in a format. The plotting library panics on what
// it cannot draw (a value of 0 on a log axis); the plots here are built
// not to ask that of it, and should one still do, its panic is an error
// of this plot, not the end of the command that draws it.
func render(p *plot.Plot, width, height vg.Length, format string) (b []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("%v", r)
		}
	}()
	if format == "svg" {
		return renderSVG(p, width, height)
	}
	w, err := p.WriterTo(width, height, format)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// renderSVG draws the plot as SVG whose text keeps the width the layout
// gave it. gonum lays text out with the metrics of its Liberation fonts
// but does not embed them (that would add 0.5 MB a file); a viewer without
// them (a browser on Debian, say) draws the text in a wider font, which ran
// past the image's edge: curves.svg's title and legend were clipped on the
// dashboard. Each text is given its laid-out width (textLength, squeezing
// glyphs and spacing to fit) and a list of metric-compatible fonts before
// the generic serif.
func renderSVG(p *plot.Plot, width, height vg.Length) ([]byte, error) {
	c := &measured{Canvas: vgsvg.New(width, height)}
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, err
	}
	parts := strings.Split(buf.String(), "<text ")
	if len(parts)-1 != len(c.widths) {
		return nil, fmt.Errorf("svg: %d texts drawn, %d in the file", len(c.widths), len(parts)-1)
	}
	var out strings.Builder
	out.WriteString(parts[0])
	for i, part := range parts[1:] {
		fmt.Fprintf(&out, `<text textLength="%.5g" lengthAdjust="spacingAndGlyphs" `, c.widths[i].Points())
		out.WriteString(strings.ReplaceAll(part, "font-family:Liberation Serif;", `font-family:'Liberation Serif','Times New Roman',Times,serif;`))
	}
	return []byte(out.String()), nil
}

// measured is an SVG canvas that notes the width of every text it draws,
// in order, as the layout measured it.
type measured struct {
	*vgsvg.Canvas
	widths []vg.Length
}

func (c *measured) FillString(f font.Face, pt vg.Point, s string) {
	c.widths = append(c.widths, f.Width(s))
	c.Canvas.FillString(f, pt, s)
}

// Boxes draws box plots of each strategy's final test metric (validation
// metric, without a test split) and saves them.
func Boxes(c *search.Comparison, paths ...string) error {
	p, width, err := boxes(c)
	if err != nil {
		return err
	}
	return saveSized(p, width, 4.5*vg.Inch, paths)
}

// boxes is the plot Boxes saves, and its width.
func boxes(c *search.Comparison) (*plot.Plot, vg.Length, error) {
	split, of := "test", func(sd search.SeedResult) float64 { return sd.BestTest }
	if c.NoTest {
		split, of = "validation", func(sd search.SeedResult) float64 { return sd.BestVal }
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Final %s %s at %d trainings", split, c.MetricName, c.Budget)
	p.Y.Label.Text = split + " " + c.MetricName
	p.Add(plotter.NewGrid())
	var names []string
	for i, s := range c.Strategies {
		var v plotter.Values
		for _, sd := range s.Seeds {
			if x := of(sd); !math.IsNaN(x) {
				v = append(v, x)
			}
		}
		if len(v) == 0 {
			names = append(names, s.Name+"\n(no successful training)")
			continue
		}
		names = append(names, s.Name)
		box, err := plotter.NewBoxPlot(vg.Points(30), float64(i), v)
		if err != nil {
			return nil, 0, err
		}
		box.FillColor = Color(i)
		p.Add(box)
	}
	p.NominalX(names...)
	// Every name has its place, whether its strategy has a box or not: a
	// slot of its own, the box in its middle, so that the first and last
	// boxes are not drawn on the plot's edges.
	p.X.Min, p.X.Max = -0.5, float64(len(names))-0.5
	p.Y.Padding = vg.Points(5) // NominalX's room for the first name: the slot has it
	if v := p.Y.Min; v == p.Y.Max {
		// One value (every seed's the same): a narrow range, which gonum
		// would make 2 wide, up to 1, the most either metric can be.
		p.Y.Min, p.Y.Max = v-0.05, math.Min(v+0.05, math.Max(v, 1))
	}
	fromZero(&p.Y)
	// The highest and lowest whiskers (every box, when every seed scored
	// the same) are drawn off the frame.
	padRange(&p.Y, 0.05)
	p.X.Padding = vg.Points(20)
	width := 6 * vg.Inch
	if len(names) > 4 {
		// Long variant names (a sweep's) are slanted so they do not overlap.
		p.X.Tick.Label.Rotation = math.Pi / 8
		p.X.Tick.Label.XAlign = -0.9
		width = vg.Length(len(names)) * 1.6 * vg.Inch
	}
	return p, width, nil
}

// logAxis puts an axis on a log scale, labelled by logTicks, when a log
// scale can show every value plotted on it, and says whether it did. Call
// it once the plotters are added: it reads their values' range from the
// axis. A log scale cannot show an empty range, nor 0 or a negative value:
// such an axis stays linear. gonum widens a range of one value by 1 either
// way, which may reach below 0: a log axis widens it by a factor of 2.
func logAxis(a *plot.Axis) bool {
	if math.IsInf(a.Min, 0) || math.IsInf(a.Max, 0) || !(a.Min > 0) {
		return false
	}
	if a.Min == a.Max {
		a.Min, a.Max = a.Min/2, a.Max*2
	}
	a.Scale, a.Tick.Marker = logScale{}, logTicks{}
	return true
}

// logScale is plot.LogScale but for where gonum's layout thinks an
// axis's label lies. gonum (v0.17) reserves room for the label of a
// vertical axis (and of a horizontal one) around the data value
// 0.5*(Min+Max), the middle of a linear axis; a log scale puts that value
// near its top (or right) end, so half the label's length stuck out and
// the data area lost as much: 45 of curves.png's 324 points of height. It
// is drawn in the middle all the same, so here that one value is the
// middle. The price: a data value of exactly 0.5*(Min+Max) of the
// padded range (padRange, which makes such a coincidence unlikely) would
// be drawn at the axis's middle rather than at its place.
type logScale struct{}

func (logScale) Normalize(min, max, x float64) float64 {
	if x == 0.5*(min+max) {
		return 0.5
	}
	return plot.LogScale{}.Normalize(min, max, x)
}

// isLog says whether an axis is on a log scale (logAxis).
func isLog(a *plot.Axis) bool {
	switch a.Scale.(type) {
	case logScale, plot.LogScale:
		return true
	}
	return false
}

// padRange widens an axis's range by frac of its span either way (of its
// span in decades on a log scale), so that no value is drawn on the edge
// of the plot, where a point is half cut off and a box or whisker merges
// with the frame. Call it last, once the range is set.
func padRange(a *plot.Axis, frac float64) {
	if math.IsInf(a.Min, 0) || math.IsInf(a.Max, 0) || !(a.Max > a.Min) {
		return
	}
	if isLog(a) {
		lo, hi := math.Log10(a.Min), math.Log10(a.Max)
		d := (hi - lo) * frac
		a.Min, a.Max = math.Pow(10, lo-d), math.Pow(10, hi+d)
		return
	}
	d := (a.Max - a.Min) * frac
	a.Min, a.Max = a.Min-d, a.Max+d
}

// legendAbove puts a plot's legend in a strip of its own between the
// title and the data, along the right, so that it covers no point
// wherever the points lie. A plot without a title keeps its legend where
// it is.
func legendAbove(p *plot.Plot) {
	if p.Title.Text == "" {
		return
	}
	h := p.Legend.Rectangle(draw.Canvas{}).Size().Y
	if h <= 0 {
		return
	}
	descent := p.Legend.TextStyle.FontExtents().Descent
	gap := vg.Points(4)
	p.Legend.Top = true
	p.Legend.XOffs = -gap // off the image's right edge
	// The strip ends legendGap above the data area: a point or line at the
	// top of the range (a best so far, a front) is not read as the legend's.
	p.Legend.YOffs = h + descent + legendGap
	p.Title.Padding += h + descent + legendGap + gap/2
}

// legendGap is the room between a legend above the data (legendAbove) and
// the data area.
const legendGap = 8

// fromZero gives an axis with no value but 0, or none, the range 0 to 1,
// where gonum would draw from -1 to 1.
func fromZero(a *plot.Axis) {
	if a.Min == 0 && a.Max == 0 || math.IsInf(a.Min, 1) {
		a.Min, a.Max = 0, 1
	}
}

// logTicks labels a log axis at 1, 2 and 5 times the powers of ten, or,
// when that leaves fewer than three labels (a range zoomed to less than a
// decade or so), at 1, 2, 3 and 5 times, or else at every integer
// multiple, so that an axis is never unlabelled.
type logTicks struct{}

func (logTicks) Ticks(min, max float64) []plot.Tick {
	// From 0 or below (which no log axis has: logAxis) the powers of ten
	// would never reach max.
	if min > 0 && !math.IsInf(max, 0) {
		for k, ms := range [][]float64{{1, 2, 5}, {1, 2, 3, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}} {
			var ticks []plot.Tick
			for e := math.Floor(math.Log10(min)); math.Pow(10, e) <= max; e++ {
				for _, m := range ms {
					// m×10^e read as a decimal: 6 * 0.1 is 0.6000000000000001.
					v, _ := strconv.ParseFloat(strconv.FormatFloat(m, 'f', -1, 64)+"e"+strconv.Itoa(int(e)), 64)
					if v < min || v > max {
						continue
					}
					ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
				}
			}
			if len(ticks) >= 3 || len(ticks) == 2 && k == 2 {
				return ticks
			}
		}
	}
	// Narrower still, or not a log axis's range: label both ends, with the
	// digits that tell them apart (0.01234 to 0.01236 was 0.012 and 0.012).
	prec := 2
	for ; prec < 17 && strconv.FormatFloat(min, 'g', prec, 64) == strconv.FormatFloat(max, 'g', prec, 64); prec++ {
	}
	return []plot.Tick{
		{Value: min, Label: strconv.FormatFloat(min, 'g', prec, 64)},
		{Value: max, Label: strconv.FormatFloat(max, 'g', prec, 64)},
	}
}

// Table writes the comparison as a plain-text table, its columns aligned
// as a terminal shows them (textWidth): a name of wide characters, or
// values wider than usual (a negative R²), keep the columns in line.
func Table(w io.Writer, c *search.Comparison) {
	wn := len("strategy")
	val, test := make([]string, len(c.Strategies)), make([]string, len(c.Strategies))
	wv, wt := 22, 22
	for i, s := range c.Strategies {
		wn = max(wn, textWidth(s.Name))
		val[i], test[i] = quartiles(s.FinalVal), quartiles(s.FinalTest)
		if c.NoTest {
			test[i] = "-"
		}
		wv, wt = max(wv, len(val[i])), max(wt, len(test[i]))
	}
	fmt.Fprintf(w, "%s %5s %*s %*s %12s\n", padRight("strategy", wn), "seeds", wv, "val "+c.MetricName+" median [q1,q3]", wt, "test "+c.MetricName+" median [q1,q3]", "samples/run")
	for i, s := range c.Strategies {
		var samples int64
		for _, sd := range s.Seeds {
			samples += sd.TrainSamples
		}
		if len(s.Seeds) > 0 {
			samples /= int64(len(s.Seeds))
		}
		fmt.Fprintf(w, "%s %5d %*s %*s %12d\n", padRight(s.Name, wn), len(s.Seeds), wv, val[i], wt, test[i], samples)
	}
	if c.NoTest {
		fmt.Fprintln(w, noTestNote)
	}
	hypervolumeLines(w, c, wn)
	for _, t := range c.Tests {
		fmt.Fprintln(w, t.Sentence(c.MetricName))
	}
}

// noTestNote says what a comparison without a test split compares.
const noTestNote = "no test split (data.split's test fraction is 0): the strategies are compared on validation only"

// quartiles is a summary's median and quartiles, or "-" for a summary of
// no values (every run of the strategy failed).
func quartiles(s search.Summary) string {
	if !hasValues(s) {
		return "-"
	}
	return fmt.Sprintf("%.4f [%.4f,%.4f]", s.Median, s.Q1, s.Q3)
}

// hasValues says whether a summary summarizes any value: one whose every
// run failed has a median of NaN, which the tables show as "-".
func hasValues(s search.Summary) bool {
	return s.N > 0 && !math.IsNaN(s.Median)
}

// cells is a summary as report.md's two cells, mean ± std and median
// [q1, q3], or "- | -" for a summary of no values.
func cells(s search.Summary) string {
	if !hasValues(s) {
		return "- | -"
	}
	return fmt.Sprintf("%.4f ± %.4f | %.4f [%.4f, %.4f]", s.Mean, s.Std, s.Median, s.Q1, s.Q3)
}

// Markdown writes report.md: the table, the tests in words, the plots, the
// best architecture each strategy found, and the command that reproduces it.
func Markdown(w io.Writer, c *search.Comparison, title, command string) {
	fmt.Fprintf(w, "# %s\n\n", title)
	if c.WinnerMeans {
		fmt.Fprintf(w, "Budget: %d trainings per run (cache hits do not count). Metric: %s; a run's result is the mean validation and test %s, over its trainings among the run's first %d (objective.repeats; one per cross-validation fold with objective.folds), of the architecture the search named its winner.\n\n", c.Budget, c.MetricName, c.MetricName, c.Budget)
	} else {
		fmt.Fprintf(w, "Budget: %d trainings per run (cache hits do not count). Metric: %s; a run's result is the validation and test %s of the architecture with the best fitness among its first %d trainings.\n\n", c.Budget, c.MetricName, c.MetricName, c.Budget)
	}
	fmt.Fprintf(w, "| strategy | seeds | val %s mean ± std | val median [q1, q3] | test %s mean ± std | test median [q1, q3] | training samples per run (mean) | trainings to reach random's median val (median over the seeds that reach it) |\n", c.MetricName, c.MetricName)
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- | --- |")
	for _, s := range c.Strategies {
		var samples int64
		var reach []float64
		missed := 0
		for _, sd := range s.Seeds {
			samples += sd.TrainSamples
			if sd.ToReach != nil {
				reach = append(reach, float64(*sd.ToReach))
			} else {
				missed++
			}
		}
		if len(s.Seeds) > 0 {
			samples /= int64(len(s.Seeds))
		}
		r := "never"
		if len(reach) > 0 {
			r = fmt.Sprintf("%.0f", search.Summarize(reach).Median)
			if missed > 0 {
				r += fmt.Sprintf(" (%d of %d seeds never)", missed, len(s.Seeds))
			}
		}
		test := cells(s.FinalTest)
		if c.NoTest {
			test = "- | -"
		}
		fmt.Fprintf(w, "| %s | %d | %s | %s | %d | %s |\n", MarkdownText(s.Name), len(s.Seeds), cells(s.FinalVal), test, samples, r)
	}
	fmt.Fprintln(w)
	if c.NoTest {
		fmt.Fprintf(w, "N%s.\n\n", noTestNote[1:])
	}
	if len(c.Tests) > 0 {
		fmt.Fprintln(w, "Two-sided Mann-Whitney U tests over the seeds (exact for up to 60 runs in all) of every strategy against random search and of every later strategy against the first, with the Vargha-Delaney A12 effect size (the probability that a run of the first named scores higher than a run of the second; 0.5 is no difference); the verdict is the Mann-Whitney test's. Each also gives the two-sided Wilcoxon signed-rank test of the runs paired by seed (exact for up to 60 pairs): a seed splits the data the same way for every strategy, so the pair shares its validation and test rows, and the paired test does not count the seeds' differences in difficulty as noise:")
		fmt.Fprintln(w)
		for _, t := range c.Tests {
			t.Strategy, t.Vs = MarkdownText(t.Strategy), MarkdownText(t.Vs)
			fmt.Fprintf(w, "- %s.\n", capitalize(t.Sentence(c.MetricName)))
		}
		fmt.Fprintln(w)
	}
	HypervolumeMarkdown(w, c)
	fmt.Fprintln(w, "![validation error of the best so far against trainings](curves.png)")
	fmt.Fprintln(w)
	if c.NoTest {
		fmt.Fprintln(w, "![final validation metric per strategy](final.png)")
	} else {
		fmt.Fprintln(w, "![final test metric per strategy](final.png)")
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Best architecture each strategy found, over all seeds:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| strategy | architecture | lr | batch | params | val | test |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- |")
	for _, s := range c.Strategies {
		b := s.Best
		if b.Key == "" {
			fmt.Fprintf(w, "| %s | not recorded in this summary | | | | | |\n", MarkdownText(s.Name))
			continue
		}
		fmt.Fprintf(w, "| %s | %s | %.3g | %d | %d | %.4f | %.4f |\n", MarkdownText(s.Name), b.Arch, b.Genome.LR, b.Genome.Batch, b.Params, b.Val.Metric(c.Task), b.Test.Metric(c.Task))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Reproduce with:\n\n```sh\n%s\n```\n", command)
}

// MarkdownText is a name (a strategy's, which may be a config's name) as
// Markdown text that shows it as written and keeps it one cell of a table:
// Markdown's own characters are escaped, but for an underscore inside a
// word (mutation_rate), which Markdown leaves as it is.
func MarkdownText(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r == '_' && i > 0 && i < len(rs)-1 && isWord(rs[i-1]) && isWord(rs[i+1]):
		case strings.ContainsRune("\\`*_[]<>|", r):
			b.WriteByte('\\')
		case unicode.IsControl(r):
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// capitalize starts a sentence of the report's own words with a capital;
// one that starts with a strategy's name keeps the name as it is.
func capitalize(s string) string {
	if !strings.HasPrefix(s, "no significant") {
		return s
	}
	return "N" + s[1:]
}

// textWidth is how many columns a terminal gives s: two for a wide
// character (中文, most emoji), none for a combining mark or a control
// character, one for any other.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r), unicode.IsControl(r), r == '\u200d':
		case isWide(r):
			n += 2
		default:
			n++
		}
	}
	return n
}

func isWide(r rune) bool {
	k := width.LookupRune(r).Kind()
	return k == width.EastAsianWide || k == width.EastAsianFullwidth
}

// padRight pads s with spaces to n columns on screen (textWidth).
func padRight(s string, n int) string {
	return s + strings.Repeat(" ", max(0, n-textWidth(s)))
}

// countTicks labels an axis of counts (trainings) at whole numbers:
// plot.DefaultTicks may label one from 1 to 24 at 2.50, 12.50 and 22.50.
// When it gives a fractional label, the axis is labelled at what
// DefaultTicks gives from 0, within the axis, and failing that at its ends.
type countTicks struct{}

func (countTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	if whole(ticks) {
		return ticks
	}
	var in []plot.Tick
	for _, tk := range (plot.DefaultTicks{}).Ticks(math.Min(0, math.Floor(min)), max) {
		if tk.Value >= min && tk.Value <= max {
			in = append(in, tk)
		}
	}
	if whole(in) {
		for _, tk := range in {
			if tk.Label != "" {
				return in
			}
		}
	}
	lo, hi := math.Ceil(min), math.Floor(max)
	if lo > hi {
		return ticks
	}
	out := []plot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'f', -1, 64)}}
	if hi > lo {
		out = append(out, plot.Tick{Value: hi, Label: strconv.FormatFloat(hi, 'f', -1, 64)})
	}
	return out
}

// whole reports whether every labelled tick is at a whole number.
func whole(ticks []plot.Tick) bool {
	for _, tk := range ticks {
		if tk.Label != "" && (tk.Value != math.Trunc(tk.Value) || strings.Contains(tk.Label, ".")) {
			return false
		}
	}
	return true
}
