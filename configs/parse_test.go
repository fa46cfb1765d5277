package configs

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
)

// beyondInt32 are the messages of TestParseErrors's cases whose value is
// too large for a 32-bit int.
var beyondInt32 = map[string]string{
	"hall of fame 10^12":       "must be <= 2147483647, got 1000000000000",
	"offspring 10^12":          "must be <= 2147483647, got 1000000000000",
	"memory limit overflowing": "must be <= 2147483647, got 9223372036854775807",
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		line int
		key  string
		msg  string // the message must contain this
	}{
		{"malformed YAML", "seed: 1\nevolution:\n  population: 3\n bad: 2\n", 4, "", "malformed YAML: "},
		{"unclosed list", "seed: 1\nworkers: 0\ndata:\n  name: iris\nsearch_space: {activations: [relu, tanh\n", 5, "", "did not find expected"},
		{"tab indentation", "seed: 1\nevolution:\n\tpopulation: 3\n", 3, "", "(a tab indents this line: YAML indents with spaces only)"},
		{"tab after spaces", "seed: 1\nevolution:\n  population: 3\n \tislands: 2\n", 4, "", "found a tab character that violates indentation"},
		{"empty file", "", 0, "", "empty config"},
		{"only comments", "# nothing\n", 0, "", "empty config"},
		{"not a mapping", "- seed\n- 1\n", 1, "", "must be a mapping"},
		{"scalar document", "hello\n", 1, "", "must be a mapping"},
		{"two documents", "seed: 1\n---\nseed: 2\n", 2, "", "more than one YAML document"},
		{"unknown top-level key", "seed: 1\nwokers: 2\n", 2, "wokers", "unknown key (did you mean workers?)"},
		{"unknown key in another section", "seed: 1\npopulation: 2\n", 2, "population", "unknown key (did you mean evolution.population?)"},
		{"unknown nested key", "evolution:\n  population: 10\n  mutaton_rate: 0.5\n", 3, "evolution.mutaton_rate", "unknown key (did you mean mutation_rate?)"},
		{"unknown deep key", "evolution:\n  selection:\n    sise: 3\n", 3, "evolution.selection.sise", "unknown key (did you mean size?)"},
		{"unknown key without suggestion", "evolution:\n  xyzzy: 1\n", 2, "evolution.xyzzy", "unknown key"},
		{"table and data set", "seed: 1\ndata:\n  name: iris\n  table: t.csv\n", 4, "data.table", "not both"},
		{"bad lr choice", "search_space:\n  lr:\n    choices:\n      - 0.1\n      - 20\n", 5, "search_space.lr.choices[1]", "must be <= 10, got 20"},
		{"wrong case", "evolution:\n  Population: 10\n", 2, "evolution.Population", "did you mean population?"},
		{"wrong type", "seed: 1\nevolution:\n  population: ten\n", 3, "evolution.population", `cannot decode "ten" as an integer`},
		{"float into int", "evolution:\n  population: 2.5\n", 2, "evolution.population", `cannot decode "2.5" as an integer`},
		{"quoted number", "evolution:\n  population: \"10\"\n", 2, "evolution.population", `cannot decode "10" as an integer`},
		{"negative seed", "seed: -1\n", 1, "seed", "non-negative integer"},
		{"string into float", "evolution:\n  mutation_rate: high\n", 2, "evolution.mutation_rate", `cannot decode "high" as a number`},
		{"string into bool", "evolution:\n  keep_best: yes\n", 2, "evolution.keep_best", "boolean"},
		{"list for scalar", "evolution:\n  population: [1, 2]\n", 2, "evolution.population", "expected an integer, got a list"},
		{"scalar for list", "search_space:\n  batch: 32\n", 2, "search_space.batch", `expected a list of integers, got "32"`},
		{"scalar for section", "evolution: 5\n", 1, "evolution", `expected a mapping, got "5"`},
		{"scalar for range", "search_space:\n  layers: 3\n", 2, "search_space.layers", "expected a mapping with keys min, max"},
		{"missing value", "evolution:\n  population:\n", 2, "evolution.population", "missing value"},
		{"wrong type in list", "search_space:\n  batch: [32, big]\n", 2, "search_space.batch[1]", `cannot decode "big" as an integer`},
		{"duplicate key", "seed: 1\nevolution:\n  population: 10\n  generations: 3\n  population: 12\n", 5, "evolution.population", "duplicate key (first at line 3)"},
		{"duplicate section", "evolution: {}\nseed: 1\nevolution: {}\n", 3, "evolution", "duplicate key (first at line 1)"},
		{"merge key", "evolution:\n  <<: {population: 3}\n", 2, "evolution.<<", "merge keys are not supported"},
		{"complex key", "? [a, b]\n: 1\n", 1, "", "a key must be a plain name, got a list"},
		{"population 0", "seed: 1\n\nevolution:\n  generations: 3\n\n\n  population: 0\n", 7, "evolution.population", "must be >= 2, got 0"},
		{"mutation_rate 1.5", "evolution:\n  mutation_rate: 1.5\n", 2, "evolution.mutation_rate", "must be in [0, 1], got 1.5"},
		{"mutation operator", "evolution:\n  mutation:\n    lr: -0.1\n", 3, "evolution.mutation.lr", "must be in [0, 1], got -0.1"},
		{"layers min above max", "search_space:\n  layers:\n    min: 4\n    max: 2\n", 2, "search_space.layers", "min 4 above max 2"},
		{"layers above 16", "search_space:\n  layers: {min: 1, max: 17}\n", 2, "search_space.layers.max", "must be <= 16, got 17"},
		{"width 0", "search_space:\n  width:\n    min: 0\n", 3, "search_space.width.min", "must be >= 1, got 0"},
		{"lr 0", "search_space:\n  lr: {min: 0, max: 0.1}\n", 2, "search_space.lr.min", "must be > 0, got 0"},
		{"dropout 1", "search_space:\n  dropout: {min: 0, max: 1}\n", 2, "search_space.dropout.max", "must be < 1, got 1"},
		{"empty activations list", "search_space:\n  activations: []\n", 2, "search_space.activations", "must not be empty"},
		{"unknown activation", "search_space:\n  activations:\n    - relu\n    - swish\n", 4, "search_space.activations[1]", `unknown activation "swish" (allowed: relu, leaky_relu, elu, tanh, sigmoid, linear)`},
		{"duplicate activation", "search_space:\n  activations: [tanh, relu, tanh]\n", 2, "search_space.activations[2]", `duplicate activation "tanh"`},
		{"unknown optimizer", "search_space:\n  optimizers: [adamw]\n", 2, "search_space.optimizers[0]", "allowed: adam, sgd"},
		{"batch too large", "search_space:\n  batch: [32, 100000]\n", 2, "search_space.batch[1]", "must be between 1 and 65536, got 100000"},
		{"negative budget", "budget:\n  evaluations: -5\n", 2, "budget.evaluations", "must be >= 0, got -5"},
		{"split not summing to 1", "data:\n  split: {train: 0.6, val: 0.2, test: 0.1}\n", 2, "data.split", "train+val+test must sum to 1, got 0.9"},
		{"split val 0", "data:\n  split:\n    train: 0.9\n    val: 0\n    test: 0.1\n", 4, "data.split.val", "must be > 0, got 0"},
		{"empty data name", "data:\n  name: \"\"\n", 2, "data.name", "must not be empty"},
		{"unknown task", "data:\n  task: ranking\n", 2, "data.task", `unknown task "ranking" (allowed: binary, multiclass, regression, or "" to infer it)`},
		{"unknown missing", "data:\n  missing: zero\n", 2, "data.missing", "allowed: error, drop, mean"},
		{"unknown model", "evolution:\n  model: genetic\n", 2, "evolution.model", `unknown model "genetic" (allowed: generational, steady_state, down_to_size, ring, mutation_only, regularized, async_regularized, nsga2)`},
		{"unknown selection", "evolution:\n  selection: {method: rank}\n", 2, "evolution.selection.method", "allowed: tournament, roulette, elitism"},
		{"unknown speciation", "evolution:\n  speciation: {method: dbscan}\n", 2, "evolution.speciation.method", "allowed: none, kmedoids, interval"},
		{"elitism equal to population", "evolution:\n  population: 4\n  elitism: 4\n", 3, "evolution.elitism", "must be < population (4), got 4"},
		{"tournament above population", "evolution:\n  population: 4\n  selection:\n    size: 5\n", 4, "evolution.selection.size", "must be < population (4), got 5"},
		{"tournament the size of the population", "evolution:\n  population: 4\n  selection:\n    size: 4\n", 4, "evolution.selection.size", "must be < population (4), got 4"},
		{"ring tournament above 3", "evolution:\n  model: ring\n  selection:\n    size: 4\n", 4, "evolution.selection.size", "ring model"},
		{"species too small for a tournament", "evolution:\n  population: 8\n  speciation:\n    method: kmedoids\n    species: 3\n", 5, "evolution.speciation.species", "fewer than selection.size+1"},
		{"migration on one island", "evolution:\n  migration:\n    every: 2\n", 3, "evolution.migration.every", "islands >= 2"},
		{"species too small for roulette", "evolution:\n  population: 3\n  selection: {method: roulette}\n  speciation: {method: kmedoids, species: 2}\n", 4, "evolution.speciation.species", "2 species of a population of 3 leave 1 individuals each, fewer than 2"},
		{"species too small for elitism", "evolution:\n  model: steady_state\n  population: 5\n  selection: {method: elitism}\n  speciation: {method: interval, species: 3}\n", 5, "evolution.speciation.species", "3 species of a population of 5 leave 1 individuals each, fewer than 2"},
		{"species above population", "evolution:\n  population: 4\n  speciation: {method: kmedoids, species: 5}\n", 3, "evolution.speciation.species", "must be <= population (4), got 5"},
		{"epochs 0", "training:\n  epochs: 0\n", 2, "training.epochs", "must be between 1 and 10000, got 0"},
		{"momentum 1", "training:\n  momentum: 1\n", 2, "training.momentum", "must be in [0, 1), got 1"},
		{"unknown precision", "training:\n  precision: float16\n", 2, "training.precision", `unknown precision "float16" (allowed: float32, float64)`},
		{"NaN", "objective:\n  param_penalty: .nan\n", 2, "objective.param_penalty", "must be a finite number, got NaN"},
		{"unknown objective", "objective:\n  minimize: [error, size]\n", 2, "objective.minimize[1]", `unknown objective "size" (allowed: error, params, flops, latency)`},
		{"objective twice", "objective:\n  minimize: [error, params, error]\n", 2, "objective.minimize[2]", `duplicate objective "error"`},
		{"two objectives, one-objective model", "objective:\n  minimize: [error, params]\n", 2, "objective.minimize", "2 objectives need evolution.model nsga2, got generational"},
		{"penalty with two objectives", "objective:\n  param_penalty: 0.01\n  minimize: [error, params]\nevolution:\n  model: nsga2\n", 2, "objective.param_penalty", "must be 0, got 0.01"},
		{"nsga2 with speciation", "evolution:\n  model: nsga2\n  speciation: {method: kmedoids, species: 2}\n", 3, "evolution.speciation.method", "must be none"},
		{"infinite target", "stop:\n  target_fitness: .inf\n", 2, "stop.target_fitness", "finite"},
		{"repeats 0", "objective:\n  repeats: 0\n", 2, "objective.repeats", "must be between 1 and 20, got 0"},
		{"repeats 21", "objective:\n  repeats: 21\n", 2, "objective.repeats", "must be between 1 and 20, got 21"},
		{"finalists 0", "objective:\n  repeats: 3\n  finalists: 0\n", 3, "objective.finalists", "must be >= 1, got 0"},
		{"repeats with async", "objective:\n  repeats: 2\nevolution:\n  model: async_regularized\n", 2, "objective.repeats", "async_regularized"},
		{"sample size 1", "evolution:\n  sample_size: 1\n", 2, "evolution.sample_size", "must be >= 2, got 1"},
		{"screen 1", "evolution:\n  model: regularized\n  screen: 1\n", 3, "evolution.screen", "must be 0 (off) or 2 to 64, got 1"},
		{"screen 65", "evolution:\n  model: regularized\n  screen: 65\n", 3, "evolution.screen", "must be 0 (off) or 2 to 64, got 65"},
		{"screen generational", "evolution:\n  screen: 4\n", 2, "evolution.screen", "screening needs the regularized model, got generational"},
		{"ignore twice", "data:\n  name: a.csv\n  ignore: [id, x, id]\n", 3, "data.ignore[2]", `column "id" is listed twice (also at data.ignore[0])`},
		{"ignore the target", "data:\n  name: a.csv\n  target: y\n  ignore: [y]\n", 4, "data.ignore[0]", `column "y" is the target (data.target): it cannot be ignored`},
		{"ignore empty", "data:\n  name: a.csv\n  ignore: [\"\"]\n", 3, "data.ignore[0]", "must not be empty"},
		{"ignore with a table", "data:\n  table: t.csv\n  ignore: [id]\n", 3, "data.ignore", "a table has no columns to ignore"},
		{"screen on islands", "evolution:\n  model: regularized\n  screen: 4\n  islands: 2\n", 3, "evolution.screen", "screening needs one island (islands evaluate their batches concurrently), got islands 2"},
		{"folds 1", "objective:\n  repeats: 3\n  folds: 1\n", 3, "objective.folds", "must be between 2 and 20, got 1"},
		{"folds 21", "objective:\n  repeats: 3\n  folds: 21\n", 3, "objective.folds", "must be between 2 and 20, got 21"},
		{"folds without repeats", "objective:\n  folds: 3\n", 2, "objective.folds", "needs repeats >= 2, got 1"},
		{"folds of a table", "data:\n  name: \"\"\n  table: t.csv\nobjective:\n  repeats: 3\n  folds: 3\n", 6, "objective.folds", "folds need data.name, not data.table"},
		{"unknown metric", "objective:\n  metric: balanced_accuracy\n", 2, "objective.metric", "balanced"},
		{"balanced accuracy of a regression", "data:\n  task: regression\nobjective:\n  metric: balanced\n", 4, "objective.metric", "balanced accuracy needs classification, data.task is regression"},
		{"balanced accuracy of a table", "data:\n  name: \"\"\n  table: t.csv\nobjective:\n  metric: balanced\n", 5, "objective.metric", "balanced needs data.name, not data.table"},
		{"repeats on islands", "objective:\n  repeats: 2\nevolution:\n  islands: 2\n", 2, "objective.repeats", "needs one island"},
		{"unknown mutation style", "evolution:\n  mutation_style: gaussian\n", 2, "evolution.mutation_style", `unknown mutation style "gaussian" (allowed: rates, local)`},
		// Sizes that would exhaust memory (a fatal error, not an error) or
		// overflow the limit in bytes.
		{"population 10^9", "evolution:\n  population: 1000000000\n", 2, "evolution.population", "must be <= 100000, got 1000000000"},
		{"islands 10^9", "evolution:\n  islands: 1000000000\n", 2, "evolution.islands", "must be <= 1000, got 1000000000"},
		{"islands times population", "evolution:\n  islands: 1000\n  population: 1000\n", 2, "evolution.islands", "1000 islands of 1000 individuals make 1000000, more than 100000"},
		{"hall of fame 10^12", "evolution:\n  hall_of_fame: 1000000000000\n", 2, "evolution.hall_of_fame", "must be <= 100000, got 1000000000000"},
		{"offspring 10^12", "evolution:\n  model: down_to_size\n  offspring: 1000000000000\n", 3, "evolution.offspring", "must be <= 100000, got 1000000000000"},
		{"memory limit overflowing", "training:\n  max_memory_mb: 9223372036854775807\n", 2, "training.max_memory_mb", "must be <= 1073741824, got 9223372036854775807"},
		// sample_size is not in the file, so the error points at its section.
		{"sample size of a default", "evolution:\n  model: regularized\n  population: 4\n", 1, "evolution.sample_size", "must be <= population (4), got 5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse([]byte(tc.in), "run.yaml")
			if err == nil {
				t.Fatalf("Parse succeeded, want an error; got config %+v", c)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is a %T, want *Error", err, err)
			}
			if e.File != "run.yaml" || e.Line != tc.line || e.Key != tc.key {
				t.Errorf("got file %q line %d key %q, want run.yaml line %d key %q (error %q)", e.File, e.Line, e.Key, tc.line, tc.key, err)
			}
			want := tc.msg
			if w, ok := beyondInt32[tc.name]; ok && strconv.IntSize == 32 {
				want = w // the value does not fit an int there
			}
			if !strings.Contains(e.Msg, want) {
				t.Errorf("got message %q, want it to contain %q", e.Msg, want)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error %q spans lines", msg)
			}
			if !strings.HasPrefix(msg, "run.yaml") {
				t.Errorf("error %q does not start with the file name", msg)
			}
			if !reflect.DeepEqual(c, Config{}) {
				t.Errorf("Parse returned a config with its error: %+v", c)
			}
		})
	}
}

