package report

import (
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
)

// climb is n validation accuracies as a search makes them: from 0.95 up
// to 0.99.
func climb(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 0.95 + 0.04*float64(i)/float64(n-1)
	}
	return v
}

func TestFocus(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name     string
		vals     []float64
		higher   bool
		log      bool
		keep     []float64
		min, max float64 // want; NaN: checked by the bounds below
		above    float64 // want Min above this (NaN: no check)
		clipped  int
	}{
		{"accuracy with poor early trainings", append([]float64{0.1, 0.2, 0.5}, climb(100)...), true, false, nil, nan, 0.99, 0.5, 3},
		{"regression, R² far below 0", append([]float64{-50, -3}, climb(60)...), true, false, nil, nan, 0.99, 0, 2},
		{"no outliers: the whole range", climb(40), true, false, nil, 0.95, 0.99, nan, 0},
		{"few values are never clipped", []float64{0.1, 0.9, 0.95}, true, false, nil, 0.1, 0.95, nan, 0},
		{"all equal: a range below them", []float64{0.98, 0.98, 0.98}, true, false, nil, 0.88, 0.98, nan, 0},
		{"one value", []float64{0.5}, true, false, nil, 0.4, 0.5, nan, 0},
		{"R² of -7 alone", []float64{-7}, true, false, nil, -7.7, -7, nan, 0},
		{"no value", nil, true, false, nil, 0, 1, nan, 0},
		{"only non-finite values", []float64{nan, inf, -inf}, true, false, nil, 0, 1, nan, 0},
		{"non-finite values ignored", append([]float64{nan, -inf}, climb(20)...), true, false, nil, 0.95, 0.99, nan, 0},
		{"the front kept", append([]float64{0.1, 0.2, 0.5}, climb(100)...), true, false, []float64{0.2}, 0.2, 0.99, nan, 1},
		{"errors on a log axis, poor ones above", append([]float64{0.9, 0.5}, 0.01, 0.012, 0.015, 0.02, 0.025, 0.03, 0.02, 0.018, 0.016, 0.014, 0.013, 0.012, 0.011, 0.02, 0.021, 0.022, 0.019, 0.017, 0.015, 0.014, 0.013), false, true, nil, 0.01, nan, nan, 2},
		{"equal errors on a log axis", []float64{0.02, 0.02}, false, true, nil, 0.02, 0.08, nan, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := focus(tc.vals, tc.higher, tc.log, tc.keep...)
			if !(f.Min < f.Max) {
				t.Fatalf("range [%g, %g] is empty", f.Min, f.Max)
			}
			if !math.IsNaN(tc.min) && math.Abs(f.Min-tc.min) > 1e-9 {
				t.Errorf("min %g, want %g", f.Min, tc.min)
			}
			if !math.IsNaN(tc.max) && math.Abs(f.Max-tc.max) > 1e-9 {
				t.Errorf("max %g, want %g", f.Max, tc.max)
			}
			if !math.IsNaN(tc.above) && !(f.Min > tc.above) {
				t.Errorf("min %g, want above %g (the outliers left out)", f.Min, tc.above)
			}
			if f.Clipped != tc.clipped {
				t.Errorf("clipped %d, want %d", f.Clipped, tc.clipped)
			}
			out := 0
			for _, v := range tc.vals {
				if !math.IsNaN(v) && !math.IsInf(v, 0) && f.Out(v) {
					out++
				}
				if c := f.Clip(v); !math.IsNaN(v) && (c < f.Min || c > f.Max) {
					t.Errorf("Clip(%g) = %g, outside [%g, %g]", v, c, f.Min, f.Max)
				}
			}
			if out != f.Clipped {
				t.Errorf("%d values Out, but Clipped says %d", out, f.Clipped)
			}
			for _, v := range tc.keep {
				if f.Out(v) {
					t.Errorf("kept value %g outside [%g, %g]", v, f.Min, f.Max)
				}
			}
		})
	}
}

