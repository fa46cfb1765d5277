package report

import (
	"strconv"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/search"
)

// layout draws p at the comparison plots' size and checks that every
// point of pts lies at least margin inside the data area, and that each
// legend entry is drawn above it, clear of it, over no point.
func layout(t *testing.T, p *plot.Plot, w, h vg.Length, pts [][2]float64, legend ...string) {
	t.Helper()
	rec := &recorder.Canvas{}
	c := draw.NewCanvas(rec, w, h)
	p.Draw(c)
	dc := p.DataCanvas(c)
	margin := vg.Points(5) // more than the largest glyph's radius, 3.5 points
	for _, pt := range pts {
		x, y := dc.X(p.X.Norm(pt[0])), dc.Y(p.Y.Norm(pt[1]))
		if x < dc.Min.X+margin || x > dc.Max.X-margin || y < dc.Min.Y+margin || y > dc.Max.Y-margin {
			t.Errorf("point %v drawn at (%.1f, %.1f), within %v of the data area's edge %v", pt, x, y, margin, dc.Rectangle)
		}
	}
	descent := p.Legend.TextStyle.FontExtents().Descent
	for _, name := range legend {
		found := false
		for _, a := range rec.Actions {
			if fs, ok := a.(*recorder.FillString); ok && fs.String == name {
				found = true
				if fs.Point.Y-descent < dc.Max.Y+legendGap/2 {
					t.Errorf("legend entry %q drawn at y %.1f, over the data area or touching it (top %.1f)", name, fs.Point.Y, dc.Max.Y)
				}
				if fs.Point.Y > h {
					t.Errorf("legend entry %q drawn at y %.1f, above the image (%v)", name, fs.Point.Y, h)
				}
			}
		}
		if !found {
			t.Errorf("legend entry %q not drawn", name)
		}
	}
}

// TestFrontPlotLayout: a Pareto search's plot (pareto.png) keeps its
// points off the frame, the largest architecture's too (it touched the
// right edge, half cut off), and its legend off the points (it sat over
// the top right corner, where the large, poor candidates are).
func TestFrontPlotLayout(t *testing.T) {
	recs := []fitness.Record{prec("a", 0, 0.5, 200), prec("b", 1, 0.1, 1700), prec("c", 1, 0.45, 9000),
		prec("d", 1, 0.13, 8000), prec("e", 2, 0.05, 1800), prec("f", 2, 0.3, 250)}
	objs := []string{"error", "params"}
	front := search.Front(recs, objs)
	p, err := frontPlot(recs, front, objs, dataset.Multiclass, "pareto on iris: 6 trainings")
	if err != nil {
		t.Fatal(err)
	}
	var pts [][2]float64
	for _, r := range recs {
		pts = append(pts, [2]float64{r.Objective("params"), r.Objective("error")})
	}
	layout(t, p, 7*vg.Inch, 4.5*vg.Inch, pts, "evaluated (6 distinct)", "Pareto front (4)")
}

// TestParetoLayout: the same of a search's accuracy-against-size plot
// (evonas report's pareto.png), whose legend sat at the bottom right, then
// just above the front's best point; with a few poor trainings, which are
// drawn at the bottom edge and counted in the legend.
func TestParetoLayout(t *testing.T) {
	recs := []fitness.Record{scored("a", 0.5, 200), scored("b", 0.9, 1700), scored("c", 0.55, 9000), scored("d", 0.2, 9500), scored("e", 0.95, 1800)}
	for i, acc := range climb(40) {
		recs = append(recs, scored(strconv.Itoa(i), acc, 3000+100*i))
	}
	recs = append(recs, scored("poor", 0.1, 20000), scored("poorer", 0.05, 40000))
	p, err := Pareto(recs, dataset.Binary, "search: accuracy against size")
	if err != nil {
		t.Fatal(err)
	}
	var ys, keep []float64
	for _, r := range recs {
		ys = append(ys, r.Val.Acc)
	}
	for _, r := range Front(recs, dataset.Binary) {
		keep = append(keep, r.Val.Acc)
	}
	f := focus(ys, true, false, keep...)
	if f.Clipped != 3 {
		t.Fatalf("clipped %d, want the three poor trainings off the front", f.Clipped)
	}
	var pts [][2]float64
	for _, r := range recs {
		pts = append(pts, [2]float64{float64(r.Params), f.Clip(r.Val.Acc)})
	}
	layout(t, p, 7*vg.Inch, 4.5*vg.Inch, pts, "each training", "Pareto front (fewest parameters for the metric)", f.Note("training"))
}