func TestParseDefaults(t *testing.T) {
	tests := []struct {
		name string
		file string
		in   string
		want func(c *Config)
	}{
		{"one key", "run.yaml", "seed: 9\n", func(c *Config) {
			c.Name = "run"
			c.Seed = 9
		}},
		{"name from a path", "runs/exp.1.yaml", "seed: 1\n", func(c *Config) { c.Name = "exp.1" }},
		{"name from the file", "run.yaml", "name: sweep-3\n", func(c *Config) { c.Name = "sweep-3" }},
		{"no file name", "", "seed: 1\n", func(c *Config) {}},
		{"nested keys merge", "x.yaml", "search_space:\n  layers:\n    max: 5\nevolution:\n  selection:\n    method: roulette\n", func(c *Config) {
			c.Name = "x"
			c.SearchSpace.Layers.Max = 5
			c.Evolution.Selection.Method = "roulette"
		}},
		{"lists replace", "x.yaml", "search_space:\n  activations: [elu]\n  width: {choices: [16, 8]}\n", func(c *Config) {
			c.Name = "x"
			c.SearchSpace.Activations = []string{"elu"}
			c.SearchSpace.Width = IntRange{Min: 8, Max: 16, Choices: []int{16, 8}}
		}},
		{"width_choices of older runs", "x.yaml", "search_space:\n  width_choices: [16, 8]\n", func(c *Config) {
			c.Name = "x"
			c.SearchSpace.Width = IntRange{Min: 8, Max: 16, Choices: []int{16, 8}}
		}},
		{"empty width_choices of older runs", "x.yaml", "search_space:\n  width_choices: []\n", func(c *Config) { c.Name = "x" }},
		{"table clears the default data", "x.yaml", "data:\n  table: t.csv.gz\n", func(c *Config) {
			c.Name = "x"
			c.Data.Name, c.Data.Table = "", "t.csv.gz"
		}},
		{"empty list is nil", "x.yaml", "search_space:\n  width: {choices: []}\n", func(c *Config) { c.Name = "x" }},
		{"empty section", "x.yaml", "evolution:\nseed: 3\n", func(c *Config) {
			c.Name = "x"
			c.Seed = 3
		}},
		{"target fitness", "x.yaml", "stop:\n  target_fitness: 0.05\n", func(c *Config) {
			c.Name = "x"
			c.Stop.TargetFitness = ptr(0.05)
		}},
		{"null target fitness", "x.yaml", "stop:\n  target_fitness: null\n", func(c *Config) { c.Name = "x" }},
		{"integer into float", "x.yaml", "training:\n  momentum: 0\n", func(c *Config) {
			c.Name = "x"
			c.Training.Momentum = 0
		}},
		{"anchors and aliases", "x.yaml", "search_space:\n  batch: &b [16, 32]\n  width: {choices: *b}\n", func(c *Config) {
			c.Name = "x"
			c.SearchSpace.Batch = []int{16, 32}
			c.SearchSpace.Width = IntRange{Min: 16, Max: 32, Choices: []int{16, 32}}
		}},
		{"trailing empty document", "x.yaml", "seed: 2\n---\n", func(c *Config) {
			c.Name = "x"
			c.Seed = 2
		}},
		{"largest seed", "x.yaml", "seed: 18446744073709551615\n", func(c *Config) {
			c.Name = "x"
			c.Seed = math.MaxUint64
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse([]byte(tc.in), tc.file)
			if err != nil {
				t.Fatal(err)
			}
			want := Default()
			tc.want(&want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

func TestDefaultIsValid(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
	// Fresh slices: changing one Default must not change the next.
	d := Default()
	d.SearchSpace.Activations[0] = "elu"
	if got := Default().SearchSpace.Activations[0]; got != "relu" {
		t.Errorf("Default shares slices: activations[0] = %q after a change to a copy", got)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Config)
		key    string // "" = valid
		msg    string
	}{
		{"default", func(c *Config) {}, "", ""},
		{"population 1", func(c *Config) { c.Evolution.Population = 1 }, "evolution.population", "evolution.population: must be >= 2, got 1"},
		{"no activations", func(c *Config) { c.SearchSpace.Activations = nil }, "search_space.activations", "search_space.activations: must not be empty"},
		{"no name", func(c *Config) { c.Name = "" }, "name", "name: must not be empty"},
		// A name heads a row of every table a comparison prints and writes.
		{"name of two lines", func(c *Config) { c.Name = "a\nb" }, "name", `name: must not hold a control character (a newline or tab), got "a\nb"`},
		{"name with a tab", func(c *Config) { c.Name = "a\tb" }, "name", "name: must not hold a control character"},
		{"name of any script", func(c *Config) { c.Name = "a|b `é` 中文 🚀" }, "", ""},
		{"width choice 0", func(c *Config) { c.SearchSpace.Width.Choices = []int{8, 0} }, "search_space.width.choices[1]", "search_space.width.choices[1]: must be between 1 and 4096, got 0"},
		{"lr choice 0", func(c *Config) { c.SearchSpace.LR.Choices = []float64{0.1, 0} }, "search_space.lr.choices[1]", "search_space.lr.choices[1]: must be > 0, got 0"},
		{"lr choices ignore min and max", func(c *Config) { c.SearchSpace.LR = FloatRange{Min: -1, Max: -2, Choices: []float64{0.1}} }, "", ""},
		{"dropout choice 1", func(c *Config) { c.SearchSpace.Dropout.Choices = []float64{0, 1} }, "search_space.dropout.choices[1]", "must be < 1, got 1"},
		{"l2 choice duplicate", func(c *Config) { c.SearchSpace.L2.Choices = []float64{0, 0.1, 0} }, "search_space.l2.choices[2]", "duplicate 0 (also at search_space.l2.choices[0])"},
		{"layers choices", func(c *Config) { c.SearchSpace.Layers.Choices = []int{1, 3} }, "search_space.layers.choices", "the depth is a range"},
		{"unknown schedule", func(c *Config) { c.SearchSpace.LRSchedule = []string{"step"} }, "search_space.lr_schedule[0]", `unknown schedule "step" (allowed: const, cosine)`},
		{"no schedule", func(c *Config) { c.SearchSpace.LRSchedule = nil }, "search_space.lr_schedule", "must not be empty"},
		{"table and name", func(c *Config) { c.Data.Table = "t.csv" }, "data.table", `give data.table or data.name ("digits"), not both`},
		{"table alone", func(c *Config) { c.Data.Table, c.Data.Name = "t.csv", "" }, "", ""},
		{"roulette ignores size above population", func(c *Config) {
			c.Evolution.Population = 2
			c.Evolution.Selection.Method = "roulette"
		}, "", ""},
		{"tournament above population", func(c *Config) { c.Evolution.Population = 2 }, "evolution.selection.size", "must be < population (2), got 3"},
		// Models that choose no parents by tournament ignore its size.
		{"regularized ignores the tournament size", func(c *Config) {
			c.Evolution.Model, c.Evolution.Population, c.Evolution.SampleSize = "regularized", 2, 2
		}, "", ""},
		{"async_regularized ignores the tournament size", func(c *Config) {
			c.Evolution.Model, c.Evolution.Population, c.Evolution.SampleSize = "async_regularized", 2, 0
		}, "", ""},
		{"mutation_only ignores the tournament size", func(c *Config) {
			c.Evolution.Model, c.Evolution.Population = "mutation_only", 2
		}, "", ""},
		{"nsga2 ignores the tournament size", func(c *Config) {
			c.Evolution.Model, c.Evolution.Population = "nsga2", 2
		}, "", ""},
		{"steady_state tournament above population", func(c *Config) {
			c.Evolution.Model, c.Evolution.Population = "steady_state", 3
		}, "evolution.selection.size", "must be < population (3), got 3"},
		{"sample size checked only for regularized", func(c *Config) {
			c.Evolution.Population = 4
			c.Evolution.SampleSize = 4
			c.Evolution.Selection.Size = 2
		}, "", ""},
		{"species ignored without speciation", func(c *Config) { c.Evolution.Speciation.Species = 100 }, "", ""},
		{"migrants equal to population", func(c *Config) {
			c.Evolution.Islands = 2
			c.Evolution.Migration = Migration{Every: 1, Migrants: c.Evolution.Population}
		}, "evolution.migration.migrants", "must be < population (16), got 16"},
		{"lr fixed", func(c *Config) { c.SearchSpace.LR = FloatRange{Min: 1e-3, Max: 1e-3} }, "", ""},
		{"lr above 10", func(c *Config) { c.SearchSpace.LR.Max = 11 }, "search_space.lr.max", "must be <= 10, got 11"},
		{"negative test split", func(c *Config) { c.Data.Split = Split{Train: 0.9, Val: 0.2, Test: -0.1} }, "data.split.test", "must be >= 0, got -0.1"},
		{"zero config", func(c *Config) { *c = Config{} }, "name", "must not be empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			tc.change(&c)
			err := c.Validate()
			if tc.key == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v (%T), want *Error", err, err)
			}
			if e.Key != tc.key || e.File != "" || e.Line != 0 {
				t.Errorf("got key %q file %q line %d, want key %q and no file or line", e.Key, e.File, e.Line, tc.key)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got %q, want it to contain %q", err, tc.msg)
			}
		})
	}
}

func TestYAMLRoundTrip(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Config)
	}{
		{"default", func(c *Config) {}},
		{"everything changed", func(c *Config) {
			c.Name = "exp 7: wide"
			c.Seed = math.MaxUint64
			c.Workers = 3
			c.Data = Data{Name: "data/my file.csv", Target: "y", Task: "regression", Missing: "mean",
				Split: Split{Train: 0.8, Val: 0.1, Test: 0.1}, Rows: 500, Noise: 0.25}
			c.SearchSpace.Layers = IntRange{Min: 0, Max: 16}
			c.SearchSpace.Width = IntRange{Min: 8, Max: 4096, Choices: []int{8, 16, 4096}}
			c.SearchSpace.SharedWidth = true
			c.SearchSpace.LRSchedule = []string{"cosine", "const"}
			c.SearchSpace.L2 = FloatRange{Min: 0, Max: 0.5, Choices: []float64{0.5, 0, 1e-8}}
			c.SearchSpace.Activations = []string{"leaky_relu", "linear"}
			c.SearchSpace.LR = FloatRange{Min: 1e-7, Max: 1.0 / 3}
			c.SearchSpace.Dropout = FloatRange{Min: 0.1, Max: 0.5}
			c.SearchSpace.Optimizers = []string{"sgd", "adam"}
			c.Objective.ParamPenalty = 0.01
			c.Evolution.Model = "steady_state"
			c.Evolution.KeepBest = false
			c.Evolution.Strict = true
			c.Stop.TargetFitness = ptr(-0.5)
			c.Stop.NoImprovement = 4
			c.Budget.Evaluations = 1000
		}},
		{"strings that look like other types", func(c *Config) {
			c.Name = "yes"
			c.Data.Name = "null"
			c.Data.Target = "3"
		}},
		{"strings with YAML syntax", func(c *Config) {
			c.Name = "a: b # c"
			c.Data.Name = "[x, y]"
			c.Data.Target = "line\nbreak"
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := Default()
			tc.change(&want)
			if err := want.Validate(); err != nil {
				t.Fatalf("test config is invalid: %v", err)
			}
			text, err := want.YAML()
			if err != nil {
				t.Fatal(err)
			}
			got, err := Parse(text, "other.yaml")
			if err != nil {
				t.Fatalf("Parse(YAML()): %v\n%s", err, text)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip changed the config:\ngot  %+v\nwant %+v\nYAML:\n%s", got, want, text)
			}
		})
	}
}

