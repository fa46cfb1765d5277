package fitness

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/network"
)

// The objectives a multi-objective search can minimize.
const (
	ErrorObjective   = "error"   // the fitness: 1 - validation accuracy (or R²)
	ParamsObjective  = "params"  // weights and biases
	FLOPsObjective   = "flops"   // floating-point operations of one forward pass, per sample
	LatencyObjective = "latency" // measured seconds of one prediction, per sample
)

// Objectives lists every objective name, in the order help and errors give
// them.
var Objectives = []string{ErrorObjective, ParamsObjective, FLOPsObjective, LatencyObjective}

// CheckObjectives reports the first unknown or repeated name, or nil.
func CheckObjectives(names []string) error {
	seen := map[string]bool{}
	for _, n := range names {
		known := false
		for _, o := range Objectives {
			known = known || n == o
		}
		if !known {
			return fmt.Errorf("unknown objective %q (allowed: %s)", n, strings.Join(Objectives, ", "))
		}
		if seen[n] {
			return fmt.Errorf("objective %q listed twice", n)
		}
		seen[n] = true
	}
	return nil
}

// Objective returns the value of a named objective for a record, lower
// being better: +Inf for a diverged, invalid or failed evaluation (and for
// a latency that was not measured), so that it never joins a front.
func (r Record) Objective(name string) float64 {
	if math.IsInf(r.Fitness, 0) || math.IsNaN(r.Fitness) {
		return math.Inf(1)
	}
	switch name {
	case ErrorObjective:
		return r.Fitness
	case ParamsObjective:
		return float64(r.Params)
	case FLOPsObjective:
		return float64(r.FLOPs)
	case LatencyObjective:
		if r.LatencyUS <= 0 {
			return math.Inf(1)
		}
		return r.LatencyUS * 1e-6
	}
	panic("fitness: unknown objective " + name)
}

// ObjectiveVector returns a record's objectives, in the order of names.
func (r Record) ObjectiveVector(names []string) []float64 {
	v := make([]float64, len(names))
	for i, n := range names {
		v[i] = r.Objective(n)
	}
	return v
}

// TestError is the error objective measured on the test split instead of
// the validation split: 1 - test accuracy (or R²), +Inf for a failed
// evaluation.
func (r Record) TestError(task dataset.Task) float64 {
	if math.IsInf(r.Fitness, 0) || math.IsNaN(r.Fitness) {
		return math.Inf(1)
	}
	return 1 - r.Test.Metric(task)
}

// FLOPs counts the floating-point operations of a forward pass of a net of
// this spec for one sample: a multiply and an add per weight of each dense
// layer, the output layer included. Biases, activations and the head's
// softmax are left out, as is usual.
func FLOPs(s network.Spec) int64 {
	var n int64
	in := s.Inputs
	for _, l := range s.Hidden {
		n += 2 * int64(in) * int64(l.Units)
		in = l.Units
	}
	return n + 2*int64(in)*int64(s.Outputs)
}

// Latency measurement: one prediction at a time (batch size 1, as a
// device serving requests sees), over up to latencyRows validation rows,
// latencyPasses timed passes after one untimed warm-up pass. A pass's time
// divided by its rows is one estimate; the record keeps the median of the
// passes and their interquartile range, because timings on a shared
// machine are noisy and one pass can be slowed by another process.
const (
	latencyRows   = 128
	latencyPasses = 7
)

// measureLatency times net's predictions on rows of s and returns the
// median and the interquartile range of the per-sample seconds over the
// timed passes.
func measureLatency(net *network.Net, s dataset.Split) (median, iqr float64) {
	rows := min(s.N, latencyRows)
	if rows == 0 {
		return 0, 0
	}
	d := net.Spec().Inputs
	out := make([]float64, net.Spec().Outputs)
	pass := func() float64 {
		start := time.Now()
		for i := 0; i < rows; i++ {
			out = net.Predict(s.X[i*d:(i+1)*d], 1, out)
		}
		return time.Since(start).Seconds() / float64(rows)
	}
	pass()
	t := make([]float64, latencyPasses)
	for i := range t {
		t[i] = pass()
	}
	sort.Float64s(t)
	q := func(p float64) float64 {
		h := p * float64(len(t)-1)
		lo := int(math.Floor(h))
		hi := min(lo+1, len(t)-1)
		return t[lo] + (h-float64(lo))*(t[hi]-t[lo])
	}
	return q(0.5), q(0.75) - q(0.25)
}
