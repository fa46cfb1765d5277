package search

import (
	"fmt"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
)

// Settings configure an evolutionary search. They mirror the evolution,
// stop and budget sections of a run config. Their zero value is not a
// default search: Model, Islands and HallOfFame must be set, and zero
// crossover and mutation rates leave children copies of their parents. configs.Config.Settings gives a config's settings
// (configs.Default().Settings() the default search's), to change from there.
type Settings struct {
	Model          string // generational, steady_state, down_to_size, ring, mutation_only, regularized, async_regularized, nsga2
	Population     int
	Generations    int
	Islands        int
	MigrationEvery int // ring migration between islands every N generations; 0 = never
	Migrants       int
	Selection      string // tournament, roulette, elitism
	TournamentSize int
	Elitism        int    // generational: the best N pass unchanged
	Speciation     string // none, kmedoids, interval
	Species        int
	CrossoverRate  float64
	MutationRate   float64
	Rates          genome.Rates
	Mutation       string // rates (default): Rates' operators; local: one gene at a time, to a neighbouring value
	Noise          Noise  // re-evaluation of promising genomes and of the finalists
	HallOfFame     int
	SampleSize     int  // regularized: candidates sampled per child
	Offspring      int  // down_to_size: offspring per generation; regularized: children evaluated together (0: population/4)
	Screen         int  // regularized: children made per child trained, the one a surrogate of the records so far ranks best kept (<= 1: off)
	KeepBest       bool // steady_state
	Strict         bool // mutation_only
	// Objectives are the objectives minimized together (fitness.Objectives'
	// names); two or more make the search multi-objective, which needs
	// the nsga2 model. Empty: the fitness alone.
	Objectives []string

	TargetFitness *float64 // stop once the best fitness is at most this
	NoImprovement int      // stop after N generations without a better best
	Budget        int      // stop once this many trainings ran (checked between generations); 0 = none
	Seed          uint64
}

// minPerSpecies is the fewest individuals a species may have: a
// tournament draws its two parents' contestants without replacement.
func (s Settings) minPerSpecies() int {
	if s.Selection == "tournament" || s.Selection == "" {
		return s.TournamentSize + 1
	}
	return 2
}

// selects reports whether the model chooses parents with the selection
// method; mutation_only, regularized, the asynchronous model and nsga2
// choose their own way, whatever the tournament size.
func (s Settings) selects() bool {
	switch s.Model {
	case "generational", "steady_state", "down_to_size", "ring":
		return true
	}
	return false
}

// Validate checks what the search needs of its settings.
func (s Settings) Validate() error {
	switch {
	case s.Population < 2:
		return fmt.Errorf("search: population %d, want at least 2", s.Population)
	case s.Generations < 0:
		return fmt.Errorf("search: %d generations", s.Generations)
	case s.Islands < 1:
		return fmt.Errorf("search: %d islands", s.Islands)
	case s.HallOfFame < 1:
		return fmt.Errorf("search: hall of fame %d", s.HallOfFame)
	case (s.Selection == "tournament" || s.Selection == "") && s.selects() && s.TournamentSize >= s.Population:
		return fmt.Errorf("search: tournament of %d in a population of %d", s.TournamentSize, s.Population)
	case s.Elitism < 0 || s.Elitism >= s.Population:
		return fmt.Errorf("search: elitism %d for a population of %d", s.Elitism, s.Population)
	case s.MigrationEvery > 0 && s.Islands < 2:
		return fmt.Errorf("search: migration needs at least 2 islands")
	case s.Model == AsyncModel && (s.Islands != 1 || (s.Speciation != "" && s.Speciation != "none")):
		return fmt.Errorf("search: the asynchronous model runs one population, without islands or species")
	case s.Screen > 1 && s.Model != "regularized":
		return fmt.Errorf("search: screening needs the regularized model, got %s", s.Model)
	case s.Screen > 1 && s.Islands > 1:
		// The surrogate sees every island's evaluations so far, which
		// depend on which island's batch finished first.
		return fmt.Errorf("search: screening needs one island, got %d", s.Islands)
	case (s.Model == "regularized" || s.Model == AsyncModel) && (s.SampleSize < 1 || s.SampleSize > s.Population):
		return fmt.Errorf("search: sample size %d for a population of %d", s.SampleSize, s.Population)
	case s.Model == AsyncModel && (s.Noise.on() || s.Mutation == "local"):
		return fmt.Errorf("search: the asynchronous model supports neither repeats nor local mutation")
	case len(s.Objectives) > 1 && s.Model != "nsga2":
		return fmt.Errorf("search: %d objectives need the nsga2 model, not %s", len(s.Objectives), s.Model)
	case s.Model == "nsga2" && s.Speciation != "" && s.Speciation != "none":
		return fmt.Errorf("search: nsga2 ranks the whole population, without speciation")
	case s.Model == "nsga2" && s.Noise.on():
		return fmt.Errorf("search: nsga2 does not support repeats")
	}
	if err := fitness.CheckObjectives(s.Objectives); err != nil {
		return fmt.Errorf("search: %v", err)
	}
	switch s.Mutation {
	case "", "rates", "local":
	default:
		return fmt.Errorf("search: unknown mutation %q", s.Mutation)
	}
	if s.Noise.Repeats < 0 || s.Noise.Finalists < 0 {
		return fmt.Errorf("search: %d repeats of %d finalists", s.Noise.Repeats, s.Noise.Finalists)
	}
	if s.Noise.on() && s.Islands > 1 {
		// Islands evaluate their batches concurrently; the means and the
		// ranking of the promising would depend on which finished first.
		return fmt.Errorf("search: repeats need one island, got %d", s.Islands)
	}
	if _, err := s.selector(); err != nil {
		return err
	}
	switch s.Model {
	case "generational", "steady_state", "down_to_size", "ring", "mutation_only", "regularized", AsyncModel, "nsga2":
	default:
		return fmt.Errorf("search: unknown model %q", s.Model)
	}
	switch s.Speciation {
	case "", "none":
	case "kmedoids", "interval":
		if s.Species < 2 || s.Species*s.minPerSpecies() > s.Population {
			return fmt.Errorf("search: %d species of at least %d individuals for a population of %d", s.Species, s.minPerSpecies(), s.Population)
		}
	default:
		return fmt.Errorf("search: unknown speciation %q", s.Speciation)
	}
	return s.Rates.Validate()
}

// objectives returns the objectives the search minimizes: the settings',
// or the error (the fitness) alone.
func (s Settings) objectives() []string {
	if len(s.Objectives) == 0 {
		return []string{fitness.ErrorObjective}
	}
	return s.Objectives
}
