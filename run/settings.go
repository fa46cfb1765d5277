package run

import (
	"runtime"
	"slices"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/network"
	"github.com/evonas/evonas/search"
)

// The conversions from a run config to what each package takes.

// SpaceOf is a config's search space.
func SpaceOf(c configs.Config) genome.Space { return c.Space() }

// SettingsOf is a config's evolution settings.
func SettingsOf(c configs.Config) search.Settings { return c.Settings() }

// TrainingOf is a config's training settings.
func TrainingOf(c configs.Config) fitness.Settings {
	return fitness.Settings{
		Epochs:       c.Training.Epochs,
		Patience:     c.Training.Patience,
		Momentum:     c.Training.Momentum,
		Precision:    network.Precision(c.Training.Precision),
		ParamPenalty: c.Objective.ParamPenalty,
		Metric:       c.Objective.Metric,
		Folds:        c.Objective.Folds,
		MaxMemory:    int64(c.Training.MaxMemoryMB) << 20,
		Latency:      slices.Contains(c.Objective.Minimize, fitness.LatencyObjective),
		Fidelity: fitness.Fidelity{
			Method:         c.Fidelity.Method,
			MinEvaluations: c.Fidelity.MinEvaluations,
			MinEpochs:      c.Fidelity.MinEpochs,
			Eta:            c.Fidelity.Eta,
		},
	}
}

// DataOptionsOf is how a config loads its data: the run seed splits it.
func DataOptionsOf(c configs.Config) dataset.Options {
	d := c.Data
	o := dataset.Options{
		Target:  d.Target,
		Task:    dataset.Task(d.Task),
		Missing: d.Missing,
		Seed:    c.Seed,
		Rows:    d.Rows,
		Noise:   d.Noise,
		Ignore:  d.Ignore,
	}
	// The default split leaves each data set its own default (seed-sum's
	// is the classic example's 1000/200/200).
	if d.Split != configs.Default().Data.Split {
		o.Split = dataset.Fractions{Train: d.Split.Train, Val: d.Split.Val, Test: d.Split.Test}
	}
	return o
}

// Workers is the concurrent trainings a config asks for: its workers, or
// one per CPU.
func Workers(cfg configs.Config) int {
	if cfg.Workers > 0 {
		return cfg.Workers
	}
	return runtime.NumCPU()
}

// RandomEvaluations is a random search's budget: evaluations when
// positive, else the config's budget, else what its evolution would spend.
func RandomEvaluations(cfg configs.Config, evaluations int) int {
	switch {
	case evaluations > 0:
		return evaluations
	case cfg.Budget.Evaluations > 0:
		return cfg.Budget.Evaluations
	}
	e := cfg.Evolution
	return e.Population * e.Islands * (e.Generations + 1)
}

// PlannedTrainings estimates, after generation g of an evolution of the
// given generations and budget (0: none), the trainings the run will
// make: those so far plus, for each generation still to run, the mean per
// generation so far, and no more than the budget. The plan (population x
// islands x generations) counts trainings that cache hits and elites kept
// unchanged do not make, so a progress bar aimed at it would end at 71%
// and jump to 100%. After the last generation it is the count.
func PlannedTrainings(generations, budget int, g search.GenerationStats) int {
	done := g.Evaluations
	est := done
	if left := generations - g.Generation; left > 0 {
		est += left * done / (g.Generation + 1)
	}
	if budget > 0 {
		est = max(min(est, budget), done)
	}
	return est
}
