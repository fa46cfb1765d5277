package report

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The range of a plot's quality axis (a metric, an error, a regret) is
// chosen for its informative part, by one rule every plot here shares
// (focus): it always reaches the best value plotted, and on the poor side
// it stops at the lower of the values' clipShare quantile and the Tukey
// fence (the quartile 1.5 interquartile ranges out), never past the
// poorest value. So at most clipShare of the values (fewer when they are
// not far out) fall outside; they are drawn at the edge with their own
// marker (clipGlyph), and the legend says how many and where, never left
// out. A few poor early trainings (accuracy 0.1 while the search climbs
// from 0.975 to 0.99) no longer squash the rest against the top.
const (
	clipShare = 0.05
	fenceIQR  = 1.5
)

// Focus is an axis range chosen for the informative part of its values,
// and how many values lie outside it, on the poor side.
type Focus struct {
	Min, Max float64 // the range, Min < Max
	Clipped  int     // values beyond the poor side's edge
	higher   bool    // higher values are better: the poor side is low
	nearest  float64 // of the values beyond the edge, the nearest to it
}

// focus chooses the range of an axis for vals: higher says whether higher
// values are better (an accuracy) or lower (an error, a regret); log
// computes it on log10 of the values, for a log axis, where every value is
// positive. keep are values that must lie within the range however far
// out (a Pareto front's members). Non-finite values are ignored. With no
// value the range is 0 to 1; with one value, or all equal, it spans a
// tenth of the value (at least 0.1; a factor of 4 on a log axis) towards
// the poor side, so that an axis is never of zero height.
func focus(vals []float64, higher, log bool, keep ...float64) Focus {
	t := func(v float64) float64 {
		if log {
			return math.Log10(v)
		}
		return v
	}
	var s []float64
	for _, v := range vals {
		if x := t(v); !math.IsNaN(x) && !math.IsInf(x, 0) {
			s = append(s, x)
		}
	}
	if len(s) == 0 {
		return Focus{Min: 0, Max: 1, higher: higher}
	}
	sort.Float64s(s)
	n := len(s)
	q1, q3 := quantile(s, 0.25), quantile(s, 0.75)
	lo, hi := s[0], s[n-1]
	if higher {
		lo = math.Max(lo, math.Min(quantile(s, clipShare), q1-fenceIQR*(q3-q1)))
	} else {
		hi = math.Min(hi, math.Max(quantile(s, 1-clipShare), q3+fenceIQR*(q3-q1)))
	}
	for _, v := range keep {
		if x := t(v); !math.IsNaN(x) && !math.IsInf(x, 0) {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	if hi <= lo { // one value, or all equal: widen towards the poor side
		d := 0.1 * math.Max(math.Abs(lo), 1)
		if log {
			d = math.Log10(4)
		}
		if higher {
			lo -= d
		} else {
			hi += d
		}
	}
	f := Focus{Min: lo, Max: hi, higher: higher}
	if log {
		f.Min, f.Max = math.Pow(10, lo), math.Pow(10, hi)
		// An end at a value is that value, not 10^log10 of it, which
		// may differ in the last bit and leave the value out.
		for _, v := range append(vals[:len(vals):len(vals)], keep...) {
			if t(v) == lo {
				f.Min = v
			}
			if t(v) == hi {
				f.Max = v
			}
		}
	}
	// Counted in the values' own terms, as they are drawn (Out).
	for _, v := range vals {
		if math.IsNaN(t(v)) || math.IsInf(t(v), 0) || !f.Out(v) {
			continue
		}
		if f.Clipped == 0 || higher && v > f.nearest || !higher && v < f.nearest {
			f.nearest = v
		}
		f.Clipped++
	}
	return f
}

// quantile is the q-quantile of sorted values, interpolated linearly
// between order statistics (R's type 7).
func quantile(s []float64, q float64) float64 {
	h := q * float64(len(s)-1)
	i := int(math.Floor(h))
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (h-float64(i))*(s[i+1]-s[i])
}

// Clip is v drawn within the range: at its edge when outside.
func (f Focus) Clip(v float64) float64 {
	return math.Min(math.Max(v, f.Min), f.Max)
}

// Out says whether v lies outside the range, and is drawn at its edge.
func (f Focus) Out(v float64) bool {
	return v < f.Min || v > f.Max
}

// Note says how many values of what (a noun, made plural by an s) are
// drawn at the edge, and which: "7 trainings below 0.92, drawn at the
// bottom edge". The number named is the shortest that lies between the
// edge and the nearest value beyond it, so the sentence is true of every
// value drawn and every value clipped.
func (f Focus) Note(what string) string {
	if f.Clipped != 1 {
		what += "s"
	}
	if f.higher {
		return fmt.Sprintf("%d %s below %s, drawn at the bottom edge", f.Clipped, what, between(f.nearest, f.Min, math.Floor))
	}
	return fmt.Sprintf("%d %s above %s, drawn at the top edge", f.Clipped, what, between(f.nearest, f.Max, math.Ceil))
}

// between writes the number of fewest significant digits that lies
// between beyond (excluded) and edge (included), edge rounded towards
// beyond by round (math.Floor or math.Ceil).
func between(beyond, edge float64, round func(float64) float64) string {
	if edge == 0 {
		return "0"
	}
	mag := math.Floor(math.Log10(math.Abs(edge)))
	for prec := 1; prec <= 15; prec++ {
		step := math.Pow(10, mag-float64(prec)+1)
		v, _ := strconv.ParseFloat(strconv.FormatFloat(round(edge/step)*step, 'g', prec, 64), 64)
		if v != beyond && math.Min(beyond, edge) <= v && v <= math.Max(beyond, edge) {
			return strconv.FormatFloat(v, 'g', -1, 64)
		}
	}
	return strconv.FormatFloat(edge, 'g', -1, 64)
}

// set gives the axis the range (at least the range of what is drawn on
// it), and tick labels that tell its ticks apart.
func (f Focus) set(a *plot.Axis) {
	a.Min, a.Max = f.Min, f.Max
	if !isLog(a) {
		a.Tick.Marker = readableTicks{}
	}
}

// clipGlyph marks a value drawn at the edge of its axis: a triangle that
// points the way the value lies, beyond the edge.
type clipGlyph struct{ down bool }

func (g clipGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetColor(sty.Color)
	r := sty.Radius * 1.3
	tip, base := -r, r*0.6
	if !g.down {
		tip, base = r, -r*0.6
	}
	var p vg.Path
	p.Move(vg.Point{X: pt.X - r, Y: pt.Y + base})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y + base})
	p.Line(vg.Point{X: pt.X, Y: pt.Y + tip})
	p.Close()
	c.Fill(p)
}

