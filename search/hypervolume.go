package search

import (
	"fmt"
	"math"
	"strings"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
)

// RefMargin is where the reference point of a comparison's hypervolume
// lies in every normalized objective: 10% beyond the frame's worst value
// (the usual nadir-plus-10%), so that a front's extreme members add volume
// too.
const RefMargin = 1.1

// Frame puts objectives on one scale for hypervolume: each is mapped
// linearly (error) or on a log10 scale (params, flops, latency, which span
// orders of magnitude) to 0 at Ideal and 1 at Nadir. The reference point is
// RefMargin in each normalized objective, so a hypervolume lies between 0
// and RefMargin^d. Every strategy of a comparison shares one frame.
type Frame struct {
	Objectives []string  `json:"objectives"`
	Log        []bool    `json:"log"`
	Ideal      []float64 `json:"ideal"`     // raw units: normalized 0
	Nadir      []float64 `json:"nadir"`     // raw units: normalized 1
	Reference  []float64 `json:"reference"` // raw units of the reference point
}

// NewFrame returns a frame for objectives with the given extremes in raw
// units: error's from 0 to 1 whatever lo and hi say (1 - accuracy is at
// most 1; 1 - R² above 1 is worse than predicting the mean), the others
// from lo to hi on a log10 scale.
func NewFrame(objectives []string, lo, hi []float64) Frame {
	f := Frame{Objectives: objectives}
	for i, o := range objectives {
		l, h, log := lo[i], hi[i], o != fitness.ErrorObjective
		if !log {
			l, h = 0, 1
		}
		if log && !(h > l) {
			h = l * 10 // one value observed: a decade of room
		}
		f.Log = append(f.Log, log)
		f.Ideal, f.Nadir = append(f.Ideal, l), append(f.Nadir, h)
		f.Reference = append(f.Reference, f.raw(i, RefMargin))
	}
	return f
}

// ObservedFrame is the frame whose size objectives range over the values
// the records show (failed evaluations aside).
func ObservedFrame(objectives []string, recs []fitness.Record) Frame {
	lo, hi := make([]float64, len(objectives)), make([]float64, len(objectives))
	for i := range lo {
		lo[i], hi[i] = math.Inf(1), math.Inf(-1)
	}
	for _, r := range recs {
		v := r.ObjectiveVector(objectives)
		if anyInf(v) {
			continue
		}
		for i, x := range v {
			lo[i], hi[i] = math.Min(lo[i], x), math.Max(hi[i], x)
		}
	}
	for i := range lo {
		if math.IsInf(lo[i], 1) || lo[i] <= 0 {
			lo[i], hi[i] = 1, 10
		}
	}
	return NewFrame(objectives, lo, hi)
}

// Normalize maps raw objective values into the frame; a failed record's
// +Inf stays +Inf.
func (f Frame) Normalize(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		lo, hi := f.Ideal[i], f.Nadir[i]
		if f.Log[i] {
			if x <= 0 {
				x = lo
			}
			x, lo, hi = math.Log10(x), math.Log10(lo), math.Log10(hi)
		}
		out[i] = (x - lo) / (hi - lo)
	}
	return out
}

// raw is the raw value of objective i at normalized value u.
func (f Frame) raw(i int, u float64) float64 {
	lo, hi := f.Ideal[i], f.Nadir[i]
	if f.Log[i] {
		return math.Pow(10, math.Log10(lo)+u*(math.Log10(hi)-math.Log10(lo)))
	}
	return lo + u*(hi-lo)
}

// String states the frame and its reference point in words, as a report
// gives it.
func (f Frame) String() string {
	var parts []string
	for i, o := range f.Objectives {
		scale := "linear"
		if f.Log[i] {
			scale = "log10"
		}
		parts = append(parts, fmt.Sprintf("%s from %.4g to %.4g (%s), reference %.4g", o, f.Ideal[i], f.Nadir[i], scale, f.Reference[i]))
	}
	return fmt.Sprintf("normalized %s; the reference point is %.3g in every normalized objective, so the most a hypervolume can be is %.4g",
		strings.Join(parts, "; "), RefMargin, math.Pow(RefMargin, float64(len(f.Objectives))))
}

// points are the normalized objective vectors of records; test puts the
// test split's error in place of the validation error.
func (f Frame) points(recs []fitness.Record, task dataset.Task, test bool) [][]float64 {
	pts := make([][]float64, len(recs))
	for i, r := range recs {
		v := r.ObjectiveVector(f.Objectives)
		if test {
			for k, o := range f.Objectives {
				if o == fitness.ErrorObjective {
					v[k] = r.TestError(task)
				}
			}
		}
		pts[i] = f.Normalize(v)
	}
	return pts
}

// reference is the reference point in normalized objectives.
func (f Frame) reference() []float64 {
	ref := make([]float64, len(f.Objectives))
	for i := range ref {
		ref[i] = RefMargin
	}
	return ref
}

// HypervolumeCurve returns a run's hypervolume in the frame after each of
// its records, in order. A record stopped early by multi-fidelity adds
// nothing, as it is never on a front (Front).
func (f Frame) HypervolumeCurve(recs []fitness.Record, task dataset.Task) []float64 {
	pts := f.points(recs, task, false)
	for i, r := range recs {
		if r.Partial {
			for k := range pts[i] {
				pts[i][k] = math.Inf(1)
			}
		}
	}
	return HypervolumeCurve(pts, f.reference())
}

// TestHypervolume is the hypervolume of a run's front, chosen on
// validation error as the search chose it, with each member's test error
// in place of its validation error: what the front is worth on data the
// search never saw.
func (f Frame) TestHypervolume(recs []fitness.Record, task dataset.Task) float64 {
	return f.testHypervolume(recs, task, nil)
}

// testHypervolume is TestHypervolume with another test error, when given.
func (f Frame) testHypervolume(recs []fitness.Record, task dataset.Task, testError func(fitness.Record) float64) float64 {
	front := Front(recs, f.Objectives)
	if testError == nil {
		return Hypervolume(f.points(front, task, true), f.reference())
	}
	pts := make([][]float64, len(front))
	for i, r := range front {
		v := r.ObjectiveVector(f.Objectives)
		for k, o := range f.Objectives {
			if o == fitness.ErrorObjective {
				v[k] = testError(r)
			}
		}
		pts[i] = f.Normalize(v)
	}
	return Hypervolume(pts, f.reference())
}
