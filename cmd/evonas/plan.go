package main

import (
	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/search"
)

// The conversions from a run config to what each package takes.

func spaceOf(c configs.Config) genome.Space {
	s := c.SearchSpace
	return genome.Space{
		Layers:       genome.IntRange{Min: s.Layers.Min, Max: s.Layers.Max},
		Width:        genome.IntRange{Min: s.Width.Min, Max: s.Width.Max},
		WidthChoices: s.WidthChoices,
		Activations:  s.Activations,
		LR:           genome.FloatRange{Min: s.LR.Min, Max: s.LR.Max},
		Batches:      s.Batch,
		Dropout:      genome.FloatRange{Min: s.Dropout.Min, Max: s.Dropout.Max},
		L2:           genome.FloatRange{Min: s.L2.Min, Max: s.L2.Max},
		Optimizers:   s.Optimizers,
	}
}

func settingsOf(c configs.Config) search.Settings {
	e := c.Evolution
	m := e.Mutation
	return search.Settings{
		Model:          e.Model,
		Population:     e.Population,
		Generations:    e.Generations,
		Islands:        e.Islands,
		MigrationEvery: e.Migration.Every,
		Migrants:       e.Migration.Migrants,
		Selection:      e.Selection.Method,
		TournamentSize: e.Selection.Size,
		Elitism:        e.Elitism,
		Speciation:     e.Speciation.Method,
		Species:        e.Speciation.Species,
		CrossoverRate:  e.CrossoverRate,
		MutationRate:   e.MutationRate,
		Rates: genome.Rates{AddLayer: m.AddLayer, RemoveLayer: m.RemoveLayer, ResizeLayer: m.ResizeLayer,
			Activation: m.Activation, LR: m.LR, Batch: m.Batch, Dropout: m.Dropout, L2: m.L2, Optimizer: m.Optimizer},
		Mutation:      e.MutationStyle,
		Noise:         search.Noise{Repeats: c.Objective.Repeats, Finalists: c.Objective.Finalists},
		HallOfFame:    e.HallOfFame,
		SampleSize:    e.SampleSize,
		Offspring:     e.Offspring,
		KeepBest:      e.KeepBest,
		Strict:        e.Strict,
		TargetFitness: c.Stop.TargetFitness,
		NoImprovement: c.Stop.NoImprovement,
		Budget:        c.Budget.Evaluations,
		Seed:          c.Seed,
	}
}

func trainingOf(c configs.Config) fitness.Settings {
	return fitness.Settings{
		Epochs:       c.Training.Epochs,
		Patience:     c.Training.Patience,
		Momentum:     c.Training.Momentum,
		ParamPenalty: c.Objective.ParamPenalty,
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