// TestFocusClipsFew: however the values fall, the range reaches the best
// and leaves out at most clipShare of them, on the poor side only.
func TestFocusClipsFew(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		n := 1 + r.IntN(300)
		vals := make([]float64, n)
		for i := range vals {
			switch trial % 3 {
			case 0: // heavy tails both ways
				vals[i] = r.NormFloat64() / (r.Float64() + 1e-3)
			case 1: // accuracies with a tail of poor ones
				vals[i] = 1 - math.Abs(r.ExpFloat64()*0.01)
				if r.IntN(10) == 0 {
					vals[i] = r.Float64()
				}
			default: // few distinct values
				vals[i] = float64(r.IntN(3))
			}
		}
		for _, higher := range []bool{true, false} {
			f := focus(vals, higher, false)
			best, worst := 0, 0
			for _, v := range vals {
				if f.Out(v) && (v > f.Max) == higher {
					best++
				} else if f.Out(v) {
					worst++
				}
			}
			if best > 0 {
				t.Fatalf("trial %d: %d values beyond the good side of [%g, %g]", trial, best, f.Min, f.Max)
			}
			if limit := int(math.Ceil(clipShare * float64(n))); worst > limit || worst != f.Clipped {
				t.Fatalf("trial %d: %d of %d clipped (Clipped %d), want at most %d", trial, worst, n, f.Clipped, limit)
			}
		}
	}
}

// TestFocusNote: the note names the count and a number between the values
// drawn and those clipped, so it is true of both.
func TestFocusNote(t *testing.T) {
	cases := []struct {
		vals   []float64
		higher bool
		want   *regexp.Regexp
	}{
		{append([]float64{0.1, 0.2, 0.5}, climb(100)...), true, regexp.MustCompile(`^3 trainings below (\S+), drawn at the bottom edge$`)},
		{append([]float64{-40}, climb(30)...), true, regexp.MustCompile(`^1 training below (\S+), drawn at the bottom edge$`)},
		{append([]float64{3, 7.5}, 0.11, 0.12, 0.13, 0.14, 0.15, 0.16, 0.17, 0.18, 0.19, 0.2, 0.21, 0.22, 0.23, 0.24, 0.25, 0.26, 0.27, 0.28, 0.29, 0.3, 0.31, 0.32, 0.33), false, regexp.MustCompile(`^2 trainings above (\S+), drawn at the top edge$`)},
	}
	for _, tc := range cases {
		f := focus(tc.vals, tc.higher, false)
		note := f.Note("training")
		m := tc.want.FindStringSubmatch(note)
		if m == nil {
			t.Errorf("note %q, want %v", note, tc.want)
			continue
		}
		x, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			t.Fatalf("note %q: %v", note, err)
		}
		for _, v := range tc.vals {
			below := v < x
			if tc.higher && below != f.Out(v) || !tc.higher && (v > x) != f.Out(v) {
				t.Errorf("note %q untrue of %g (drawn at the edge: %v)", note, v, f.Out(v))
			}
		}
		if len(m[1]) > 6 {
			t.Errorf("note %q: %s has more digits than needed", note, m[1])
		}
	}
}

// TestReadableTicks: the labels of a zoomed linear axis differ and say
// their values.
func TestReadableTicks(t *testing.T) {
	for _, r := range [][2]float64{{0.9895, 0.9905}, {0.92, 0.995}, {-0.001, 0.001}, {0.98, 0.98 + 1e-7}, {-50, 1}, {0, 1}, {1200, 1300}} {
		ticks := readableTicks{}.Ticks(r[0], r[1])
		seen := map[string]bool{}
		n := 0
		for _, tk := range ticks {
			if tk.Label == "" {
				continue
			}
			n++
			if seen[tk.Label] {
				t.Errorf("%v: label %q twice: %v", r, tk.Label, ticks)
			}
			seen[tk.Label] = true
			if v, err := strconv.ParseFloat(tk.Label, 64); err != nil || math.Abs(v-tk.Value) > 1e-6*(r[1]-r[0]) {
				t.Errorf("%v: label %q at %g", r, tk.Label, tk.Value)
			}
		}
		if n < 2 {
			t.Errorf("%v: %d labels: %v", r, n, ticks)
		}
	}
	// A log axis narrower than its 1-2-5 ticks: both ends, told apart.
	ticks := logTicks{}.Ticks(0.01234, 0.01236)
	if ticks[0].Label == ticks[len(ticks)-1].Label {
		t.Errorf("log ticks of 0.01234 to 0.01236: %v", ticks)
	}
}

