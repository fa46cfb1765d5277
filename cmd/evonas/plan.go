package main

import (
	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/search"
)

// The conversions from a run config to what each package takes.

func spaceOf(c configs.Config) genome.Space { return c.Space() }

func settingsOf(c configs.Config) search.Settings { return c.Settings() }

func trainingOf(c configs.Config) fitness.Settings {
	return fitness.Settings{
		Epochs:       c.Training.Epochs,
		Patience:     c.Training.Patience,
		Momentum:     c.Training.Momentum,
		ParamPenalty: c.Objective.ParamPenalty,
		Metric:       c.Objective.Metric,
		Fidelity: fitness.Fidelity{
			Method:         c.Fidelity.Method,
			MinEvaluations: c.Fidelity.MinEvaluations,
			MinEpochs:      c.Fidelity.MinEpochs,
			Eta:            c.Fidelity.Eta,
		},
	}
}

func dataOptionsOf(c configs.Config) dataset.Options {
	d := c.Data
	o := dataset.Options{
		Target:  d.Target,
		Task:    dataset.Task(d.Task),
		Missing: d.Missing,
		Seed:    c.Seed,
		Rows:    d.Rows,
		Noise:   d.Noise,
	}
	// The default split leaves each data set its own default (seed-sum's
	// is the classic example's 1000/200/200).
	if d.Split != configs.Default().Data.Split {
		o.Split = dataset.Fractions{Train: d.Split.Train, Val: d.Split.Val, Test: d.Split.Test}
	}
	return o
}
