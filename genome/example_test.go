package genome_test

import (
	"fmt"
	"math/rand"

	"github.com/evonas/evonas/genome"
)

func ExampleSpace_Sample() {
	s := genome.Space{
		Layers:      genome.IntRange{Min: 1, Max: 3},
		Width:       genome.IntRange{Min: 8, Max: 256},
		Activations: []string{"relu", "tanh"},
		LR:          genome.FloatRange{Min: 1e-4, Max: 1e-1},
		Batches:     []int{32, 64},
		Dropout:     genome.FloatRange{Min: 0, Max: 0.3},
		L2:          genome.FloatRange{Min: 0, Max: 1e-3},
		Optimizers:  []string{"adam"},
	}
	if err := s.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	rng := rand.New(rand.NewSource(1))
	for range 3 {
		g := s.Sample(rng)
		fmt.Printf("%s lr=%.2g batch=%d\n", g.Arch(), g.LR, g.Batch)
	}
	// Output:
	// [209 tanh d0.131, 34 relu d0.0197, 13 relu d0.0903] lr=0.0035 batch=64
	// [24 relu d0.0849, 22 tanh d0.0656, 16 relu d0.171] lr=0.039 batch=64
	// [161 tanh d0.157, 8 tanh d0.182] lr=0.084 batch=32
}

func ExampleSpace_Mutate() {
	s := genome.Space{
		Layers:       genome.IntRange{Min: 1, Max: 4},
		WidthChoices: []int{16, 32, 64, 128},
		Activations:  []string{"relu", "tanh"},
		LR:           genome.FloatRange{Min: 1e-3, Max: 1e-3},
		Batches:      []int{32},
		Dropout:      genome.FloatRange{Min: 0, Max: 0},
		L2:           genome.FloatRange{Min: 0, Max: 0},
		Optimizers:   []string{"adam"},
	}
	rng := rand.New(rand.NewSource(4))
	g := genome.Genome{Layers: []genome.Layer{{Units: 32, Activation: "relu"}}, LR: 1e-3, Batch: 32, Optimizer: "adam"}
	for range 6 {
		ops := s.Mutate(&g, genome.DefaultRates(), rng)
		fmt.Println(ops, g.Arch())
	}
	// Output:
	// [resize_layer] [16 relu]
	// [add_layer] [16 relu, 32 relu]
	// [resize_layer] [32 relu, 32 relu]
	// [activation] [32 tanh, 32 relu]
	// [remove_layer] [32 relu]
	// [resize_layer] [16 relu]
}