// TestProgressZoom: a search whose first trainings were poor is drawn on
// the range of the rest, those below drawn at the edge and counted in the
// legend; a regression run's very negative R² and failed trainings too;
// one training, or all equal, give a range of some height.
func TestProgressZoom(t *testing.T) {
	var climbing []fitness.Record
	for i, acc := range append([]float64{0.1, 0.3, 0.6}, climb(60)...) {
		// The poor ones large: off the Pareto front, which is kept in range.
		params := 100 + i
		if acc < 0.9 {
			params = 10000 + i
		}
		climbing = append(climbing, scored(strconv.Itoa(i), acc, params))
	}
	var regression []fitness.Record
	for i, r2 := range append([]float64{-40, -2}, climb(30)...) {
		rec := fitness.Record{Key: strconv.Itoa(i), Status: fitness.OK, Params: 50, Val: fitness.Scores{R2: r2}}
		regression = append(regression, rec, failed("f"+strconv.Itoa(i)))
	}
	cases := []struct {
		name    string
		recs    []fitness.Record
		task    dataset.Task
		minOver float64
		note    string
	}{
		{"poor early trainings", climbing, dataset.Binary, 0.6, "3 trainings below "},
		{"regression", regression, dataset.Regression, -2, "2 trainings below "},
		{"one training", []fitness.Record{scored("a", 0.9, 10)}, dataset.Binary, math.Inf(-1), ""},
		{"all equal", []fitness.Record{scored("a", 1, 10), scored("b", 1, 20), scored("c", 1, 30)}, dataset.Binary, math.Inf(-1), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for name, draw := range map[string]func([]fitness.Record, dataset.Task, string) (*plot.Plot, error){"progress": Progress, "pareto": Pareto} {
				p, err := draw(tc.recs, tc.task, "run")
				if err != nil {
					t.Fatal(err)
				}
				if !(p.Y.Max > p.Y.Min) || !(p.Y.Min > tc.minOver) {
					t.Errorf("%s: y from %g to %g, want a range above %g", name, p.Y.Min, p.Y.Max, tc.minOver)
				}
				if got := legendWith(p, tc.note); tc.note != "" && got == "" {
					t.Errorf("%s: no legend entry starting %q", name, tc.note)
				} else if tc.note == "" && legendWith(p, "") != "" {
					t.Errorf("%s: legend says %q of a run with nothing clipped", name, legendWith(p, ""))
				}
				if _, err := render(p, 7*72, 4.5*72, "png"); err != nil {
					t.Errorf("%s: %v", name, err)
				}
			}
		})
	}
}

// legendWith is the text of p's legend entry that starts with prefix and
// notes values drawn at the edge, or "".
func legendWith(p *plot.Plot, prefix string) string {
	for _, s := range legendTexts(p) {
		if len(s) >= len(prefix) && s[:len(prefix)] == prefix && regexp.MustCompile(`drawn at the (top|bottom) edge$`).MatchString(s) {
			return s
		}
	}
	return ""
}

// legendTexts is every text p draws (its legend's among them).
func legendTexts(p *plot.Plot) []string {
	rec := &recorder.Canvas{}
	p.Draw(draw.NewCanvas(rec, 7*vg.Inch, 4.5*vg.Inch))
	var out []string
	for _, a := range rec.Actions {
		if fs, ok := a.(*recorder.FillString); ok {
			out = append(out, fs.String)
		}
	}
	return out
}
