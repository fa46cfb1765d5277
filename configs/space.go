package configs

import (
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/search"
)

// Space returns the search space of c as the genome package bounds it.
func (c Config) Space() genome.Space {
	s := c.SearchSpace
	spanChoices(&s) // as Parse does, for a config built in Go
	return genome.Space{
		Layers:         genome.IntRange{Min: s.Layers.Min, Max: s.Layers.Max},
		Width:          genome.IntRange{Min: s.Width.Min, Max: s.Width.Max},
		WidthChoices:   s.Width.Choices,
		SharedWidth:    s.SharedWidth,
		Activations:    s.Activations,
		LR:             genome.FloatRange{Min: s.LR.Min, Max: s.LR.Max},
		LRChoices:      s.LR.Choices,
		Batches:        s.Batch,
		Dropout:        genome.FloatRange{Min: s.Dropout.Min, Max: s.Dropout.Max},
		DropoutChoices: s.Dropout.Choices,
		L2:             genome.FloatRange{Min: s.L2.Min, Max: s.L2.Max},
		L2Choices:      s.L2.Choices,
		Optimizers:     s.Optimizers,
		Schedules:      s.LRSchedule,
	}
}

// Rates returns the mutation operators' probabilities of c.
func (c Config) Rates() genome.Rates {
	m := c.Evolution.Mutation
	return genome.Rates{AddLayer: m.AddLayer, RemoveLayer: m.RemoveLayer, ResizeLayer: m.ResizeLayer,
		Activation: m.Activation, LR: m.LR, Batch: m.Batch, Dropout: m.Dropout, L2: m.L2,
		Optimizer: m.Optimizer, LRSchedule: m.LRSchedule}
}

// Settings returns the evolutionary search's settings of c: its evolution,
// stop and budget sections.
func (c Config) Settings() search.Settings {
	e := c.Evolution
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
		Rates:          c.Rates(),
		Mutation:       e.MutationStyle,
		Noise:          search.Noise{Repeats: c.Objective.Repeats, Finalists: c.Objective.Finalists},
		HallOfFame:     e.HallOfFame,
		SampleSize:     sampleSize(e),
		Offspring:      e.Offspring,
		Screen:         e.Screen,
		KeepBest:       e.KeepBest,
		Strict:         e.Strict,
		TargetFitness:  c.Stop.TargetFitness,
		NoImprovement:  c.Stop.NoImprovement,
		Budget:         c.Budget.Evaluations,
		Seed:           c.Seed,
		Objectives:     c.Objective.Minimize,
	}
}

// sampleSize is evolution.sample_size, or for 0 70% of the population (at
// least 2, at most the population): strong selection that follows the
// population when a flag or sweep changes it.
func sampleSize(e Evolution) int {
	if e.SampleSize != 0 {
		return e.SampleSize
	}
	return min(max(2, e.Population*7/10), e.Population)
}
