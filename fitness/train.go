package fitness

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/network"
)

// Scores are a trained net's metrics on one split, in the target's units.
type Scores struct {
	Loss float64 `json:"loss"`
	Acc  float64 `json:"acc,omitempty"`  // classification
	R2   float64 `json:"r2,omitempty"`   // regression
	RMSE float64 `json:"rmse,omitempty"` // regression, in the target's units
	// BalAcc is a classification's balanced accuracy (BalancedAccuracy),
	// measured when a run selects on it (Settings.Metric "balanced"), which
	// Balanced says; a record carries it then only, written as bal_acc.
	BalAcc   float64 `json:"bal_acc,omitempty"`
	Balanced bool    `json:"-"`
}

// Metric is the score a search maximizes: accuracy, or the balanced
// accuracy when the scores carry it, or R² for regression.
func (s Scores) Metric(task dataset.Task) float64 {
	switch {
	case task == dataset.Regression:
		return s.R2
	case s.Balanced:
		return s.BalAcc
	}
	return s.Acc
}

// The names of the metrics Scores.Metric gives.
const (
	AccuracyName = "accuracy"
	BalancedName = "balanced accuracy"
	R2Name       = "R²"
)

// MetricName names what Metric gives for these scores on task.
func (s Scores) MetricName(task dataset.Task) string {
	switch {
	case task == dataset.Regression:
		return R2Name
	case s.Balanced:
		return BalancedName
	}
	return AccuracyName
}

// MetricNameOf names the metric of a run's records on task: the balanced
// accuracy when any of them carries it (a run that selected on it; its
// failed trainings carry no scores), else as Scores.MetricName.
func MetricNameOf(task dataset.Task, recs []Record) string {
	if task != dataset.Regression && slices.ContainsFunc(recs, func(r Record) bool { return r.Val.Balanced }) {
		return BalancedName
	}
	return Scores{}.MetricName(task)
}

// BalancedAccuracy is the mean over classes of their recall, the share of
// a class's rows predicted as that class, from rows and hits by class
// (network.Metrics's ClassRows and ClassHits): scikit-learn's
// balanced_accuracy_score. A class without rows is left out; NaN when
// no class has any.
func BalancedAccuracy(rows, hits []int) float64 {
	sum, n := 0.0, 0
	for c, r := range rows {
		if r > 0 {
			sum += float64(hits[c]) / float64(r)
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// Outcome is a finished training.
type Outcome struct {
	Net    *network.Net
	Result network.Result
	Val    Scores
	Test   Scores
	// ValBal and TestBal are a classification's balanced accuracies on
	// validation and test (BalancedAccuracy; 0 for a regression or a split
	// without rows). Val and Test carry them only in the records of a run
	// that selects on them (Settings.Metric "balanced").
	ValBal, TestBal float64
}

// Spec returns the spec of a net with the given hidden layers for d's task.
func Spec(d *dataset.Data, hidden []network.Layer) network.Spec {
	s := network.Spec{Inputs: d.Train.D, Hidden: hidden}
	switch d.Task {
	case dataset.Binary:
		s.Head, s.Outputs = network.Binary, 1
	case dataset.Multiclass:
		s.Head, s.Outputs = network.Softmax, len(d.Classes)
	default:
		s.Head, s.Outputs = network.Regression, 1
	}
	return s
}

// NetData views a split as the network package's data.
func NetData(s dataset.Split) network.Data {
	return network.Data{X: s.X, Y: s.Y, N: s.N}
}

// Train builds a net of the given hidden layers for d, initialised from
// initSeed, trains it on d's training split with early stopping on its
// validation split, and scores it on validation and test. A diverged
// training returns an error matched by errors.Is(err, network.ErrDiverged).
//
// A net whose training would need more memory than cfg.MaxMemory is refused
// with a *network.MemoryError before anything is allocated.
func Train(ctx context.Context, d *dataset.Data, hidden []network.Layer, cfg network.TrainConfig, initSeed uint64) (*Outcome, error) {
	if err := Spec(d, hidden).CheckMemory(cfg, d.Train.N, d.Val.N); err != nil {
		return nil, err
	}
	net, err := network.New(Spec(d, hidden), initSeed)
	if err != nil {
		return nil, err
	}
	res, err := net.Train(ctx, NetData(d.Train), NetData(d.Val), cfg)
	if err != nil {
		return &Outcome{Net: net, Result: res}, err
	}
	return outcome(net, res, d)
}

// outcome scores a trained net on d's validation and test splits.
func outcome(net *network.Net, res network.Result, d *dataset.Data) (*Outcome, error) {
	out := &Outcome{Net: net, Result: res}
	var err error
	if out.Val, out.ValBal, err = score(net, d, d.Val); err != nil {
		return out, err
	}
	if out.Test, out.TestBal, err = score(net, d, d.Test); err != nil {
		return out, err
	}
	return out, nil
}

// score is a net's scores on a split of d, and a classification's
// balanced accuracy there.
func score(net *network.Net, d *dataset.Data, s dataset.Split) (Scores, float64, error) {
	if s.N == 0 {
		return Scores{}, 0, nil
	}
	m, err := net.Evaluate(NetData(s))
	if err != nil {
		return Scores{}, 0, fmt.Errorf("fitness: %w", err)
	}
	sc, bal := Scores{Loss: m.Loss}, 0.0
	if d.Task == dataset.Regression {
		sc.R2, sc.RMSE = m.R2, m.RMSE*d.Prep.TargetScale
	} else {
		sc.Acc, bal = m.Accuracy, BalancedAccuracy(m.ClassRows, m.ClassHits)
	}
	return sc, bal, nil
}
