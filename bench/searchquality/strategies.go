package main

import (
	"context"
	"fmt"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/search"
	"github.com/evonas/evonas/table"
)

// strategy is a search to measure: random search, or evolution with
// settings; sized, when set, adapts the settings to the budget.
type strategy struct {
	name     string
	random   bool
	settings search.Settings
	sized    func(s *search.Settings, budget int)
}

// defaultName is the strategy of configs.Default(), what `evolve` runs
// without a config.
const defaultName = "default"

// at returns the strategy as package table runs it with a budget.
func (st strategy) at(budget int) table.Strategy {
	if st.random {
		if st.settings.Noise.Repeats <= 1 {
			return table.Random()
		}
		noise := st.settings.Noise
		return table.Strategy{Name: st.name, Search: func(ctx context.Context, space genome.Space, ev *fitness.Evaluator, seed uint64, budget int) error {
			_, err := search.RandomNoise(ctx, space, ev, budget, 5, seed, noise, nil)
			return err
		}}
	}
	s := st.settings
	if st.sized != nil {
		st.sized(&s, budget)
	}
	return table.Evolution(st.name, s)
}

// before returns the settings of the default config as it was before issue
// 12 (generational, population 16, tournament of 3, elitism 1, crossover
// 0.5, mutation 0.8 with per-operator rates, every genome evaluated once),
// changed by f.
func before(f func(s *search.Settings)) search.Settings {
	s := configs.Default().Settings()
	s.Model, s.Population, s.Selection, s.TournamentSize, s.Elitism = "generational", 16, "tournament", 3, 1
	s.CrossoverRate, s.MutationRate, s.SampleSize, s.KeepBest = 0.5, 0.8, 5, true
	s.Mutation, s.Noise = "rates", search.Noise{}
	if f != nil {
		f(&s)
	}
	return s
}

func pop(model string, p, sample int) func(s *search.Settings) {
	return func(s *search.Settings) {
		s.Model, s.Population, s.SampleSize = model, p, sample
	}
}

// sizedPopulation sizes regularized evolution's population to the budget:
// a tenth of it, within [10, 100], sampling 70% of it per parent.
func sizedPopulation(s *search.Settings, budget int) {
	s.Population = min(max(budget/10, 10), 100)
	s.SampleSize = max(2, s.Population*7/10)
}

func beforeSet() []strategy {
	return []strategy{
		{name: "random", random: true},
		{name: "generational p16 (old default)", settings: before(nil)},
		{name: "generational p50", settings: before(pop("generational", 50, 5))},
		{name: "steady_state p16", settings: before(pop("steady_state", 16, 5))},
		{name: "steady_state p50", settings: before(pop("steady_state", 50, 5))},
		{name: "down_to_size p16", settings: before(pop("down_to_size", 16, 5))},
		{name: "ring p16", settings: before(pop("ring", 16, 5))},
		{name: "mutation_only p16", settings: before(pop("mutation_only", 16, 5))},
		{name: "islands 4x8 generational", settings: before(func(s *search.Settings) {
			s.Population, s.Islands, s.MigrationEvery, s.Migrants = 8, 4, 3, 1
		})},
		{name: "regularized p16 s5", settings: before(pop("regularized", 16, 5))},
		{name: "regularized p50 s5", settings: before(pop("regularized", 50, 5))},
		{name: "regularized p100 s10", settings: before(pop("regularized", 100, 10))},
	}
}

func local(f func(s *search.Settings)) func(s *search.Settings) {
	return func(s *search.Settings) {
		s.Mutation = "local"
		f(s)
	}
}

func noise(repeats, finalists int, f func(s *search.Settings)) func(s *search.Settings) {
	return func(s *search.Settings) {
		s.Noise = search.Noise{Repeats: repeats, Finalists: finalists}
		f(s)
	}
}

// afterSet is the levers of issue 12 alone and together, around the
// shipped default (regularized p20 s14, local, repeats 4 of 2).
func afterSet() []strategy {
	return []strategy{
		{name: "random", random: true},
		{name: "random, repeats 4 of 2", random: true, settings: search.Settings{Noise: search.Noise{Repeats: 4, Finalists: 2}}},
		{name: "regularized p20 s5", settings: before(pop("regularized", 20, 5))},
		{name: "regularized p20 s14", settings: before(pop("regularized", 20, 14))},
		{name: "regularized p20 s5 local", settings: before(local(pop("regularized", 20, 5)))},
		{name: "regularized p20 s14 local", settings: before(local(pop("regularized", 20, 14)))},
		{name: "regularized p20 s14, repeats 4 of 2", settings: before(noise(4, 2, pop("regularized", 20, 14)))},
		{name: "regularized p20 s5 local, repeats 4 of 2", settings: before(noise(4, 2, local(pop("regularized", 20, 5))))},
		{name: "regularized p20 s14 local, repeats 3 of 3", settings: before(noise(3, 3, local(pop("regularized", 20, 14))))},
		{name: "regularized sized s70% local, repeats 4 of 2", settings: before(noise(4, 2, local(pop("regularized", 20, 14)))), sized: sizedPopulation},
		{name: "generational p16 local, repeats 4 of 2", settings: before(noise(4, 2, local(pop("generational", 16, 5))))},
	}
}

// tuneSet is the variants tried while choosing the default.
func tuneSet() []strategy {
	out := []strategy{{name: "random", random: true}}
	for _, p := range [][2]int{{20, 10}, {20, 14}, {30, 12}} {
		for _, n := range [][2]int{{4, 2}, {3, 3}} {
			out = append(out, strategy{name: fmt.Sprintf("regularized p%d s%d local, repeats %d of %d", p[0], p[1], n[0], n[1]),
				settings: before(noise(n[0], n[1], local(pop("regularized", p[0], p[1]))))})
		}
	}
	return out
}

// defaultSet is random search and the search of the shipped default
// config (configs/default.yaml, what `evolve` runs without --config), its
// budget replaced by each budget measured.
func defaultSet() []strategy {
	c, err := configs.LoadNamed("default")
	if err != nil {
		panic(err) // the shipped default always parses: configs' tests say so
	}
	return []strategy{
		{name: "random", random: true},
		{name: defaultName, settings: c.Settings()},
	}
}

// screenSet is the default with surrogate screening (evolution.screen) of
// 2, 4 and 8 children per child trained.
func screenSet() []strategy {
	out := defaultSet()
	for _, n := range []int{2, 4, 8} {
		s := out[1].settings
		s.Screen = n
		out = append(out, strategy{name: fmt.Sprintf("default, screen %d", n), settings: s})
	}
	return out
}

func strategySet(name string) ([]strategy, error) {
	switch name {
	case "before":
		return beforeSet(), nil
	case "after":
		return afterSet(), nil
	case "default":
		return defaultSet(), nil
	case "tune":
		return tuneSet(), nil
	case "screen":
		return screenSet(), nil
	case "all":
		out := beforeSet()
		out = append(out, afterSet()[1:]...)
		return append(out, defaultSet()[1:]...), nil
	}
	return nil, fmt.Errorf("-set: unknown set %q (want before, after, default, tune, screen or all)", name)
}