// clipped adds the points drawn at an edge to p as a scatter of clipGlyph
// markers, with the legend entry that counts them.
func clipped(p *plot.Plot, f Focus, pts plotter.XYs, sty draw.GlyphStyle, what string) error {
	if len(pts) == 0 {
		return nil
	}
	sc, err := clipMarks(f, pts, sty)
	if err != nil {
		return err
	}
	p.Add(sc)
	p.Legend.Add(f.Note(what), sc)
	return nil
}

// clipMarks is a scatter of clipGlyph markers at pts, in sty's colour made
// opaque and a little larger, so that the marks stand out from the points
// within the range.
func clipMarks(f Focus, pts plotter.XYs, sty draw.GlyphStyle) (*plotter.Scatter, error) {
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	c := color.NRGBAModel.Convert(sty.Color).(color.NRGBA)
	c.A = 255
	sty.Color = c
	sty.Radius = max(sty.Radius, vg.Points(2.5))
	sty.Shape = clipGlyph{down: f.higher}
	sc.GlyphStyle = sty
	return sc, nil
}

// readableTicks labels a linear axis where plot.DefaultTicks does, with
// as many decimals as it takes to tell every label from its neighbours: a
// narrow range (0.9895 to 0.9905) is never labelled 0.99, 0.99, 0.99.
type readableTicks struct{}

func (readableTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	tol := 1e-6 * (max - min)
	for prec := 0; prec <= 12; prec++ {
		if labels(ticks, func(v float64) string { return strconv.FormatFloat(v, 'f', prec, 64) }, tol) {
			return ticks
		}
	}
	labels(ticks, func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }, math.Inf(1))
	return ticks
}

// labels labels the labelled ticks with format and says whether every
// label differs from the others and reads as its value to within tol.
func labels(ticks []plot.Tick, format func(float64) string, tol float64) bool {
	seen := map[string]bool{}
	for i, tk := range ticks {
		if tk.Label == "" {
			continue
		}
		l := format(tk.Value)
		if math.Abs(tk.Value) <= tol {
			l = "0" // not -0, nor 1e-17
		}
		if w, _ := strconv.ParseFloat(l, 64); seen[l] || math.Abs(w-tk.Value) > tol {
			return false
		}
		seen[l] = true
		ticks[i].Label = l
	}
	return true
}
