package fitness

import (
	"context"
	"fmt"
	"testing"

	"github.com/evonas/evonas/dataset"
	"github.com/evonas/evonas/genome"
	"github.com/evonas/evonas/network"
)

// mixedPopulation is 16 architectures of very different sizes, as a
// generation of a search on digits holds: 1 to 3 layers of 8 to 256 units.
func mixedPopulation() []genome.Genome {
	widths := [][]int{{8}, {256}, {32, 32}, {128, 64}, {16}, {64, 64, 64}, {200}, {24, 12},
		{96}, {48, 160}, {8, 8, 8}, {256, 128}, {40}, {72, 36, 18}, {144}, {12, 200}}
	var gs []genome.Genome
	for i, ws := range widths {
		g := genome.Genome{LR: 1e-3, Batch: []int{32, 64}[i%2], Optimizer: "adam"}
		for _, w := range ws {
			g.Layers = append(g.Layers, genome.Layer{Units: w, Activation: "relu"})
		}
		gs = append(gs, g)
	}
	return gs
}

// BenchmarkEvaluatorWorkers measures evaluations per second of a mixed
// population of 16 on digits (3 epochs each, float32) with 1 and 2
// workers: the pool should keep both cores busy whatever the sizes. With
// 2 workers it runs with and without lending the idle core to the last
// trainings (Settings.Helpers; "nolend" turns it off).
func BenchmarkEvaluatorWorkers(b *testing.B) {
	d, err := dataset.Load("digits", dataset.Options{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	gs := mixedPopulation()
	for _, c := range []struct {
		workers int
		lend    bool
	}{{1, false}, {2, true}, {2, false}} {
		name := fmt.Sprintf("workers=%d", c.workers)
		if c.workers > 1 && !c.lend {
			name += "/nolend"
		}
		b.Run(name, func(b *testing.B) {
			evals := 0
			for b.Loop() {
				ev := NewEvaluator(d, Settings{Epochs: 3, Precision: network.Float32}, 1, c.workers)
				ev.SetLending(c.lend)
				if _, err := ev.Evaluate(context.Background(), gs, 0); err != nil {
					b.Fatal(err)
				}
				evals += len(gs)
			}
			b.ReportMetric(float64(evals)/b.Elapsed().Seconds(), "evals/s")
		})
	}
}
