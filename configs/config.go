package configs

import "slices"

// Config is one run of evonas: the data, the space of architectures searched,
// how each candidate is trained and scored, and how the population evolves.
type Config struct {
	Name        string      `yaml:"name"`    // default: the file name without extension
	Seed        uint64      `yaml:"seed"`    // every random choice derives from it
	Workers     int         `yaml:"workers"` // parallel trainings; 0 = number of CPUs
	Data        Data        `yaml:"data"`
	SearchSpace SearchSpace `yaml:"search_space"`
	Training    Training    `yaml:"training"`
	Objective   Objective   `yaml:"objective"`
	Evolution   Evolution   `yaml:"evolution"`
	Stop        Stop        `yaml:"stop"`
	Budget      Budget      `yaml:"budget"`
	Fidelity    Fidelity    `yaml:"fidelity"`
}

// Data names the data set and how it is prepared.
type Data struct {
	Name    string `yaml:"name"`    // built-in data set or CSV path
	Table   string `yaml:"table"`   // tabular benchmark (CSV, maybe gzip'd) to look candidates up in instead of training; exclusive with Name
	Target  string `yaml:"target"`  // CSV target column; "" = last
	Task    string `yaml:"task"`    // "" (infer), binary, multiclass, regression
	Missing string `yaml:"missing"` // error, drop, mean
	// Ignore names columns of the data to leave out (dataset.Options.Ignore).
	Ignore []string `yaml:"ignore"`
	Split  Split    `yaml:"split"` // fractions summing to 1
	Rows   int      `yaml:"rows"`  // generated data size; 0 = default
	Noise  float64  `yaml:"noise"` // generated data noise; 0 = default
}

// Same reports whether d and e load the same data: equal but for the
// order of the columns ignored.
func (d Data) Same(e Data) bool {
	type data struct {
		name, table, target, task, missing string
		split                              Split
		rows                               int
		noise                              float64
	}
	of := func(d Data) data { return data{d.Name, d.Table, d.Target, d.Task, d.Missing, d.Split, d.Rows, d.Noise} }
	if of(d) != of(e) || len(d.Ignore) != len(e.Ignore) {
		return false
	}
	for _, c := range d.Ignore {
		if !slices.Contains(e.Ignore, c) {
			return false
		}
	}
	return true
}

// Split holds the fractions of rows used for training, validation and test.
type Split struct {
	Train float64 `yaml:"train"`
	Val   float64 `yaml:"val"`
	Test  float64 `yaml:"test"`
}

// IntRange is an inclusive range of integers or, when Choices is not
// empty, a list of them (Parse then sets Min and Max to its extremes, and
// Config.YAML and Config.Space take them so for a config built in Go).
type IntRange struct {
	Min     int   `yaml:"min"`
	Max     int   `yaml:"max"`
	Choices []int `yaml:"choices"`
}

// FloatRange is an inclusive range of reals or, when Choices is not empty,
// a list of them (Parse then sets Min and Max to its extremes, and
// Config.YAML and Config.Space take them so for a config built in Go).
type FloatRange struct {
	Min     float64   `yaml:"min"`
	Max     float64   `yaml:"max"`
	Choices []float64 `yaml:"choices"`
}

// SearchSpace bounds the architectures and hyperparameters a genome may take.
type SearchSpace struct {
	Layers      IntRange   `yaml:"layers"`       // hidden layers, 0..16 (no choices)
	Width       IntRange   `yaml:"width"`        // units per layer, 1..4096
	SharedWidth bool       `yaml:"shared_width"` // every hidden layer of a candidate has the same width
	Activations []string   `yaml:"activations"`  // relu, leaky_relu, elu, tanh, sigmoid, linear
	LR          FloatRange `yaml:"lr"`           // learning rate, (0, 10]; Min == Max fixes it
	LRSchedule  []string   `yaml:"lr_schedule"`  // const, cosine
	Batch       []int      `yaml:"batch"`        // batch sizes, 1..65536
	Dropout     FloatRange `yaml:"dropout"`      // [0, 1)
	L2          FloatRange `yaml:"l2"`           // [0, 1]
	Optimizers  []string   `yaml:"optimizers"`   // adam, sgd
}

// Training sets how each candidate network is trained.
type Training struct {
	Epochs   int     `yaml:"epochs"`   // 1..10000
	Patience int     `yaml:"patience"` // early stopping on validation loss; 0 = off
	Momentum float64 `yaml:"momentum"` // SGD momentum, [0, 1)
	// Precision is the arithmetic of training: float32 (the default, as
	// PyTorch's) or float64.
	Precision string `yaml:"precision"`
	// MaxMemoryMB bounds the memory one training may need (weights,
	// optimizer state, a batch's activations), in MiB: a candidate over it
	// is invalid.
	MaxMemoryMB int `yaml:"max_memory_mb"`
}

// Objective shapes the fitness that evolution minimizes.
type Objective struct {
	ParamPenalty float64  `yaml:"param_penalty"` // fitness += ParamPenalty*log10(params)
	Minimize     []string `yaml:"minimize"`      // error, params, flops, latency; 2+ = a Pareto search (model nsga2)
	Repeats      int      `yaml:"repeats"`       // evaluations of a promising genome and of each finalist, with other seeds; 1 = once
	Finalists    int      `yaml:"finalists"`     // best genomes re-checked at the end (with repeats > 1)
	Metric       string   `yaml:"metric"`        // metric: 1 - accuracy (or R²); loss: validation loss; balanced: 1 - balanced accuracy (classification)
	Folds        int      `yaml:"folds"`         // re-evaluations rotate over this many cross-validation folds of train+val; 0 = off, else 2..20
}

