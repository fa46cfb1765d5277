package table_test

import (
	"context"
	"fmt"

	"github.com/evonas/evonas/table"
)

// A search on a table in-process: the problem of the table's whole grid,
// one random search of 4 evaluations, its regret after each. The third
// evaluation finds the best configuration, but the fourth observes a lucky
// repeat (0.90) of a worse one (mean 0.80), which becomes the incumbent:
// regret is measured on true means, the incumbent chosen on observations.
func ExampleProblem_Run() {
	t, err := table.Load("testdata/tiny.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := table.NewProblem(t, t.Space())
	if err != nil {
		fmt.Println(err)
		return
	}
	run, err := p.Run(context.Background(), table.Random(), 2, 4)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("best mean %.2f (%s)\n", p.Best, t.Genome(p.BestRow).Arch())
	for i, r := range run.Records {
		fmt.Printf("%d: %s lr=%g observed %.2f, regret %.2f\n", i+1, r.Arch, r.Genome.LR, r.Val.Acc, run.Regret[i])
	}
	// Output:
	// best mean 0.90 ([16 relu])
	// 1: [8 relu] lr=0.01 observed 0.80, regret 0.05
	// 2: [8 relu] lr=0.1 observed 0.50, regret 0.05
	// 3: [16 relu] lr=0.01 observed 0.85, regret 0.00
	// 4: [16 tanh] lr=0.01 observed 0.90, regret 0.10
}