// TestProgressLayout: progress.png's legend is above its data, and the
// trainings below its range are drawn inside the frame, at its bottom.
func TestProgressLayout(t *testing.T) {
	var recs []fitness.Record
	var ys []float64
	for i, acc := range append([]float64{0.2, 0.1, 0.6}, climb(50)...) {
		recs = append(recs, scored(strconv.Itoa(i), acc, 100))
		ys = append(ys, acc)
	}
	p, err := Progress(recs, dataset.Binary, "search: validation accuracy")
	if err != nil {
		t.Fatal(err)
	}
	f := focus(ys, true, false)
	var pts [][2]float64
	for i, y := range ys {
		pts = append(pts, [2]float64{float64(i + 1), f.Clip(y)})
	}
	layout(t, p, 7*vg.Inch, 4.5*vg.Inch, pts, "each training", "best so far", f.Note("training"))
}

// TestCurvesLayout: curves.png's legend, with its note of the first
// trainings' means drawn at the top edge, is above the curves (it was
// inside the top right corner of the data area).
func TestCurvesLayout(t *testing.T) {
	c := comparison(t, 30, func(s, seed int) []fitness.Record {
		var recs []fitness.Record
		for i := range 30 {
			acc := 0.97 + 0.0007*float64(i) + 0.002*float64(s)
			if i == 0 {
				acc = 0.1 // a poor first training: a high mean
			}
			recs = append(recs, scored(strconv.Itoa(i), acc, 10))
		}
		return recs
	})
	p, err := curves(c)
	if err != nil {
		t.Fatal(err)
	}
	note := legendWith(p, "")
	if note == "" {
		t.Fatalf("no note of the means drawn at the edge in %q", legendTexts(p))
	}
	layout(t, p, 7*vg.Inch, 4.5*vg.Inch, nil, "ga", "random", note)
}

// TestBoxesLayout: final.png's boxes and whiskers are drawn off the
// frame: the first and last boxes sat on the left and right edges (the
// axis ran from the first strategy to the last), and the extreme whiskers,
// or every box when every seed scored the same (1.0, say), on the top and
// bottom edges.
func TestBoxesLayout(t *testing.T) {
	for _, tc := range []struct {
		name string
		acc  func(strategy, seed int) float64
	}{
		{"spread", func(s, seed int) float64 { return 0.81 + 0.09*float64(s+seed) }},
		{"every seed perfect", func(int, int) float64 { return 1 }},
		{"one value below 1", func(int, int) float64 { return 0.9 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := comparison(t, 1, func(s, seed int) []fitness.Record {
				return []fitness.Record{scored("a", tc.acc(s, seed), 10)}
			})
			p, w, err := boxes(c)
			if err != nil {
				t.Fatal(err)
			}
			var pts [][2]float64
			for i, s := range c.Strategies {
				for _, sd := range s.Seeds {
					// The box is 30 points wide: its sides, 15 either way.
					pts = append(pts, [2]float64{float64(i), sd.BestTest})
				}
			}
			rec := &recorder.Canvas{}
			cv := draw.NewCanvas(rec, w, 4.5*vg.Inch)
			p.Draw(cv)
			dc := p.DataCanvas(cv)
			margin := vg.Points(4)
			for _, pt := range pts {
				x, y := dc.X(p.X.Norm(pt[0])), dc.Y(p.Y.Norm(pt[1]))
				if x-15 < dc.Min.X+margin || x+15 > dc.Max.X-margin || y < dc.Min.Y+margin || y > dc.Max.Y-margin {
					t.Errorf("box of %v at (%.1f, %.1f): within %v of the data area's edge %v", pt, x, y, margin, dc.Rectangle)
				}
			}
		})
	}
}
