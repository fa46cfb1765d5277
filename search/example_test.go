package search_test

import (
	"context"
	"fmt"
	"log"

	"github.com/evonas/evonas/configs"
	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/fitness"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/search"
)

// An evolution held in memory, without a run directory: a space, an
// evaluator on prepared data and the search's settings, all built in Go.
func ExampleEvolve() {
	d, err := dataset.Load("xor", dataset.Options{Seed: 1, Rows: 200})
	if err != nil {
		log.Fatal(err)
	}
	space := genome.Space{
		Layers:       genome.IntRange{Min: 1, Max: 1},
		WidthChoices: []int{4, 8},
		Activations:  []string{"tanh"},
		LR:           genome.FloatRange{Min: 1e-3, Max: 1e-2},
		Batches:      []int{32},
		Optimizers:   []string{"adam"},
	}
	ev := fitness.NewEvaluator(d, fitness.Settings{Epochs: 20}, 1, 2)
	// Settings have no defaults of their own: start from a config's.
	st := configs.Default().Settings()
	st.Population, st.Generations, st.Seed = 4, 2, 1
	res, err := search.Evolve(context.Background(), space, ev, st, nil)
	if err != nil {
		log.Fatal(err)
	}
	best := res.Best[0]
	fmt.Println(res.Stop, res.Trainings, "trainings")
	fmt.Printf("best %s: val accuracy %.2f\n", best.Arch, best.Val.Acc)
	// Output:
	// generations 5 trainings
	// best [8 tanh]: val accuracy 0.90
}
