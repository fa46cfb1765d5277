package genome

import "math/rand"

// testSpaces covers the shapes of space the operators must handle: wide
// ranges, width choices, fixed genes, no hidden layers, fixed depth, ranges
// narrower than a perturbation step.
var testSpaces = []struct {
	name  string
	space Space
	fixed bool // every gene fixed: Mutate can change nothing
}{
	{name: "wide", space: Space{
		Layers:      IntRange{0, 5},
		Width:       IntRange{1, 512},
		Activations: KnownActivations(),
		LR:          FloatRange{1e-5, 1},
		Batches:     []int{8, 16, 32, 64, 128},
		Dropout:     FloatRange{0, 0.5},
		L2:          FloatRange{0, 1e-2},
		Optimizers:  []string{"adam", "sgd"},
	}},
	{name: "width_choices", space: Space{
		Layers:       IntRange{1, 3},
		WidthChoices: []int{128, 16, 64, 32}, // unsorted on purpose
		Activations:  []string{"relu", "tanh"},
		LR:           FloatRange{1e-3, 1e-3},
		Batches:      []int{32},
		Dropout:      FloatRange{0, 0},
		L2:           FloatRange{1e-5, 1e-3},
		Optimizers:   []string{"adam"},
	}},
	{name: "fixed_depth", space: Space{
		Layers:      IntRange{2, 2},
		Width:       IntRange{8, 8},
		Activations: []string{"relu"},
		LR:          FloatRange{1e-4, 1e-2},
		Batches:     []int{16, 32},
		Dropout:     FloatRange{0.1, 0.1},
		L2:          FloatRange{0, 0},
		Optimizers:  []string{"adam", "sgd"},
	}},
	{name: "no_hidden_layers", space: Space{
		Layers:      IntRange{0, 0},
		Width:       IntRange{4, 64},
		Activations: []string{"relu", "elu"},
		LR:          FloatRange{1e-3, 1e-1},
		Batches:     []int{64},
		Dropout:     FloatRange{0, 0.3},
		L2:          FloatRange{0, 1e-3},
		Optimizers:  []string{"sgd"},
	}},
	{name: "narrow", space: Space{
		Layers:      IntRange{0, 1},
		Width:       IntRange{1, 2},
		Activations: []string{"linear", "sigmoid"},
		LR:          FloatRange{0.1, 0.1 + 1e-15},
		Batches:     []int{1, 2},
		Dropout:     FloatRange{0.2, 0.2 + 1e-12},
		L2:          FloatRange{0, 1e-300},
		Optimizers:  []string{"adam"},
	}},
	{name: "single_choice_width", space: Space{
		Layers:       IntRange{1, 4},
		WidthChoices: []int{7},
		Activations:  []string{"leaky_relu"},
		LR:           FloatRange{0.01, 0.01},
		Batches:      []int{10},
		Dropout:      FloatRange{0, 0},
		L2:           FloatRange{0, 0},
		Optimizers:   []string{"sgd"},
	}},
	{name: "fcnet", space: Space{ // FCNet's grid: two layers, everything a list
		Layers:         IntRange{2, 2},
		WidthChoices:   []int{16, 32, 64, 128, 256, 512},
		Activations:    []string{"relu", "tanh"},
		LRChoices:      []float64{0.0005, 0.001, 0.005, 0.01, 0.05, 0.1},
		Batches:        []int{8, 16, 32, 64},
		DropoutChoices: []float64{0, 0.3, 0.6},
		L2Choices:      []float64{0},
		Optimizers:     []string{"adam"},
		Schedules:      []string{"cosine", "const"},
	}},
	{name: "hpobench", space: Space{ // HPOBench's MLP grid: depth x shared width
		Layers:       IntRange{1, 3},
		WidthChoices: []int{16, 25, 40, 64, 101, 161, 256, 406, 645, 1024},
		SharedWidth:  true,
		Activations:  []string{"relu"},
		LRChoices:    []float64{1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1},
		Batches:      []int{4, 16, 64, 256},
		Dropout:      FloatRange{0, 0},
		L2Choices:    []float64{1e-8, 1e-4, 0, 1}, // unsorted, with zero
		Optimizers:   []string{"adam"},
	}},
	{name: "shared_range", space: Space{ // shared width over a range, variable depth from 0
		Layers:      IntRange{0, 4},
		Width:       IntRange{4, 100},
		SharedWidth: true,
		Activations: []string{"relu", "tanh"},
		LR:          FloatRange{1e-3, 1e-1},
		Batches:     []int{32},
		Dropout:     FloatRange{0, 0.2},
		L2:          FloatRange{0, 0},
		Optimizers:  []string{"adam"},
		Schedules:   []string{"cosine"},
	}},
	{name: "all_fixed", fixed: true, space: Space{
		Layers:      IntRange{1, 1},
		Width:       IntRange{4, 4},
		Activations: []string{"relu"},
		LR:          FloatRange{1e-3, 1e-3},
		Batches:     []int{32},
		Dropout:     FloatRange{0, 0},
		L2:          FloatRange{0, 0},
		Optimizers:  []string{"adam"},
	}},
	{name: "all_fixed_no_layers", fixed: true, space: Space{
		Layers:      IntRange{0, 0},
		Width:       IntRange{1, 1024},
		Activations: KnownActivations(),
		LR:          FloatRange{0.5, 0.5},
		Batches:     []int{1},
		Dropout:     FloatRange{0, 0.9},
		L2:          FloatRange{1e-4, 1e-4},
		Optimizers:  []string{"adam"},
	}},
}

func newRand(seed int64) *rand.Rand { return rand.New(rand.NewSource(seed)) }