// Evolution chooses the evolutionary model and its parameters.
type Evolution struct {
	Model         string     `yaml:"model"`       // generational, steady_state, down_to_size, ring, mutation_only, regularized, async_regularized, nsga2
	Population    int        `yaml:"population"`  // per island
	Generations   int        `yaml:"generations"` // regularized: a generation is Population children
	Islands       int        `yaml:"islands"`
	Migration     Migration  `yaml:"migration"`
	Selection     Selection  `yaml:"selection"`
	Elitism       int        `yaml:"elitism"` // generational: best N pass unchanged
	Speciation    Speciation `yaml:"speciation"`
	CrossoverRate float64    `yaml:"crossover_rate"`
	MutationRate  float64    `yaml:"mutation_rate"`
	Mutation      Mutation   `yaml:"mutation"`       // per-operator probabilities
	MutationStyle string     `yaml:"mutation_style"` // rates: Mutation's operators; local: one gene to a neighbouring value
	HallOfFame    int        `yaml:"hall_of_fame"`   // best individuals kept
	SampleSize    int        `yaml:"sample_size"`    // regularized evolution's S
	Offspring     int        `yaml:"offspring"`      // down_to_size: children per generation; 0 = Population
	Screen        int        `yaml:"screen"`         // regularized: children made per child trained, a surrogate keeping one; 0 = off
	KeepBest      bool       `yaml:"keep_best"`      // steady_state
	Strict        bool       `yaml:"strict"`         // mutation_only
}

// Migration sets how individuals move between islands.
type Migration struct {
	Every    int `yaml:"every"`    // generations between migrations; 0 = never
	Migrants int `yaml:"migrants"` // individuals sent per migration
}

// Selection chooses parents.
type Selection struct {
	Method string `yaml:"method"` // tournament, roulette, elitism
	Size   int    `yaml:"size"`   // tournament size
}

// Speciation groups similar individuals so that they compete among themselves.
type Speciation struct {
	Method  string `yaml:"method"`  // none, kmedoids, interval
	Species int    `yaml:"species"` // used unless Method is none
}

// Mutation holds the probability of each mutation operator, each in [0, 1].
type Mutation struct {
	AddLayer    float64 `yaml:"add_layer"`
	RemoveLayer float64 `yaml:"remove_layer"`
	ResizeLayer float64 `yaml:"resize_layer"`
	Activation  float64 `yaml:"activation"`
	LR          float64 `yaml:"lr"`
	Batch       float64 `yaml:"batch"`
	Dropout     float64 `yaml:"dropout"`
	L2          float64 `yaml:"l2"`
	Optimizer   float64 `yaml:"optimizer"`
	LRSchedule  float64 `yaml:"lr_schedule"`
}

// Stop ends a search early.
type Stop struct {
	TargetFitness *float64 `yaml:"target_fitness"` // stop when best fitness <= this; nil = off
	NoImprovement int      `yaml:"no_improvement"` // generations without improvement; 0 = off
}

// Fidelity spends less training on candidates that look poor early.
type Fidelity struct {
	Method         string `yaml:"method"`          // none, median, halving
	MinEvaluations int    `yaml:"min_evaluations"` // median: finished trainings before any is stopped
	MinEpochs      int    `yaml:"min_epochs"`      // median: earliest stop; halving: the first rung's epochs
	Eta            int    `yaml:"eta"`             // halving: keep 1/eta per rung, train eta times longer
}

// Budget caps the work a search may do.
type Budget struct {
	Evaluations int `yaml:"evaluations"` // trainings, cache hits excluded; 0 = unlimited
}

// Default returns the configuration used for every key a file leaves out.
// Each call returns fresh slices, so callers may modify the result.
func Default() Config {
	return Config{
		Name: "default",
		Seed: 1,
		Data: Data{
			Name:    "digits",
			Missing: "error",
			Split:   Split{Train: 0.7, Val: 0.15, Test: 0.15},
		},
		SearchSpace: SearchSpace{
			Layers:      IntRange{Min: 1, Max: 3},
			Width:       IntRange{Min: 16, Max: 128},
			Activations: []string{"relu", "tanh"},
			LR:          FloatRange{Min: 3e-4, Max: 1e-2},
			LRSchedule:  []string{"const"},
			Batch:       []int{32, 64},
			Optimizers:  []string{"adam"},
		},
		Training:  Training{Epochs: 10, Patience: 2, Momentum: 0.9, Precision: "float32", MaxMemoryMB: 4096},
		Objective: Objective{Repeats: 1, Finalists: 3, Metric: "metric"},
		Fidelity:  Fidelity{Method: "none", MinEvaluations: 8, MinEpochs: 1, Eta: 3},
		Evolution: Evolution{
			Model:         "generational",
			Population:    16,
			Generations:   15,
			Islands:       1,
			Migration:     Migration{Every: 0, Migrants: 1},
			Selection:     Selection{Method: "tournament", Size: 3},
			Elitism:       1,
			Speciation:    Speciation{Method: "none", Species: 2},
			CrossoverRate: 0.5,
			MutationRate:  0.8,
			MutationStyle: "rates",
			Mutation: Mutation{
				AddLayer:    0.2,
				RemoveLayer: 0.2,
				ResizeLayer: 0.4,
				Activation:  0.2,
				LR:          0.3,
				Batch:       0.1,
				Dropout:     0.1,
				L2:          0.1,
				Optimizer:   0.05,
				LRSchedule:  0.1,
			},
			HallOfFame: 5,
			SampleSize: 5,
			KeepBest:   true,
		},
	}
}