func TestYAMLHasEveryKey(t *testing.T) {
	text, err := Default().YAML()
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range Keys() {
		name := key[strings.LastIndexByte(key, '.')+1:]
		if !strings.Contains(string(text), name+":") {
			t.Errorf("YAML() lacks key %s", key)
		}
	}
	again, _ := Default().YAML()
	if string(again) != string(text) {
		t.Error("YAML() differs between calls")
	}
}

func TestLoad(t *testing.T) {
	c, err := Load(filepath.Join("testdata", "run.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	want.Name = "run"
	want.Seed = 7
	want.Evolution.Population = 30
	want.Evolution.Selection.Method = "roulette"
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got %+v, want %+v", c, want)
	}

	path := filepath.Join("testdata", "typo.yaml")
	_, err = Load(path)
	if got, want := errString(err), path+":5: evolution.mutaton_rate: unknown key (did you mean mutation_rate?)"; got != want {
		t.Errorf("got error %q, want %q", got, want)
	}

	_, err = Load(filepath.Join("testdata", "absent.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("got %v, want an error wrapping fs.ErrNotExist", err)
	}
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		err  Error
		want string
	}{
		{Error{File: "run.yaml", Line: 12, Key: "evolution.x", Msg: "unknown key"}, "run.yaml:12: evolution.x: unknown key"},
		{Error{File: "run.yaml", Key: "evolution.x", Msg: "m"}, "run.yaml: evolution.x: m"},
		{Error{File: "run.yaml", Line: 4, Msg: "malformed YAML: x"}, "run.yaml:4: malformed YAML: x"},
		{Error{Key: "evolution.population", Msg: "must be >= 2, got 0"}, "evolution.population: must be >= 2, got 0"},
		{Error{Line: 3, Key: "k", Msg: "m"}, "line 3: k: m"},
		{Error{Msg: "m"}, "m"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"population", "generations", "mutation_rate", "crossover_rate", "lr", "l2"}
	tests := []struct{ in, want string }{
		{"mutaton_rate", "mutation_rate"},
		{"populaton", "population"},
		{"POPULATION", "population"},
		{"generation", "generations"},
		{"lx", "lr"},
		{"seed", ""},
		{"rate", ""},
		{"rl", "lr"},                // a swapped pair is one edit
		{"cross", "crossover_rate"}, // the one name it begins
		{"mu", ""},                  // too short to count as a beginning

	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := Suggest(tc.in, names); got != tc.want {
				t.Errorf("Suggest(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestKeyDocs(t *testing.T) {
	keys := map[string]bool{}
	for _, k := range Keys() {
		keys[k] = true
		if keyDocs[k] == "" {
			t.Errorf("key %s has no documentation", k)
		}
	}
	for k := range keyDocs {
		if !keys[k] && !schema().sections[k] {
			t.Errorf("documentation for %s, which is not a key", k)
		}
	}
}

func TestInitText(t *testing.T) {
	text := InitText()
	got, err := Parse(text, "init.yaml")
	if err != nil {
		t.Fatalf("Parse(InitText()): %v", err)
	}
	if got.Name != "init" {
		t.Errorf("got name %q, want the file's name init", got.Name)
	}
	got.Name = Default().Name
	if !reflect.DeepEqual(got, Default()) {
		t.Errorf("InitText parses to\n%+v\nwant Default()\n%+v", got, Default())
	}
	// Every key is present with a comment on the line above.
	lines := strings.Split(string(text), "\n")
	for _, key := range Keys() {
		name := key[strings.LastIndexByte(key, '.')+1:]
		found := false
		for i, l := range lines {
			l = strings.TrimPrefix(strings.TrimSpace(l), "# ")
			if strings.HasPrefix(l, name+":") && i > 0 && strings.HasPrefix(strings.TrimSpace(lines[i-1]), "#") {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("InitText lacks commented key %s", key)
		}
	}
	for i, l := range lines {
		if len(l) > 80 {
			t.Errorf("line %d is %d bytes long: %q", i+1, len(l), l)
		}
	}
}

func TestEmbedded(t *testing.T) {
	want := []string{"default", "digits", "digits_mlp", "fcnet", "fcnet_pareto", "halving", "hpobench_mlp", "islands", "letter", "mnist", "pareto", "regularized", "satellite", "satellite_mlp", "seed", "speciation", "spirals_mlp"}
	if got := Embedded(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Embedded() = %v, want %v", got, want)
	}
	check := map[string]func(c Config) bool{
		"default": func(c Config) bool {
			s, e := c.SearchSpace, c.Evolution
			return c.Data.Name == "digits" && s.Layers.Min == 1 && s.Layers.Max == 4 && s.Width.Min == 8 && s.Width.Max == 1024 &&
				s.LR.Min == 1e-5 && s.LR.Max == 0.1 && s.Dropout.Max == 0.5 && len(s.Batch) == 5 &&
				c.Training.Epochs == 10 && c.Training.Patience == 2 && c.Budget.Evaluations == 200 &&
				e.Model == "regularized" && e.Population == 20 && e.SampleSize == 0 && c.Settings().SampleSize == 14 && e.MutationStyle == "local" &&
				c.Objective.Repeats == 4 && c.Objective.Finalists == 2
		},
		"seed": func(c Config) bool {
			s := c.SearchSpace
			return c.Data.Name == "seed-sum" && reflect.DeepEqual(s.Layers, IntRange{Min: 1, Max: 4}) && reflect.DeepEqual(s.Width, IntRange{Min: 8, Max: 63}) &&
				reflect.DeepEqual(s.Activations, []string{"relu"}) && reflect.DeepEqual(s.LR, FloatRange{Min: 0.001, Max: 0.001}) &&
				reflect.DeepEqual(s.Batch, []int{32}) && reflect.DeepEqual(s.Optimizers, []string{"adam"}) &&
				c.Training.Epochs == 5 && c.Training.Patience == 0 && c.Evolution.Population == 20 && c.Evolution.Generations == 10
		},
		"islands": func(c Config) bool {
			e := c.Evolution
			return c.Data.Name == "digits" && e.Islands == 3 && e.Population == 8 && e.Migration == Migration{3, 2} && e.Generations == 10
		},
		"fcnet": func(c Config) bool {
			s := c.Space()
			n, err := s.GridSize()
			return err == nil && n == 62208 && len(s.Schedules) == 2 && s.Layers == genome.IntRange{Min: 2, Max: 2}
		},
		"hpobench_mlp": func(c Config) bool {
			s := c.Space()
			n, err := s.GridSize()
			return err == nil && n == 30000 && s.SharedWidth && s.LRChoices[1] == 3.5938137e-05
		},
		"spirals_mlp": func(c Config) bool {
			n, err := c.Space().GridSize()
			return err == nil && n == 600 && c.Data.Name == "spirals"
		},
		"digits_mlp": func(c Config) bool {
			n, err := c.Space().GridSize()
			return err == nil && n == 1248 && c.Data.Name == "digits"
		},
		"satellite_mlp": func(c Config) bool {
			n, err := c.Space().GridSize()
			return err == nil && n == 1872 && c.Data.Name == "satellite"
		},
		"halving": func(c Config) bool {
			d := Default()
			d.Name, d.Fidelity.Method = "halving", "halving"
			return reflect.DeepEqual(c, d)
		},
		"speciation": func(c Config) bool {
			e := c.Evolution
			return c.Data.Name == "digits" && e.Population == 16 && e.Speciation == Speciation{"kmedoids", 3} && e.Generations == 10
		},
		"regularized": func(c Config) bool {
			e := c.Evolution
			return c.Data.Name == "digits" && e.Model == "regularized" && e.Population == 16 && e.SampleSize == 5 && e.Generations == 10
		},
		"fcnet_pareto": func(c Config) bool {
			f, err := LoadNamed("fcnet")
			if err != nil {
				return false
			}
			e := c.Evolution
			return reflect.DeepEqual(c.SearchSpace, f.SearchSpace) && c.Training == f.Training && e.Model == "nsga2" && e.Population == 12 &&
				reflect.DeepEqual(c.Objective.Minimize, []string{"error", "params"})
		},
		"pareto": func(c Config) bool {
			e := c.Evolution
			return c.Data.Name == "digits" && e.Model == "nsga2" && reflect.DeepEqual(c.Objective.Minimize, []string{"error", "params"}) &&
				e.Population == 16 && e.Generations == 15
		},
		"digits":    smallDefault("digits", "digits", 10, 100),
		"satellite": smallDefault("satellite", "satellite", 5, 200),
		"letter":    smallDefault("letter", "letter", 3, 100),
		"mnist":     smallDefault("mnist", "mnist10k", 1, 60),
	}
	for _, name := range Embedded() {
		t.Run(name, func(t *testing.T) {
			data, err := ReadEmbedded(name)
			if err != nil {
				t.Fatal(err)
			}
			withExt, err := ReadEmbedded(name + ".yaml")
			if err != nil || string(withExt) != string(data) {
				t.Errorf("ReadEmbedded(%q) differs from ReadEmbedded(%q) (error %v)", name+".yaml", name, err)
			}
			if !strings.HasPrefix(string(data), "# ") {
				t.Error("no comment header")
			}
			c, err := LoadNamed(name)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
			if c.Name != name {
				t.Errorf("got name %q, want %q", c.Name, name)
			}
			if ok := check[name]; ok == nil || !ok(c) {
				t.Errorf("config does not match its description: %+v", c)
			}
		})
	}
}

// smallDefault checks a config that is the default but for its name, data,
// epochs and budget, and 1 to 3 layers of 8 to 256 units.
func smallDefault(name, data string, epochs, budget int) func(Config) bool {
	return func(c Config) bool {
		want, err := LoadNamed("default")
		if err != nil {
			return false
		}
		want.Name, want.Data.Name = name, data
		want.SearchSpace.Layers.Max, want.SearchSpace.Width.Max = 3, 256
		want.Training.Epochs, want.Budget.Evaluations = epochs, budget
		return reflect.DeepEqual(c, want)
	}
}

func TestReadEmbeddedUnknown(t *testing.T) {
	for _, name := range []string{"nope", "../configs/default", "", "default.yml"} {
		t.Run(name, func(t *testing.T) {
			_, err := ReadEmbedded(name)
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(e.Msg, "default, digits, digits_mlp, fcnet, fcnet_pareto, halving") {
				t.Errorf("got %v, want an *Error listing the shipped configs", err)
			}
		})
	}
}

func TestLoadNamed(t *testing.T) {
	dir := t.TempDir()
	// A file wins over a shipped config of the same name.
	path := filepath.Join(dir, "default")
	if err := os.WriteFile(path, []byte("seed: 5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadNamed(path)
	if err != nil || c.Seed != 5 || c.Name != "default" {
		t.Errorf("LoadNamed(file) = seed %d name %q error %v, want seed 5 name default", c.Seed, c.Name, err)
	}

	t.Chdir(dir) // so that the shipped files next to this test are not found as files
	c, err = LoadNamed("islands.yaml")
	if err != nil || c.Evolution.Islands != 3 {
		t.Errorf("LoadNamed(islands.yaml) = islands %d error %v, want 3", c.Evolution.Islands, err)
	}

	_, err = LoadNamed(filepath.Join(dir, "absent.yaml"))
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(err.Error(), "no such file or shipped config") {
		t.Errorf("got %v, want an *Error saying there is no such file or shipped config", err)
	}
}

func ptr(x float64) *float64 { return &x }

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// TestObjectivesAsFitnessKnowsThem: the config accepts exactly the
// objectives the fitness computes.
func TestObjectivesAsFitnessKnowsThem(t *testing.T) {
	if !reflect.DeepEqual(objectives, fitness.Objectives) {
		t.Errorf("configs accepts %v, fitness computes %v", objectives, fitness.Objectives)
	}
}

func TestAsyncConfig(t *testing.T) {
	for _, tc := range []struct {
		name, in, key string
	}{
		{"islands", "evolution:\n  model: async_regularized\n  islands: 2\n", "evolution.islands"},
		{"species", "evolution:\n  model: async_regularized\n  speciation: {method: kmedoids}\n", "evolution.speciation.method"},
		{"halving", "evolution:\n  model: async_regularized\nfidelity:\n  method: halving\n", "fidelity.method"},
	} {
		_, err := Parse([]byte(tc.in), "run.yaml")
		var e *Error
		if !errors.As(err, &e) || e.Key != tc.key {
			t.Errorf("%s: err %v, want one about %s", tc.name, err, tc.key)
		}
	}
	c, err := Parse([]byte("evolution:\n  model: async_regularized\n"), "run.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if n := c.Notes(); len(n) != 1 || !strings.Contains(n[0], "not give the same search") {
		t.Errorf("notes %q, want one saying runs do not repeat", n)
	}
	c.Workers = 1
	if n := c.Notes(); len(n) != 0 {
		t.Errorf("notes with one worker: %q", n)
	}
	if n := Default().Notes(); len(n) != 0 {
		t.Errorf("notes of the default config: %q", n)
	}
}

// TestInitTextOf: a shipped config written out for editing parses back to
// itself under the file's name, each comment still giving the built-in
// default, and says that a deleted key takes that default.
func TestInitTextOf(t *testing.T) {
	for _, name := range []string{"default", "seed", "islands"} {
		t.Run(name, func(t *testing.T) {
			c, err := LoadNamed(name)
			if err != nil {
				t.Fatal(err)
			}
			text, err := InitTextOf(c)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Parse(text, "mine.yaml")
			if err != nil {
				t.Fatalf("Parse(InitTextOf(%s)): %v", name, err)
			}
			c.Name = "mine"
			if !reflect.DeepEqual(got, c) {
				t.Errorf("InitTextOf(%s) parses to\n%+v\nwant\n%+v", name, got, c)
			}
			if !strings.Contains(string(text), "a key deleted here takes the built-in default") {
				t.Errorf("InitTextOf(%s) does not say what a deleted key takes", name)
			}
			// The population's comment gives the built-in default, the key
			// the config's own value.
			d := Default()
			want := fmt.Sprintf("Default: %d.\n  population: %d\n", d.Evolution.Population, c.Evolution.Population)
			if !strings.Contains(string(text), want) {
				t.Errorf("InitTextOf(%s) lacks %q", name, want)
			}
		})
	}
	// Default's own text is InitText.
	text, err := InitTextOf(Default())
	if err != nil || string(text) != string(InitText()) {
		t.Errorf("InitTextOf(Default()) differs from InitText (err %v)", err)
	}
}
